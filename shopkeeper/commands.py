"""Command-palette entries generated from bindings, so every keyed action is also searchable."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from textual.app import SystemCommand

from .screens.help import GENERIC_ACTIONS

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


def binding_commands(app: "App", screen: "Screen") -> Iterable[SystemCommand]:
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if active.node not in (app, screen):  # a focused widget's own keys ("verticalscroll: Page Left")
            continue
        if binding.action in seen or binding.action in ("command_palette", "quit", *GENERIC_ACTIONS) or not binding.description:
            continue
        seen.add(binding.action)
        area = "app" if active.node is app else getattr(active.node, "AREA", type(active.node).__name__.lower())
        title = f"{area}: {binding.tooltip or binding.description}"
        yield SystemCommand(title, f"key {app.get_key_display(binding)}", _runner(app, active.node, binding.action))


def _runner(app: "App", node, action: str):
    async def run() -> None:
        await app.run_action(action, node)

    return run
