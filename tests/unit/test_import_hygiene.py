"""domain/, store/, services and the importers never import Textual (checked in a fresh interpreter);
screens, dialogs and widgets never import store/ (they go through services.Shop; checked in the source)."""
import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_the_textual_check_would_notice_a_shopkeeper_module_that_loads_textual():
    assert "textual" in _imported_after(["shopkeeper.ui_support", "shopkeeper.app"])


# screens, dialogs and widgets never import the store ------------------------------------------------
PACKAGE = Path(__import__("shopkeeper").__file__).parent
UI_FOLDERS = ("screens", "dialogs", "widgets")


def store_imports(source: str, module: str) -> list[str]:
    """The imports in `source` (the text of `module`, e.g. shopkeeper.screens.x) that reach
    shopkeeper.store, however they are written: absolute, relative, or `from .. import store`."""
    package = module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        if any(name == "shopkeeper.store" or name.startswith("shopkeeper.store.") for name in names):
            found.append(ast.unparse(node))
    return found


def ui_modules() -> list[tuple[str, Path]]:
    return [(f"shopkeeper.{folder}.{path.stem}", path)
            for folder in UI_FOLDERS for path in sorted((PACKAGE / folder).glob("*.py"))]


def test_screens_dialogs_and_widgets_never_import_the_store():
    modules = ui_modules()
    assert {"shopkeeper.dialogs.sale", "shopkeeper.screens.checklist", "shopkeeper.widgets.form"} <= {m for m, _ in modules}
    offenders = {module: found for module, path in modules if (found := store_imports(path.read_text(), module))}
    assert offenders == {}


@pytest.mark.parametrize("line", [
    "from ..store.writes import LineInput",
    "from ..store import reads",
    "from .. import store",
    "import shopkeeper.store.db",
    "from shopkeeper.store.errors import StoreBusy",
    "def f():\n    from ..store.models import Sale",
])
def test_the_store_check_would_notice(line):
    assert store_imports(line, "shopkeeper.dialogs.sale")


@pytest.mark.parametrize("line", ["from ..services import Shop", "from ..domain.records import LineInput", "import os"])
def test_the_store_check_lets_other_imports_be(line):
    assert store_imports(line, "shopkeeper.dialogs.sale") == []
