"""The main screens as scenes: the keys that bring each one up on the demo shop.

Shared by the snapshot tests and by scripts/screenshots.py, so the pictures in screenshots/
and the snapshots always show the same thing.
"""
from __future__ import annotations

from textual.widgets import Input
from textual.worker import WorkerCancelled


async def _workers_done(app) -> None:
    """Wait for the app's workers; a load cancelled because its screen went away (switching to the
    demo replaces every screen) is done too."""
    try:
        await app.workers.wait_for_complete()
    except WorkerCancelled:
        await app.workers.wait_for_complete([w for w in app.workers if not w.is_cancelled])


async def _settle(pilot) -> None:
    app = pilot.app
    await _workers_done(app)
    await pilot.pause()
    await _workers_done(app)
    await pilot.pause()
    for field in app.screen.query(Input):
        field.cursor_blink = False


async def _keys(pilot, *keys: str) -> None:
    await _settle(pilot)
    for key in keys:
        await pilot.press(key)
        await _settle(pilot)


async def checklist(pilot):
    await _keys(pilot, "down", "down")


async def lookup(pilot):
    await _keys(pilot, "slash", *"zo")


async def card(pilot):
    await _keys(pilot, "slash", *"louis roux", "enter")


async def sale(pilot):
    await _keys(pilot, "s", *"Anne Nouvelle")


async def promises(pilot):
    await _keys(pilot, "p")


async def customers(pilot):
    await _keys(pilot, "u", "3")


async def settings(pilot):
    await _keys(pilot, "comma")


async def insights(pilot):
    await _keys(pilot, "i")


async def charts(pilot):
    """Insights as of five weeks before the demo's day (SCENE_DAYS_BEFORE): the charts tab,
    scrolled to the end, where the forecast is set against what happened since."""
    from textual.widgets import TabbedContent

    await _keys(pilot, "i")
    pilot.app.screen.query_one(TabbedContent).active = "charts"
    await _settle(pilot)
    pilot.app.screen.query_one("#insights-charts").scroll_end(animate=False)
    await _settle(pilot)


async def profit(pilot):
    """Insights' Profit tab: the demo shop has a 45% margin, so profit, revenue by level and the
    share from repeat customers show."""
    from textual.widgets import TabbedContent

    await _keys(pilot, "i")
    pilot.app.screen.query_one(TabbedContent).active = "profit"
    await _settle(pilot)


async def enquiries(pilot):
    await _keys(pilot, "e")


async def referral_asks(pilot):
    """The call list of happy regulars who never referred anyone, each with its reason."""
    await _keys(pilot, "i", "l", "down", "down", "down", "down", "enter")


async def help(pilot):
    await _keys(pilot, "f1")


async def demo(pilot):
    """The practice shop as the welcome's `d` or `shopkeeper demo` open it: the band on top.
    The app is made with demo=True for this scene (DEMO_SCENES), as `shopkeeper demo` makes it."""
    await _keys(pilot, "down")


DEMO_SCENES = {"demo"}  # scenes whose app is opened as the demo
SCENE_DAYS_BEFORE = {"charts": 35}  # scenes whose "today" is this many days before the demo's day


SCENES = {
    "checklist": checklist,
    "lookup": lookup,
    "card": card,
    "sale": sale,
    "promises": promises,
    "customers": customers,
    "settings": settings,
    "insights": insights,
    "charts": charts,
    "profit": profit,
    "enquiries": enquiries,
    "referral_asks": referral_asks,
    "help": help,
    "demo": demo,
}
