"""Sales history from the tills and online shops a shop already uses (issue 15).

`FORMATS` names each export this package reads; `detect` tells which one a file is from its
header; `importer.import_pos_sales` reads it and writes its sales like the generic CSV import."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import contacts, shopify, square


@dataclass(frozen=True)
class Format:
    name: str  # as given to --from
    label: str  # as the summary says it
    required: tuple[str, ...]  # normalised header names that identify it
    read: Callable
    kind: str = "sales"  # or "customers"


FORMATS = [
    Format("shopify", shopify.LABEL, shopify.REQUIRED, shopify.read),
    Format("square", square.LABEL, square.REQUIRED, square.read_transactions),
    Format("square", square.ITEMS_LABEL, square.ITEMS_REQUIRED, square.read_items),
    Format("shopify", contacts.SHOPIFY_LABEL, contacts.SHOPIFY_REQUIRED, contacts.read_shopify, "customers"),
    Format("square", contacts.SQUARE_LABEL, contacts.SQUARE_REQUIRED, contacts.read_square, "customers"),
]
NAMES = sorted({f.name for f in FORMATS})
COLUMNS = sorted(set(shopify.COLUMNS) | set(square.COLUMNS))
CUSTOMER_COLUMNS = sorted(set(contacts.COLUMNS))


class FormatError(ValueError):
    """The file is not (or not recognisably) one of the exports we read."""


def detect(header: list[str], wanted: str | None = None, kind: str = "sales") -> Format:
    """The one `kind` of export whose columns the header has (only among `wanted`'s, when given)."""
    have = set(header)
    candidates = [f for f in FORMATS if wanted in (None, f.name) and f.kind == kind]
    matching = [f for f in candidates if set(f.required) <= have]
    if len(matching) == 1:
        return matching[0]
    if len(matching) > 1:
        raise FormatError(f"the columns fit more than one export ({', '.join(f.label for f in matching)}); "
                          f"say which with --from")
    if wanted:
        best = min(candidates, key=lambda f: len(set(f.required) - have))
        missing = [c.replace("_", " ") for c in best.required if c not in have]
        raise FormatError(f"this is not a {best.label} export: no column {', '.join(repr(m) for m in missing)}")
    raise FormatError(f"the columns are not those of a known export ({', '.join(f.label for f in candidates)}); "
                      "give --from, or map the columns with --map")


def sniff(path, kind: str = "sales") -> str | None:
    """The export `path` is from, judged on its first line alone, or None (a plain CSV, or unreadable:
    the generic import then says what is wrong)."""
    import csv
    import io

    from ..csvfiles import normalise_header

    try:
        with open(path, "rb") as handle:
            head = handle.read(65536)
    except OSError:
        return None
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = head.decode("cp1252", errors="replace")
    lines = text.lstrip().splitlines()
    if not lines:
        return None
    delimiter = max([",", ";", "\t"], key=lines[0].count)
    try:
        header = next(csv.reader(io.StringIO(lines[0]), delimiter=delimiter))
    except (csv.Error, StopIteration):
        return None
    try:
        return detect([normalise_header(h) for h in header], kind=kind).name
    except FormatError:
        return None
