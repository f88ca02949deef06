"""CDNOW's full master cohort (23,570 customers, from the lifetimes 0.11.3 wheel) imported through
the CLI, then `insights --date 1997-09-30`: the models are fitted on every customer, and every
parameter is within 0.5% of an independent full-data maximum-likelihood fit."""
import contextlib
import gzip
import io
import json
from pathlib import Path

import pytest

from shopkeeper.cli import main

DATA = Path(__file__).resolve().parent.parent / "data" / "CDNOW_master.txt.gz"

# Made once by `python tests/support/cdnow_reference_fit.py tests/data/CDNOW_master.txt.gz` (2026-12-01):
# its own parser and per-customer summaries, the likelihoods as printed in the papers summed
# customer by customer (no grouping, no weights, no gradients), Nelder-Mead restarted to
# convergence then checked by Powell. On the 2,357-customer sample the same script gives the
# paper's r=0.2426 alpha=4.4136 a=0.7929 b=2.4259 (-LL 9582.43) and p=6.2496 q=3.7442 gamma=15.4435.
# Printed: 23570 customers, 9451 repeat buyers, 9450 with m > 0;
#   BG/NBD r, alpha, a, b = 0.251624, 4.788943, 0.723434, 2.161088 (-LL 95368.4439)
#   Gamma-Gamma p, q, gamma = 6.275359, 3.624450, 14.983687 (-LL 40763.4763)
REFERENCE = {
    "purchases": {"r": 0.251624, "alpha": 4.788943, "a": 0.723434, "b": 2.161088},
    "spend": {"p": 6.275359, "q": 3.624450, "v": 14.983687},  # v is the papers' gamma
}


def cli_json(*argv: str) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(list(argv)) == 0
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def full_cohort_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cdnow_full")
    raw = folder / "CDNOW_master.txt"
    raw.write_bytes(gzip.decompress(DATA.read_bytes()))
    db = folder / "cdnow.sqlite3"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["import", "sales", str(raw), "--db", str(db), "--map", "customer_id=customer_id",
                     "--map", "date=date", "--map", "quantity=number_of_cds", "--map", "amount=dollar_value"]) == 0
    return db


@pytest.fixture(scope="module")
def full_insights(full_cohort_db):
    return cli_json("insights", "--date", "1997-09-30", "--format", "json", "--db", str(full_cohort_db))


def test_every_customer_is_fitted(full_insights):
    models = full_insights["models"]
    assert models["purchases"]["customers"] == 23570
    assert models["spend"]["customers"] == 9450  # repeat buyers with a positive mean spend


def test_full_fit_matches_the_independent_reference(full_insights):
    models = full_insights["models"]
    for model, params in REFERENCE.items():
        for name, expected in params.items():
            assert models[model][name] == pytest.approx(expected, rel=0.005), (model, name)


def _reference():
    """tests/support/cdnow_reference_fit.py, loaded by path (tests/support is no package)."""
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "support" / "cdnow_reference_fit.py"
    spec = importlib.util.spec_from_file_location("cdnow_reference_fit", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_holdout(insights: dict, data: Path) -> dict:
    """models.holdout against eq. (10) summed customer by customer with the fitted parameters and
    the visit days counted from the raw file, both by the independent reference script."""
    holdout = insights["models"]["holdout"]
    assert holdout["weeks"] == 39  # 1997-10-01 .. 1998-06-30: the paper's 39-week holdout period
    expected, actual = _reference().holdout_reference(data, insights["models"]["purchases"], 39)
    assert [w["week"] for w in holdout["by_week"]] == list(range(1, 40))
    assert [w["actual_cumulative"] for w in holdout["by_week"]] == actual
    assert [w["expected_cumulative"] for w in holdout["by_week"]] == pytest.approx(expected, rel=1e-9)
    assert (holdout["expected"], holdout["actual"]) == (pytest.approx(expected[-1], rel=1e-9), actual[-1])
    return holdout


def test_holdout_on_the_full_cohort(full_insights):
    holdout = check_holdout(full_insights, DATA)
    assert holdout["actual"] == 19684  # repeat purchase days of the 23,570 in the 39 weeks
    assert holdout["expected"] == pytest.approx(16874, abs=1)  # as in the README


def test_no_holdout_without_later_sales(full_cohort_db):
    insights = cli_json("insights", "--date", "1998-06-30", "--format", "json", "--db", str(full_cohort_db))
    assert insights["models"]["holdout"] is None


def test_scouting_the_starts_on_a_sample_changes_no_estimate(monkeypatch):
    """Above 2 x SCOUT customers the starts are tried on a sample and the best carried on to all
    customers: the estimates are those of the plain multi-start fit on every customer."""
    from shopkeeper.domain import ltv

    x, t_x, T, m = _reference().summaries(_reference().read_days(DATA))
    rep = (x > 0) & (m > 0)
    assert len(x) > 2 * ltv.SCOUT and rep.sum() > 2 * ltv.SCOUT  # both fits are scouted
    scouted = ltv.fit_bgnbd(x, t_x, T), ltv.fit_gamma_gamma(x[rep], m[rep])
    monkeypatch.setattr(ltv, "SCOUT", len(x))
    plain = ltv.fit_bgnbd(x, t_x, T), ltv.fit_gamma_gamma(x[rep], m[rep])
    for got, expected in zip(scouted, plain):
        names = [f for f in got.__dataclass_fields__ if f != "n_customers"]
        assert [getattr(got, f) for f in names] == pytest.approx([getattr(expected, f) for f in names], rel=1e-6)
