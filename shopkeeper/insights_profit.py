"""Insights' profit side (issue 14): profit by customer, the top 20% by profit, revenue and profit
by level, the returning customers' share of revenue by month, the owner's ideal shape, and how
fast enquiries are answered. Gathered as of D for `insights.compute_insights`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .domain import profit as pf
from .domain.enquiries import ResponseTimes, response_times
from .services import Shop
from .store import enquiries as enquiry_store
from .store import insights_query as q
from .store import profit_query as pq


@dataclass
class ProfitSide:
    profit: pf.ProfitFigures
    by_level: list[pf.LevelRevenue]
    repeat_months: list[pf.RepeatMonth]
    ideal: pf.IdealComparison
    enquiries: ResponseTimes

    def to_json(self) -> dict:
        total = sum(row.revenue_cents for row in self.by_level)
        whole = pf.repeat_total(self.repeat_months)
        return {
            "profit": self.profit.to_json(),
            "revenue_by_level": [row.to_json(total) for row in self.by_level],
            "repeat_revenue": {"share_from_returning": whole.share,
                               "by_month": [m.to_json() for m in self.repeat_months]},
            "ideal_shape": self.ideal.to_json(),
            "enquiries": self.enquiries.to_json(),
        }


@dataclass
class ProfitReads:
    """What the profit side reads that does not depend on the spend: read beside the model fit."""
    costed: bool
    walk_in: int
    parts: list | None  # per customer, only when some sale has a cost
    rows: list[tuple[date, str, int]]
    asked: list


def read(session, day: date, month_days: list[date], daily: list[tuple[date, int]]) -> ProfitReads:
    """`daily`: every sale's total by day from the first of month_days' months to D."""
    costed = pq.any_cost_by(session, day)
    return ProfitReads(costed, pq.walk_in_revenue(session, day), pq.profit_parts(session, day) if costed else None,
                       pq.revenue_by_day_and_kind(session, month_days[0].replace(day=1), day, daily),
                       enquiry_store.asked_and_answered(session, day))


def gather(shop: Shop, day: date, spend, month_days: list[date], level_percent, reads: ProfitReads,
           levels: tuple[list[int], list[int]]) -> ProfitSide:
    """`spend`: net spend up to D by customer (insights._Spend: ids and cents as numpy columns);
    `level_percent(level)` the shape's percentages on D; `reads` from `read`; `levels`: (ids,
    level on D) of the customers who bought or advocated by D (insights_query.spend_and_visits)."""
    import numpy as np

    settings = shop.settings
    margin = settings.margin
    spend_map: dict[int, int] | None = None

    def spend_by_id() -> dict[int, int]:
        nonlocal spend_map
        if spend_map is None:
            spend_map = dict(zip(spend.ids.tolist(), spend.cents.tolist()))
        return spend_map

    costed, walk_in = reads.costed, reads.walk_in
    if costed:
        parts = reads.parts
    elif margin is None and (uncosted := int(np.count_nonzero(spend.cents)) + (1 if walk_in else 0)):
        parts = [(None, 0, 0, 0, uncosted)]  # no cost, no margin: profit unknown, no per-customer rows
    else:  # no sale has a cost: the kept spend at the shop's margin, no scan of the sales
        parts = [(cid, cents, 0, cents, 1 if cents else 0) for cid, cents in spend_by_id().items()]
        parts.append((None, walk_in, 0, walk_in, 1 if walk_in else 0))
    profit_map, missing = pf.profit_by_customer(parts, margin)
    figures = _profit_figures(shop, profit_map, missing, margin, costed, spend_by_id)
    months = [d.strftime("%Y-%m") for d in month_days]
    ideal = pf.IdealComparison(settings.ideal, tuple(level_percent(l) for l in (1, 2, 3)), len(levels[0]))
    ids, level = np.asarray(levels[0], dtype=np.int64), np.asarray(levels[1], dtype=np.int64)
    made = None if profit_map is None else np.fromiter((profit_map.get(c, 0) for c in ids.tolist()), np.int64, len(ids))
    by_level = pf.revenue_by_level_columns(level, spend.of(ids), made, walk_in,
                                           None if profit_map is None else profit_map.get(None, 0))
    return ProfitSide(figures, by_level, pf.repeat_by_month(reads.rows, months), ideal, response_times(reads.asked, day))


def _profit_figures(shop: Shop, profit_map, missing: int, margin, costed: bool, spend_by_id) -> pf.ProfitFigures:
    if not costed and margin is None:
        return pf.ProfitFigures(False, "no sale has a cost and no margin is set (settings: margin_percent)", None, False)
    if profit_map is None:
        return pf.ProfitFigures(False, f"{missing:,} sale(s) have no cost: give them one, or set the shop's margin "
                                       "(settings: margin_percent) and profit will show", margin, costed)
    spend = spend_by_id()
    by_customer = {cid: p for cid, p in profit_map.items() if cid is not None}
    top, of, positive = pf.top_by_profit(by_customer)
    with shop.reading() as session:
        names = q.names_only(session, [cid for cid, _ in top])
    return pf.ProfitFigures(
        True, None, margin, costed, sum(profit_map.values()), by_customer, len(top), of, sum(p for _, p in top),
        positive, [(cid, names.get(cid, ("?", ""))[0], p, spend.get(cid, 0)) for cid, p in top],
        {cid: names[cid][1] for cid, _ in top if cid in names and names[cid][1]})
