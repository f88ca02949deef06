"""Customer lifetime value: RFM summary, BG/NBD and Gamma-Gamma fits, and the thin-history guard."""
from __future__ import annotations

import subprocess
import sys
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
def cdnow_fit(cdnow) -> ltv.FittedModels:
    return ltv.fit_models(cdnow)  # how long it takes is measured by benchmarks/, not asserted here


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
    fitted = cdnow_fit
    assert fitted.ok, fitted.reason
    bg = fitted.bgnbd
    for value, published in ((bg.r, 0.243), (bg.alpha, 4.414), (bg.a, 0.793), (bg.b, 2.426)):
        assert rel(value, published) < 0.01
    assert bg.log_likelihood == pytest.approx(-9582.4, abs=0.1)  # published LL
    assert bg.n_customers == fitted.n_customers == 2357


def test_cdnow_gamma_gamma_reproduces_published_estimates(cdnow_fit):
    fitted = cdnow_fit
    gg = fitted.gamma_gamma
    for value, published in ((gg.p, 6.25), (gg.q, 3.74), (gg.v, 15.44)):
        assert rel(value, published) < 0.01
    assert gg.n_customers == fitted.n_repeaters == 946
    assert gg.population_mean_spend == pytest.approx(gg.p * gg.v / (gg.q - 1))


def test_cdnow_conditional_expectation_for_a_known_customer(cdnow_fit):
    """Customer with x=2, t_x=30.43, T=38.86: 39-week expectation about 1.23 (lifetimes gives 1.226)."""
    bg = cdnow_fit.bgnbd
    assert float(ltv.expected_purchases(bg, 39, 2, 30.43, 38.86)) == pytest.approx(1.226, abs=0.01)
    assert float(ltv.prob_alive(bg, 2, 30.43, 38.86)) == pytest.approx(0.727, abs=0.01)


def test_predict_on_cdnow(cdnow, cdnow_fit):
    fitted = cdnow_fit
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


def test_fit_bgnbd_needs_whole_purchase_counts():
    with pytest.raises(ValueError, match="whole numbers"):
        ltv.fit_bgnbd([0, 1.5], [0, 3], [10, 10])


def test_fit_gamma_gamma_rejects_one_time_buyers():
    with pytest.raises(ValueError):
        ltv.fit_gamma_gamma([0, 1], [0.0, 10.0])


# --------------------------------------------------------------------------------- fits on simulated shops

TRUE_BG = {"r": 1.0, "alpha": 5.0, "a": 0.8, "b": 2.5}  # weeks: one purchase per 5 weeks on average
TRUE_GG = {"p": 6.0, "q": 4.0, "v": 15.0}  # mean purchase value p v / (q - 1) = 30


def simulate_shop(seed: int, n: int, dropout: bool = True) -> ltv.RfmSummary:
    """Customers drawn from the BG/NBD and Gamma-Gamma stories, one purchase at a time.

    A 52-week window; first purchases staggered over its first 39 weeks (T from 13 to 52).
    Purchase rate ~ Gamma(r, rate alpha); after each repeat purchase the customer leaves with
    a probability ~ Beta(a, b) (never, without ``dropout``). Purchase values ~ Gamma(p, rate nu),
    nu ~ Gamma(q, rate v); m is the mean of the repeat purchases' values.
    """
    rng = np.random.default_rng(seed)
    T = 52.0 - rng.uniform(0.0, 39.0, n)
    rate = rng.gamma(TRUE_BG["r"], 1 / TRUE_BG["alpha"], n)
    leave = rng.beta(TRUE_BG["a"], TRUE_BG["b"], n) if dropout else np.zeros(n)
    nu = rng.gamma(TRUE_GG["q"], 1 / TRUE_GG["v"], n)
    x, t_x, m = np.zeros(n, dtype=np.int64), np.zeros(n), np.zeros(n)
    for i in range(n):
        t = rng.exponential(1 / rate[i])
        while t <= T[i]:
            x[i], t_x[i] = x[i] + 1, t
            if rng.random() < leave[i]:
                break
            t += rng.exponential(1 / rate[i])
        if x[i]:
            m[i] = rng.gamma(TRUE_GG["p"], 1 / nu[i], x[i]).mean()
    return ltv.RfmSummary(np.arange(n), x, t_x, T, m, day(364), 7.0)


