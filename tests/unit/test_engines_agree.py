"""The same shop gives the same answers on both engines (issue 12): the demo shop and the CDNOW
sample, on an SQLite file and on a PostgreSQL database, give the same checklist JSON, customers and
sales exports and insights JSON through the command line (floats to 1e-6 relative)."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import math
from datetime import date
from pathlib import Path

import pytest

from shopkeeper.cli import main
from shopkeeper.demo import build_demo
from shopkeeper.services import Shop

DATA = Path(__file__).resolve().parent.parent / "data" / "CDNOW_sample.txt"
DEMO_DAY = date(2026, 3, 2)
CDNOW_DAY = "1997-09-30"


def cli(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    assert code == 0, err.getvalue()
    return out.getvalue()


def answers(location, day: str) -> dict:
    """What the shop answers, parsed: JSON as data, CSV as rows."""
    return {
        "checklist": json.loads(cli("checklist", "--format", "json", "--date", day, "--db", location)),
        "customers": list(csv.reader(io.StringIO(cli("export", "customers", "--date", day, "--db", location)))),
        "sales": list(csv.reader(io.StringIO(cli("export", "sales", "--db", location)))),
        "insights": json.loads(cli("insights", "--format", "json", "--date", day, "--db", location)),
    }


def differences(a, b, where: str = "") -> list[str]:
    """Where two answers differ (numbers to 1e-6 relative, numeric text too)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{where}: keys {sorted(set(a) ^ set(b))}"] if set(a) != set(b) else []
        for key in sorted(set(a) & set(b), key=str):
            out += differences(a[key], b[key], f"{where}.{key}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items vs {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{where}[{i}]")]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return [] if math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9) else [f"{where}: {a!r} vs {b!r}"]
    if isinstance(a, str) and isinstance(b, str) and a != b:
        try:
            if math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9):
                return []
        except ValueError:
            pass
    return [] if a == b else [f"{where}: {a!r} vs {b!r}"]


@pytest.fixture
def both(pg_server, tmp_path):
    """An empty SQLite file and an empty PostgreSQL database."""
    url = pg_server.new_database(template="shopkeeper_template")
    yield tmp_path / "shop.sqlite3", url
    pg_server.drop_database(url)


def test_the_demo_shop_answers_the_same_on_both_engines(both):
    for location in both:
        shop = Shop.open(location)
        try:
            build_demo(shop, DEMO_DAY)
        finally:
            shop.close()
    sqlite, server = (answers(location, DEMO_DAY.isoformat()) for location in both)
    found = differences(sqlite, server)
    assert not found, f"{len(found)} differences, first: {found[:10]}"


def test_the_cdnow_sample_answers_the_same_on_both_engines(both):
    for location in both:
        cli("import", "sales", DATA, "--db", location, "--map", "customer_id=1", "--map", "date=3",
            "--map", "quantity=4", "--map", "amount=5", "--date", "1998-07-01")
    sqlite, server = (answers(location, CDNOW_DAY) for location in both)
    found = differences(sqlite, server)
    assert not found, f"{len(found)} differences, first: {found[:10]}"
