"""Import a till's or online shop's export from the app: the file's path (completed as it is
typed, → accepts), the export it was recognised as and its first sales as they will be read, the
problems by line, then the import with a progress bar. The same code as `shopkeeper import sales`."""
from __future__ import annotations

import os
from pathlib import Path


from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.suggester import Suggester
from textual.widgets import Footer, Header, Input, ProgressBar, Static

from ..keymap import default_bindings
from ..domain.money import format_money
from ..ui_support import shop_of, today_of
from ..ui_work import loader
from ..widgets.plain import Plain

PREVIEW_ROWS = 8


class PathSuggester(Suggester):
    """Completes the last part of a path from the files and folders that are there."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        typed = Path(value).expanduser()
        folder, start = (typed, "") if value.endswith(os.sep) else (typed.parent, typed.name)
        try:
            names = sorted(p.name + (os.sep if p.is_dir() else "") for p in folder.iterdir()
                           if p.name.startswith(start) and not p.name.startswith("."))
        except OSError:
            return None
        return value[: len(value) - len(start)] + names[0] if names else None


class _ScreenProgress:
    """The importer's progress (see progress.TerminalProgress), shown on the screen's bar from the worker thread."""

    def __init__(self, screen: "ImportSalesScreen") -> None:
        self.screen = screen

    def stage(self, text: str) -> None:
        self.screen.app.call_from_thread(self.screen.show_stage, text)

    def advance(self, label: str, done: int, total: int) -> None:
        self.screen.app.call_from_thread(self.screen.show_progress, done, total)

    def finish(self) -> None:
        pass


class ImportSalesScreen(Screen):
    AREA = "import"
    BINDINGS = default_bindings("ImportSalesScreen")  # shopkeeper/keys.toml

    def __init__(self) -> None:
        super().__init__()
        self.checked_path: Path | None = None  # the file read and found without problems
        self.running = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Plain("Import sales from Shopify or Square — type the file's path (→ completes), enter reads it, "
                    "ctrl+s imports", id="summary")
        yield Input(placeholder="path of the export, e.g. ~/Downloads/orders_export.csv", id="import-path",
                    suggester=PathSuggester())
        with VerticalScroll(id="import-body"):
            yield Plain(id="import-format")
            yield Plain(id="import-preview")
            yield Plain(id="import-problems")
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Plain(id="import-result")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#import-progress", ProgressBar).display = False
        self.query_one("#import-path", Input).focus()

    # reading ----------------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.checked_path = None
        for name in ("#import-format", "#import-preview", "#import-problems", "#import-result"):
            self.query_one(name, Static).update("")
        if not event.value.strip():
            self.query_one("#import-problems", Static).update("Type the path of the export first.")
            return
        self.read_file(Path(event.value.strip()).expanduser())

    @loader("import", "read the file")
    def read_file(self, path: Path) -> None:
        from ..csvfiles import CsvError
        from ..imports import ImportRefused
        from ..pos.importer import check_export

        self.app.call_from_thread(self.query_one("#import-format", Static).update, f"Reading {path.name}…")
        try:
            checked = check_export(shop_of(self.app), path, None, today_of(self.app))
        except (CsvError, ImportRefused, OSError) as exc:
            problems = exc.errors if isinstance(exc, ImportRefused) else [str(exc)]
            self.app.call_from_thread(self.show_checked, path, None, problems)
            return
        self.app.call_from_thread(self.show_checked, path, checked, checked.read.errors)

    def show_checked(self, path: Path, checked, problems: list[str]) -> None:
        if checked is None:
            self.query_one("#import-format", Static).update("Not an export shopkeeper can read.")
        else:
            sales = checked.read.sales
            left = ", ".join(f"{n} {why}" for why, n in sorted(checked.read.left_out.items()))
            refunds = sum(1 for s in sales if s.amount < 0)
            refunds_text = f" ({refunds} refund{'s' if refunds > 1 else ''})" if refunds else ""
            self.query_one("#import-format", Static).update(
                f"{checked.label}: {checked.rows:,} rows, {len(sales):,} sales{refunds_text}"
                + (f"; left out: {left}" if left else ""))
            self.query_one("#import-preview", Static).update(self._preview(checked))
        if problems:
            shown = problems[:20] + ([f"… and {len(problems) - 20} more"] if len(problems) > 20 else [])
            self.query_one("#import-problems", Static).update(
                f"{len(problems)} problem(s), nothing will be imported until they are fixed:\n" + "\n".join(shown))
        elif checked is not None:
            self.checked_path = path
            self.query_one("#import-problems", Static).update("No problems: ctrl+s imports.")

    def _preview(self, checked) -> str:
        currency = shop_of(self.app).settings.currency
        lines = []
        for sale in checked.read.sales[:PREVIEW_ROWS]:
            person = checked.people.get(id(sale))
            who = (person.name or person.email or person.external_id) if person else "walk-in"
            items = ", ".join(f"{q} × {name}" for name, q, _ in sale.items)
            lines.append(f"{sale.stamp.day}  {format_money(sale.amount, currency):>14}  {who[:24]:<24}  {items}"[:200])
        more = len(checked.read.sales) - PREVIEW_ROWS
        return "\n".join(lines + ([f"… and {more:,} more"] if more > 0 else []))

    # importing --------------------------------------------------------------------------------
    def action_import_file(self) -> None:
        if self.running:
            return
        if self.checked_path is None:
            self.notify("Read a file without problems first (type its path, then enter)", severity="warning")
            return
        self.running = True
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.import_file(self.checked_path)

    @loader("import", "import the file")
    def import_file(self, path: Path) -> None:
        from ..csvfiles import CsvError
        from ..imports import ImportRefused
        from ..pos.importer import import_pos_sales

        try:
            report = import_pos_sales(shop_of(self.app), path, None, today_of(self.app), progress=_ScreenProgress(self))
        except (CsvError, ImportRefused, OSError) as exc:
            problems = exc.errors if isinstance(exc, ImportRefused) else [str(exc)]
            self.app.call_from_thread(self.show_done, None, problems)
            return
        self.app.call_from_thread(self.show_done, report, [])

    def show_stage(self, text: str) -> None:
        self.query_one("#import-result", Static).update(text + "…")

    def show_progress(self, done: int, total: int) -> None:
        self.query_one("#import-progress", ProgressBar).update(total=total, progress=done)

    def show_done(self, report, problems: list[str]) -> None:
        self.running = False
        self.checked_path = None  # importing it again would add nothing: read it again first
        if report is None:
            self.query_one("#import-result", Static).update("Import refused, nothing written:\n" + "\n".join(problems[:20]))
            return
        bar = self.query_one("#import-progress", ProgressBar)
        if bar.total is None:  # nothing new to write: the bar still ends full
            bar.update(total=1, progress=1)
        self.query_one("#import-result", Static).update(report.summary())
        self.notify(report.summary())

    def action_leave(self) -> None:
        if not self.running:
            self.app.pop_screen()
