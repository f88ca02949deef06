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


# every write and every worker of the UI goes through ui_work ---------------------------------------
def shop_writes() -> set[str]:
    """Every public Shop method that writes: it opens `writing(...)` or calls one that does (a
    refund goes through log_sale), read from services.py so a new write is never left out."""
    tree = ast.parse((PACKAGE / "services.py").read_text())
    shop = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Shop")
    methods = {f.name: f for f in shop.body if isinstance(f, ast.FunctionDef)}
    calls = {name: {c.func.attr if isinstance(c.func, ast.Attribute) else getattr(c.func, "id", "")
                    for c in ast.walk(f) if isinstance(c, ast.Call)} for name, f in methods.items()}
    writes = {name for name, called in calls.items() if "writing" in called}
    while True:
        more = {name for name, called in calls.items() if called & writes} - writes
        if not more:
            break
        writes |= more
    return {name for name in writes if not name.startswith("_")} | {"backup"}


SHOP_WRITES = shop_writes()


def test_the_list_of_shop_writes_is_whole():
    assert {"save_settings", "log_sale", "log_refund", "void_sale", "edit_sale", "lift_do_not_contact",
            "add_family_date", "update_family_date", "remove_family_date", "merge", "erase_customer"} <= SHOP_WRITES
    assert not {"card", "checklist", "lookup", "customer_sales", "preferred_channel"} & SHOP_WRITES


def writes_on_the_ui_thread(source: str) -> list[str]:
    """Calls of a Shop write that are not inside the `write` handed to ui_work.save (a lambda, or a
    nested function named write), and workers started without ui_work.loader."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in SHOP_WRITES:
                up = parents.get(node)
                while up is not None and not (isinstance(up, ast.Lambda) or (isinstance(up, ast.FunctionDef) and up.name == "write")):
                    up = parents.get(up)
                if up is None:
                    found.append(ast.unparse(node))
            elif node.func.attr == "run_worker":
                found.append(ast.unparse(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found += [ast.unparse(d) for d in node.decorator_list if "work" == getattr(getattr(d, "func", d), "id", "")]
    return found


def test_screens_dialogs_and_widgets_write_and_load_only_through_ui_work():
    offenders = {module: found for module, path in ui_modules() if (found := writes_on_the_ui_thread(path.read_text()))}
    assert offenders == {}


@pytest.mark.parametrize("source", [
    "def action_kept(self):\n    shop_of(self.app).set_promise_status(1, 'kept', day)",
    "def saved(self):\n    self.shop.log_sale(sale)",
    "@work(thread=True)\ndef load(self):\n    pass",
    "def go(self):\n    self.run_worker(self.load, thread=True)",
])
def test_the_ui_thread_check_would_notice(source):
    assert writes_on_the_ui_thread(source)


def test_the_ui_thread_check_lets_saves_be():
    assert writes_on_the_ui_thread("save(self, lambda: shop.log_sale(sale), done)\n"
                                   "def f():\n    def write():\n        shop.log_contact(1)\n    save(self, write)") == []
