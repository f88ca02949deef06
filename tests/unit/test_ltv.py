"""Customer lifetime value: RFM summary, BG/NBD and Gamma-Gamma fits, and the thin-history guard."""
from __future__ import annotations

import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("scipy")

from shopkeeper.domain import ltv  # noqa: E402

CDNOW = Path(__file__).resolve().parents[1] / "data" / "CDNOW_sample.txt"
CALIBRATION_END = date(1997, 9, 30)  # the paper's 39-week calibration period

D0 = date(2025, 1, 1)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def rel(value: float, published: float) -> float:
    return abs(value / published - 1)


# --------------------------------------------------------------------------------- CDNOW


def read_cdnow() -> list[tuple[int, date, int]]:
    """master id, sample id, YYYYMMDD, CDs, dollars -> (customer, day, cents)."""
    rows = []
    for line in CDNOW.read_text().splitlines():
        if not line.strip():
            continue
        master, _sample, ymd, _cds, dollars = line.split()
        when = date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
        rows.append((int(master), when, round(float(dollars) * 100)))
    return rows


@pytest.fixture(scope="module")
def cdnow() -> ltv.RfmSummary:
    return ltv.summarise(read_cdnow(), CALIBRATION_END, time_unit_days=7)


@pytest.fixture(scope="module")
def cdnow_fit(cdnow) -> tuple[ltv.FittedModels, float]:
    started = time.perf_counter()
    fitted = ltv.fit_models(cdnow)
    return fitted, time.perf_counter() - started


def test_cdnow_summary_matches_the_paper(cdnow):
    assert len(cdnow) == 2357
    assert cdnow.n_repeaters == 946
    assert int(cdnow.x.sum()) == 2457  # repeat transactions in the calibration period (as in lifetimes' summary)
    # first purchases run from 1997-01-01 to 1997-03-25: T from 38.86 down to 27 weeks
    assert cdnow.T.max() == pytest.approx(272 / 7)
    assert cdnow.T.min() == pytest.approx((CALIBRATION_END - date(1997, 3, 25)).days / 7)
    # master id 4: 1997-01-01 $29.33, 01-18 $29.73, 08-02 $14.96 (and 12-12, after calibration)
    i = int(np.flatnonzero(cdnow.ids == 4)[0])
    assert cdnow.x[i] == 2
    assert cdnow.t_x[i] == pytest.approx(213 / 7)
    assert cdnow.T[i] == pytest.approx(272 / 7)
    assert cdnow.m[i] == pytest.approx((29.73 + 14.96) / 2)


def test_cdnow_bgnbd_reproduces_published_estimates(cdnow_fit):
    fitted, _ = cdnow_fit
    assert fitted.ok, fitted.reason
    bg = fitted.bgnbd
    for value, published in ((bg.r, 0.243), (bg.alpha, 4.414), (bg.a, 0.793), (bg.b, 2.426)):
        assert rel(value, published) < 0.01
    assert bg.log_likelihood == pytest.approx(-9582.4, abs=0.1)  # published LL
    assert bg.n_customers == fitted.n_customers == 2357


def test_cdnow_gamma_gamma_reproduces_published_estimates(cdnow_fit):
    fitted, _ = cdnow_fit
    gg = fitted.gamma_gamma
    for value, published in ((gg.p, 6.25), (gg.q, 3.74), (gg.v, 15.44)):
        assert rel(value, published) < 0.01
    assert gg.n_customers == fitted.n_repeaters == 946
    assert gg.population_mean_spend == pytest.approx(gg.p * gg.v / (gg.q - 1))


def test_cdnow_fit_is_quick(cdnow_fit):
    _, seconds = cdnow_fit
    assert seconds < 5


def test_cdnow_conditional_expectation_for_a_known_customer(cdnow_fit):
    """Customer with x=2, t_x=30.43, T=38.86: 39-week expectation about 1.23 (lifetimes gives 1.226)."""
    bg = cdnow_fit[0].bgnbd
    assert float(ltv.expected_purchases(bg, 39, 2, 30.43, 38.86)) == pytest.approx(1.226, abs=0.01)
    assert float(ltv.prob_alive(bg, 2, 30.43, 38.86)) == pytest.approx(0.727, abs=0.01)


def test_predict_on_cdnow(cdnow, cdnow_fit):
    fitted, _ = cdnow_fit
    pred = ltv.predict(fitted, cdnow, horizon=39)
    assert pred.ids is cdnow.ids
    assert np.all((pred.prob_alive > 0) & (pred.prob_alive <= 1))
    assert np.all(pred.expected_purchases >= 0)
    assert np.allclose(pred.value, pred.expected_purchases * pred.expected_spend)
    # one-time buyers get the population mean spend
    once = cdnow.x == 0
    assert np.allclose(pred.expected_spend[once], fitted.gamma_gamma.population_mean_spend)


# --------------------------------------------------------------------------------- summarise


def test_summarise_frequency_recency_age_and_monetary():
    purchases = [
        (1, day(0), 1000),
        (1, day(0), 500),      # same day: one purchase of 15.00
        (1, day(14), 2000),
        (1, day(28), 999),
        (1, day(28), 1),       # same day: one purchase of 10.00
        (1, day(100), 99999),  # after calibration end: ignored
        (2, day(7), 4200),     # one-time buyer
        (3, day(100), 500),    # first purchase after calibration end: not a customer yet
    ]
    s = ltv.summarise(purchases, calibration_end=day(70), time_unit_days=7)
    assert s.ids.tolist() == [1, 2]
    assert s.x.tolist() == [2, 0]
    assert s.t_x.tolist() == [4.0, 0.0]
    assert s.T.tolist() == [10.0, 9.0]
    assert s.m.tolist() == [15.0, 0.0]  # mean of the repeat days 20.00 and 10.00; first excluded
    assert s.n_repeaters == 1
    assert s.calibration_end == day(70) and s.time_unit_days == 7


