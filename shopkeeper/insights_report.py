"""Insights as text for the terminal or a printer (Rich, no Textual); the screen reuses the pieces."""
from __future__ import annotations

from typing import IO

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from .domain.insights import FEW, plain_sentences, rate_words, shape_words, too_few
from .domain.levels import LEVEL_NAMES
from .domain.money import format_money
from .domain.phones import format_phone
from .insights import Insights

BAR = 30


def summary(insights: Insights) -> Text:
    """What the figures say, in plain sentences: the first thing on the page."""
    sentences = plain_sentences(insights.levels, insights.cohorts, insights.promises, insights.pareto)
    text = Text("In short\n", style="bold")
    if insights.extra is not None and insights.levels.buyers:
        sentences = [*sentences, insights.extra.ideal.sentence()]
    for sentence in sentences:
        text.append("• ", style="dim")
        text.append(sentence + "\n", style="dim" if "too few yet" in sentence else "")
    return text


def level_bars(insights: Insights) -> Text:
    """The shop's shape as horizontal bars, advocates on top (the ideal is an inverted pyramid)."""
    levels = insights.levels
    text = Text(f"Shape: {shape_words(levels.shape)}\n", style="bold")
    text.append(f"  {levels.buyers} buying customers, {levels.counts[0]} prospects\n", style="dim")
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
    for column in ("month", "first buyers", "within 30 d", "within 60 d", "within 90 d"):
        table.add_column(column, justify="left" if column == "month" else "right")
    for cohort in insights.cohorts:
        table.add_row(cohort.month, str(cohort.customers),
                      *(_rate_cell(cohort.converted[w], cohort.known[w]) for w in (30, 60, 90)))
    calls = insights.calls
    median = insights.median_days_to_second
    lines = Text(f"Grey: fewer than {FEW} customers, too few to tell.\n", style="dim")
    lines.append(
        f"Median days to second purchase: {'—' if median is None else f'{median:.0f}'} · "
        f"lapsed one-timers: {insights.lapsed_one_timers}\n"
    )
    lines.append("Calls: ")
    lines.append_text(_rate_cell(calls.reached_converted, calls.reached))
    lines.append(" bought within 30 days of a reached call, against ")
    lines.append_text(_rate_cell(calls.never_converted, calls.never))
    lines.append(" of first-timers never contacted.")
    return Group(table, lines)


def _rate_cell(k: int, n: int) -> Text:
    """ "40% (12 of 30)", greyed when it rests on fewer than FEW customers."""
    return Text(rate_words(k, n), style="dim" if too_few(n) or not n else "")


def promises(insights: Insights) -> Text:
    p = insights.promises
    late = "—" if p.average_days_late is None else f"{p.average_days_late:.1f}"
    text = Text(f"Promises: {p.kept_on_time} kept on time, {p.kept_late} kept late (avg {late} days late), "
                f"{p.missed} missed, {p.open} open · kept on time ")
    text.append_text(_rate_cell(p.kept_on_time, p.kept_on_time + p.kept_late + p.missed))
    return text


def pareto(insights: Insights, currency: str) -> Text:
    p = insights.pareto
    share = "—" if p.share is None else f"{p.share:.1f}%"
    return Text(f"Top 20%: {p.customers} of {p.of_customers} customers bring {share} of revenue "
                f"({format_money(p.top_spend_cents, currency)} of {format_money(p.total_spend_cents, currency)})")


def enquiries(insights: Insights) -> Text:
    """How fast enquiries are answered (median, in days)."""
    if insights.extra is None:
        return Text("")
    return Text("Enquiries: " + insights.extra.enquiries.sentence())


def profit(insights: Insights, currency: str) -> Text:
    """Profit so far, the top 20% by profit and lifetime profit per customer, or why not known."""
    if insights.extra is None:
        return Text("")
    p = insights.extra.profit
    if not p.known:
        return Text(f"Profit: not known — {p.reason}.", style="dim")
    source = ("from sale costs" + (f", {p.margin_percent}% margin where none" if p.margin_percent is not None else "")
              if p.costed_sales else f"at your {p.margin_percent}% margin")
    text = Text(f"Profit so far: {format_money(p.total_cents, currency)} ({source}).\n", style="bold")
    share = "—" if p.share is None else f"{p.share:.1f}%"
    text.append(f"Top 20% by profit: {p.pareto_customers} of {p.pareto_of} customers bring {share} of the profit "
                f"({format_money(p.top_cents, currency)} of {format_money(p.positive_cents, currency)}).\n")
    average = p.average_per_customer_cents
    if average is not None:
        text.append(f"Lifetime profit per customer so far: {format_money(average, currency)}.")
    return text


def top_profit(insights: Insights, currency: str) -> Table | Text:
    if insights.extra is None or not insights.extra.profit.known:
        return Text("")
    table = Table(title="Most profitable customers (top 20%)", title_justify="left", box=None)
    for column in ("customer", "profit", "spend"):
        table.add_column(column, justify="left" if column == "customer" else "right")
    p = insights.extra.profit if insights.extra is not None else None
    for _id, name, made, spent in (p.top[:10] if p is not None and p.known else []):
        table.add_row(name, format_money(made, currency), format_money(spent, currency))
    return table


def revenue_by_level(insights: Insights, currency: str) -> Table:
    """Revenue (and profit, when known) up to the day, by the customers' level on the day."""
    table = Table(title="Revenue by level", title_justify="left", box=None)
    for column in ("level", "customers", "revenue", "share", "profit"):
        table.add_column(column, justify="left" if column == "level" else "right")
    rows = insights.extra.by_level if insights.extra is not None else []
    total = sum(row.revenue_cents for row in rows)
    for row in rows:
        name = f"L{row.level} {LEVEL_NAMES[row.level]}" if row.level > 0 else "walk-ins"
        share = f"{100 * row.revenue_cents / total:.1f}%" if total else "—"
        table.add_row(name, str(row.customers) if row.level > 0 else "", format_money(row.revenue_cents, currency), share,
                      "—" if row.profit_cents is None else format_money(row.profit_cents, currency))
    return table


