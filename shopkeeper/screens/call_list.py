"""Work through a call list like the checklist: open, log the call, done; or export it as CSV."""
from __future__ import annotations

from pathlib import Path
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from ..keymap import default_bindings
from ..widgets.footer import ShopFooter
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ..domain.contacts import OUTCOME_WORDS, list_purpose
from ..domain.errors import InputError
from ..domain.records import CustomerRow
from ..paths import files_folder
from ..exports import write_call_list
from ..ui_support import colour, level_label, money, phone, shop_of, short_day, today_of
from ..ui_work import loader, save
from ..widgets.rows import columns, fitted_width, row_width
from ..widgets.plain import Plain

TITLES = {"items": "Bought “{words}” before {before}", "lapsed": "Lapsed one-timers",
          "birthdays": "Birthdays next month", "quiet": "Top 20% not seen for {days} days",
          "referral-ask": "Ask for a referral", "keep-in-touch": "Keep in touch", "feedback": "Feedback to answer"}
WIDTHS = [22, 16, 10, 12, 12, 0]  # name, phone, consent, level, spend, why (or last purchase)
# the lists whose reason says more than the last purchase does
REASON_KINDS = ("referral-ask", "keep-in-touch", "feedback", "items", "birthdays")


class CallListScreen(Screen):
    AREA = "call list"
    BINDINGS = default_bindings("CallListScreen")  # shopkeeper/keys.toml

    def __init__(self, kind: str, words: str = "", before: date | None = None, days: int = 90,
                 consent_only: bool = True, tag: str = "") -> None:
        super().__init__()
        self.kind, self.words, self.before, self.days = kind, words, before, days
        self.consent_only, self.tag = consent_only, tag
        self.rows: dict[str, CustomerRow] = {}
        self.done = 0  # rows taken off this list (called, or marked done)

    @property
    def title_text(self) -> str:
        title = TITLES[self.kind].format(words=self.words, before=short_day(self.before), days=self.days)
        tagged = f" · tag “{self.tag}”" if self.tag else ""
        if self.kind == "feedback":  # answering feedback is service, not marketing: no consent filter
            return title + tagged
        return title + tagged + (" · consent only" if self.consent_only else " · everyone")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Plain(self.title_text, id="summary")
        yield OptionList(id="call-list")
        yield ShopFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.load()

    @loader("call-list", "build the call list")
    def load(self) -> None:
        shop, today = shop_of(self.app), today_of(self.app)
        try:
            rows = shop.call_list(self.kind, today, self.words, self.before, self.days, self.consent_only, self.tag)
        except InputError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error")
            return
        called = shop.called_from_list(self.kind, [r.id for r in rows], today)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, rows, called)

    def show(self, rows: list[CustomerRow], called: set[int] = frozenset()) -> None:
        """The rows left to call; those already called from this list today count as done."""
        options = self.query_one(OptionList)
        width = row_width(options)
        self.done = len(called)
        rows = [r for r in rows if r.id not in called]
        self.rows = {str(r.id): r for r in rows}
        options.clear_options()
        reach = {r.id: phone(self.app, r.phone) or r.email or "—" for r in rows}
        spend = {r.id: money(self.app, r.total_spend_cents) for r in rows}
        # the contact column as wide as its longest email (cut only when the room is short), amounts whole
        widths = [WIDTHS[0], fitted_width(reach.values(), 14), WIDTHS[2], WIDTHS[3], fitted_width(spend.values(), WIDTHS[4]), 0]
        if self.kind in REASON_KINDS:  # why they are on the list says more than their level and spend
            options.add_options(
                Option(columns([r.name, reach[r.id], self._consent(r), r.reason], [WIDTHS[0], widths[1], WIDTHS[2], 0],
                               width), id=str(r.id))
                for r in rows
            )
        else:
            options.add_options(
                Option(columns([r.name, reach[r.id], self._consent(r), level_label(r.level), spend[r.id],
                                f"last {short_day(r.last_purchase_on)}"], widths, width, whole=(4,)), id=str(r.id))
                for r in rows
            )
        if rows:
            options.highlighted = 0  # keys act on a row straight away, as on the checklist
        else:
            options.add_option(Option(Text("Nobody on this list.", style="dim"), disabled=True))
        self._summarise()

    def _consent(self, row: CustomerRow) -> Text:
        if row.marketing_consent:
            return Text("✓ consent", style="dim")
        return Text("no consent", style=colour(self.app, "due"))

    def _summarise(self) -> None:
        """What is left to call, and how many are done, like the checklist's summary line."""
        done = f" · {self.done} done" if self.done else ""
        self.query_one("#summary", Static).update(f"{self.title_text} · {len(self.rows)} customer(s){done} · enter opens")

    def selected(self) -> CustomerRow | None:
        option = self.query_one(OptionList).highlighted_option
        return self.rows.get(option.id) if option is not None and option.id else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        row = self.rows.get(event.option.id or "")
        if row:
            self.app.open_customer(row.id)

    def action_done(self) -> None:
        row = self.selected()
        if row is not None:
            self.done_row(row)

    def done_row(self, row: CustomerRow) -> None:
        if str(row.id) in self.rows:
            self.query_one(OptionList).remove_option(str(row.id))
            del self.rows[str(row.id)]
            self.done += 1
            self._summarise()

    def action_contact(self) -> None:
        from ..dialogs.contact import ContactDialog

        row = self.selected()
        if row is None:
            return

        def logged(result) -> None:
            if result:
                shop, today = shop_of(self.app), today_of(self.app)

                def logged_now(_) -> None:
                    self.notify(f"Logged: {OUTCOME_WORDS[result.outcome]} ({result.channel}) — {row.name}")
                    self.done_row(row)

                save(self, lambda: shop.log_contact(row.id, result.outcome, today, result.note, channel=result.channel,
                                                   purpose=list_purpose(self.kind)),
                     logged_now, what="the contact", key=("call list", row.id))

        self.app.push_screen(ContactDialog(row.name, row.id), logged)

    def action_export(self) -> None:
        # Beside the shop's own file (a folder that exists) or, for a shop on a server, in this
        # till's data folder; no folder is created unasked (it made ~/Documents silently), and
        # the notice says where the file went.
        shop = shop_of(self.app)
        folder = files_folder(shop.location)
        if shop.on_server:
            folder.mkdir(parents=True, exist_ok=True)  # this till's own data folder (log, backups)
        elif not folder.is_dir():
            folder = Path.cwd()
        path = (folder / f"shopkeeper-{self.kind}-{today_of(self.app).isoformat()}.csv").resolve()
        with open(path, "w", newline="", encoding="utf-8") as handle:
            count = write_call_list(self.rows.values(), handle)
        self.notify(f"Saved {count} rows to {path}")
