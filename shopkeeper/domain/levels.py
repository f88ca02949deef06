"""Customer levels 0-3 and the shop's profile shape (PRODUCT.md)."""
from __future__ import annotations

from datetime import date

LEVEL_NAMES = {0: "prospect", 1: "first-time", 2: "repeat", 3: "advocate"}


def level_on(day: date, first: date | None, second: date | None, advocate_since: date | None) -> int:
    """The level as of `day`: advocate (3) wins; else repeat (2), first-time (1) or prospect (0).

    `advocate_since` is kept by store/figures.py (the rule, said once there): the first day someone
    they referred had bought, they let us quote them, or they said they would recommend us."""
    if advocate_since is not None and advocate_since <= day:
        return 3
    if second is not None and second <= day:
        return 2
    if first is not None and first <= day:
        return 1
    return 0


def profile_shape(pct1: float, pct2: float, pct3: float) -> str:
    """Pyramid (1>=2>=3), inverted pyramid (3>=2>=1), hourglass (2 below both), hexagon (2 above both)."""
    if pct1 == pct2 == pct3:
        return "flat"
    if pct1 >= pct2 >= pct3:
        return "pyramid"
    if pct3 >= pct2 >= pct1:
        return "inverted pyramid"
    if pct2 < pct1 and pct2 < pct3:
        return "hourglass"
    return "hexagon"