@pytest.fixture(scope="module")
def shop() -> ltv.RfmSummary:
    return simulate_shop(seed=1, n=5000)


def test_fits_recover_the_parameters_of_a_simulated_shop(shop):
    """5,000 simulated customers (about 4,250 repeat buyers): estimates near the truth.

    Each tolerance is about three standard deviations of that estimate over 100 simulated shops
    of this size (relative SDs: r 3%, alpha 4%, a 7%, b 10%, p 8%, q 3%, v 11%; mean rate r/alpha
    2%, mean dropout a/(a+b) 3%, mean purchase value p v/(q-1) 1.1%).
    """
    fitted = ltv.fit_models(shop)
    assert fitted.ok, fitted.reason
    bg, gg = fitted.bgnbd, fitted.gamma_gamma
    tolerance = {"r": 0.10, "alpha": 0.12, "a": 0.25, "b": 0.30, "p": 0.25, "q": 0.10, "v": 0.33}
    for name, true in (TRUE_BG | TRUE_GG).items():
        estimate = getattr(bg if name in TRUE_BG else gg, name)
        assert rel(estimate, true) < tolerance[name], (name, estimate, true)
    assert rel(bg.r / bg.alpha, 1.0 / 5.0) < 0.06
    assert rel(bg.a / (bg.a + bg.b), 0.8 / 3.3) < 0.10
    assert rel(gg.population_mean_spend, 30.0) < 0.04


def test_fits_are_maxima_of_the_likelihood(shop):
    """At least as likely as the true parameters; gradient zero; reported LL = sum of per-customer LL."""
    x, t_x, T = shop.x, shop.t_x, shop.T
    repeat = x > 0
    bg = ltv.fit_bgnbd(x, t_x, T)
    gg = ltv.fit_gamma_gamma(x[repeat], shop.m[repeat])
    assert bg.log_likelihood == pytest.approx(ltv.bgnbd_log_likelihood(bg, x, t_x, T).sum(), abs=1e-6)
    assert gg.log_likelihood == pytest.approx(
        ltv.gamma_gamma_log_likelihood(gg, x[repeat], shop.m[repeat]).sum(), abs=1e-6)
    true_bg = ltv.bgnbd_log_likelihood(ltv.BgNbdParams(**TRUE_BG), x, t_x, T).sum()
    true_gg = ltv.gamma_gamma_log_likelihood(ltv.GammaGammaParams(**TRUE_GG), x[repeat], shop.m[repeat]).sum()
    assert true_bg < bg.log_likelihood < true_bg + 20  # the MLE beats the truth, by a plausible margin
    assert true_gg < gg.log_likelihood < true_gg + 20
    _, grad_bg = ltv._bgnbd_objective(x, t_x, T)(np.log([bg.r, bg.alpha, bg.a, bg.b]))
    _, grad_gg = ltv._gamma_gamma_objective(x[repeat], shop.m[repeat])(np.log([gg.p, gg.q, gg.v]))
    assert np.max(np.abs(grad_bg)) < 1e-7 and np.max(np.abs(grad_gg)) < 1e-7


def central_differences(fun, theta, h=1e-5):
    return np.array([(fun(theta + h * e)[0] - fun(theta - h * e)[0]) / (2 * h) for e in np.eye(len(theta))])


