"""Reference maximum-likelihood fits on CDNOW, written apart from shopkeeper.domain.ltv on purpose.

`python tests/support/cdnow_reference_fit.py [tests/data/CDNOW_master.txt.gz]` prints the
numbers stored in tests/unit/test_insights_full_fit.py. It shares no code with the app: its own
parser for the raw file, its own per-customer summaries (dict loops), the likelihoods as printed
in the papers (no rearrangement, no grouping, no weights, no gradients) and a derivative-free
optimiser (Nelder-Mead restarted until it stops moving, then Powell as a check). Slow by design.

* BG/NBD: Fader, Hardie & Lee (2005), Marketing Science 24(2), eq. (6):
  L = B(a, b+x)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+T)^(r+x))
      + [x > 0] B(a+1, b+x-1)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x))
* Gamma-Gamma: Fader, Hardie & Lee (2005), JMR 42(4), density of the mean spend m over x
  transactions: G(px+q)/(G(px) G(q)) * gamma^q m^(px-1) x^(px) / (gamma + m x)^(px+q).

Data convention (the one the papers use on CDNOW): weeks = days / 7; several lines of one
customer on one day are one purchase (their sum); x = purchase days - 1 up to the calibration
end (inclusive); t_x = last - first day, T = end - first day; m = mean amount of the repeat
purchase days; Gamma-Gamma on the repeat buyers with m > 0.
"""
from __future__ import annotations

import gzip
import sys
from datetime import date
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, gammaln

END = date(1997, 9, 30)


def read_days(path: Path) -> dict[str, dict[date, float]]:
    """customer -> {day: dollars} from the whitespace-separated master or sample file."""
    opener = gzip.open if path.suffix == ".gz" else open
    out: dict[str, dict[date, float]] = {}
    with opener(path, "rt") as handle:
        for line in handle:
            cells = line.split()
            if not cells or not cells[0].isdigit():
                continue  # the header line
            customer, stamp, amount = cells[0], cells[-3], float(cells[-1])
            day = date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:]))
            per_day = out.setdefault(customer, {})
            per_day[day] = per_day.get(day, 0.0) + amount
    return out


def summaries(days: dict[str, dict[date, float]]):
    rows = []
    for per_day in days.values():
        seen = sorted(d for d in per_day if d <= END)
        if not seen:
            continue
        x = len(seen) - 1
        m = sum(per_day[d] for d in seen[1:]) / x if x else 0.0
        rows.append((x, (seen[-1] - seen[0]).days / 7, (END - seen[0]).days / 7, m))
    return np.array(rows, dtype=float).T


def bgnbd_nll(log_params, x, t_x, T):
    r, alpha, a, b = np.exp(log_params)
    head = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    first = betaln(a, b + x) - betaln(a, b) + head - (r + x) * np.log(alpha + T)
    with np.errstate(invalid="ignore", divide="ignore"):
        second = np.where(x > 0, betaln(a + 1, np.maximum(b + x - 1, 1e-300)) - betaln(a, b) + head
                          - (r + x) * np.log(alpha + t_x), -np.inf)
    total = np.logaddexp(first, second).sum()
    return -total if np.isfinite(total) else 1e300


def gamma_gamma_nll(log_params, x, m):
    p, q, g = np.exp(log_params)
    px = p * x
    ll = (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(g) + (px - 1) * np.log(m)
          + px * np.log(x) - (px + q) * np.log(g + m * x))
    total = ll.sum()
    return -total if np.isfinite(total) else 1e300


def fit(nll, start, args):
    """Nelder-Mead restarted from its own answer until the value stops improving; Powell checks."""
    theta, value = np.asarray(start, float), np.inf
    for _ in range(20):
        res = minimize(nll, theta, args=args, method="Nelder-Mead",
                       options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000, "maxfev": 40000})
        if value - res.fun < 1e-9:
            theta, value = (res.x, res.fun) if res.fun < value else (theta, value)
            break
        theta, value = res.x, res.fun
    check = minimize(nll, theta, args=args, method="Powell", options={"xtol": 1e-10, "ftol": 1e-14})
    if check.fun < value:
        theta, value = check.x, check.fun
    return np.exp(theta), value


def hyp2f1_series(a, b, c, z):
    """Gauss's hypergeometric series summed term by term (arrays; |z| < 1), not scipy's hyp2f1."""
    term = np.ones_like(z)
    total = np.ones_like(z)
    for n in range(100000):
        term = term * (a + n) * (b + n) / ((c + n) * (n + 1)) * z
        total = total + term
        if n > 10 and np.all(np.abs(term) <= 1e-16 * np.abs(total)):
            return total
    raise ArithmeticError("the series did not converge")


def conditional_expectation(params: dict, t: float, x, t_x, T):
    """E[Y(t) | x, t_x, T] for each customer: FHL (2005) eq. (10), as printed, customer by customer."""
    r, alpha, a, b = (params[k] for k in ("r", "alpha", "a", "b"))
    F = hyp2f1_series(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    numerator = (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * F)
    denominator = 1 + np.where(x > 0, a / np.maximum(b + x - 1, 1e-12) * ((alpha + T) / (alpha + t_x)) ** (r + x), 0.0)
    return numerator / denominator


def holdout_reference(path: Path, params: dict, weeks: int) -> tuple[list[float], list[int]]:
    """(expected, actual) cumulative repeat purchase days in weeks 1..weeks after END, for the
    customers with a purchase by END: expected from eq. (10) summed over them one by one, actual
    counted from the raw file."""
    days = read_days(path)
    x, t_x, T, _m = summaries(days)
    expected = [float(conditional_expectation(params, float(k), x, t_x, T).sum()) for k in range(1, weeks + 1)]
    after = [(d - END).days for per_day in days.values() if min(per_day) <= END for d in per_day if d > END]
    actual = [sum(1 for offset in after if offset <= 7 * k) for k in range(1, weeks + 1)]
    return expected, actual


def main(path: Path) -> None:
    x, t_x, T, m = summaries(read_days(path))
    print(f"{path.name}: {len(x)} customers, {int((x > 0).sum())} repeat buyers, "
          f"{int(((x > 0) & (m > 0)).sum())} with m > 0")
    params, value = fit(bgnbd_nll, np.log([0.5, 5.0, 1.0, 2.0]), (x, t_x, T))
    print("BG/NBD r, alpha, a, b =", ", ".join(f"{v:.6f}" for v in params), f"(-LL {value:.4f})")
    rep = (x > 0) & (m > 0)
    params, value = fit(gamma_gamma_nll, np.log([2.0, 3.0, 10.0]), (x[rep], m[rep]))
    print("Gamma-Gamma p, q, gamma =", ", ".join(f"{v:.6f}" for v in params), f"(-LL {value:.4f})")


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent / "data" / "CDNOW_master.txt.gz"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
