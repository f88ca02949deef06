"""What ctrl+z can take back: the session's one-key actions, newest last. Plain data, no Textual:
the screens record an entry after each action; the app pops one and asks the shop to reverse it."""
from __future__ import annotations

from dataclasses import dataclass

UNDO_HINT = "ctrl+z to undo"
LIMIT = 200  # a whole day's actions; older ones drop off the bottom


@dataclass(frozen=True)
class Step:
    """One stored thing to take back: a contact, a closed promise, a follow-up (snooze or close),
    or a sale (with the customer created along with it, when there was one)."""

    kind: str  # contact / promise / follow_up / sale / enquiry (answered)
    id: int
    new_customer: bool = False


@dataclass(frozen=True)
class Undoable:
    done: str  # what the notice said, e.g. "Kept: Marie Dupont's promise 'call back'"
    undone: str  # what undoing it says, e.g. "Marie Dupont's promise 'call back' is open again"
    steps: tuple[Step, ...]
    row: str = ""  # the checklist row it came from ("promise:12"), highlighted again after undo

    @property
    def notice(self) -> str:
        return f"{self.done} — {UNDO_HINT}"


class UndoStack:
    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._entries: list[Undoable] = []

    def push(self, entry: Undoable) -> Undoable:
        self._entries.append(entry)
        del self._entries[: -self.limit]
        return entry

    def pop(self) -> Undoable | None:
        return self._entries.pop() if self._entries else None

    def __len__(self) -> int:
        return len(self._entries)


# the entries each action records, with the words its notice uses --------------------------------
def contact_logged(name: str, outcome: str, contact_id: int, follow_up_id: int | None = None, row: str = "") -> Undoable:
    steps = (Step("contact", contact_id),) + ((Step("follow_up", follow_up_id),) if follow_up_id else ())
    return Undoable(f"Logged: {outcome} — {name}", f"the contact with {name} ({outcome}) is taken back", steps, row)


PROMISE_DONE = {"kept": "Kept", "missed": "Missed", "cancelled": "Cancelled"}


def promise_closed(name: str, text: str, status: str, promise_id: int) -> Undoable:
    whose = f"{name}'s promise '{text}'"
    return Undoable(f"{PROMISE_DONE.get(status, status)}: {whose}", f"{whose} is open again",
                    (Step("promise", promise_id),), f"promise:{promise_id}")


ROW_WORDS = {"second_sale": "second-sale call", "thank_referrer": "thank-you call", "birthday": "birthday",
             "family_date": "family date", "promise": "promise", "feedback": "feedback to answer",
             "keep_in_touch": "keep-in-touch call", "big_order": "big-order thanks"}


def enquiry_answered(name: str, what: str, enquiry_id: int) -> Undoable:
    whose = f"{name}'s enquiry '{what}'"
    return Undoable(f"Answered: {whose}", f"{whose} is waiting again", (Step("enquiry", enquiry_id),),
                    f"enquiry:{enquiry_id}")


def row_snoozed(name: str, kind: str, until: str, follow_up_id: int, row: str = "") -> Undoable:
    what = f"{name}'s {ROW_WORDS.get(kind, kind)}"
    return Undoable(f"Snoozed until {until}: {what}", f"{what} is back on the list",
                    (Step("follow_up", follow_up_id),), row)


def row_closed(name: str, kind: str, follow_up_id: int, row: str = "") -> Undoable:
    what = f"{name}'s {ROW_WORDS.get(kind, kind)}"
    return Undoable(f"Closed: {what}", f"{what} is back on the list", (Step("follow_up", follow_up_id),), row)


def sale_logged(amount: str, who: str, sale_id: int, new_customer: bool = False) -> Undoable:
    kind, amount = ("Refund", amount[1:]) if amount.startswith("-") else ("Sale", amount)
    done = f"{kind} of {amount} logged" + (f" for {who}" if who else "")
    undone = f"the {kind.lower()} of {amount}" + (f" for {who}" if who else "") + " is taken back"
    return Undoable(done, undone, (Step("sale", sale_id, new_customer),))
