"""The Insights charts, where the owner would rather look than read: takings and the share of
customers who came back, month by month; second-sale conversion by month of first purchase; and
the forecast against what happened. Drawn by textual-plotext (imported only with this screen)."""
from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual_plotext import PlotextPlot

from ..domain.insights import WINDOWS
from .plain import Plain

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month(key: str) -> str:
    """"2026-03" -> "Mar" (fixed names: the charts do not follow the machine's locale)."""
    return MONTHS[int(key[5:7]) - 1]


def _ticks(top: float, count: int = 4) -> tuple[list[float], list[str]]:
    """Round y-axis steps from 0 to past `top` (1, 2 or 5 times a power of ten), labelled
    without decimals, thousands as "k": "0", "10k", "20k"."""
    step = 1.0
    while top / step > count:
        for factor in (2, 2.5, 2):
            if top / step <= count:
                break
            step *= factor
    values = [step * i for i in range(math.ceil(top / step) + 1)]
    thousands = values[-1] >= 10_000
    return values, [f"{v / 1000:g}k" if thousands and v else f"{v:g}" for v in values]


def _y_axis(plt, values) -> None:
    ticks, labels = _ticks(max([*values, 1]))
    plt.yticks(ticks, labels)
    plt.ylim(min([*values, 0]), ticks[-1])


class InsightsCharts(VerticalScroll):
    """Four charts one under the other, each one screen-height or less at 80x24; scrolls."""

    DEFAULT_CSS = """
    InsightsCharts PlotextPlot { height: 14; }
    InsightsCharts #chart-holdout-note { height: auto; margin-bottom: 1; }
    """

    def compose(self) -> ComposeResult:
        yield PlotextPlot(id="chart-revenue")
        yield PlotextPlot(id="chart-repeat")
        yield PlotextPlot(id="chart-conversion")
        yield PlotextPlot(id="chart-holdout")
        yield Plain(id="chart-holdout-note")

    def show(self, insights, currency: str) -> None:
        """Draw every chart from the computed Insights; the holdout ones only when there is one."""
        months = [_month(m) for m, _ in insights.revenue_by_month]
        takings = [cents / 100 for _, cents in insights.revenue_by_month]
        self._draw("#chart-revenue", f"Takings by month ({currency})",
                   lambda plt: (plt.bar(months, takings, marker="hd"), _y_axis(plt, takings)))
        repeat = [f.percent(2) + f.percent(3) for f in insights.levels_by_month]
        self._draw("#chart-repeat", "Customers who came back, % of buying customers (month end)",
                   lambda plt: (plt.bar([_month(f.day.isoformat()) for f in insights.levels_by_month], repeat,
                                        marker="hd"), _y_axis(plt, [100])))
        self._conversion(insights)
        self._holdout(insights)

    def _draw(self, selector: str, title: str, draw) -> None:
        plot = self.query_one(selector, PlotextPlot)
        plt = plot.plt
        plt.clear_figure()
        plt.title(title)
        draw(plt)
        plot.refresh()

    def _conversion(self, insights) -> None:
        """Second purchase within 30/60/90 days by month of first purchase; a window not yet
        passed for a month's first buyers is left out (not drawn as 0%)."""
        cohorts = [c for c in insights.cohorts if c.customers]

        def draw(plt) -> None:
            labels = [_month(c.month + "-01") for c in cohorts]
            for window, color in zip(WINDOWS, ("cyan", "blue", "magenta")):
                points = [(i + 1, c.rate(window)) for i, c in enumerate(cohorts) if c.rate(window) is not None]
                if points:
                    plt.plot([p for p, _ in points], [r for _, r in points], label=f"within {window} d",
                             color=color, marker="dot")
            plt.xticks(list(range(1, len(labels) + 1)), labels)
            _y_axis(plt, [100])

        self._draw("#chart-conversion", "Second purchase, % of first buyers, by month of first purchase", draw)

    def _holdout(self, insights) -> None:
        holdout = insights.holdout
        plot = self.query_one("#chart-holdout", PlotextPlot)
        note = self.query_one("#chart-holdout-note", Plain)
        plot.display = note.display = holdout is not None
        if holdout is None:
            return
        weeks = [w["week"] for w in holdout["by_week"]]

        expected_line = [w["expected_cumulative"] for w in holdout["by_week"]]
        actual_line = [w["actual_cumulative"] for w in holdout["by_week"]]

        def draw(plt) -> None:  # two markers, so the lines differ without colour too
            plt.plot(weeks, expected_line, label="expected", color="cyan", marker="dot")
            plt.plot(weeks, actual_line, label="actual", color="magenta", marker="x")
            step = 1 if len(weeks) <= 13 else 4
            plt.xticks(*[[w for w in weeks if w == 1 or w % step == 0]] * 2)
            _y_axis(plt, expected_line + actual_line)
            plt.xlabel(f"weeks after {insights.day.isoformat()}")

        self._draw("#chart-holdout", "Repeat purchases, cumulative: forecast against what happened", draw)
        expected, actual = holdout["expected"], holdout["actual"]
        gap = f" ({100 * (actual - expected) / expected:+.0f}%)" if expected else ""
        note.update(f"Over the {holdout['weeks']} weeks after {insights.day.isoformat()}, the customers known "
                    f"then were expected to come back {expected:,.0f} times; they came back {actual:,}{gap}.")
