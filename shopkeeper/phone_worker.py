"""A second process that reads a big sales file's phone numbers while the import parses its rows.

Parsing a phone (`phonenumbers`) is the slowest part of reading a till's file: on a 1,000,000-row
file, ~100,000 distinct numbers take longer than everything else in a row. The import hands this
process the file's distinct phone texts, last-seen first, and goes on parsing rows from the top;
the numbers come back in small batches and fill the import's memo (`imports._Memo`), so the two
meet in the middle. The worker only ever *adds to a cache*: a number it has not sent yet (or if it
failed, or died) is parsed by the import itself with the very same functions, so the rows, the
errors and what gets written are the same whichever process parsed a number. It never touches the
database; it is started with 'spawn' (the app runs threads, which a fork would copy half-way) and
imports only the phone rules, so it is ready in a fraction of a second.
"""
from __future__ import annotations

import multiprocessing
import threading
from typing import Callable

BATCH = 500  # numbers per message: small enough that the import sees them soon after


def serve(conn, region: str) -> None:  # noqa: ANN001 - a multiprocessing Connection
    """In the worker: receive the phone texts, send [(text, problem or None, PhoneKeys or None)]
    batches back."""
    from .domain.phones import phone_keys, validate_phone

    batch: list[tuple] = []
    try:
        texts = conn.recv()
        for raw in texts:
            try:
                problem = validate_phone(raw)
                batch.append((raw, problem, None if problem else phone_keys(raw, region)))
            except Exception:  # noqa: BLE001 - the import parses this one itself and reports it there
                pass
            if len(batch) >= BATCH:
                conn.send(batch)
                batch = []
        if batch:
            conn.send(batch)
    except (BrokenPipeError, EOFError, OSError):
        pass  # the import finished (or stopped) without waiting for the rest
    finally:
        conn.close()


class PhoneFeed:
    """The import's side: starts the worker, and `drain(store)` hands over what has come back."""

    def __init__(self, texts: list[str], region: str) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=serve, args=(child, region), daemon=True, name="shopkeeper-phones")
        self.process.start()
        child.close()
        self.alive = True
        # The texts go through a pipe, which blocks until the new process reads them (a busy
        # machine takes seconds to start one): a thread waits for that, the import goes on.
        self.sender = threading.Thread(target=self._send, args=(texts,), daemon=True, name="shopkeeper-phones-send")
        self.sender.start()

    def _send(self, texts: list[str]) -> None:
        try:
            self.conn.send(texts)
        except (OSError, ValueError):  # closed: the import finished first, or the worker died
            pass

    def drain(self, store: Callable[[str, str | None, object], None]) -> None:
        """Everything the worker has sent so far, without waiting."""
        try:
            while self.alive and self.conn.poll():
                for raw, problem, keys in self.conn.recv():
                    store(raw, problem, keys)
        except (EOFError, OSError):
            self.alive = False  # done, or died: the import parses whatever is left itself
        except Exception:  # noqa: BLE001 - a message that cannot be read: stop using the worker
            self.alive = False

    def close(self) -> None:
        """Stop the worker (it may still be busy with numbers nobody needs now) and reap it."""
        self.alive = False
        try:
            if self.process.is_alive():
                self.process.terminate()  # before closing the pipe: the sender may be writing
            self.sender.join()
            self.conn.close()
        finally:
            self.process.join(5)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
            self.process.close()
