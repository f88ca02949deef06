"""Fixtures shared by the unit and functional tests: a fixed "today", and a shop on each engine.

Every test that takes a shop (`shop`, `db_location`, the functional shops) runs twice: on a fresh
SQLite file and on a fresh PostgreSQL database (copied from a migrated template) on a throwaway
server the session starts itself. Where PostgreSQL is not installed that half is skipped and the
run says so in one line; under CI=true it must run, and a server that cannot start fails the run.
SHOPKEEPER_TEST_ENGINES=sqlite (or =postgresql) runs one half only.
"""
from __future__ import annotations

import os
from datetime import date

import pytest

from shopkeeper.services import Shop
from support.pg_server import TEMPLATE, PgServer, pg_bin

TODAY = date(2026, 3, 2)  # a Monday; tests never read the real clock
ENGINES = [e.strip() for e in os.environ.get("SHOPKEEPER_TEST_ENGINES", "sqlite,postgresql").split(",") if e.strip()]
_skipped_pg: list[str] = []


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "sqlite_only: about the SQLite file itself (WAL, file checks, the file copy)")


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def pg_server():
    """One throwaway PostgreSQL server for the session, with a migrated template shop."""
    if pg_bin() is None:
        if _on_ci():
            pytest.fail("CI=true but PostgreSQL is not installed (no initdb): .ci/run should have installed it",
                        pytrace=False)
        _skipped_pg.append("PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin)")
        pytest.skip("PostgreSQL is not installed: the PostgreSQL half of the tests is skipped")
    server = PgServer(port=int(os.environ.get("SHOPKEEPER_TEST_PG_PORT", "54329")))
    try:
        server.start()
    except Exception as exc:  # noqa: BLE001 - any failure to start is the run's failure on CI
        pytest.fail(f"the test PostgreSQL server did not start: {exc}", pytrace=False)
    server.admin(f'CREATE DATABASE "{TEMPLATE}"')
    Shop.open(server.url(TEMPLATE)).close()  # the schema once; each test copies it
    yield server
    server.stop()


def pytest_terminal_summary(terminalreporter) -> None:
    if _skipped_pg:
        terminalreporter.write_line(f"shopkeeper: PostgreSQL half skipped — {_skipped_pg[0]}")


@pytest.fixture(params=ENGINES)
def engine_name(request) -> str:
    """'sqlite' or 'postgresql': which engine this run of the test uses."""
    if request.param == "postgresql" and request.node.get_closest_marker("sqlite_only"):
        pytest.skip("about the SQLite file itself")
    return request.param


@pytest.fixture
def db_location(engine_name, request, tmp_path):
    """Where a fresh, empty shop lives for this test: an SQLite file path, or a PostgreSQL URL."""
    if engine_name == "sqlite":
        yield tmp_path / "shop.sqlite3"
        return
    server = request.getfixturevalue("pg_server")
    url = server.new_database(template=TEMPLATE)
    yield url
    server.drop_database(url)


@pytest.fixture
def new_location(engine_name, request, tmp_path):
    """A maker of further fresh shops on the same engine (a second shop, a restore target)."""
    made: list[str] = []

    def _make(name: str = "other"):
        if engine_name == "sqlite":
            return tmp_path / f"{name}.sqlite3"
        url = request.getfixturevalue("pg_server").new_database(template=TEMPLATE)
        made.append(url)
        return url

    yield _make
    for url in made:
        request.getfixturevalue("pg_server").drop_database(url)


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path_factory, monkeypatch):
    """No test writes into the real user data folder (a server shop's log, backups, call lists)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data-home")))


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def shop(db_location):
    """An empty shop on a fresh database of this run's engine."""
    opened = Shop.open(db_location)
    yield opened
    opened.close()
