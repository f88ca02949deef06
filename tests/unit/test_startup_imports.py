"""Start-up does without the heavy modules: the checklist is painted before the ORM models, Alembic,
the insights' numpy/scipy and the chart library are imported (they cost about a third of a start;
benchmarks/ `startup`). Each check runs the app in a fresh interpreter, as a user starts it."""
import json
import subprocess
import sys

from shopkeeper.store.backend import is_server

HEAVY = ("shopkeeper.store.models", "alembic", "numpy", "scipy", "plotext", "textual_plotext")

# Runs the app headless on the shop at argv[1] as of argv[2]; once the checklist's rows are painted,
# prints the rows shown and which heavy modules were loaded by then, and stops.
PAINTED = """
import json, os, sys
from datetime import date
from shopkeeper.app import make_app
from shopkeeper.screens import checklist as screen
from shopkeeper.services import Shop

heavy, original = json.loads(sys.argv[3]), screen.ChecklistScreen.show

def show(self, checklist):
    original(self, checklist)
    loaded = [name for name in heavy if name in sys.modules]
    self.app.call_after_refresh(lambda: (print(json.dumps({"rows": len(self.items), "loaded": loaded})), os._exit(0)))

screen.ChecklistScreen.show = show
make_app(Shop.open(sys.argv[1]), today=date.fromisoformat(sys.argv[2])).run(headless=True, size=(80, 24))
"""


def _python(code: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_importing_the_app_and_its_first_screens_loads_no_heavy_module():
    code = ("import json, sys\nimport shopkeeper.app, shopkeeper.screens.checklist, shopkeeper.screens.welcome\n"
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    assert json.loads(_python(code)) == []


def test_the_checklist_is_painted_before_the_models_are_imported(shop, make, today):
    shop.start_shop("Corner shop", "EUR", "FR", today)
    make.buyer("Due Today", shop.settings.second_sale_after_days)  # a second-sale call on the list
    tagged = make.buyer("Tagged Buyer", shop.settings.second_sale_after_days + 1, phones=("06 55 44 33 22",))
    shop.add_tags(tagged, "regular")
    shop.add_staff("Ann Till", "AT")
    location = str(shop.location)
    shop.close()

    heavy = HEAVY if is_server(location) else HEAVY + ("sqlalchemy.dialects.postgresql",)
    result = json.loads(_python(PAINTED, location, today.isoformat(), json.dumps(heavy)).splitlines()[-1])
    assert result["rows"] == 2  # the real checklist, read without the models
    assert result["loaded"] == []
