"""A module imported on its first use: the ORM models and the stores that need them cost about a
fifth of start-up, and the first screen needs none of them (benchmarks/ `startup`)."""
from __future__ import annotations

from importlib import import_module
from types import ModuleType


class LazyModule:
    """Stands for the module `name` and imports it when an attribute is first read. Python's import
    lock makes a first use from two threads at once import it once."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(self.module, attr)

    @property
    def module(self) -> ModuleType:
        return import_module(self._name)

    def __repr__(self) -> str:
        return f"<lazy module {self._name}>"
