"""`python3 dev.py bench [--quick]`: build the large shop once (cached), measure, print, write JSON.

Every figure is measured beside its baseline in the same run, so the ratio holds on a noisy
machine. Times are medians over repeated runs, with p95/p99 in the JSON where per-operation.
Nothing here passes or fails on a time: the table says which targets are met.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

from . import measures
from .common import Figure, machine, render_markdown, render_text
from .shops import CACHE, empty_shop, large_shop, today, work_copy
from .tills import tills

QUICK_SCALE = 0.01


def run(scale: float, seed: int, quick: bool, rebuild: bool, only: set[str] | None = None,
        server_url: str | None = None) -> dict:
    started = time.perf_counter()
    info = large_shop(scale, seed, rebuild)
    large, empty, day = Path(info.path), empty_shop(), today()
    reps = {
        "lookup_samples": 3 if quick else 10,  # per kind: name, phone, last four, email
        "lookup_repeat": 2 if quick else 5,
        "cli": 2 if quick else 5,
        "checklist": 3 if quick else 10,
        "card": 20 if quick else 300,
        "import": 1 if quick else 3,
        "startup": 2 if quick else 7,
        "insights": 2 if quick else 5,
    }
    samples = measures.lookup_samples(large, reps["lookup_samples"], seed)
    figures: list[Figure] = []

    def step(name: str, fn) -> None:
        if only and name not in only:
            return
        t0 = time.perf_counter()
        print(f"· {name} …", end="", flush=True)
        figures.extend(fn())
        print(f" {time.perf_counter() - t0:.1f} s", flush=True)

    with measures.scratch() as tmp:
        work = Path(tmp)
        step("lookup", lambda: [measures.lookup_queries(large, day, samples, reps["lookup_repeat"])])
        step("keypress", lambda: [measures.keypress_to_results(large, day, samples[: 8 if quick else 16])])
        step("cli", lambda: measures.cli_commands(large, empty, day, samples, reps["cli"]))
        step("checklist", lambda: measures.checklist(large, day, reps["checklist"]))
        step("card+sale", lambda: measures.card_and_sale(large, day, reps["card"], seed, work))
        step("import", lambda: measures.importing(large, CACHE / f"sales-{Path(info.path).stem}.csv", reps["import"], work))
        step("startup", lambda: measures.startup(large, empty, day, reps["startup"]))
        step("insights", lambda: measures.insights(large, day, reps["insights"]))
        step("memory", lambda: measures.memory(large, empty, day))
        step("tills", lambda: tills(work_copy(large, work / "tills.sqlite3"), day, 50 if quick else 250, seed, "sqlite"))
    server_figures: list[Figure] = []
    if server_url:
        from .server import run_server

        server_figures = run_server(server_url, info, day, reps, samples, seed, quick, only)
    return {
        "command": "python3 dev.py bench" + (" --quick" if quick else "") + (" --db postgresql://…" if server_url else ""),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine(),
        "shop": asdict(info),
        "quick": quick,
        "seconds": round(time.perf_counter() - started, 1),
        "figures": [f.to_json() for f in figures],
        "_figures": figures,
        "postgresql": [f.to_json() for f in server_figures],
        "_server_figures": server_figures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"a small shop (scale {QUICK_SCALE:g}), for CI: proves the suite works")
    parser.add_argument("--scale", type=float, help="size of the shop (1 = 100,000 customers, 1,000,000 sales)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results.json")
    parser.add_argument("--rebuild", action="store_true", help="build the shop again even if cached")
    parser.add_argument("--only", action="append", help="run only these steps (lookup, keypress, cli, checklist, "
                        "card+sale, import, startup, insights, memory, tills)")
    parser.add_argument("--db", metavar="postgresql://USER@HOST/DB",
                        help="also run on this PostgreSQL server and print its table beside SQLite's (the benchmark "
                             "makes its own shopkeeper_bench_* databases there; the named database is not touched)")
    args = parser.parse_args(argv)
    scale = args.scale if args.scale is not None else (QUICK_SCALE if args.quick else 1.0)
    result = run(scale, args.seed, args.quick, args.rebuild, set(args.only) if args.only else None, args.db)
    figures = result.pop("_figures")
    server_figures = result.pop("_server_figures")
    m = result["machine"]
    print()
    print(f"shop: {result['shop']['customers']:,} customers, {result['shop']['sales']:,} sales (scale {scale:g}, "
          f"seed {args.seed}); machine: {m['cpus']} × {m['cpu']}, {m['ram_gb']} GB, Python {m['python']}, "
          f"SQLite {m['sqlite']}")
    print(render_text(figures))
    result["markdown"] = render_markdown(figures)
    if server_figures:
        from .server import render_rows, side_by_side

        from shopkeeper.store.backend import shown_url

        print(f"\nPostgreSQL ({shown_url(args.db)}, databases shopkeeper_bench_*):")
        print(render_text(server_figures))
        print("\nSQLite beside PostgreSQL:")
        print(render_rows(side_by_side(figures, server_figures)))
        result["markdown_postgresql"] = render_markdown(server_figures)
        result["markdown_both"] = render_rows(side_by_side(figures, server_figures), markdown=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten to {args.out} ({result['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
