"""The POS importers, the time-zone reading and the progress line never import Textual (as the core),
checked in a fresh interpreter."""
import json
import subprocess
import sys

MODULES = ["shopkeeper.pos", "shopkeeper.pos.importer", "shopkeeper.pos.customers_import",
           "shopkeeper.domain.timestamps", "shopkeeper.progress", "shopkeeper.store.timed_sales"]


def test_pos_modules_do_not_import_textual():
    code = ("import importlib, json, sys\n"
            f"for name in {MODULES!r}:\n"
            "    importlib.import_module(name)\n"
            "print(json.dumps(sorted(sys.modules)))\n")
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                           check=True).stdout))
    assert "shopkeeper.pos.importer" in loaded
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}