@pytest.mark.parametrize("params", [(0.243, 4.414, 0.793, 2.426), (3.0, 40.0, 0.02, 5e4)])
def test_bgnbd_objective_and_gradient(shop, params):
    """Mean negative log-likelihood in log-parameters, and its analytic gradient; the second point
    is far out (b = 5e4: hardly anyone drops out), where a degenerate fit is told from a sound one."""
    customers = slice(0, 1500)
    x, t_x, T = shop.x[customers], shop.t_x[customers], shop.T[customers]
    objective = ltv._bgnbd_objective(x, t_x, T)
    theta = np.log(params)
    value, grad = objective(theta)
    assert value == pytest.approx(-ltv.bgnbd_log_likelihood(ltv.BgNbdParams(*params), x, t_x, T).mean(),
                                  rel=1e-12)
    assert grad == pytest.approx(central_differences(objective, theta), rel=1e-6, abs=1e-9)
    assert np.max(np.abs(grad)) > 1e-3  # not a stationary point: the comparison is not vacuous


@pytest.mark.parametrize("params", [(6.25, 3.74, 15.44), (0.8, 12.0, 400.0), (3e3, 2.5, 0.02)])
def test_gamma_gamma_objective_and_gradient(shop, params):
    """The third point has p x >= 3000, where ln B(px, q) comes from Stirling's series."""
    repeat = shop.x > 0
    x, m = shop.x[repeat][:1000], shop.m[repeat][:1000]
    objective = ltv._gamma_gamma_objective(x, m)
    theta = np.log(params)
    value, grad = objective(theta)
    # rel 1e-10: at the third point the plain gammaln differences of the reference lose digits
    assert value == pytest.approx(-ltv.gamma_gamma_log_likelihood(ltv.GammaGammaParams(*params), x, m).mean(),
                                  rel=1e-10)
    assert grad == pytest.approx(central_differences(objective, theta), rel=1e-6, abs=1e-9)
    assert np.max(np.abs(grad)) > 1e-3


@pytest.mark.parametrize("s", [1000.0, 1234.5, 1e7, 1e12])
def test_log_gamma_ratio_for_large_arguments(s):
    """ln G(s+t) - ln G(s) = sum_{j<t} ln(s+j) for whole t; its derivative sum_{j<t} 1/(s+j)."""
    import math

    for t in (1, 3, 7):
        value, deriv = ltv._lgamma_ratio(np.array([s]), float(t))
        assert value[0] == pytest.approx(math.fsum(math.log(s + j) for j in range(t)), rel=1e-15, abs=1e-13)
        assert deriv[0] == pytest.approx(math.fsum(1 / (s + j) for j in range(t)), rel=1e-13)


def test_a_shop_where_nobody_leaves_is_refused():
    """Poisson buying and no dropout: the likelihood keeps rising as the dropout probability goes
    to 0 (a -> 0 or b -> infinity), so the fit ends at a bound and is refused.

    (In about one such shop in eight, sampling noise alone puts the maximum inside instead, at
    a ~ 0.003 -- a sound fit with almost no dropout, which is accepted.)
    """
    shop = simulate_shop(seed=2, n=2500, dropout=False)
    result = ltv.fit_models(shop)
    assert not result.ok
    assert result.reason == "not enough history: the BG/NBD fit did not settle (degenerate optimum)"
    bg = ltv.fit_bgnbd(shop.x, shop.t_x, shop.T)
    edge = np.exp(ltv._LOG_BOUND) * (1 - 1e-9)
    assert bg.a < 1 / edge or bg.b > edge  # a parameter at its bound, not merely "large"
    assert bg.a / (bg.a + bg.b) < 1e-8  # i.e. nobody drops out
    assert rel(bg.r / bg.alpha, 1.0 / 5.0) < 0.06  # while the buying rate is still learnt


def test_minimiser_falls_back_to_nelder_mead_without_a_usable_gradient():
    target = np.array([0.5, -1.0])

    def value_without_gradient(theta):
        return float(np.sum((theta - target) ** 2)), np.full(2, np.nan)

    theta, value = ltv._minimise(value_without_gradient, [np.zeros(2)])
    assert theta == pytest.approx(target, abs=1e-5)
    assert value < 1e-9


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
