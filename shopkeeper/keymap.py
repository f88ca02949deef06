"""The owner's keys: keymap.toml maps binding ids to keys, applied with Textual's keymap.

    # keymap.toml, in the data folder beside the shop's file
    app.sale = "b"            # log a sale with b instead of s
    checklist.kept = "K"      # several keys: "K,f5"

A dotted id is a TOML table, so `[checklist]` then `kept = "K"` works too. Every binding has an id
(help shows them). A file that cannot be used is refused whole, with a one-line reason: an unknown
id, a key Textual does not know, or a key already doing something else on the same screen.
"""
from __future__ import annotations

import importlib
import pkgutil
import tomllib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from textual.binding import Binding
from textual.keys import Keys, _normalize_key_list, key_to_character
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from textual.dom import DOMNode

MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
KEY_NAMES = {key.value for key in Keys}
UI_PACKAGES = ("shopkeeper.screens", "shopkeeper.dialogs", "shopkeeper.widgets")


@cache
def _default_keys() -> dict[str, list[dict]]:
    return tomllib.loads((Path(__file__).parent / "keys.toml").read_text(encoding="utf-8"))


def default_bindings(owner: str) -> list[Binding]:
    """The BINDINGS of a screen or dialog (by class name) from keys.toml, one data file for the
    default keys instead of a long list of Binding(...) lines in each screen."""
    return [Binding(**entry) for entry in _default_keys()[owner]]


class KeymapError(ValueError):
    """A keymap file that cannot be used; the message says why."""


def binding_classes() -> list[type]:
    """The app and every screen, dialog and widget of shopkeeper that declares bindings."""
    from textual.dom import DOMNode

    from .app import ShopkeeperApp

    for package in UI_PACKAGES:
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            importlib.import_module(f"{package}.{info.name}")
    found: list[type] = [ShopkeeperApp]

    def walk(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    for cls in walk(DOMNode):
        if cls.__module__.startswith(UI_PACKAGES) and cls not in found and list(bindings_of(cls)):
            found.append(cls)
    return found


def bindings_of(cls: type) -> Iterator[tuple[str, Binding]]:
    """(key, binding) for every binding a class has, its base classes' included."""
    merged = cls._merged_bindings  # type: ignore[attr-defined]
    if merged is None:
        return
    for key, bindings in merged.key_to_bindings.items():
        for binding in bindings:
            yield key, binding


def known_ids() -> dict[str, Binding]:
    return {binding.id: binding for cls in binding_classes() for _, binding in bindings_of(cls) if binding.id}


def check_key(binding_id: str, keys: str) -> str:
    """The keys in Textual's own form ("?" → "question_mark", "Ctrl+B" → "ctrl+B"), or KeymapError."""
    parts = []
    for part in (part.strip() for part in keys.split(",")):
        *modifiers, base = part.split("+") if len(part) > 1 else [part]
        modifiers = [m.lower() for m in modifiers]
        base = base.lower() if modifiers and len(base) == 1 else base  # terminals send ctrl+b, not ctrl+B
        known = len(base) == 1 and base.isprintable() or base in KEY_NAMES or (key_to_character(base) is not None)
        if not part or not base or not known or any(m not in MODIFIERS for m in modifiers):
            raise KeymapError(f"{binding_id} = {keys!r}: {part!r} is not a key (try \"b\", \"ctrl+b\", \"f5\")")
        parts.append("+".join([*modifiers, base]))
    return _normalize_key_list(",".join(parts))


def _flatten(table: dict, prefix: str = "") -> Iterator[tuple[str, object]]:
    for name, value in table.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", value


def read_keymap(path: Path) -> dict[str, str]:
    """The keymap in `path` ({} when there is no file), checked whole; KeymapError says what is wrong."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise KeymapError(f"{path.name} is not valid TOML ({exc})") from None
    except OSError as exc:
        raise KeymapError(f"{path.name} cannot be read ({exc.strerror or exc})") from None
    data = data.get("keymap", data) if isinstance(data.get("keymap"), dict) else data
    known = known_ids()
    keymap: dict[str, str] = {}
    for binding_id, value in _flatten(data):
        if binding_id not in known:
            raise KeymapError(f"{path.name}: no key is called {binding_id!r} (help, f1, lists the ids)")
        if not isinstance(value, str) or not value.strip():
            raise KeymapError(f"{path.name}: {binding_id} must be a key in quotes, such as \"b\"")
        keymap[binding_id] = check_key(binding_id, value)
    clash = find_clash(keymap)
    if clash:
        raise KeymapError(f"{path.name}: {clash}")
    return keymap


def _keys(cls: type, keymap: dict[str, str]) -> dict[str, set[str]]:
    """key → binding ids of one class once the keymap is applied."""
    keys: dict[str, set[str]] = {}
    for key, binding in bindings_of(cls):
        if not binding.id:
            continue
        for new in (keymap[binding.id].split(",") if binding.id in keymap else [key]):
            keys.setdefault(new, set()).add(binding.id)
    return keys


def find_clash(keymap: dict[str, str]) -> str | None:
    """A moved key that would also do something else on one screen (or everywhere), said in words.
    Keys shared by default (the app's `s` and the card's own `s`, both a sale) are not clashes."""
    from .app import ShopkeeperApp

    defaults: dict[str, set[str]] = {}
    classes = binding_classes()
    for cls in classes:
        for key, binding in bindings_of(cls):
            if binding.id:
                defaults.setdefault(binding.id, set()).add(key)
    moved = {binding_id for binding_id, keys in keymap.items() if set(keys.split(",")) != defaults.get(binding_id)}
    app_keys = _keys(ShopkeeperApp, keymap)
    for cls in classes:
        keys = _keys(cls, keymap)
        where = "everywhere" if cls is ShopkeeperApp else f"on the {getattr(cls, 'AREA', cls.__name__)} screen"
        if cls is not ShopkeeperApp and issubclass(cls, Screen) and not issubclass(cls, ModalScreen):
            for key, ids in app_keys.items():  # a screen's key hides the app's key there
                keys.setdefault(key, set()).update(ids)
        for key, ids in keys.items():
            if len(ids) > 1 and ids & moved:
                return f"{key!r} would be both {' and '.join(sorted(ids))} ({where})"
    return None


def load_keymap(path: Path) -> tuple[dict[str, str], str | None]:
    """(keymap, None), or ({}, why it was not used): the app opens with its default keys then."""
    try:
        return read_keymap(path), None
    except KeymapError as exc:
        return {}, str(exc)


def key_for(node: "DOMNode", binding_id: str, default: str) -> str:
    """How the key bound to `binding_id` is shown right now (after the keymap), e.g. "s" or "^b"."""
    screen = node if isinstance(node, Screen) else node.screen
    for active in screen.active_bindings.values():
        if active.binding.id == binding_id:
            return node.app.get_key_display(active.binding)
    return default
