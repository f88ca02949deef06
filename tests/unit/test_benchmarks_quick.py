"""The benchmark suite runs end to end on a tiny shop (what CI runs): every figure is there with a
number, its baseline and its target. No assertion on any time: benchmarks are not timed tests."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_writes_every_figure_with_baseline_and_target(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--scale", "0.002", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text())
    keys = {f["key"] for f in result["figures"]}
    assert keys == {
        "lookup_query_p99", "lookup_keypress_p95", "find_cli", "checklist_cli", "checklist", "card", "log_sale",
        "import_rate", "startup_large_vs_empty", "startup_large_vs_bare", "insights", "peak_rss",
        "tills_rate", "tills_p95",
    }
    for figure in result["figures"]:
        assert figure["target"], figure["key"]
        assert figure["status"] == "measured"
        assert isinstance(figure["value"], (int, float)) and figure["value"] > 0, figure
        assert isinstance(figure["baseline"], (int, float)) and figure["baseline"] > 0, figure
        assert isinstance(figure["ratio"], (int, float)), figure
        assert figure["met"] in (True, False), figure
    printed = done.stdout
    for figure in result["figures"]:
        assert figure["title"] in printed
    assert result["machine"]["cpus"] and result["machine"]["sqlite"]


def test_bench_on_a_postgresql_server_prints_its_table_beside_sqlites(tmp_path, pg_server):
    """`dev.py bench --db postgresql://…`: the same figures on the server, and the two side by side."""
    out = tmp_path / "results.json"
    steps = ["--only", "checklist", "--only", "card+sale", "--only", "tills"]
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--scale", "0.002", "--out", str(out), *steps,
         "--db", pg_server.url("postgres")],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text())
    keys = {"checklist", "card", "log_sale", "tills_rate", "tills_p95"}
    assert {f["key"] for f in result["figures"]} == keys
    assert {f["key"] for f in result["postgresql"]} == keys
    for figure in result["postgresql"]:
        assert isinstance(figure["value"], (int, float)) and figure["value"] > 0, figure
        assert figure["met"] in (True, False), figure
    assert "SQLite beside PostgreSQL" in done.stdout and "4 tills logging sales at once" in done.stdout
