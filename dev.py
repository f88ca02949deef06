#!/usr/bin/env python3
"""Set-up in one command: `python3 dev.py run` or `python3 dev.py test`.

Why a Python script and not a Makefile: a fresh shop PC may have Python and nothing else.
It creates `.venv` beside this file, installs the project (again only when pyproject.toml
changed), then runs the app or the tests inside it.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def ensure_venv(extras: str) -> None:
    """Create the virtualenv and install the project with `extras`, skipping work already done."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PY.exists():
        return
    if not PY.exists():
        print("shopkeeper: creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print(f"shopkeeper: installing ({extras}) …", flush=True)
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "-e", f".[{extras}]"], check=True, cwd=ROOT)
    STAMP.write_text(wanted)


def app_command(rest: list[str]) -> list[str]:
    """The app on the owner's own file, as `shopkeeper` opens it: a new shop starts at the welcome
    screen (own shop or demo), never in the demo on its own."""
    return [str(PY), "-m", "shopkeeper", *rest]


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "run"
    rest = argv[1:]
    if command == "run":
        ensure_venv("test,dev")
        return subprocess.call(app_command(rest), cwd=ROOT)
    if command == "test":
        ensure_venv("test,dev")
        return subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT)
    if command == "bench":
        ensure_venv("test,dev")
        return subprocess.call([str(PY), "-m", "benchmarks", *rest], cwd=ROOT)
    print("usage: python3 dev.py run|test|bench [args…]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
