"""Help built from the live bindings of the screen it was opened on, never a hand-typed table."""
from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header
from ..widgets.plain import Plain


GENERIC_ACTIONS = {"app.focus_next", "app.focus_previous", "screen.copy_text", "command_palette", "screen.minimize", "screen.maximize"}


def bindings_table(screen: Screen) -> Table:
    app = screen.app
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
    table.add_column("Key", no_wrap=True)
    table.add_column("Does")
    table.add_column("Keymap id", style="dim")
    seen: set[tuple[str, str]] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        what = binding.tooltip or binding.description
        # Only what shopkeeper itself binds; a list's own arrows and paging need no explaining.
        if not what or active.node not in (app, screen) or binding.action in GENERIC_ACTIONS:
            continue
        mark = (binding.action, key)
        if mark in seen:
            continue
        seen.add(mark)
        table.add_row(app.get_key_display(binding), what, binding.id or "")
    return table


class HelpScreen(Screen):
    AREA = "help"
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back", id="help.back")]

    def __init__(self, about: Screen) -> None:
        super().__init__()
        self.about = about

    def files_note(self) -> str:
        from ..first_run import short_path, where_it_lives
        from ..paths import keymap_path

        shop = self.app.shop  # type: ignore[attr-defined]
        keymap = getattr(self.app, "keymap_file", None) or keymap_path()
        return (f"\n{where_it_lives(shop.location, shop.settings.backup_keep_days, getattr(self.app, 'demo', False))}\n"
                f"To change a key (app.… ones work on every screen), put its id and the new key in\n"
                f"{short_path(keymap)}, e.g. app.sale = \"b\" (README: \"Keys and keymap\").")

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help"):
            yield Plain(
                f"Keys on this screen ({getattr(self.about, 'AREA', 'app')}). ↑↓ move in a list, enter opens, "
                "tab moves between fields, ctrl+p searches every action.\n"
            )
            yield Plain(bindings_table(self.about))
            yield Plain(self.files_note(), id="help-files")
            log_file = getattr(self.app, "log_file", None)
            if log_file:
                yield Plain(f"\nIf something goes wrong, the details are written to {log_file}", classes="hint")
        yield Footer()
