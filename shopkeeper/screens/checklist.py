"""Home: the day's checklist. One table, one key per action, done rows leave at once."""
from __future__ import annotations

from datetime import date, timedelta
from itertools import islice
from typing import Iterator

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from ..keymap import default_bindings
from ..widgets.footer import ShopFooter
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ..domain.checklist import (BigOrderItem, Checklist, EnquiryItem, FeedbackItem, KeepInTouchItem, PromiseItem,
                                SecondSaleItem, ThankItem, row_kind)
from ..domain.contacts import ATTEMPTS, OUTCOME_WORDS, attempt_text
from ..domain.money import format_money
from ..domain.numbers import is_ascii_whole
from .. import undo
from ..ui_support import colour, phone, remember, shop_of, styled, today_of, refresh_bindings_on_change, counts_line
from ..ui_work import loader, save
from ..widgets.rows import KeyedRows, OpensCustomer, columns, drop_row, row_width, rows_after, window_line
from ..widgets.plain import Plain

SECTIONS = [
    ("promises_overdue", "Promises overdue", "overdue"),
    ("promises_due", "Promises due today", "due"),
    ("second_sale", "Second-sale calls", "accent"),
    ("thank_referrer", "Referrers to thank", "done"),
    ("birthdays", "Birthdays this week", "accent"),
    ("feedback_to_answer", "Feedback to answer", "overdue"),
    ("keep_in_touch", "Keep in touch", "muted"),
    ("big_orders", "Thank for a big order", "done"),
    ("enquiries", "Enquiries to answer", "due"),
]
FIRST_ROWS = 20  # rows built before the first paint: a screenful at 80×24 (and always a window's height, below)
BATCH_ROWS = 200  # then this many per refresh, until the list is whole
WIDTHS = [9, 20, 17, 0]  # when, customer, phone, what (the rest)


def empty_shop_hint(sale_key: str, customers_key: str, import_key: str = "ctrl+o") -> str:
    """What to do first in a shop with no customers yet (the keys as the keymap has them)."""
    return ("Your shop has no customers yet. To begin:\n"
            f"  {sale_key:<3}log a sale — its customer is added with it\n"
            f"  {customers_key:<3}your customers, as they come\n"
            f"  {import_key} bring your history: sales from your till or online shop\n"
            "  (Shopify, Square or any CSV file; also: shopkeeper import sales FILE)")


