"""What the app keeps in memory stays bounded however many customers are paged through (the
benchmark's "peak memory" went from 136 to 267 MB: the phone-format cache and the mapped file)."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from shopkeeper.domain.phones import _format_phone, format_phone


def test_phone_formats_kept_are_a_few_screens_not_every_customer():
    """Paging through 100,000 customers formats each phone once: the cache must not keep them all
    (at 65,536 entries it held ~17 MB of strings for the life of the app)."""
    _format_phone.cache_clear()
    for n in range(20_000):
        format_phone(f"06 {n // 10000 % 100:02d} {n // 100 % 100:02d} {n % 100:02d} 12", "FR")
    assert _format_phone.cache_info().currsize <= 4096
    assert format_phone("0612345678", "FR") == "06 12 34 56 78"  # still formatted the same


@pytest.mark.sqlite_only
def test_a_shop_file_maps_at_most_64_mb(shop):
    """Every page read through the memory map counts in the app's resident memory: the start-up
    checklist alone filled 128 MB of it on the benchmark shop."""
    with shop.reading() as session:
        mapped = session.execute(text("PRAGMA mmap_size")).scalar()
    assert 0 < mapped <= 64 * 1024 * 1024
