"""Reading the CSV files shops actually have: UTF-8 (with or without BOM) or Windows-1252,
comma, semicolon or tab separated, any line endings; headers matched without case or spaces."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 500 * 1024 * 1024
MAX_FIELD = 100_000


class CsvError(ValueError):
    """A file that can't be read as a table of rows with a header."""


@dataclass
class Table:
    header: list[str]  # normalised names, in file order
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, field -> text)


def normalise_header(name: str) -> str:
    return "_".join(name.strip().strip('"').lower().replace("-", " ").split())


def _decode(data: bytes, path: Path) -> str:
    if b"\x00" in data[:4096]:
        raise CsvError(f"{path} is not a text CSV file (it holds binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_DATA_CELL = re.compile(r"[-+]?[\d.,/: ]+")


class _WhitespaceReader:
    """Rows split on runs of spaces; `line_num` counts physical lines like csv.reader."""

    def __init__(self, text: str) -> None:
        self.lines = iter(text.splitlines())
        self.line_num = 0

    def __iter__(self):
        return self

    def __next__(self) -> list[str]:
        line = next(self.lines)
        self.line_num += 1
        return line.split()


class _Prepend:
    """Give back a row already read, then the rest, keeping the reader's line numbers."""

    def __init__(self, first: list[str], reader) -> None:
        self.first, self.reader = first, reader
        self.line_num = reader.line_num - 1

    def __iter__(self):
        return self

    def __next__(self) -> list[str]:
        if self.first is not None:
            row, self.first = self.first, None
            self.line_num = self.reader.line_num
            return row
        row = next(self.reader)
        self.line_num = self.reader.line_num
        return row


def read_table(path: Path, mapping: dict[str, str], known_fields: list[str]) -> Table:
    """Read `path` into rows keyed by field name; `mapping` is FIELD -> COLUMN from --map."""
    if not path.exists():
        raise CsvError(f"{path}: no such file")
    if path.is_dir():
        raise CsvError(f"{path} is a folder, not a CSV file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise CsvError(f"{path} is larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
    text = _decode(path.read_bytes(), path)
    if not text.strip():
        raise CsvError(f"{path} is empty")
    first_line = text.lstrip().splitlines()[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    csv.field_size_limit(MAX_FIELD * 10)
    if first_line.count(delimiter) == 0 and len(first_line.split()) > 1:
        reader = _WhitespaceReader(text)  # columns lined up with spaces, as old exports do
    else:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        raw_header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise CsvError(f"{path}: cannot read the header line ({exc})") from None
    if not any(cell.strip() for cell in raw_header):
        raise CsvError(f"{path}: the first line is empty; it should name the columns")
    if all(_DATA_CELL.fullmatch(cell.strip()) for cell in raw_header):
        # no header: every cell is a number or a date, so columns are named 1, 2, 3 …
        reader = _Prepend(raw_header, reader)
        raw_header = [str(i) for i in range(1, len(raw_header) + 1)]
    header = [normalise_header(h) for h in raw_header]
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise CsvError(f"{path}: column {name!r} appears twice in the header")
        seen.add(name)
    column_for: dict[str, int] = {}
    for field, column in mapping.items():
        if field not in known_fields:
            raise CsvError(f"unknown field {field!r} in --map; fields are: {', '.join(known_fields)}")
        wanted = normalise_header(column)
        if wanted not in header:
            raise CsvError(f"--map {field}={column}: the file has no column {column!r} (columns: {', '.join(raw_header)})")
        column_for[field] = header.index(wanted)
    for index, name in enumerate(header):
        if name in known_fields and name not in column_for and index not in column_for.values():
            column_for[name] = index
    if not column_for:
        if header[0] == "1":
            raise CsvError(f"{path} has no header line; name its columns by number, e.g. --map date=1 --map amount=2")
        raise CsvError(f"{path}: no known column in the header; expected some of: {', '.join(known_fields)}")
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        line = reader.line_num
        for record in reader:
            if not any(cell.strip() for cell in record):
                line = reader.line_num
                continue
            rows.append((line + 1, {f: record[i].strip() if i < len(record) else "" for f, i in column_for.items()}))
            line = reader.line_num
    except csv.Error as exc:
        raise CsvError(f"{path}: line {reader.line_num}: {exc}") from None
    return Table(header=[h for h in header], rows=rows)
