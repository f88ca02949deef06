"""The app's fault log: every error a screen shows is also written here with its traceback.

Set up by the CLI when it launches the app (never at import), as a small rotating file beside the
database; the file is only created when something is first written to it.
"""
from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOGGER = "shopkeeper"
MAX_BYTES = 1_000_000
BACKUPS = 3


def logger() -> logging.Logger:
    return logging.getLogger(LOGGER)


def start_log(path: Path) -> logging.Handler:
    """Send the shopkeeper logger to a rotating file at `path`; returns the handler (for stop_log)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log = logger()
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return handler


def stop_log(handler: logging.Handler) -> None:
    logger().removeHandler(handler)
    handler.close()
