"""domain/, store/, services and the importers never import Textual (checked in a fresh interpreter)."""
import json
import pkgutil
import subprocess
import sys

import shopkeeper.domain
import shopkeeper.store


def _modules(package) -> list[str]:
    return [f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__) if m.name != "migrations"]


def _imported_after(modules: list[str]) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out))


def test_core_modules_do_not_import_textual():
    modules = _modules(shopkeeper.domain) + _modules(shopkeeper.store) + [
        "shopkeeper.services", "shopkeeper.imports", "shopkeeper.csvfiles", "shopkeeper.exports", "shopkeeper.demo",
    ]
    assert "shopkeeper.store.db" in modules and "shopkeeper.domain.second_sale" in modules
    loaded = _imported_after(modules)
    assert "shopkeeper.services" in loaded  # the check really ran
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_the_cli_module_does_no_work_at_import():
    loaded = _imported_after(["shopkeeper.cli"])
    assert not {m for m in loaded if m.split(".")[0] in {"textual", "sqlalchemy", "sqlmodel", "alembic"}}


def test_the_textual_check_would_notice():
    assert "textual" in _imported_after(["textual"])
