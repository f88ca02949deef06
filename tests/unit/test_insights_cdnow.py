"""The CDNOW sample imported as sales through the CLI, then `insights --date 1997-09-30`,
reproduces the published BG/NBD and Gamma-Gamma estimates within 1%."""
import json
from pathlib import Path

import pytest

from shopkeeper.cli import main

DATA = Path(__file__).resolve().parent.parent / "data" / "CDNOW_sample.txt"
PUBLISHED = {
    "purchases": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426},
    "spend": {"p": 6.25, "q": 3.74, "v": 15.44},
}


@pytest.fixture(scope="module")
def cdnow_insights(tmp_path_factory, capsys_module=None):
    import io
    import contextlib

    db = tmp_path_factory.mktemp("cdnow") / "cdnow.sqlite3"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["import", "sales", str(DATA), "--db", str(db), "--map", "customer_id=1", "--map", "date=3",
                     "--map", "quantity=4", "--map", "amount=5"]) == 0
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["insights", "--date", "1997-09-30", "--format", "json", "--db", str(db)]) == 0
    return json.loads(out.getvalue())


def test_models_match_the_published_estimates(cdnow_insights):
    models = cdnow_insights["models"]
    assert models["purchases"]["name"] == "BG/NBD" and models["purchases"]["time_unit"] == "week"
    assert models["spend"]["name"] == "Gamma-Gamma"
    for model, params in PUBLISHED.items():
        for name, published in params.items():
            assert models[model][name] == pytest.approx(published, rel=0.01), (model, name)


def test_models_saw_the_papers_customers(cdnow_insights):
    assert cdnow_insights["models"]["purchases"]["customers"] == 2357
    assert cdnow_insights["models"]["spend"]["customers"] == 946



def test_holdout_on_the_sample(cdnow_insights):
    from test_insights_full_fit import check_holdout

    holdout = check_holdout(cdnow_insights, DATA)
    assert (holdout["actual"], round(holdout["expected"])) == (1882, 1653)  # as in the README
