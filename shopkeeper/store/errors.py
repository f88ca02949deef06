"""Errors the store raises with a message fit to show the shop owner as it is."""


class StoreError(Exception):
    """The database can't be used: wrong file, newer version, locked. The message says why."""