def test_summarise_counts_the_calibration_end_day_and_other_time_units():
    s = ltv.summarise([(7, day(0), 100), (7, day(30), 300)], calibration_end=day(30), time_unit_days=1)
    assert (s.x[0], s.t_x[0], s.T[0], s.m[0]) == (1, 30.0, 30.0, 3.0)


def test_summarise_empty():
    s = ltv.summarise([], calibration_end=day(0))
    assert len(s) == 0 and s.n_repeaters == 0


# --------------------------------------------------------------------------------- BG/NBD

PARAMS = ltv.BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)


def test_prob_alive_is_one_without_repeat_purchases():
    alive = ltv.prob_alive(PARAMS, x=[0, 0, 0], t_x=[0, 0, 0], T=[0, 10, 500])
    assert alive.tolist() == [1.0, 1.0, 1.0]


def test_prob_alive_falls_with_silence_and_rises_with_recency():
    long_silence = ltv.prob_alive(PARAMS, [3, 3, 3], [5, 5, 5], [10, 30, 90])
    assert np.all(np.diff(long_silence) < 0)
    recent = ltv.prob_alive(PARAMS, [3, 3, 3], [10, 20, 29], [30, 30, 30])
    assert np.all(np.diff(recent) > 0)
    # bought on the last day of the window: P(alive) = 1 / (1 + a / (b + x - 1))
    assert float(ltv.prob_alive(PARAMS, 3, 30, 30)) == pytest.approx(1 / (1 + 0.793 / (2.426 + 2)))


def test_expected_purchases_grow_with_horizon():
    horizons = [0, 1, 4, 13, 26, 52, 104]
    for x, t_x, T in ((0, 0, 20), (1, 5, 20), (6, 19, 20), (6, 2, 40)):
        e = ltv.expected_purchases(PARAMS, horizons, x, t_x, T)
        assert e[0] == pytest.approx(0)
        assert np.all(np.diff(e) > 0)


def test_expected_purchases_match_simple_limit_for_a_new_customer():
    """x=0, T=0: E[Y(t)] is the unconditional BG/NBD expectation (paper eq. 9)."""
    from scipy.special import hyp2f1

    r, alpha, a, b = PARAMS.r, PARAMS.alpha, PARAMS.a, PARAMS.b
    t = 13.0
    eq9 = (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))
    assert float(ltv.expected_purchases(PARAMS, t, 0, 0, 0)) == pytest.approx(eq9)


def test_bgnbd_likelihood_of_a_fresh_customer_is_one():
    """A customer with x=0 and T=0 carries no information: likelihood 1, log-likelihood 0."""
    assert float(ltv.bgnbd_log_likelihood(PARAMS, 0, 0, 0)) == pytest.approx(0, abs=1e-12)


# --------------------------------------------------------------------------------- Gamma-Gamma


def test_expected_spend_shrinks_own_mean_towards_population_mean():
    gg = ltv.GammaGammaParams(p=6.25, q=3.74, v=15.44)
    population = gg.population_mean_spend
    assert float(ltv.expected_spend(gg, 0, 0)) == pytest.approx(population)
    few, many = ltv.expected_spend(gg, [1, 50], [100.0, 100.0])
    assert population < few < many < 100.0
    # the weight on the customer's own mean is p x / (p x + q - 1)
    w = 6.25 / (6.25 + 2.74)
    assert few == pytest.approx((1 - w) * population + w * 100.0)


def test_fit_gamma_gamma_rejects_one_time_buyers():
    with pytest.raises(ValueError):
        ltv.fit_gamma_gamma([0, 1], [0.0, 10.0])


# --------------------------------------------------------------------------------- not enough history


def history(customers: int, repeaters: int, span_days: int) -> ltv.RfmSummary:
    """`customers` buyers whose first purchases spread over the window; the first `repeaters` come back."""
    purchases = []
    for c in range(customers):
        first = (c * 3) % max(span_days // 2, 1)
        purchases.append((c, day(first), 2000 + 10 * c))
        if c < repeaters:
            purchases.append((c, day(first + 5 + c % 20), 1500 + 20 * c))
    return ltv.summarise(purchases, calibration_end=day(span_days))


def test_not_enough_customers():
    result = ltv.fit_models(history(customers=40, repeaters=30, span_days=300))
    assert not result.ok
    assert result.bgnbd is None and result.gamma_gamma is None
    assert "not enough history" in result.reason and "40 customers" in result.reason
    assert (result.n_customers, result.n_repeaters) == (40, 30)


def test_not_enough_repeat_buyers():
    result = ltv.fit_models(history(customers=300, repeaters=10, span_days=300))
    assert not result.ok
    assert "10 repeat buyers" in result.reason
    assert (result.n_customers, result.n_repeaters) == (300, 10)


def test_not_enough_calendar_span():
    result = ltv.fit_models(history(customers=300, repeaters=100, span_days=60))
    assert not result.ok
    assert "60 days" in result.reason
    assert result.span_days == 60


def test_thresholds_are_adjustable_and_predict_refuses_without_fit():
    small = history(customers=40, repeaters=30, span_days=300)
    refused = ltv.fit_models(small)
    with pytest.raises(ValueError, match="not enough history"):
        ltv.predict(refused, small, horizon=4)
    assert ltv.fit_models(small, min_customers=40, min_repeaters=30).n_customers == 40


# --------------------------------------------------------------------------------- packaging


def test_module_imports_without_textual_or_sql():
    code = ("import sys; import shopkeeper.domain.ltv; "
            "bad = [m for m in ('textual', 'sqlmodel', 'sqlalchemy') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])
