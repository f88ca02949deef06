"""Child processes the benchmark starts, so each measurement begins at a real process start.

    python -m benchmarks.probe startup app DB DAY   # print the wall time the checklist was painted
    python -m benchmarks.probe startup bare         # the same for a bare Textual app + sqlmodel
    python -m benchmarks.probe memory DB DAY        # open the customers list, page to the end, print peak RSS

Each prints one JSON line on stdout.
"""
from __future__ import annotations

import json
import os
import sys
import time


def _done(payload: dict) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()
    os._exit(0)  # the figure is taken: skip the interpreter's teardown


def startup_app(db: str, day: str) -> None:
    from datetime import date

    from shopkeeper.app import make_app
    from shopkeeper.services import Shop
    from shopkeeper.screens import checklist as checklist_screen

    original, query = checklist_screen.ChecklistScreen.show, Shop.checklist
    spent: list[float] = []

    def checklist(self, *args, **kwargs):  # the checklist query's own time, reported beside
        started = time.perf_counter()
        try:
            return query(self, *args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    def show(self, checklist):  # the checklist's rows go in the widget: record the next paint
        # queued before the screen's own after-paint work (its next batch of rows, the warm-up), so
        # the time is the paint's, not that of what the app does just after it
        self.call_after_refresh(lambda: _done({"painted": time.time(), "rows": len(self.items),
                                               "checklist_query_ms": 1000 * sum(spent)}))
        original(self, checklist)

    checklist_screen.ChecklistScreen.show = show
    Shop.checklist = checklist
    shop = Shop.open(db)
    make_app(shop, today=date.fromisoformat(day)).run(headless=True, size=(80, 24))


def startup_bare() -> None:
    """The floor: the same widgets (header, summary, list, detail, footer) filled by a worker
    thread, in a Textual app that also imports sqlmodel, with no shop behind it."""
    import sqlmodel  # noqa: F401 - the ORM the real app needs is part of the floor
    from textual import work
    from textual.app import App
    from textual.widgets import Footer, Header, OptionList, Static

    class Bare(App):
        def compose(self):
            yield Header()
            yield Static("summary", id="summary")
            yield OptionList(id="checklist")
            yield Static(id="detail")
            yield Footer()

        def on_mount(self) -> None:
            self.load()

        @work(thread=True)
        def load(self) -> None:
            rows = [f"row {n}" for n in range(20)]
            self.call_from_thread(self.show, rows)

        def show(self, rows) -> None:
            self.query_one(OptionList).add_options(rows)
            self.call_after_refresh(lambda: _done({"painted": time.time(), "rows": len(rows)}))

    Bare().run(headless=True, size=(80, 24))


def _peak_rss() -> dict:
    """This process's peak resident set (VmHWM), and what is resident now split by kind.

    Not getrusage's ru_maxrss: Linux carries it across exec, so a child of a big parent would
    report the parent's peak."""
    fields = {}
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem"):
                fields[key] = int(value.split()[0]) / 1024
    return {"peak_rss_mb": fields.get("VmHWM", 0.0), "rss_now_mb": fields.get("VmRSS"),
            "anon_mb": fields.get("RssAnon"), "file_mb": fields.get("RssFile")}


def memory(db: str, day: str) -> None:
    """Peak RSS with the shop open and the customers list paged from the first row to the last."""
    import asyncio
    from datetime import date

    from shopkeeper.app import make_app
    from shopkeeper.services import Shop

    shop = Shop.open(db)
    app = make_app(shop, today=date.fromisoformat(day))

    async def run() -> dict:
        started = time.perf_counter()
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("u")
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            pages = 1
            while screen.start + len(screen.page or []) < screen.total:
                await pilot.press("right_square_bracket")
                await app.workers.wait_for_complete()
                await pilot.pause()
                pages += 1
            last_row = screen.start + len(screen.page or [])
            await pilot.press("escape")
            await pilot.pause()
        return {**_peak_rss(), "pages": pages, "rows_seen": last_row, "seconds": time.perf_counter() - started}

    _done(asyncio.run(run()))


def main(argv: list[str]) -> None:
    if argv[:2] == ["startup", "app"]:
        startup_app(argv[2], argv[3])
    elif argv[:2] == ["startup", "bare"]:
        startup_bare()
    elif argv[:1] == ["memory"]:
        memory(argv[1], argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
