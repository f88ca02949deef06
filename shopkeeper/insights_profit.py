"""Insights' profit side (issue 14): profit by customer, the top 20% by profit, revenue and profit
by level, the returning customers' share of revenue by month, the owner's ideal shape, and how
fast enquiries are answered. Gathered as of D for `insights.compute_insights`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .domain import profit as pf
from .domain.enquiries import ResponseTimes, response_times
from .domain.levels import level_on
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


def gather(shop: Shop, day: date, spend: dict[int, int], month_days: list[date], level_percent) -> ProfitSide:
    """`spend`: net spend up to D by customer (from Insights); `level_percent(level)` the shape's
    percentages on D."""
    settings = shop.settings
    margin = settings.margin
    with shop.reading() as session:
        costed = pq.any_cost_by(session, day)
        walk_in = pq.walk_in_revenue(session, day)
        if costed:
            parts = pq.profit_parts(session, day)
        else:  # no sale has a cost: the kept spend at the shop's margin, no scan of the sales
            parts = [(cid, cents, 0, cents, 1 if cents else 0) for cid, cents in spend.items()]
            parts.append((None, walk_in, 0, walk_in, 1 if walk_in else 0))
        levels = {cid: level_on(day, first, second, adv) for cid, first, second, adv in pq.level_dates(session, day)}
        rows = pq.revenue_by_day_and_kind(session, month_days[0].replace(day=1), day)
        asked = enquiry_store.asked_and_answered(session, day)
        profit_map, missing = pf.profit_by_customer(parts, margin)
        figures = _profit_figures(session, profit_map, missing, margin, costed, spend)
    months = [d.strftime("%Y-%m") for d in month_days]
    ideal = pf.IdealComparison(settings.ideal, tuple(level_percent(l) for l in (1, 2, 3)),
                               sum(1 for level in levels.values() if level >= 1))
    return ProfitSide(figures, pf.revenue_by_level(levels, spend, profit_map, walk_in), pf.repeat_by_month(rows, months),
                      ideal, response_times(asked, day))


def _profit_figures(session, profit_map, missing: int, margin, costed: bool, spend: dict[int, int]) -> pf.ProfitFigures:
    if not costed and margin is None:
        return pf.ProfitFigures(False, "no sale has a cost and no margin is set (settings: margin_percent)", None, False)
    if profit_map is None:
        return pf.ProfitFigures(False, f"{missing:,} sale(s) have no cost: give them one, or set the shop's margin "
                                       "(settings: margin_percent) and profit will show", margin, costed)
    by_customer = {cid: p for cid, p in profit_map.items() if cid is not None}
    top, of, positive = pf.top_by_profit(by_customer)
    names = q.names_only(session, [cid for cid, _ in top])
    return pf.ProfitFigures(
        True, None, margin, costed, sum(profit_map.values()), by_customer, len(top), of, sum(p for _, p in top),
        positive, [(cid, names.get(cid, ("?", ""))[0], p, spend.get(cid, 0)) for cid, p in top],
        {cid: names[cid][1] for cid, _ in top if cid in names and names[cid][1]})
