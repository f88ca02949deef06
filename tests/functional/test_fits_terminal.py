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


async def test_card_keeps_every_n_days_on_its_line(shop):
    """A repeat buyer's card: "· every N days" stays whole on the spend line at 80 columns."""
    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, ("u", "3", "down", "enter"))  # a big repeat buyer
        lines = screen_lines(app)
        spent = next(line for line in lines if line.strip().startswith("Spent "))
        assert re.search(r"· every \d+ days\s*$", spent), spent


REAL_EMAIL = "jean-baptiste.lefebvre-martin@wanadoo.fr"  # 40 characters, as real ones go


@pytest.mark.parametrize("keys", [("slash", *"lefebvre-martin"), ("u", "3")], ids=["lookup", "customers"])
async def test_emails_whole_at_120_columns(shop, keys):
    shop.log_sale(SaleInput(2_500_000, DEMO_DAY, new_customer=NewCustomer("Jean-Baptiste Lefebvre-Martin", [], REAL_EMAIL)))
    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(app, pilot, keys)
        row = next(line for line in screen_lines(app) if "Jean-Baptiste" in line)
        assert REAL_EMAIL in row, row


async def test_call_list_emails_whole_at_120_columns(shop):
    from shopkeeper.screens.call_list import CallListScreen

    app = make_app(shop, today=DEMO_DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(app, pilot, _call_list)
        assert isinstance(app.screen, CallListScreen)
        screen = app.screen
        emails = {r.email for r in screen.rows.values() if r.email and not r.phone}
        assert emails  # the lapsed list has customers reached by email only
        shown = [token for line in screen_lines(app) for token in line.split() if "@" in token or "…" in token]
        assert shown and all(token in emails for token in shown if "@" in token), shown
        assert not [t for t in shown if "…" in t and any(e.startswith(t.rstrip("…")) for e in emails)], shown
