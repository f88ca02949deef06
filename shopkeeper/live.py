"""Live across tills: a sale or contact logged at another till shows here within a second or so,
the cursor left where it is.

Twice a second the app asks the shop, off the UI thread, whether another connection has committed
(store/changes.py: SQLite's data_version, PostgreSQL's LISTEN/NOTIFY). Only then does the screen in
front reload (its `live_reload`, through its own loader), keeping the highlighted row on its line.
A screen under a dialog or another screen is left alone, so a form being typed is never disturbed:
it reloads when it comes back to the front (each list and the card reload on_screen_resume).
"""
from __future__ import annotations

from .ui_support import shop_of
from .ui_work import loader

LIVE_EVERY_S = 0.5  # how often the app asks; a change shows within this plus one load


class LiveTills:
    """For the App: start_live_updates() on mount; live_tick() asks once (tests call it directly)."""

    _live_pending = False  # a change not shown yet: the screen in front was busy loading

    def start_live_updates(self) -> None:
        self.set_interval(LIVE_EVERY_S, self.live_tick, name="live updates")
        self.live_tick()  # the first answer is the starting point: changes from now on count

    def live_tick(self) -> None:
        """Show a change seen earlier, then ask once whether another till changed the shop; not
        while the last ask is still out (a slow or locked database never piles up threads)."""
        self._reload_front()
        if any(worker.group == "live" and not worker.is_finished for worker in self.workers):
            return
        self._ask_other_tills(shop_of(self))

    @loader("live", "check for changes made at other tills")
    def _ask_other_tills(self, shop) -> None:
        if shop.changed_elsewhere():
            try:
                self.call_from_thread(self._answered, shop)
            except RuntimeError:  # the app is closing
                pass

    def _answered(self, shop) -> None:
        if shop is shop_of(self):  # not a shop that was left meanwhile
            self._live_pending = True
            self._reload_front()

    def _reload_front(self) -> None:
        """Reload the screen in front if it shows the shop's rows and is not loading already (a
        load under way may have read before the change: it is tried again on the next tick)."""
        if not self._live_pending:
            return
        screen = self.screen
        reload = getattr(screen, "live_reload", None)
        if reload is not None and any(worker.node is screen and not worker.is_finished for worker in self.workers):
            return
        self._live_pending = False  # a dialog or another screen in front: the one under reloads on resume
        if reload is not None:
            reload()
