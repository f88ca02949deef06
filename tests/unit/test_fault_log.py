"""The app's fault log: set up by the CLI when it launches the app (not at import), beside the
database, and taken down when the app ends."""
from __future__ import annotations

import logging

from shopkeeper.services import Shop


def test_the_app_launch_logs_faults_beside_the_database(tmp_path, monkeypatch):
    from shopkeeper import app as app_module
    from shopkeeper import cli

    db = tmp_path / "shop.sqlite3"
    Shop.open(db).close()
    seen = {}

    class FakeApp:
        def __init__(self, shop, today, demo=False, own_path=None, keymap_file=None, log_file=None, till_file=None):
            self.shop = shop
            seen["log_file"] = log_file

        def run(self):
            try:
                raise RuntimeError("a fault inside the app")
            except RuntimeError:
                logging.getLogger("shopkeeper").exception("could not do the thing")

    monkeypatch.setattr(app_module, "make_app", lambda *args, **kwargs: FakeApp(*args, **kwargs))
    assert not logging.getLogger("shopkeeper").handlers  # importing set nothing up
    assert cli.main(["--db", str(db)]) == 0
    log_file = tmp_path / "shopkeeper.log"
    assert seen["log_file"] == log_file
    text = log_file.read_text()
    assert "could not do the thing" in text and "Traceback" in text and "RuntimeError: a fault inside the app" in text
    assert not logging.getLogger("shopkeeper").handlers  # taken down when the app ended