class ChecklistScreen(OpensCustomer, KeyedRows, Screen):
    AREA = "checklist"
    BINDINGS = default_bindings("ChecklistScreen")  # shopkeeper/keys.toml

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None
        self.items: dict[str, object] = {}
        self.checklist: Checklist | None = None
        self.empty_shop = False
        self._generation = 0  # bumped by each show(), so batches of an older list stop
        self.focus_key: str | None = None  # a row to highlight on the next show (one brought back by undo)
        self.mine = False  # only the rows of who is at the till (o): their promises and calls

    def compose(self) -> ComposeResult:
        yield Header()
        yield Plain(id="summary")
        yield OptionList(id="checklist")
        yield Plain(id="detail")
        yield ShopFooter()

    def on_mount(self) -> None:
        self.day = today_of(self.app)
        self.query_one(OptionList).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.checklist is not None:
            self.reload()

    def live_reload(self) -> None:
        """Another till changed the shop (see live.py): reload, the cursor staying on its row."""
        if self.checklist is not None:
            self.reload()

    @property
    def read_only(self) -> bool:
        return self.day != today_of(self.app)

    # loading ----------------------------------------------------------------------------------
    def reload(self) -> None:
        if shop_of(self.app).staff_id is None:
            self.mine = False  # nobody at the till: nobody's rows to show
        self.load(self.day)

    @loader("checklist", "load the checklist")
    def load(self, day: date) -> None:
        shop = shop_of(self.app)
        checklist = shop.checklist(day, staff_id=shop.staff_id if self.mine else None)
        self.empty_shop = checklist.total() == 0 and shop.count_customers() == 0
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, checklist)

    def show(self, checklist: Checklist) -> None:
        """Fill the list. On a large shop the checklist can hold thousands of rows: the first
        screenfuls are built before the first paint, the rest in batches after it, so start-up and
        keys never wait for rows nobody has scrolled to yet (benchmarks/)."""
        self.checklist = checklist
        self._generation += 1
        options = self.query_one(OptionList)
        keep, self.focus_key = self.focus_key or self._current_key(), None
        line, after = (window_line(options), rows_after(options)) if keep == self._current_key() else (None, [])
        self.items.clear()
        width = row_width(options)
        for section, _title, _meaning in SECTIONS:
            for item in checklist.sections()[section]:
                self.items["{}:{}".format(*row_kind(item))] = item
        if keep not in self.items:  # its row left (done here or at another till): the next one
            keep = next((key for key in after if key in self.items), keep)
        rows = self._options(checklist, width)
        first: list[Option] = []
        reached_keep = keep not in self.items
        after_keep = 0
        for option in rows:  # up to FIRST_ROWS, and on to a window's height past the cursor's row
            first.append(option)
            after_keep += reached_keep
            reached_keep = reached_keep or option.id == keep
            if len(first) >= FIRST_ROWS and reached_keep and after_keep >= options.size.height:
                break
        options.clear_options()
        options.add_options(first)
        self._summarise()
        self._restore_cursor(keep, line)
        self.call_after_refresh(self._add_more, rows, self._generation)
        self.call_after_refresh(self.app.warm_up)

    def _add_more(self, rows, generation: int) -> None:
        if generation != self._generation:  # a newer list replaced this one
            return
        batch = list(islice(rows, BATCH_ROWS))
        if batch:
            self.query_one(OptionList).add_options(batch)
            self.call_after_refresh(self._add_more, rows, generation)

    def _options(self, checklist: Checklist, width: int) -> Iterator[Option]:
        any_items = False
        for section, title, meaning in SECTIONS:
            items = checklist.sections()[section]
            if not items:
                continue
            any_items = True
            yield Option(styled(self.app, f"{title} ({len(items)})", meaning, bold=True), id=f"h:{section}", disabled=True)
            for item in items:
                key = "{}:{}".format(*row_kind(item))
                yield Option(columns(list(self._cells(item)), WIDTHS, width), id=key)
        if not any_items:
            yield Option(styled(self.app, "Nothing to do on this day.", "done", bold=True), id="h:empty", disabled=True)
            if self.empty_shop:
                from ..keymap import key_for

                yield Option(Text(empty_shop_hint(key_for(self, "app.sale", "s"), key_for(self, "app.customers", "u"),
                                                  key_for(self, "app.import_sales", "ctrl+o")),
                                  style="dim"), id="h:hint", disabled=True)

    def on_resize(self) -> None:
        if self.checklist is not None:
            self.show(self.checklist)

    def _cells(self, item) -> tuple:
        when, name, phone, what = self._plain_cells(item)
        tried = attempt_text(item.attempts, item.last_attempt, item.last_attempt_on, today_of(self.app), short=True)
        flag = "do not contact · " if isinstance(item, PromiseItem) and item.do_not_contact else ""
        if tried or flag:  # first, so a narrow row cuts the rest rather than the tries
            what = Text.assemble((flag, colour(self.app, "overdue")), (f"{tried} · " if tried else "", colour(self.app, "due")),
                                 what if isinstance(what, Text) else Text(str(what)))
        return when, name, phone, what

    def _plain_cells(self, item) -> tuple:
        app = self.app
        if isinstance(item, PromiseItem):
            late = item.days_late
            when = styled(app, f"{late} d late" if late > 0 else "today", "overdue" if late > 0 else "due")
            return when, item.name, phone(app, item.phone), item.text
        if isinstance(item, SecondSaleItem):
            when = styled(app, f"day {item.days_since_first}", "muted")
            spend = format_money(item.first_purchase_cents)
            what = Text.assemble((f"★{item.priority:>3} ", colour(app, "accent")), f"{spend} · {item.item_count} item{'s' if item.item_count != 1 else ''}")
            if not item.reachable:
                what.append(" · no phone/email", style=colour(app, "overdue"))
            return when, item.name, phone(app, item.phone) or item.email, what
        if isinstance(item, ThankItem):
            return styled(app, "thank", "done"), item.name, phone(app, item.phone), f"referred {item.referee_name}, who bought on {item.first_purchase_on}"
        if isinstance(item, FeedbackItem):
            what = f"{item.score}★{' complaint' if item.complaint else ''}" + (f": {item.text}" if item.text else "")
            return styled(app, f"{item.given_on:%d %b}", "overdue"), item.name, phone(app, item.phone) or item.email, what
        if isinstance(item, KeepInTouchItem):
            return (styled(app, f"{item.days_silent} d", "muted"), item.name, phone(app, item.phone) or item.email,
                    item.reason.split(" (", 1)[-1].rstrip(")"))
        if isinstance(item, BigOrderItem):
            return (styled(app, f"{item.sold_on:%a}", "done"), item.name, phone(app, item.phone),
                    f"{format_money(item.amount_cents)} · {item.times_usual:g}× usual {format_money(item.usual_visit_cents)}")
        if isinstance(item, EnquiryItem):
            waited = "today" if item.days_waiting == 0 else f"{item.days_waiting} d"
            return (styled(app, waited, "overdue" if item.days_waiting > 1 else "due"), item.name, phone(app, item.phone),
                    f"{item.channel}: {item.what}")
        when = "today" if item.in_days == 0 else f"in {item.in_days} d"
        return styled(app, when, "due" if item.in_days == 0 else "muted"), item.name, phone(app, item.phone), f"{item.label} {item.on:%d %b}"

    def _summarise(self) -> None:
        c = self.checklist
        assert c is not None
        promises = c.promise_counts()  # counted as the promises screen counts them
        parts = [
            (f"{promises.overdue} overdue", "overdue" if promises.overdue else "muted"),
            (f"{promises.due} due", "due" if promises.due else "muted"),
            *([(f"{promises.snoozed} snoozed", "muted")] if promises.snoozed else []),
            (f"{len(c.second_sale)} calls", "accent"),
            (f"{len(c.thank_referrer)} thanks", "muted"),
            (f"{len(c.birthdays)} birthdays", "muted"),
            *([(f"{len(c.feedback_to_answer)} feedback", "overdue")] if c.feedback_to_answer else []),
            *([(f"{len(c.keep_in_touch)} keep in touch", "muted")] if c.keep_in_touch else []),
            *([(f"{len(c.big_orders)} big orders", "done")] if c.big_orders else []),
            *([(f"{len(c.enquiries)} enquiries", "due")] if c.enquiries else []),
            (f"{c.done_today} done", "done"),
        ]
        prefix = self.day.strftime("%a %d %b") + ("  (read-only, t: today)" if self.read_only else "") + "  "
        at_till = getattr(self.app, "at_till", None)
        if self.mine and at_till is not None:
            prefix += f"mine ({at_till.initials}, o: all)  "
        summary = self.query_one("#summary", Static)
        summary.update(counts_line(self.app, prefix, parts, summary.content_region.width or None))

    @on(OptionList.OptionHighlighted)
    def _describe_current(self) -> None:
        refresh_bindings_on_change(self, isinstance(self.selected(), PromiseItem))
        self.query_one("#detail", Static).update(self._detail(self.selected()))

    def _detail(self, item) -> Text:
        if item is None:
            return Text("")
        if isinstance(item, SecondSaleItem):
            text = Text.assemble(("Why: ", "bold"), "; ".join(item.reasons))
            tried = attempt_text(item.attempts, item.last_attempt, item.last_attempt_on, today_of(self.app))
            text.append(f"\nFirst purchase {item.first_purchase_on:%d %b %Y}, {item.days_since_first} days ago."
                        + (f" {tried[:1].upper()}{tried[1:]}." if tried else ""), style="dim")
            return text
        if isinstance(item, PromiseItem):
            text = Text.assemble(("Promised: ", "bold"), item.text, (f"\nDue {item.due_on:%a %d %b %Y}.", "dim"))
            if item.do_not_contact:  # still owed: keep it when they come in, but do not call
                text.append(" They asked not to be contacted: keep it for their next visit.", style=colour(self.app, "overdue"))
            return text
        if isinstance(item, ThankItem):
            return Text.assemble(("Thank ", "bold"), item.name, f" for sending {item.referee_name} our way.")
        if isinstance(item, FeedbackItem):
            return Text.assemble(("Answer: ", "bold"), f"{item.score}★ on {item.given_on:%d %b %Y}",
                                 f" — “{item.text}”" if item.text else "",
                                 ("\nA contact that reaches them takes it off the list.", "dim"))
        if isinstance(item, KeepInTouchItem):
            return Text.assemble(("Keep in touch: ", "bold"), item.reason + ".")
        if isinstance(item, BigOrderItem):
            return Text.assemble(("Thank ", "bold"), item.name, f" for the big order of {item.sold_on:%a %d %b} "
                                 f"({format_money(item.amount_cents)}, {item.times_usual:g}× their usual "
                                 f"{format_money(item.usual_visit_cents)}): a little extra, free delivery?")
        if isinstance(item, EnquiryItem):
            return Text.assemble(("Asked: ", "bold"), item.what,
                                 (f"\nBy {item.channel} on {item.asked_on:%a %d %b}. c or x: answered.", "dim"))
        return Text.assemble((f"{item.label.capitalize()}: ", "bold"), item.name, f" on {item.on:%a %d %b}.")

    # actions ----------------------------------------------------------------------------------
    def action_mine(self) -> None:
        """Only my promises and my calls, or everyone's again (who is at the till: w)."""
        if not self.mine and shop_of(self.app).staff_id is None:
            self.notify("Say who is at the till first (w): \"mine\" is their promises and calls.")
            return
        self.mine = not self.mine
        self.reload()

    def selected(self):
        return self.items.get(self._current_key() or "")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("kept", "missed"):
            return isinstance(self.selected(), PromiseItem)
        if action == "snooze":  # an enquiry is answered, not put off
            return not isinstance(self.selected(), EnquiryItem)
        return True

    def _answer(self, item: EnquiryItem) -> None:
        """An enquiry row's c or x: it was answered today (ctrl+z takes it back)."""
        shop, today, key = shop_of(self.app), today_of(self.app), f"enquiry:{item.enquiry_id}"
        save(self, lambda: shop.answer_enquiry(item.enquiry_id, today),
             lambda _: self._done(remember(self.app, undo.enquiry_answered(item.name, item.what, item.enquiry_id)), key),
             what="the answer", key=key)

    def _writable(self) -> bool:
        if self.read_only:
            self.notify("This is another day's list; press t to act on today's.", severity="warning")
            return False
        return True

    def _done(self, message: str, key: str | None = None) -> None:
        """The row leaves the list once its write has landed; the list then reloads to stay exact."""
        drop_row(self.query_one(OptionList), self.items, key or self._current_key())
        self.notify(message)
        self.reload()

    def action_contact(self) -> None:
        item = self.selected()
        if item is None or not self._writable():
            return
        if isinstance(item, EnquiryItem):
            self._answer(item)
            return
        from ..dialogs.contact import ContactDialog

        kind, subject = row_kind(item)
        key = f"{kind}:{subject}"

        def logged(result) -> None:
            if result is None:
                return
            shop = shop_of(self.app)
            today = today_of(self.app)

            def write() -> tuple[int, int | None]:  # one transaction: a retry never logs the contact twice
                return shop.log_contact_and_close(
                    item.customer_id, result.outcome, today, result.note, channel=result.channel,
                    purpose=kind, subject_id=subject,
                    close=result.outcome not in ATTEMPTS and kind in ("birthday", "family_date"))

            def written(ids: tuple[int, int | None]) -> None:
                words = f"{OUTCOME_WORDS[result.outcome]} ({result.channel})"
                notice = remember(self.app, undo.contact_logged(item.name, words, *ids, key))
                if result.outcome in ATTEMPTS:  # not reached: the row stays, showing the tries
                    self.notify(notice)
                    self.reload()
                    return
                self._done(notice, key)

            save(self, write, written, what="the contact", key=key)

        self.app.push_screen(ContactDialog(item.name, item.customer_id), logged)

    def _promise_status(self, status: str) -> None:
        item = self.selected()
        if not isinstance(item, PromiseItem) or not self._writable():
            return
        shop, today, key = shop_of(self.app), today_of(self.app), f"promise:{item.promise_id}"
        save(self, lambda: shop.set_promise_status(item.promise_id, status, today),
             lambda _: self._done(remember(self.app, undo.promise_closed(item.name, item.text, status, item.promise_id)), key),
             what="the promise's status", key=key)

    def action_kept(self) -> None:
        self._promise_status("kept")

    def action_missed(self) -> None:
        self._promise_status("missed")

    def action_snooze(self) -> None:
        item = self.selected()
        if item is None or not self._writable():
            return
        from ..dialogs.snooze import SnoozeDialog

        kind, subject = row_kind(item)

        def chosen(until: date | None) -> None:
            if until is not None:
                shop, today, key = shop_of(self.app), today_of(self.app), f"{kind}:{subject}"
                save(self, lambda: shop.snooze(kind, subject, item.customer_id, today, until),
                     lambda follow_up_id: self._done(remember(self.app, undo.row_snoozed(
                         item.name, kind, f"{until:%a %d %b}", follow_up_id, key)), key),
                     what="the snooze", key=key)

        self.app.push_screen(SnoozeDialog(item.name), chosen)

    def action_close(self) -> None:
        item = self.selected()
        if item is None or not self._writable():
            return
        if isinstance(item, PromiseItem):
            from ..dialogs.confirm import ConfirmDialog

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._promise_status("cancelled")

            self.app.push_screen(ConfirmDialog(f"Cancel the promise to {item.name}: “{item.text}”?", "Cancel promise"), confirmed)
            return
        if isinstance(item, EnquiryItem):
            self._answer(item)
            return
        kind, subject = row_kind(item)
        shop, today, key = shop_of(self.app), today_of(self.app), f"{kind}:{subject}"
        save(self, lambda: shop.close_follow_up(kind, subject, item.customer_id, today),
             lambda follow_up_id: self._done(remember(self.app, undo.row_closed(item.name, kind, follow_up_id, key)), key),
             what="the closed row", key=key)

    def action_day(self, step: int) -> None:
        self.day = today_of(self.app) if step == 0 else self.day + timedelta(days=step)
        self.reload()

    def on_key(self, event) -> None:
        """Typing digits on the checklist starts a phone lookup, as when the phone rings."""
        if event.character and is_ascii_whole(event.character):
            event.stop()
            self.app.action_lookup(event.character)
