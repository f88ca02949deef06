"""The first run from the command line: dev.py opens the owner's shop, the demo has its own file,
commands without --db never touch the demo, locale defaults, and every binding has a keymap id."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from shopkeeper.first_run import locale_defaults
from shopkeeper.keymap import binding_classes, check_key, KeymapError
from shopkeeper.paths import default_db_path, demo_db_path
from shopkeeper.services import Shop

ROOT = Path(__file__).resolve().parents[2]
DAY = "2026-03-02"


def load_dev():
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_run_opens_the_owners_shop_not_the_demo(monkeypatch):
    dev = load_dev()
    calls = []
    monkeypatch.setattr(dev, "ensure_venv", lambda extras: None)
    monkeypatch.setattr(dev.subprocess, "call", lambda args, **kw: calls.append(args) or 0)
    assert dev.main(["run", "--date", DAY]) == 0
    assert calls == [[str(dev.PY), "-m", "shopkeeper", "--date", DAY]]
    assert not any("demo" in arg for arg in calls[0])


def test_the_demo_flag_is_gone(run):
    code, out, err = run("--demo-if-empty")
    assert code == 2 and "unrecognized arguments: --demo-if-empty" in err


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "shopkeeper"


def test_demo_without_db_builds_its_own_file_and_commands_never_read_it(run, data_home):
    code, out, err = run("demo", "--no-open", "--date", DAY)
    demo = data_home / "demo.sqlite3"
    assert (code, err, out.strip()) == (0, "", f"demo shop created in {demo}")
    assert demo == demo_db_path(default_db_path()) and not default_db_path().exists()
    shop = Shop.open(demo)
    assert shop.count_customers() == 320 and shop.is_demo
    shop.close()
    code, out, err = run("export", "sales")  # the owner's file: there is none yet
    assert code == 2 and out == "" and f"no database at {default_db_path()}" in err
    code, out, err = run("demo", "--no-open", "--date", DAY)  # again: opened, not rebuilt, not refused
    assert (code, err, out.strip()) == (0, "", f"demo shop in {demo}")


def test_demo_beside_an_own_file_called_demo_does_not_overwrite_it(tmp_path):
    own = tmp_path / "demo.sqlite3"
    assert demo_db_path(own) != own and demo_db_path(own).parent == tmp_path


def test_the_app_opens_the_same_default_file_as_the_commands(run, data_home, monkeypatch):
    from shopkeeper.app import ShopkeeperApp

    seen = []
    monkeypatch.setattr(ShopkeeperApp, "run", lambda self, *a, **k: seen.append((self.shop.path, self.demo, self.keymap_file)))
    assert run("--date", DAY)[0] == 0
    assert seen == [(data_home / "shop.sqlite3", False, data_home / "keymap.toml")]
    code, out, err = run("export", "sales")
    assert code == 0 and out.strip() == "id,date,customer_id,customer,amount,items,on_sale,note,lines,refund_of"


def test_a_demo_file_opened_with_db_is_shown_as_the_demo(run, data_home, tmp_path, monkeypatch):
    from shopkeeper.app import ShopkeeperApp

    practice = tmp_path / "practice.sqlite3"
    assert run("demo", "--no-open", "--date", DAY, "--db", practice)[0] == 0
    seen = []
    monkeypatch.setattr(ShopkeeperApp, "run", lambda self, *a, **k: seen.append((self.shop.path, self.demo, self.own_path)))
    assert run("--db", practice, "--date", DAY)[0] == 0
    assert seen == [(practice, True, data_home / "shop.sqlite3")]


@pytest.mark.parametrize("env, expected", [
    ({"LANG": "fr_FR.UTF-8"}, ("EUR", "FR")),
    ({"LANG": "en_GB.UTF-8"}, ("GBP", "GB")),
    ({"LANG": "de_CH.UTF-8"}, ("CHF", "CH")),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "de_DE.UTF-8"}, ("EUR", "DE")),
    ({"LANG": "en_GB.UTF-8", "LC_MONETARY": "fr_BE.UTF-8"}, ("EUR", "BE")),
    ({"LANG": "ca_ES@valencia"}, ("EUR", "ES")),
    ({"LANG": "C.UTF-8"}, ("EUR", "FR")),
    ({}, ("EUR", "FR")),
])
def test_new_shop_defaults_come_from_the_locale(env, expected):
    assert locale_defaults(env) == expected


def declared_bindings(cls):
    """The bindings shopkeeper itself declares on a class and its shopkeeper bases (not Textual's own)."""
    for base in cls.__mro__:
        if base.__module__.startswith("shopkeeper"):
            for binding in base.__dict__.get("BINDINGS", []):
                yield binding


def test_every_binding_has_a_keymap_id_naming_its_screen():
    ids: dict[str, set[str]] = {}
    classes = binding_classes()
    assert len(classes) > 15
    for cls in classes:
        for binding in declared_bindings(cls):
            assert binding.id, f"{cls.__name__}: {binding.key} → {binding.action} has no id (add id=\"area.name\")"
            assert "." in binding.id and " " not in binding.id
            ids.setdefault(binding.id, set()).add(binding.action)
    assert {"app.find", "app.sale", "checklist.kept", "welcome.demo", "app.own_shop"} <= ids.keys()
    assert all(len(actions) == 1 for actions in ids.values()), {i: a for i, a in ids.items() if len(a) > 1}


@pytest.mark.parametrize("typed, stored", [("b", "b"), ("?", "question_mark"), ("Ctrl+B", "ctrl+b"), ("K, f5", "K,f5")])
def test_keys_are_read_as_textual_names_them(typed, stored):
    assert check_key("app.sale", typed) == stored


@pytest.mark.parametrize("typed", ["", "ctrl+", "hyperspace", "cmd+b"])
def test_unknown_keys_are_refused(typed):
    with pytest.raises(KeymapError):
        check_key("app.sale", typed)


@pytest.mark.parametrize("content, expected", [
    ('app.sale = "b"\nchecklist.kept = "K,f5"\n', {"app.sale": "b", "checklist.kept": "K,f5"}),
    ('[checklist]\nkept = "K"\n', {"checklist.kept": "K"}),
    ('[keymap]\n"app.sale" = "b"\n', {"app.sale": "b"}),
    ('app.sale = "s"\n', {"app.sale": "s"}),  # the card's own s (also a sale) is no clash
    ("", {}),
])
def test_keymap_files_as_the_readme_shows_them(tmp_path, content, expected):
    from shopkeeper.keymap import read_keymap

    path = tmp_path / "keymap.toml"
    path.write_text(content, encoding="utf-8")
    assert read_keymap(path) == expected


def test_no_keymap_file_means_the_default_keys(tmp_path):
    from shopkeeper.keymap import load_keymap

    assert load_keymap(tmp_path / "keymap.toml") == ({}, None)


def test_a_key_taken_on_one_screen_is_refused_with_both_names(tmp_path):
    from shopkeeper.keymap import load_keymap

    path = tmp_path / "keymap.toml"
    path.write_text('checklist.kept = "c"\n', encoding="utf-8")
    assert load_keymap(path) == ({}, "keymap.toml: 'c' would be both checklist.contact and checklist.kept (on the checklist screen)")
