"""Errors the store raises with a message fit to show the shop owner as it is."""


class StoreError(Exception):
    """The database can't be used: wrong file, newer version, locked. The message says why."""


class StoreBusy(StoreError):
    """Another connection (an import, a backup, another program) holds the write lock longer than
    this write would wait. Nothing was written; trying again later can succeed."""


def is_busy(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" / "database is busy", raw or wrapped by SQLAlchemy."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "database is locked" in text or "database is busy" in text or "database table is locked" in text:
        return True
    # PostgreSQL: another till held the shop's write lock longer than this write waits
    return "lock timeout" in text or "could not obtain lock" in text
