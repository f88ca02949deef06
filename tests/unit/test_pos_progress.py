"""A POS import shows its progress on stderr when stderr is a terminal (a pseudo-terminal here),
and nothing when it is piped, so scripts see only the summary (issue 15)."""
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "pos"
ROOT = Path(__file__).resolve().parents[2]


def command(tmp_path):
    return [sys.executable, "-m", "shopkeeper", "import", "sales", str(DATA / "shopify_orders.csv"),
            "--db", str(tmp_path / "shop.sqlite3"), "--date", "2026-03-02"]


def environment():
    env = dict(os.environ, PYTHONPATH=str(ROOT), TZ="Europe/Paris")
    env.pop("SHOPKEEPER_DB", None)
    return env


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")
def test_progress_is_drawn_on_a_terminal_then_cleared(tmp_path):
    master, slave = pty.openpty()
    proc = subprocess.Popen(command(tmp_path), stdout=subprocess.PIPE, stderr=slave, env=environment())
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closes when the program ends
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    text = seen.decode()
    assert "reading shopify_orders.csv…" in text
    assert "checking 8 rows of Shopify orders…" in text
    assert "writing sales [##############################] 100% 5/5" in text
    assert text.endswith("\r\x1b[K")  # the line is cleared: the summary stands alone
    assert out.decode().startswith("Shopify orders: 8 rows read, added 5 sales")


def test_no_progress_when_piped(tmp_path):
    done = subprocess.run(command(tmp_path), capture_output=True, env=environment(), timeout=60)
    assert done.returncode == 0
    assert done.stderr == b""
    assert done.stdout.decode().startswith("Shopify orders: 8 rows read, added 5 sales")


class FakeTerminal:
    def __init__(self):
        self.text = ""

    def isatty(self):
        return True

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_the_bar_is_redrawn_at_most_ten_times_a_second_and_always_at_the_end():
    from shopkeeper.progress import TerminalProgress

    now = [0.0]
    screen = FakeTerminal()
    bar = TerminalProgress(screen, clock=lambda: now[0], width=10)
    for done in range(1, 1001):
        now[0] = done / 1000  # a thousand steps in one second
        bar.advance("writing sales", done, 1000)
    assert 9 <= screen.text.count("writing sales") <= 11
    assert screen.text.endswith("writing sales [##########] 100% 1,000/1,000")
