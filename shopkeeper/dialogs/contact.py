"""Log a call or message: outcome and channel by keys, a note that keeps every character typed,
enter saves from any field.

Keys never steal text: digits choose the outcome only outside the note, and anything else typed
outside the note goes into it. Returns a ContactResult, or None when cancelled.
"""
from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..keymap import default_bindings
from ..domain.contacts import CHANNELS
from ..ui_support import shop_of
from .base import Dialog
from ..widgets.plain import Plain

OUTCOME_LABELS = [
    ("reached", "Reached"),
    ("no_answer", "No answer (tried: the row stays)"),
    ("left_message", "Left a message (tried: the row stays)"),
    ("bought", "Bought again"),
    ("declined", "Declined"),
    ("do_not_contact", "Do not contact again"),
]
CHANNEL_KEYS = {"p": "phone", "s": "sms", "e": "email", "v": "visit"}
CHANNEL_LABELS = {"phone": "phone", "sms": "SMS", "email": "email", "visit": "visit"}


class ContactResult(NamedTuple):
    outcome: str
    note: str
    channel: str


class ChannelChoice(Static, can_focus=True):
    """phone · SMS · email · visit: ←/→ or the first letter when focused; ←/→ from the outcomes too."""

    DEFAULT_CSS = "ChannelChoice { height: 1; padding: 0 1; } ChannelChoice:focus { background: $primary 30%; }"

    def __init__(self, channel: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.channel = channel if channel in CHANNELS else "phone"

    def on_mount(self) -> None:
        self._show()

    def step(self, by: int) -> None:
        self.choose(CHANNELS[(CHANNELS.index(self.channel) + by) % len(CHANNELS)])

    def choose(self, channel: str) -> None:
        self.channel = channel
        self._show()

    def _show(self) -> None:
        text = Text("By ", style="dim")
        for index, channel in enumerate(CHANNELS):
            if index:
                text.append("  ")
            label = CHANNEL_LABELS[channel]
            text.append(f" {label} ", style="reverse bold" if channel == self.channel else "")
        self.update(text)


class ContactDialog(Dialog[ContactResult]):
    """Returns ContactResult(outcome, note, channel) or None."""

    AREA = "contact"
    BINDINGS = default_bindings("ContactDialog")  # shopkeeper/keys.toml

    def __init__(self, name: str, customer_id: int | None = None, channel: str = "") -> None:
        super().__init__()
        self.customer_name = name
        self.customer_id = customer_id
        self.default_channel = channel

    def compose(self) -> ComposeResult:
        channel = self.default_channel
        if not channel and self.customer_id is not None:
            channel = shop_of(self.app).preferred_channel(self.customer_id)
        with Vertical(classes="dialog"):
            yield Plain(f"Contact with {self.customer_name}", classes="dialog-title")
            yield OptionList(*[Option(f"{i}  {label}", id=key) for i, (key, label) in enumerate(OUTCOME_LABELS, 1)], id="outcome")
            yield Input(placeholder="Note (optional): what was said", id="note", max_length=2000, compact=True,
                        select_on_focus=False)
            yield ChannelChoice(channel, id="channel")
            yield Plain("1–6 outcome · ←→ channel · type a note · enter saves · escape cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0
        self.query_one(OptionList).focus()

    @property
    def note(self) -> Input:
        return self.query_one("#note", Input)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # in the note, ←/→ move the cursor (the Input's own keys come first anyway); ↑/↓ still pick
        if action == "channel" and self.focused is self.note:
            return False
        return True

    def action_outcome(self, step: int) -> None:
        options = self.query_one(OptionList)
        options.highlighted = ((options.highlighted or 0) + step) % len(OUTCOME_LABELS)

    def action_channel(self, step: int) -> None:
        self.query_one(ChannelChoice).step(step)

    def on_key(self, event: events.Key) -> None:
        """Outside the note: a digit picks the outcome, p/s/e/v pick the channel on the channel
        row, and any other character starts (or goes on with) the note, never lost."""
        if self.focused is self.note or not event.is_printable or event.character is None:
            return
        char = event.character
        event.stop()
        event.prevent_default()
        if char.isdigit() and 1 <= int(char) <= len(OUTCOME_LABELS):
            self.query_one(OptionList).highlighted = int(char) - 1
            return
        if self.focused is self.query_one(ChannelChoice) and char.lower() in CHANNEL_KEYS:
            self.query_one(ChannelChoice).choose(CHANNEL_KEYS[char.lower()])
            return
        self.note.focus()
        self.note.insert_text_at_cursor(char)

    def on_paste(self, event: events.Paste) -> None:
        """Pasted text goes into the note wherever the focus is."""
        if self.focused is not self.note and event.text:
            event.stop()
            self.note.focus()
            self.note.insert_text_at_cursor(event.text.splitlines()[0])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_save()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        outcome = OUTCOME_LABELS[self.query_one(OptionList).highlighted or 0][0]
        self.dismiss(ContactResult(outcome, self.note.value.strip(), self.query_one(ChannelChoice).channel))
