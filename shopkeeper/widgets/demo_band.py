"""The band every screen shows while the practice shop is open, so no day's work goes into it
by mistake; it names the key that leaves it for the owner's own shop."""
from __future__ import annotations

from textual.screen import ModalScreen, Screen
from textual.widgets import Static

BAND_TEXT = "DEMO — practice data, not your shop"


class DemoBand(Static):
    DEFAULT_CSS = """
    DemoBand { height: 1; width: 1fr; background: $warning; color: $background; text-style: bold;
               content-align: center middle; }
    """

    def on_mount(self) -> None:
        from ..keymap import key_for

        self.update(f"{BAND_TEXT} · {key_for(self, 'app.own_shop', 'f2')} Start my own shop")


def add_band(app, screen: Screen) -> None:
    """Give a main screen the band, once, while the demo is open (dialogs float over one)."""
    if not getattr(app, "demo", False) or isinstance(screen, ModalScreen) or not screen.is_attached:
        return
    if screen.query(DemoBand):
        return
    screen.mount(DemoBand(id="demo-band"), before=0 if screen.children else None)
