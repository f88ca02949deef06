"""The Insights screen computes in a worker, shows the figures, opens customers, builds call lists;
the card then shows the expected next visit from the fitted models."""
from __future__ import annotations

import io
import sqlite3
from collections import defaultdict
from contextlib import closing
from datetime import date, timedelta

from rich.console import Console
from textual.widgets import OptionList, Static, TabbedContent

from shopkeeper.app import make_app

from .conftest import DEMO_DAY, settle
from support.db_rows import connect


def rendered(widget: Static) -> str:
    console = Console(width=120, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


async def test_insights_screen_shows_figures_and_lists(demo_shop):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        overview = rendered(app.screen.query_one("#insights-overview", Static))
        assert "Shape:" in overview and "Second purchase, by month of first purchase" in overview
        # plain sentences first, the shape with what it means, model parameters only in the details
        assert overview.startswith("In short\n• ") and "came back within 90 days" in overview
        assert "Shape: hexagon — most customers come back" in overview
        assert "BG/NBD" not in overview and "α=" not in overview and "Gamma-Gamma" not in overview
        details = rendered(app.screen.query_one("#insights-details", Static))
        assert "fitted on 320 customers" in details and "BG/NBD r=" in details
        app.screen.query_one(TabbedContent).active = "likely"
        await settle(app, pilot)
        likely = app.screen.query_one("#list-likely", OptionList)
        assert likely.option_count == 20
        likely.focus()
        likely.highlighted = 0
        first_id = int(likely.get_option_at_index(0).id)
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "CustomerScreen" and app.screen.customer_id == first_id
        head = str(app.screen.query_one("#card-head", Static).content)
        assert "purchase(s) in the next 90 days" in head and "likely still active" in head


def lapsed_one_timers_from_raw_rows(shop, day) -> set[int]:
    """What "lapsed one-timers" means, from the sale rows themselves (not the list under test):
    one purchase day so far, and that day before the second-sale window gave up; as a marketing
    list, only customers who agreed to marketing and whose latest consent event by `day` is not
    a do-not-contact."""
    give_up = shop.settings.second_sale_give_up_days
    days: dict[int, set[date]] = defaultdict(set)
    with connect(shop) as conn:
        erased = {cid for (cid,) in conn.execute("SELECT id FROM customer WHERE erased_on IS NOT NULL")}
        consented = {cid for (cid,) in conn.execute("SELECT id FROM customer WHERE marketing_consent")}
        latest: dict[int, str] = {}
        for cid, outcome in conn.execute(
                "SELECT customer_id, outcome FROM contact WHERE outcome IN ('do_not_contact', 'contact_allowed') "
                "AND contacted_on <= ? ORDER BY contacted_on, id", (day.isoformat(),)):
            latest[cid] = outcome
        for cid, sold_on in conn.execute("SELECT customer_id, sold_on FROM sale WHERE amount_cents > 0 AND customer_id IS NOT NULL"):
            days[cid].add(date.fromisoformat(sold_on))
    return {cid for cid, bought in days.items() if cid not in erased and cid in consented
            and latest.get(cid) != "do_not_contact"
            and min(bought) < day - timedelta(days=give_up) and not [d for d in bought if min(bought) < d <= day]}


async def test_call_list_of_lapsed_one_timers(demo_shop):
    expected = lapsed_one_timers_from_raw_rows(demo_shop, DEMO_DAY)
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        await pilot.press("down", "enter")  # "Lapsed one-timers" builds at once
        await settle(app, pilot)
        options = app.screen.query_one("#call-list", OptionList)
        shown = {int(options.get_option_at_index(i).id) for i in range(options.option_count)}
        assert shown == expected and len(shown) > 10
        assert options.highlighted == 0  # the first row is ready for a key, no ↓ needed
        room = options.scrollable_content_region.width
        assert all(options.get_option_at_index(i).prompt.cell_len <= room for i in range(options.option_count))
        first = int(options.get_option_at_index(0).id)
        await pilot.press("c", "1", "enter")
        await settle(app, pilot)
        assert options.option_count == len(expected) - 1
        summary = str(app.screen.query_one("#summary", Static).content)
        assert f"· {len(expected) - 1} customer(s) · 1 done ·" in summary  # the count follows the work
    card = demo_shop.card(first, DEMO_DAY)
    assert card.contacts[0].outcome == "reached" and card.contacts[0].purpose == "call_list:lapsed"


async def test_a_long_top_list_shows_its_head_and_says_where_the_rest_is(demo_shop, monkeypatch):
    from shopkeeper.screens import insights as screen

    monkeypatch.setattr(screen, "TOP_ON_SCREEN", 5)
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        app.screen.query_one(TabbedContent).active = "top"
        await settle(app, pilot)
        top = app.screen.result.pareto.top
        listed = app.screen.query_one("#list-top", OptionList)
        assert listed.option_count == 5 and len(top) > 5
        assert [int(listed.get_option_at_index(i).id) for i in range(5)] == [cid for cid, _, _ in top[:5]]
        note = app.screen.query_one("#top-note", Static)
        assert note.display and str(note.content) == (
            f"The biggest 5 of the {len(top)} customers in the top 20%; all of them, by spend: the customers screen (u, then 3)")
        assert note.region.height >= 1 and listed.region.y > note.region.y  # shown, above the list


async def test_lists_in_other_tabs_are_laid_out_to_their_width_when_shown(demo_shop):
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        result = app.screen.result
        for tab, selector in (("top", "#list-top"), ("likely", "#list-likely"), ("risk", "#list-risk")):
            app.screen.query_one(TabbedContent).active = tab
            await settle(app, pilot)
            options = app.screen.query_one(selector, OptionList)
            room = options.scrollable_content_region.width
            lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
            assert all(options.get_option_at_index(i).prompt.cell_len <= room for i in range(options.option_count))
            assert not any(line.rstrip().endswith("…") for line in lines), lines[:3]
        top_line = str(app.screen.query_one("#list-top", OptionList).get_option_at_index(0).prompt)
        assert top_line.rstrip().endswith(f"{result.pareto.top[0][2] / 100:,.2f} EUR")


async def test_the_card_of_a_one_time_buyer_does_not_claim_they_are_surely_active(demo_shop):
    from shopkeeper.insights import compute_insights

    compute_insights(demo_shop, DEMO_DAY)  # fits and keeps the models, as opening Insights does
    one_timer = next(row.id for row in demo_shop.customers_page(DEMO_DAY, limit=400) if row.purchase_days == 1)
    app = make_app(demo_shop, today=DEMO_DAY)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        app.open_customer(one_timer)
        await settle(app, pilot)
        head = str(app.screen.query_one("#card-head", Static).content)
        assert "one visit so far, too early to say if still active" in head and "100% likely" not in head


async def _charts(shop, today):
    """The Insights screen's Charts tab at 80x24, as of `today`: (holdout chart shown, its note)."""
    from textual_plotext import PlotextPlot

    app = make_app(shop, today=today)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        app.screen.query_one(TabbedContent).active = "charts"
        await settle(app, pilot)
        for chart in ("#chart-revenue", "#chart-repeat", "#chart-conversion"):
            plot = app.screen.query_one(chart, PlotextPlot)
            assert plot.display and plot.size.width <= 80 and plot.size.height <= 20, chart  # fits 80x24
        holdout = app.screen.query_one("#chart-holdout", PlotextPlot)
        shown = holdout.display and holdout.size.height > 0
        return shown, str(app.screen.query_one("#chart-holdout-note", Static).content), app.screen.result


async def test_holdout_chart_only_when_sales_came_after_the_day(demo_shop):
    later_day = DEMO_DAY - timedelta(days=35)
    shown, note, result = await _charts(demo_shop, later_day)
    assert result.holdout is not None and result.holdout["weeks"] == 5
    assert shown and f"Over the 5 weeks after {later_day.isoformat()}" in note
    assert f"they came back {result.holdout['actual']:,}" in note
    shown, note, result = await _charts(demo_shop, DEMO_DAY)  # nothing after today: nothing to check against
    assert result.models is not None and result.holdout is None
    assert not shown
