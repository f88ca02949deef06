"""Rows of every list stay on one line at the smallest supported terminal (80×24): a row longer
than its list wraps its last column onto a second line, which reads as another customer."""
from __future__ import annotations

import pytest
from textual.widgets import OptionList

from shopkeeper.app import make_app

from .conftest import DEMO_DAY, settle, type_text


def assert_rows_fit(options: OptionList) -> None:
    room = options.scrollable_content_region.width
    too_long = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
                if options.get_option_at_index(i).prompt.cell_len > room]
    assert options.option_count and not too_long, (room, too_long[:2])


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_lookup_results_fit_their_list(demo_shop, size):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "ag")
        await settle(app, pilot)
        results = app.screen.query_one(OptionList)
        assert_rows_fit(results)
        first = str(results.get_option_at_index(0).prompt)
        assert first.rstrip().endswith("EUR")  # the spend is whole, not cut or wrapped


@pytest.mark.parametrize("key", ["u", "p"])
async def test_customer_and_promise_lists_fit_at_80_columns(demo_shop, key):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(key)
        await settle(app, pilot)
        assert_rows_fit(app.screen.query_one(OptionList))
