"""A one-line progress display for long imports on the command line: drawn on stderr, redrawn in
place, and only when stderr is a terminal, so scripts and pipes see nothing but the summary."""
from __future__ import annotations

import sys
import time
from typing import Callable, TextIO


class TerminalProgress:
    """`stage("reading …")` for steps of unknown length, `advance(label, done, total)` for a bar;
    `finish()` clears the line. Redraws at most every `every` seconds (and always at 100%)."""

    def __init__(self, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic,
                 every: float = 0.1, width: int = 30) -> None:
        self.stream = stream if stream is not None else sys.stderr
        try:
            self.enabled = self.stream.isatty()
        except (AttributeError, ValueError):
            self.enabled = False
        self.clock, self.every, self.width = clock, every, width
        self.last = float("-inf")
        self.drawn = False

    def _draw(self, text: str) -> None:
        self.stream.write("\r\x1b[K" + text)
        self.stream.flush()
        self.drawn = True

    def stage(self, text: str) -> None:
        if self.enabled:
            self._draw(text + "…")
            self.last = self.clock()

    def advance(self, label: str, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = self.clock()
        if done < total and now - self.last < self.every:
            return
        self.last = now
        filled = self.width * done // total
        self._draw(f"{label} [{'#' * filled}{'.' * (self.width - filled)}] {100 * done // total:3d}% "
                   f"{done:,}/{total:,}")

    def finish(self) -> None:
        if self.enabled and self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False


class NoProgress:
    """For callers without a terminal (the app's workers, tests): every call does nothing."""

    enabled = False

    def stage(self, text: str) -> None:
        pass

    def advance(self, label: str, done: int, total: int) -> None:
        pass

    def finish(self) -> None:
        pass
