"""Insights: the shop's shape, conversion, promises, charts, top 20%, lifetime value, and call lists.

The figures are computed in a worker (numpy/scipy load there) behind a loading indicator, so
the screen never freezes; the lists open customers like everywhere else."""
from __future__ import annotations

from decimal import Decimal

from rich.console import Group
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, LoadingIndicator, OptionList, Static, TabbedContent, TabPane
from ..keymap import default_bindings
from ..widgets.footer import ShopFooter
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from .. import insights_report as report
from ..insights import Insights, compute_insights
from ..ui_support import money, phone, shop_of, today_of
from ..ui_work import WAIT_MS, loader
from ..widgets.insights_charts import InsightsCharts
from ..widgets.plain import Plain
from ..widgets.rows import columns, row_width

PERSON_WIDTHS = [20, 15, 12, 0]  # name, phone, expected buys (or chance still active), spend
TOP_WIDTHS = [24, 17, 0]  # name, phone, spend
TOP_ON_SCREEN = 200  # the rest of a large top 20% is one key away, sorted by spend on the customers screen


def _cents(amount: str) -> int:
    """The JSON's decimal text ("1234.50") back to cents, to show it as every screen shows money."""
    return int(Decimal(amount) * 100)


class InsightsScreen(Screen):
    AREA = "insights"
    BINDINGS = default_bindings("InsightsScreen")  # shopkeeper/keys.toml

    def __init__(self) -> None:
        super().__init__()
        self.result: Insights | None = None
        self._lists: dict[str, tuple] = {}  # list selector -> (rows, column widths, text when empty)
        self._widths: dict[str, int] = {}  # the width each list was laid out for

    def compose(self) -> ComposeResult:
        yield Header()
        yield LoadingIndicator(id="insights-loading")
        with TabbedContent(id="insights-tabs", initial="overview"):
            with TabPane("Overview", id="overview"):
                with VerticalScroll():
                    yield Plain(id="insights-overview")
            with TabPane("Charts", id="charts"):
                yield InsightsCharts(id="insights-charts")
            with TabPane("Top 20%", id="top"):
                yield Plain(id="top-note")
                yield OptionList(id="list-top")
            with TabPane("Return soon", id="likely"):
                yield OptionList(id="list-likely")
            with TabPane("At risk", id="risk"):
                yield OptionList(id="list-risk")
            with TabPane("Profit", id="profit"):
                with VerticalScroll():
                    yield Plain(id="insights-profit")
            with TabPane("Advocates", id="advocates"):
                with VerticalScroll():
                    yield Plain(id="insights-advocates")
            with TabPane("Details", id="details"):
                with VerticalScroll():
                    yield Plain(id="insights-details")
        yield ShopFooter()

    def on_mount(self) -> None:
        self.query_one(TabbedContent).display = False
        self.compute()

    def action_refresh(self) -> None:
        self.query_one(LoadingIndicator).display = True
        self.compute()

    @loader("insights", "compute the insights")
    def compute(self) -> Insights:
        shop = shop_of(self.app)
        with shop.waiting_at_most(WAIT_MS):  # keeping the fitted models never waits long on a busy file
            return compute_insights(shop, today_of(self.app))

    @on(Worker.StateChanged)
    def _computed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "insights":
            return
        if event.state == WorkerState.SUCCESS:
            self.show(event.worker.result)
        elif event.state == WorkerState.ERROR:  # the loader has shown and logged it
            self.query_one(LoadingIndicator).display = False

    def show(self, result: Insights) -> None:
        self.result = result
        currency = shop_of(self.app).settings.currency
        self.query_one(LoadingIndicator).display = False
        self.query_one(TabbedContent).display = True
        overview = [report.summary(result), report.level_bars(result), report.conversion(result), report.promises(result),
                    report.enquiries(result), report.pareto(result, currency), report.shape_history(result)]
        if result.staff:  # issue 12: only in a shop with a staff list
            overview.insert(4, report.staff(result))
        self.query_one("#insights-overview", Static).update(Group(*[Group(part, Text("")) for part in overview]))
        self.query_one("#insights-details", Static).update(report.models(result))  # parameters: here only
        self.query_one(InsightsCharts).show(result, currency)
        profit = [report.profit(result, currency), report.revenue_by_level(result, currency),
                  report.repeat_share(result, currency), report.top_profit(result, currency)]
        self.query_one("#insights-profit", Static).update(Group(*[Group(part, Text("")) for part in profit]))
        self.query_one("#insights-advocates", Static).update(
            Group(report.advocates(result, currency), Text(""), report.feedback(result), Text(""),
                  report.households(result, currency)))
        top = result.pareto.top
        more = len(top) - TOP_ON_SCREEN
        self._lists = {
            "#list-top": ([(i, [n, phone(self.app, result.pareto.phones.get(i, "")), money(self.app, s)]) for i, n, s in top[:TOP_ON_SCREEN]],
                          TOP_WIDTHS, "nobody has bought yet"),
            "#list-likely": ([self._person(r, "buys") for r in result.likely_to_return], PERSON_WIDTHS,
                             result.models_reason or "nobody expected yet"),
            "#list-risk": ([self._person(r, "active") for r in result.at_risk], PERSON_WIDTHS,
                           result.models_reason or "nobody at risk"),
        }
        note = self.query_one("#top-note", Plain)
        note.update(f"The biggest {TOP_ON_SCREEN} of the {len(top):,} customers in the top 20%; all of them, "
                    "by spend: the customers screen (u, then 3)" if more > 0 else "")
        note.display = more > 0
        for selector in self._lists:
            self._fill(selector)

    def _person(self, row: dict, figure: str) -> tuple[int, list[str]]:
        """One row of "return soon" (expected buys in 90 days) or "at risk" (chance still active)."""
        shown = (f"{row['expected_purchases_90d']:.1f} in 90 d" if figure == "buys"
                 else f"{int(100 * row['prob_active'])}% active")  # floor: "at risk" is below 50%
        return row["customer_id"], [row["name"], phone(self.app, row["phone"]), shown, money(self.app, _cents(row["spend"]))]

    def _fill(self, selector: str) -> None:
        """(Re)lay out one list to its current width, keeping the highlighted row."""
        rows, widths, empty = self._lists[selector]
        options = self.query_one(selector, OptionList)
        highlighted = options.highlighted or 0
        width = row_width(options)
        self._widths[selector] = options.size.width
        options.clear_options()
        if not rows:
            options.add_option(Option(Text(empty, style="dim"), disabled=True))
            return
        options.add_options(Option(columns(cells, widths, width), id=str(cid)) for cid, cells in rows)
        options.highlighted = min(highlighted, len(rows) - 1)

    @on(TabbedContent.TabActivated)
    @on(events.Resize)
    def _relayout(self) -> None:
        """A list in a hidden tab has no width yet: lay it out again once it is shown or resized."""
        def again() -> None:
            for selector in self._lists:
                options = self.query_one(selector, OptionList)
                if options.size.width and options.size.width != self._widths.get(selector):
                    self._fill(selector)

        self.call_after_refresh(again)

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.open_customer(int(event.option.id))

    def action_call_list(self) -> None:
        from ..dialogs.call_list import CallListDialog
        from .call_list import CallListScreen

        def chosen(choice) -> None:
            if choice:
                self.app.push_screen(CallListScreen(*choice))

        self.app.push_screen(CallListDialog(), chosen)
