"""What every benchmark module shares: a figure with its baseline and targets, percentiles, the
machine it ran on, and the printed table."""
from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Callable


@dataclass
class Target:
    text: str  # e.g. "≤ 5 ms", "≥ 50× faster than baseline"
    met: bool | None


@dataclass
class Figure:
    """One measured figure beside the baseline measured in the same run.

    `ratio` is always value / baseline (for times, below 1 means faster than the baseline; for
    rates, below 1 means slower)."""

    key: str
    title: str
    unit: str
    value: float | None
    baseline: float | None
    baseline_label: str
    targets: list[Target] = field(default_factory=list)
    detail: dict = field(default_factory=dict)
    status: str = "measured"  # or "not built yet"

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        if self.status != "measured" or not self.targets:
            return None
        return all(t.met for t in self.targets)

    def to_json(self) -> dict:
        data = asdict(self)
        data["ratio"] = None if self.ratio is None else round(self.ratio, 4)
        data["met"] = self.met
        data["target"] = "; ".join(t.text for t in self.targets)
        return data


def at_most(value: float | None, limit: float, unit: str) -> Target:
    return Target(f"≤ {limit:g} {unit}".strip(), None if value is None else value <= limit)


def at_least(value: float | None, limit: float, unit: str) -> Target:
    return Target(f"≥ {limit:,g} {unit}".strip(), None if value is None else value >= limit)


def ratio_at_most(figure_value: float, baseline: float, limit: float, what: str = "baseline") -> Target:
    return Target(f"≤ {limit:g}× {what}", figure_value <= limit * baseline)


def speedup_at_least(figure_value: float, baseline: float, limit: float) -> Target:
    return Target(f"≥ {limit:g}× faster than baseline", baseline >= limit * figure_value)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


def summary_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "max_ms": round(max(ms), 3),
    }


def time_calls(fn: Callable[[], object], repeat: int) -> list[float]:
    """Seconds taken by each of `repeat` calls of fn (after one warm-up call)."""
    fn()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def machine() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        cpu = platform.processor()
    ram_gb = None
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
                    break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu or platform.machine(),
        "ram_gb": ram_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "executable": sys.executable,
    }


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit in ("rows/s", "sales/s"):
        return f"{value:,.0f} {unit}"
    if unit == "MB":
        return f"{value:.1f} {unit}"
    if value >= 100:
        return f"{value:,.0f} {unit}"
    return f"{value:.2f} {unit}"


def table(figures: list[Figure]) -> list[list[str]]:
    rows = [["figure", "value", "baseline", "ratio", "target", "met"]]
    for f in figures:
        if f.status != "measured":
            rows.append([f.title, f.status, "—", "—", "; ".join(t.text for t in f.targets), "—"])
            continue
        ratio = f.ratio
        rows.append([
            f.title,
            _number(f.value, f.unit),
            f"{_number(f.baseline, f.unit)} ({f.baseline_label})",
            "—" if ratio is None else (f"{ratio:.3f}×" if ratio < 0.1 else f"{ratio:.2f}×"),
            "; ".join(t.text for t in f.targets),
            {True: "yes", False: "NO", None: "—"}[f.met],
        ])
    return rows


def render_text(figures: list[Figure]) -> str:
    rows = table(figures)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def render_markdown(figures: list[Figure]) -> str:
    rows = table(figures)
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows[1:]]
    return "\n".join(out)
