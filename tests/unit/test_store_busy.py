"""A write lock held by another connection is a typed StoreBusy after a short, chosen wait, with
nothing written; once the lock is gone the same write lands."""
from __future__ import annotations

import sqlite3
import time

import pytest

from shopkeeper.services import StoreBusy, StoreError
from support.db_rows import hold_write_lock


def test_a_held_lock_is_a_typed_busy_error_after_the_chosen_wait(shop, make, today):
    cid = make.customer("Ann")
    holder = hold_write_lock(shop)  # an import or a backup is writing
    try:
        started = time.monotonic()
        with pytest.raises(StoreBusy) as caught, shop.waiting_at_most(100):
            shop.add_promise(cid, "call back", today, today)
        assert time.monotonic() - started < 5  # not the 30 s a script waits
        assert isinstance(caught.value, StoreError) and "busy" in str(caught.value)
    finally:
        holder.release()
    assert shop.open_promises() == []
    with shop.waiting_at_most(100):
        shop.add_promise(cid, "call back", today, today)
    assert [p.text for p in shop.open_promises()] == ["call back"]


def test_other_database_faults_stay_what_they_are(shop):
    from sqlalchemy import text

    from shopkeeper.store.db import writing

    with pytest.raises(Exception) as caught, writing(shop.engine) as session:
        session.execute(text("INSERT INTO no_such_table VALUES (1)"))
    assert not isinstance(caught.value, StoreBusy)
