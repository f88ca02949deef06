"""Work off the UI thread, and faults that never crash the app or lose a keypress's work.

`save()` is the one way a screen or dialog writes: the write runs in a thread worker; while another
program holds the shop file's write lock, the screen says so and the write is tried again; it then
lands (and the caller's `done` runs) or is abandoned with a message. Bad input comes back to the
form. `loader()` is the one way a screen reads in a worker. Any other error is shown once as a
notice and written with its traceback to the log file (logfile.py); the app stays open.
"""
from __future__ import annotations

import functools
import time
from typing import TYPE_CHECKING, Any, Callable, Hashable, TypeVar

from textual import work
from textual.screen import Screen
from textual.worker import get_current_worker

from .domain.errors import InputError
from .logfile import logger
from .services import StoreBusy
from .ui_support import shop_of

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

T = TypeVar("T")

WAIT_MS = 1_000  # one attempt waits this long for the write lock (never on the UI thread)
RETRY_PAUSE_S = 0.1  # between attempts, so a lock SQLite refuses at once is not a busy loop
GIVE_UP_S = 60.0  # then the action is abandoned with a message; the form keeps what was typed
REPEAT_S = 10.0  # the same failure again within this time is logged but not shown again
BUSY_NOTICE = "The shop file is busy — an import? Retrying…"
BUSY_SUBTITLE = "the shop file is busy — an import? retrying…"


def describe(exc: BaseException) -> str:
    """One short line for a notice: the message, else the kind of error."""
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text and not isinstance(exc, InputError) else text or type(exc).__name__


def report_failure(app: "App", exc: BaseException, what: str, show: bool = True) -> None:
    """Log a failure with its traceback and show it once as a notice (not again when the same
    failure repeats at each keystroke of a lookup). UI thread only."""
    logger().error("could not %s", what, exc_info=(type(exc), exc, exc.__traceback__))
    where = getattr(app, "log_file", None)
    details = f" — details in {where}" if where else ""
    message = f"Could not {what}: {describe(exc)}{details}"
    last = getattr(app, "_last_failure", None)
    now = time.monotonic()
    if show and not (last and last[0] == message and now - last[1] < REPEAT_S):
        app._last_failure = (message, now)  # type: ignore[attr-defined]
        app.notify(message, severity="error", timeout=15)


def _report_from_thread(app: "App", exc: BaseException, what: str, show: bool = True) -> None:
    try:
        app.call_from_thread(report_failure, app, exc, what, show)
    except RuntimeError:  # the app is closing: the log still gets it
        logger().error("could not %s", what, exc_info=(type(exc), exc, exc.__traceback__))


def loader(group: str, what: str) -> Callable:
    """Decorate a screen's loading method: it runs in a thread worker (the newest load of a group
    wins), and a failure is shown once and logged instead of leaving a blank screen or exiting."""

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except Exception as exc:
                # a load replaced by a newer one (exclusive group) is logged, not shown
                _report_from_thread(self.app, exc, what, show=not get_current_worker().is_cancelled)
                raise  # the worker ends in ERROR state; exit_on_error=False keeps the app open

        return work(thread=True, exclusive=True, group=group, exit_on_error=False)(guarded)

    return decorate


def _alive(node: "DOMNode") -> bool:
    if isinstance(node, Screen):
        return node in node.app.screen_stack
    return node.is_attached


class _Busy:
    """The app's header says the file is busy while any write is waiting for it."""

    def __init__(self, app: "App") -> None:
        self.app = app
        self.waiting = 0
        self.sub_title = ""

    def start(self) -> None:
        if self.waiting == 0:
            self.sub_title = self.app.sub_title
            self.app.sub_title = BUSY_SUBTITLE
        self.waiting += 1
        self.app.notify(BUSY_NOTICE, severity="warning")

    def stop(self) -> None:
        self.waiting -= 1
        if self.waiting == 0 and self.app.sub_title == BUSY_SUBTITLE:
            self.app.sub_title = self.sub_title


def _state(app: "App") -> tuple[set, _Busy]:
    state = getattr(app, "_write_state", None)
    if state is None:
        state = (set(), _Busy(app))
        app._write_state = state  # type: ignore[attr-defined]
    return state


def save(
    node: "DOMNode",
    write: Callable[[], T],
    done: Callable[[T], Any] | None = None,
    *,
    what: str = "the change",
    invalid: Callable[[InputError], Any] | None = None,
    key: Hashable | None = None,
) -> bool:
    """Run `write` (a Shop call) off the UI thread; then `done(result)` on the UI thread if `node`
    is still shown. Bad input goes to `invalid` (default: a notice). While the file is busy the
    screen says so and the write is retried for up to GIVE_UP_S, then abandoned with a message.
    One write per `key` (default: the node) at a time: a second press while it waits is refused,
    so nothing is saved twice. Returns False when refused for that reason."""
    app = node.app
    pending, busy = _state(app)
    key = ("node", id(node)) if key is None else key
    if key in pending:
        app.notify(f"Still saving {what}…", severity="warning")
        return False
    pending.add(key)
    shop = shop_of(app)

    def attempt() -> tuple[str, Any]:
        started = time.monotonic()
        waited = False
        try:
            while True:
                try:
                    with shop.waiting_at_most(WAIT_MS):
                        return "done", write()
                except InputError as exc:
                    return "invalid", exc
                except StoreBusy:
                    if not waited:
                        waited = True
                        app.call_from_thread(busy.start)
                    if time.monotonic() - started >= GIVE_UP_S:
                        return "busy", None
                    time.sleep(RETRY_PAUSE_S)
        finally:
            if waited:
                app.call_from_thread(busy.stop)

    def finish(outcome: str, value: Any) -> None:
        pending.discard(key)
        if outcome == "busy":
            app.notify(f"The shop file stayed busy: {what} was not saved. Try again when the import is done.",
                       severity="error", timeout=15)
        elif outcome == "invalid":
            if invalid is not None and _alive(node):
                invalid(value)
            else:
                app.notify(value.message, severity="error")
        elif done is not None and _alive(node):
            done(value)
        else:
            app.notify(f"Saved {what}.")

    def run() -> None:
        try:
            outcome, value = attempt()
            app.call_from_thread(finish, outcome, value)
        except Exception as exc:
            try:
                app.call_from_thread(pending.discard, key)
            except RuntimeError:
                pass
            _report_from_thread(app, exc, f"save {what}")
            raise

    app.run_worker(run, name=f"save {what}", group="write", thread=True, exit_on_error=False)
    return True
