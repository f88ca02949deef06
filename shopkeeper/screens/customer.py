"""The customer card: who they are, what they bought, what we promised, who they know."""
from __future__ import annotations

from importlib import import_module

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static
from ..keymap import default_bindings
from ..widgets.footer import ShopFooter
from textual.worker import get_current_worker

from ..domain.contacts import OUTCOME_WORDS as CONTACT_WORDS
from ..domain.dates import YearlyDate
from ..domain.levels import LEVEL_NAMES
from ..domain.promises import due_state
from ..domain.records import CustomerCard
from .. import undo
from ..ui_support import colour, money, phone, remember, shop_of, short_day, today_of
from ..ui_work import loader, save
from ..widgets.plain import Plain

OUTCOME_WORDS = {**CONTACT_WORDS, "left_message": "left a message"}


def _sale_marks(app, sale) -> list[str]:
    """What the card says about a sale beyond its amount: refunds tied to it, and its corrections."""
    marks = []
    if sale.refund_of_id:
        marks.append(f"refund of #{sale.refund_of_id}")
    elif sale.refunded_cents:
        marks.append(f"refunded {money(app, -sale.refunded_cents)}")
    for edit in sale.edits:
        was = []
        if edit.old_amount_cents != edit.new_amount_cents:
            was.append(money(app, edit.old_amount_cents))
        if edit.old_sold_on != edit.new_sold_on:
            was.append(f"{edit.old_sold_on:%d %b}")
        if edit.old_item_count != edit.new_item_count:
            was.append(f"{edit.old_item_count} item(s)")
        if edit.old_customer_id != edit.new_customer_id:
            was.append("another customer's" if edit.old_customer_id else "a walk-in")
        marks.append(f"edited {edit.corrected_on:%d %b}" + (f" by {edit.staff}" if edit.staff else "")
                     + (f": {edit.reason}" if edit.reason else "") + (f" (was {', '.join(was)})" if was else ""))
    return marks