def repeat_share(insights: Insights, currency: str) -> Group:
    """The share of revenue from returning customers (who had bought before), month by month."""
    from .domain.profit import repeat_total

    table = Table(title="Revenue from returning customers, by month", title_justify="left", box=None)
    for column in ("month", "revenue", "returning", "share", "walk-ins"):
        table.add_column(column, justify="left" if column == "month" else "right")
    months = insights.extra.repeat_months if insights.extra is not None else []
    for m in months:
        table.add_row(m.month, format_money(m.returning_cents + m.first_cents + m.walk_in_cents, currency),
                      format_money(m.returning_cents, currency), "—" if m.share is None else f"{m.share:.0f}%",
                      format_money(m.walk_in_cents, currency))
    whole = repeat_total(months).share
    note = Text("Share: of the revenue from named customers, what came from those who had bought before "
                "(walk-ins can't be told apart)" + ("" if whole is None else f"; {whole:.0f}% over the 12 months") + ".",
                style="dim")
    return Group(table, note)


def models(insights: Insights) -> Text:
    """The model parameters: for the details section only, never the overview."""
    if insights.models is None:
        return Text(f"Lifetime value: {insights.models_reason}", style="dim")
    m = insights.models
    b, g = m["purchases"], m["spend"]
    return Text(
        "Details: the lifetime-value models behind \"return soon\" and \"at risk\" "
        f"(fitted on {b['customers']} customers, {g['customers']} repeat buyers):\n"
        f"  BG/NBD r={b['r']:.3f} α={b['alpha']:.3f} a={b['a']:.3f} b={b['b']:.3f} (weeks) · "
        f"Gamma-Gamma p={g['p']:.2f} q={g['q']:.2f} v={g['v']:.2f}" + _holdout_line(insights)
    )


def _holdout_line(insights: Insights) -> str:
    """Forecast against what happened, when there were sales after the day."""
    h = insights.holdout
    if h is None:
        return ""
    return (f"\n  Forecast against what happened, {h['weeks']} weeks after {insights.day.isoformat()}: "
            f"{h['expected']:,.0f} repeat purchases expected, {h['actual']:,} made")


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


def feedback(insights: Insights) -> Group:
    """Feedback: how many, the average score and its trend, month by month (issue 14)."""
    figures = insights.feedback or {}
    count = figures.get("count", 0)
    text = Text("Feedback\n", style="bold")
    if not count:
        text.append("  none yet — f on a customer's card records what they said\n", style="dim")
        return Group(text)
    trend = {"up": "going up", "down": "going down", "steady": "steady"}.get(figures.get("trend") or "", "")
    text.append(f"  average {figures['average']}★ over {count} · {figures['would_recommend']} would recommend us"
                + (f" · last month against the one before: {trend}" if trend else "") + "\n")
    table = Table(box=None)
    for column in ("month", "feedback", "average", "would recommend"):
        table.add_column(column, justify="left" if column == "month" else "right")
    for month in figures["by_month"]:
        table.add_row(month["month"], str(month["count"]), f"{month['average']}★", str(month["would_recommend"]))
    return Group(text, table)


def households(insights: Insights, currency: str) -> Table:
    table = Table(title="Households and companies", title_justify="left", box=None)
    for column in ("group", "customers", "spend"):
        table.add_column(column, justify="left" if column == "group" else "right")
    for name, n, spend in insights.households[:10]:
        table.add_row(name, str(n), format_money(spend, currency))
    return table


def staff(insights: Insights) -> Table:
    """Per staff member: promises kept on time of those due, second-sale calls and how many of
    those customers bought within 30 days, and the median days from a call falling due to the
    first contact (fits 80 columns: names are cut)."""
    table = Table(title="Staff", title_justify="left", box=None)
    for column in ("who", "promises kept", "calls", "bought ≤30 d", "days to call"):
        table.add_column(column, justify="left" if column == "who" else "right")
    for s in insights.staff:
        rate = s.promise_kept_rate
        kept = f"{s.promises_kept}/{s.promises_due} {rate:.0f}%" if rate is not None else "-"
        bought = str(s.bought_within_30_days) if s.calls else "-"
        median = s.median_days_to_first_contact
        table.add_row(f"{s.initials} {s.name}"[:18], kept, str(s.calls), bought, "-" if median is None else f"{median:g}")
    return table


def sections(insights: Insights, currency: str, region: str = "") -> list:
    return [
        summary(insights), level_bars(insights), shape_history(insights), conversion(insights), promises(insights),
        *([staff(insights)] if insights.staff else []),
        enquiries(insights), pareto(insights, currency), profit(insights, currency), top_profit(insights, currency),
        revenue_by_level(insights, currency), repeat_share(insights, currency),
        advocates(insights, currency), feedback(insights), households(insights, currency),
        people("Likely to return soon", insights.likely_to_return, currency, region),
        people("At risk (repeat buyers probably gone)", insights.at_risk, currency, region),
        models(insights),
    ]


def print_insights(insights: Insights, currency: str, out: IO[str], region: str = "") -> None:
    console = Console(file=out, width=None if out.isatty() else 110, highlight=False, markup=False)
    console.print(Text(f"Insights as of {insights.day.isoformat()}", style="bold"))
    for section in sections(insights, currency, region):
        console.print()
        console.print(section)
