"""Snapshots of every main screen at 80x24 and 120x40 on the demo shop, on a fixed day."""
from __future__ import annotations

from datetime import timedelta

import pytest

from shopkeeper.app import make_app

from .conftest import DEMO_DAY
from .scenes import DEMO_SCENES, SCENE_DAYS_BEFORE, SCENES


@pytest.fixture(autouse=True)
def home_is_the_shops_folder(tmp_path, monkeypatch):
    """Help and settings show the shop's file: as ~/demo.sqlite3 here, the same in every run."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("scene", list(SCENES))
@pytest.mark.sqlite_only  # the screens name the shop's file; the data is checked alike on both (test_engines_agree)
def test_screen_snapshot(snap_compare, demo_shop, scene, size):
    today = DEMO_DAY - timedelta(days=SCENE_DAYS_BEFORE.get(scene, 0))
    app = make_app(demo_shop, today=today, demo=scene in DEMO_SCENES)
    assert snap_compare(app, terminal_size=size, run_before=SCENES[scene])