class CustomerScreen(Screen):
    AREA = "customer"
    BINDINGS = default_bindings("CustomerScreen")  # shopkeeper/keys.toml

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.card: CustomerCard | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="card"):
            yield Plain(id="card-head")
            yield Plain(id="card-body")
        yield ShopFooter()

    def on_mount(self) -> None:
        self.query_one("#card").focus()

    def on_screen_resume(self) -> None:  # also when first shown: loading on mount too read the card twice
        self.load()

    def live_reload(self) -> None:
        """Another till changed the shop (see live.py): read the card again, where it is scrolled to."""
        if self.card is not None:
            self.load()

    @loader("card", "load the customer card")
    def load(self) -> None:
        from ..insights import next_visit

        shop, today = shop_of(self.app), today_of(self.app)
        card = shop.card(self.customer_id, today)
        forecast = next_visit(shop, self.customer_id, today) if card is not None else None
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, card, forecast)

    def show(self, card: CustomerCard | None, forecast=None) -> None:
        if card is None:
            self.notify("This customer no longer exists.", severity="warning")
            self.app.pop_screen()
            return
        self.card = card
        self.refresh_bindings()  # "L" (allow contact) works only while they asked not to be contacted
        head = self._head(card)
        if forecast is not None:
            active = (f"{100 * forecast.prob_active:.0f}% likely still active" if forecast.repeat_visits
                      else "one visit so far, too early to say if still active")
            head.append(
                f"\nExpected: {forecast.expected_purchases_90d:.1f} purchase(s) in the next 90 days · "
                f"{active} (model of {forecast.fitted_on:%d %b})",
                style=colour(self.app, "accent"),
            )
        self.query_one("#card-head", Static).update(head)
        self.query_one("#card-body", Static).update(self._body(card))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "lift":  # only offered while they asked not to be contacted
            return self.card is not None and self.card.do_not_contact_since is not None
        return True

    def _head(self, card: CustomerCard) -> Text:
        app = self.app
        level_style = {0: "dim", 1: colour(app, "accent"), 2: colour(app, "accent"), 3: colour(app, "done")}[card.level]
        text = Text.assemble((card.name, "bold"), "  ", (f" L{card.level} {LEVEL_NAMES[card.level]} ", f"reverse {level_style}"))
        phones = [phone(app, p) for p in card.phones]
        contact = " · ".join([*phones, card.email] if card.email else phones) or "no phone or email"
        text.append(f"\n{contact}")
        prefs = [f"prefers {card.preferred_channel}" if card.preferred_channel else "no preferred channel",
                 "marketing: yes" if card.marketing_consent else "marketing: no"]
        if card.household:
            prefs.append(f"household: {card.household}")
        text.append("\n" + " · ".join(prefs), style="dim")
        if card.tags:
            text.append("\ntags: " + " · ".join(card.tags), style=colour(app, "accent"))
        if card.do_not_contact_since is not None:
            text.append(f"\nDO NOT CONTACT since {short_day(card.do_not_contact_since)} (L lifts it)",
                        style=f"bold {colour(app, 'overdue')}")
        every = f" · every {card.average_days_between:.0f} days" if card.average_days_between else ""
        days = "1 purchase day" if card.purchase_days == 1 else f"{card.purchase_days} purchase days"
        text.append(  # two short lines: one long one wrapped "· every 7 days" at 80 columns
            f"\nSpent {money(app, card.total_spend_cents)} · {days}{every}"
            f"\nfirst {short_day(card.first_purchase_on)} · last {short_day(card.last_purchase_on)}"
        )
        return text

    def _section(self, text: Text, title: str) -> None:
        text.append(f"\n{title}\n", style=f"bold {colour(self.app, 'accent')}")

    def _body(self, card: CustomerCard) -> Text:
        app = self.app
        today = today_of(app)
        text = Text()
        self._section(text, f"Open promises ({len(card.open_promises)})")
        for p in card.open_promises:
            state = due_state(p.due_on, today)
            meaning = {"overdue": "overdue", "due": "due"}.get(state, "")
            text.append(f"  {short_day(p.due_on)} ", style=colour(app, meaning) if meaning else "")
            text.append(f"{p.text}")
            text.append(f" · {p.staff}\n" if p.staff else "\n", style="dim")
        if not card.open_promises:
            text.append("  none\n", style="dim")
        self._section(text, "Last purchases")
        for sale in card.sales:
            flag = " (on sale)" if sale.on_sale else ""
            by = f"  {sale.staff}" if sale.staff else ""  # who logged it (issue 12)
            text.append(f"  #{sale.id:<5} {short_day(sale.sold_on)}  {money(app, sale.amount_cents):>14}  {sale.item_count} item(s){flag}{by}\n")
            for mark in _sale_marks(app, sale):
                text.append(f"        {mark}\n", style="dim")
            for line in sale.lines:
                price = f" @ {money(app, line.unit_price_cents)}" if line.unit_price_cents is not None else ""
                text.append(f"      {line.quantity} × {line.description}{price}\n", style="dim")
        for gone in card.voided_sales:
            text.append(f"  #{gone.sale_id:<5} {short_day(gone.sold_on)}  {money(app, gone.amount_cents):>14}  ", style="dim strike")
            text.append(f"voided {gone.voided_on:%d %b}" + (f" by {gone.voided_by}" if gone.voided_by else "")
                        + (f": {gone.reason}" if gone.reason else "") + "\n", style="dim")
        if not card.sales:
            text.append("  no purchase yet\n", style="dim")
        elif not card.voided_sales:
            text.append("  v voids a sale · a corrects one · R refunds\n", style="dim")
        self._section(text, "Contacts")
        for contact in card.contacts:
            text.append(f"  {short_day(contact.contacted_on)}  {contact.channel:<6} {OUTCOME_WORDS.get(contact.outcome, contact.outcome)}")
            if contact.staff:
                text.append(f" · {contact.staff}")
            text.append(f"  {contact.note}\n" if contact.note else "\n", style="dim")
        if not card.contacts:
            text.append("  none yet\n", style="dim")
        self._section(text, "About them")
        for label, value in (("Notes", card.notes), ("Likes", card.likes), ("Dislikes", card.dislikes)):
            if value:
                text.append(f"  {label}: ", style="bold")
                text.append(f"{value}\n")
        birthday = YearlyDate.of(card.birthday_md, card.birthday)
        if birthday:
            text.append("  Birthday: ", style="bold")
            age = birthday.age_on(today)
            text.append(f"{birthday.show()}{f' (age {age})' if age is not None else ''}\n")
        for family in card.family_dates:
            text.append(f"  {family.label[:1].upper() + family.label[1:]}: ", style="bold")
            text.append(f"{YearlyDate.of(family.md, family.on).show()}\n")
        if card.family_dates:
            text.append("  d: add, change or remove dates\n", style="dim")
        if not (card.notes or card.likes or card.dislikes or birthday or card.family_dates):
            text.append("  nothing noted yet (e to edit, d for family dates)\n", style="dim")
        self._section(text, "Referrals")
        if card.referred_by:
            text.append(f"  Referred by {card.referred_by.name} on {short_day(card.referred_by.referred_on)}\n")
        else:
            text.append("  Referred by nobody recorded (r to set)\n", style="dim")
        for ref in card.referrals:
            bought = "has bought" if ref.has_bought else "not bought yet"
            text.append(f"  Referred {ref.name} on {short_day(ref.referred_on)} — {bought}\n")
        if card.feedback:
            self._section(text, "Feedback")
            for fb in card.feedback:
                stars = "★" * fb.score + "☆" * (5 - fb.score)
                text.append(f"  {short_day(fb.given_on)} {stars} {fb.text}" + (f" · {fb.staff}" if fb.staff else ""))
                marks = [*(["complaint"] if fb.complaint else []), *(["may quote"] if fb.testimonial_ok else []),
                         *({True: ["would recommend us"], False: ["would not recommend us"]}.get(fb.would_recommend, []))]
                text.append(f"  ({', '.join(marks)})\n" if marks else "\n", style="dim")
        return text

    # actions ----------------------------------------------------------------------------------
    def _pick_sale(self, title: str, then, refundable_only: bool = False) -> None:
        """Ask which of the customer's sales, then hand its view to `then`."""
        from ..dialogs.correct_sale import SalePickerDialog

        sales = shop_of(self.app).customer_sales(self.customer_id)
        if refundable_only:
            sales = [s for s in sales if s.refundable_cents > 0]
        if not sales:
            self.notify("No sale to pick." if not refundable_only else "No sale left to refund.", severity="warning")
            return
        views = {s.id: s for s in sales}
        self.app.push_screen(SalePickerDialog(sales, title), lambda sale_id: then(views[sale_id]) if sale_id else None)

    def action_void_sale(self) -> None:
        from ..dialogs.confirm import ConfirmDialog
        from ..dialogs.correct_sale import VoidReasonDialog, sale_label

        def with_reason(sale, reason: str | None) -> None:
            if not reason:
                return

            def confirmed(yes: bool | None) -> None:
                if not yes:
                    return
                shop, today = shop_of(self.app), today_of(self.app)

                def voided(_) -> None:
                    self.notify(f"Sale #{sale.id} voided: {reason}. It stays in the history.")
                    self.load()

                save(self, lambda: shop.void_sale(sale.id, reason, today), voided, what="the void",
                     key=("sale", sale.id))

            self.app.push_screen(ConfirmDialog(f"Void {sale_label(self.app, sale)}? It leaves every total and "
                                               f"stays in the history as voided ({reason}).", "Void"), confirmed)

        self._pick_sale("Void which sale?", lambda sale: self.app.push_screen(
            VoidReasonDialog(sale), lambda reason: with_reason(sale, reason)))

    def action_edit_sale(self) -> None:
        from ..dialogs.correct_sale import EditSaleDialog

        # the card reloads when the dialog closes (on_screen_resume): a second load here would cancel it
        self._pick_sale("Correct which sale?", lambda sale: self.app.push_screen(EditSaleDialog(sale)))

    def action_refund(self) -> None:
        from ..dialogs.correct_sale import RefundDialog

        self._pick_sale("Refund on which sale?", lambda sale: self.app.push_screen(RefundDialog(sale)),
                        refundable_only=True)

    def _about_customer(self, module: str, dialog: str) -> None:
        """Open a dialog about this customer (given their id and name) once the card has loaded;
        the dialog's module (in dialogs/) is imported on first use, as the screen opens faster."""
        if self.card:
            dialog_type = getattr(import_module(f"..dialogs.{module}", __package__), dialog)
            self.app.push_screen(dialog_type(self.customer_id, self.card.name))

    def action_sale(self) -> None:
        self.app.action_log_sale(self.customer_id)

    def action_promise(self) -> None:
        self._about_customer("promise", "PromiseDialog")

    def action_contact(self) -> None:
        from ..dialogs.contact import ContactDialog

        if self.card is None:
            return

        def logged(result) -> None:
            if result:
                shop, today = shop_of(self.app), today_of(self.app)

                def logged_now(contact_id: int) -> None:
                    words = f"{OUTCOME_WORDS[result.outcome]} ({result.channel})"
                    self.notify(remember(self.app, undo.contact_logged(self.card.name, words, contact_id)))
                    self.load()

                save(self, lambda: shop.log_contact(self.customer_id, result.outcome, today, result.note,
                                                    channel=result.channel),
                     logged_now, what="the contact")

        self.app.push_screen(ContactDialog(self.card.name, self.customer_id, self.card.preferred_channel), logged)

    def action_dates(self) -> None:
        self._about_customer("family_dates", "FamilyDatesDialog")

    def action_lift(self) -> None:
        from ..dialogs.confirm import ConfirmDialog

        card = self.card
        if card is None or card.do_not_contact_since is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                shop, today = shop_of(self.app), today_of(self.app)

                def lifted(_) -> None:
                    self.notify(f"{card.name} may be contacted again.")
                    self.load()

                save(self, lambda: shop.lift_do_not_contact(self.customer_id, today), lifted,
                     what="the lifted do-not-contact")

        self.app.push_screen(
            ConfirmDialog(f"{card.name} asked not to be contacted on {short_day(card.do_not_contact_since)}. "
                          "Did they agree to be contacted again?", "Allow contact"),
            confirmed,
        )

    def action_edit(self) -> None:
        from ..dialogs.edit_customer import EditCustomerDialog

        if self.card:
            self.app.push_screen(EditCustomerDialog(self.card))

    def action_referrer(self) -> None:
        self._about_customer("referrer", "ReferrerDialog")

    def action_feedback(self) -> None:
        self._about_customer("feedback", "FeedbackDialog")

    def action_tags(self) -> None:
        from ..dialogs.tags import TagsDialog

        if self.card:
            self.app.push_screen(TagsDialog(self.customer_id, self.card.name, self.card.tags))

    def action_merge(self) -> None:
        self._about_customer("merge", "MergeDialog")

    def action_erase(self) -> None:
        from ..dialogs.confirm import ConfirmDialog

        if self.card is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                shop, today = shop_of(self.app), today_of(self.app)

                def erased(_) -> None:
                    self.notify("Personal data erased; their sales stay as anonymous totals.")
                    self.load()

                save(self, lambda: shop.erase_customer(self.customer_id, today), erased, what="the erasure")

        self.app.push_screen(
            ConfirmDialog(f"Erase all personal data of {self.card.name}? Name, phones, email, notes and dates go; "
                          "their sales stay as anonymous totals. This cannot be undone.", "Erase"),
            confirmed,
        )
