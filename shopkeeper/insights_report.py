"""Insights as text for the terminal or a printer (Rich, no Textual); the screen reuses the pieces."""
from __future__ import annotations

from typing import IO

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from .domain.levels import LEVEL_NAMES
from .domain.money import format_money
from .domain.phones import format_phone
from .insights import Insights

BAR = 30


def level_bars(insights: Insights) -> Text:
    """The shop's shape as horizontal bars, advocates on top (the ideal is an inverted pyramid)."""
    levels = insights.levels
    text = Text(f"Shape: {levels.shape}  ({levels.buyers} buying customers, {levels.counts[0]} prospects)\n", style="bold")
    for level in (3, 2, 1):
        pct = levels.percent(level)
        width = round(BAR * pct / 100)
        text.append(f"  L{level} {LEVEL_NAMES[level]:<10} ")
        text.append("█" * width + "·" * (BAR - width), style="cyan")
        text.append(f" {pct:5.1f}%  {levels.counts[level]}\n")
    return text


def shape_history(insights: Insights) -> Table:
    table = Table(title="Shape, month by month", title_justify="left", box=None)
    for column in ("month end", "L1 %", "L2 %", "L3 %", "shape"):
        table.add_column(column, justify="right" if "%" in column else "left")
    for figure in insights.levels_by_month:
        table.add_row(figure.day.isoformat(), *(f"{figure.percent(l):.1f}" for l in (1, 2, 3)), figure.shape)
    return table


def conversion(insights: Insights) -> Group:
    table = Table(title="Second purchase, by month of first purchase", title_justify="left", box=None)
    for column in ("cohort", "first buyers", "≤30 d", "≤60 d", "≤90 d"):
        table.add_column(column, justify="left" if column == "cohort" else "right")
    for cohort in insights.cohorts:
        rates = [cohort.rate(w) for w in (30, 60, 90)]
        table.add_row(cohort.month, str(cohort.customers), *("—" if r is None else f"{r:.1f}%" for r in rates))
    calls = insights.calls
    median = insights.median_days_to_second
    lines = Text(
        f"Median days to second purchase: {'—' if median is None else f'{median:.0f}'} · "
        f"lapsed one-timers: {insights.lapsed_one_timers}\n"
        f"Calls: {_rate(calls.reached, calls.reached_converted)} bought within 30 days of a reached call, "
        f"against {_rate(calls.never, calls.never_converted)} of first-timers never contacted."
    )
    return Group(table, lines)


def _rate(n: int, k: int) -> str:
    return f"{k}/{n} ({100 * k / n:.0f}%)" if n else "—"


def promises(insights: Insights) -> Text:
    p = insights.promises
    rate = "—" if p.kept_rate is None else f"{p.kept_rate:.1f}%"
    late = "—" if p.average_days_late is None else f"{p.average_days_late:.1f}"
    return Text(f"Promises: {p.kept_on_time} kept on time, {p.kept_late} kept late (avg {late} days late), "
                f"{p.missed} missed, {p.open} open · kept-rate {rate}")


def pareto(insights: Insights, currency: str) -> Text:
    p = insights.pareto
    share = "—" if p.share is None else f"{p.share:.1f}%"
    return Text(f"Top 20%: {p.customers} of {p.of_customers} customers bring {share} of revenue "
                f"({format_money(p.top_spend_cents, currency)} of {format_money(p.total_spend_cents, currency)})")


def models(insights: Insights) -> Text:
    if insights.models is None:
        return Text(f"Lifetime value: {insights.models_reason}", style="dim")
    m = insights.models
    b, g = m["purchases"], m["spend"]
    return Text(
        f"Lifetime value models (fitted on {b['customers']} customers, {g['customers']} repeat buyers):\n"
        f"  BG/NBD r={b['r']:.3f} α={b['alpha']:.3f} a={b['a']:.3f} b={b['b']:.3f} (weeks) · "
        f"Gamma-Gamma p={g['p']:.2f} q={g['q']:.2f} v={g['v']:.2f}"
    )


def people(title: str, rows: list[dict], currency: str, region: str = "") -> Table:
    table = Table(title=title, title_justify="left", box=None)
    for column in ("customer", "phone", "P(active)", "buys in 90 d", "value 90 d", "spent"):
        table.add_column(column, justify="left" if column in ("customer", "phone") else "right")
    for row in rows:
        table.add_row(row["name"], format_phone(row["phone"], region), f"{100 * row['prob_active']:.0f}%", f"{row['expected_purchases_90d']:.2f}",
                      row["expected_value_90d"], row["spend"])
    return table


def advocates(insights: Insights, currency: str) -> Table:
    table = Table(title="Advocates", title_justify="left", box=None)
    for column in ("customer", "referred", "who bought", "their spend"):
        table.add_column(column, justify="left" if column == "customer" else "right")
    for _id, name, referred, bought, spend in insights.advocates[:10]:
        table.add_row(name, str(referred), str(bought), format_money(spend, currency))
    return table


def households(insights: Insights, currency: str) -> Table:
    table = Table(title="Households and companies", title_justify="left", box=None)
    for column in ("group", "customers", "spend"):
        table.add_column(column, justify="left" if column == "group" else "right")
    for name, n, spend in insights.households[:10]:
        table.add_row(name, str(n), format_money(spend, currency))
    return table


def sections(insights: Insights, currency: str, region: str = "") -> list:
    return [
        level_bars(insights), shape_history(insights), conversion(insights), promises(insights),
        pareto(insights, currency), advocates(insights, currency), households(insights, currency), models(insights),
        people("Likely to return soon", insights.likely_to_return, currency, region),
        people("At risk (repeat buyers probably gone)", insights.at_risk, currency, region),
    ]


def print_insights(insights: Insights, currency: str, out: IO[str], region: str = "") -> None:
    console = Console(file=out, width=None if out.isatty() else 110, highlight=False, markup=False)
    console.print(Text(f"Insights as of {insights.day.isoformat()}", style="bold"))
    for section in sections(insights, currency, region):
        console.print()
        console.print(section)
