"""The customer card: who they are, what they bought, what we promised, who they know."""
from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static
from ..widgets.footer import ShopFooter
from textual.worker import get_current_worker

from ..domain.levels import LEVEL_NAMES
from ..domain.promises import due_state
from ..domain.records import CustomerCard
from ..ui_support import colour, money, phone, shop_of, short_day, today_of
from ..widgets.plain import Plain

OUTCOME_WORDS = {"reached": "reached", "no_answer": "no answer", "left_message": "left a message",
                 "bought": "bought", "declined": "declined", "do_not_contact": "do not contact"}


class CustomerScreen(Screen):
    AREA = "customer"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to where you were"),
        Binding("s", "sale", "Sale", tooltip="Log a sale for this customer"),
        Binding("p", "promise", "Promise", tooltip="Make a promise to this customer"),
        Binding("c", "contact", "Contact", tooltip="Log a call or message with its outcome"),
        Binding("e", "edit", "Edit", tooltip="Edit name, phones, email, notes, likes, birthday"),
        Binding("r", "referrer", "Referred by", show=False, tooltip="Record who referred this customer"),
        Binding("f", "feedback", "Feedback", show=False, tooltip="Add feedback (score 1-5, testimonial)"),
        Binding("M", "merge", "Merge", show=False, tooltip="Merge with a duplicate of this customer"),
        Binding("E", "erase", "Erase", show=False, tooltip="Erase this person's personal data (on their request)"),
    ]

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
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="card", exit_on_error=False)
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
            text.append(f"{p.text}\n")
        if not card.open_promises:
            text.append("  none\n", style="dim")
        self._section(text, "Last purchases")
        for sale in card.sales:
            flag = " (on sale)" if sale.on_sale else ""
            text.append(f"  {short_day(sale.sold_on)}  {money(app, sale.amount_cents):>14}  {sale.item_count} item(s){flag}\n")
            for line in sale.lines:
                price = f" @ {money(app, line.unit_price_cents)}" if line.unit_price_cents is not None else ""
                text.append(f"      {line.quantity} × {line.description}{price}\n", style="dim")
        if not card.sales:
            text.append("  no purchase yet\n", style="dim")
        self._section(text, "Contacts")
        for contact in card.contacts:
            text.append(f"  {short_day(contact.contacted_on)}  {contact.channel:<6} {OUTCOME_WORDS.get(contact.outcome, contact.outcome)}")
            text.append(f"  {contact.note}\n" if contact.note else "\n", style="dim")
        if not card.contacts:
            text.append("  none yet\n", style="dim")
        self._section(text, "About them")
        for label, value in (("Notes", card.notes), ("Likes", card.likes), ("Dislikes", card.dislikes)):
            if value:
                text.append(f"  {label}: ", style="bold")
                text.append(f"{value}\n")
        if card.birthday:
            text.append("  Birthday: ", style="bold")
            text.append(f"{card.birthday:%d %B %Y}\n")
        for family in card.family_dates:
            text.append(f"  {family.label.capitalize()}: ", style="bold")
            text.append(f"{family.on:%d %B %Y}\n")
        if not (card.notes or card.likes or card.dislikes or card.birthday or card.family_dates):
            text.append("  nothing noted yet (e to edit)\n", style="dim")
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
                text.append(f"  {short_day(fb.given_on)} {stars} {fb.text}")
                text.append("  (may quote)\n" if fb.testimonial_ok else "\n", style="dim")
        return text

    # actions ----------------------------------------------------------------------------------
    def action_sale(self) -> None:
        self.app.action_log_sale(self.customer_id)

    def action_promise(self) -> None:
        from ..dialogs.promise import PromiseDialog

        if self.card:
            self.app.push_screen(PromiseDialog(self.customer_id, self.card.name))

    def action_contact(self) -> None:
        from ..dialogs.contact import ContactDialog

        if self.card is None:
            return

        def logged(result) -> None:
            if result:
                outcome, note = result
                shop_of(self.app).log_contact(self.customer_id, outcome, today_of(self.app), note)
                self.notify(f"Logged: {OUTCOME_WORDS[outcome]}")
                self.load()

        self.app.push_screen(ContactDialog(self.card.name), logged)

    def action_edit(self) -> None:
        from ..dialogs.edit_customer import EditCustomerDialog

        if self.card:
            self.app.push_screen(EditCustomerDialog(self.card))

    def action_referrer(self) -> None:
        from ..dialogs.referrer import ReferrerDialog

        if self.card:
            self.app.push_screen(ReferrerDialog(self.customer_id, self.card.name))

    def action_feedback(self) -> None:
        from ..dialogs.feedback import FeedbackDialog

        if self.card:
            self.app.push_screen(FeedbackDialog(self.customer_id, self.card.name))

    def action_merge(self) -> None:
        from ..dialogs.merge import MergeDialog

        if self.card:
            self.app.push_screen(MergeDialog(self.customer_id, self.card.name))

    def action_erase(self) -> None:
        from ..dialogs.confirm import ConfirmDialog

        if self.card is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                shop_of(self.app).erase_customer(self.customer_id, today_of(self.app))
                self.notify("Personal data erased; their sales stay as anonymous totals.")
                self.load()

        self.app.push_screen(
            ConfirmDialog(f"Erase all personal data of {self.card.name}? Name, phones, email, notes and dates go; "
                          "their sales stay as anonymous totals. This cannot be undone.", "Erase"),
            confirmed,
        )
