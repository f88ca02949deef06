"""Reading the CSV files shops actually have: UTF-8 (with or without BOM) or Windows-1252,
comma, semicolon, tab or space separated, any line endings; headers matched without case,
spaces or accents, in English or as French, German, Spanish, Italian and Dutch tills name them.
No value is ever cut or dropped in silence: a row with more values than the header has columns
is reported, and the columns no field uses are listed."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field as _field
from pathlib import Path

MAX_FILE_BYTES = 500 * 1024 * 1024
MAX_FIELD = 100_000


class CsvError(ValueError):
    """A file that can't be read as a table of rows with a header."""


@dataclass
class Table:
    header: list[str]  # normalised names, in file order
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, field -> text)
    fields: list[str] = _field(default_factory=list)  # the fields some column gives
    # columns no field reads: (position from 1, name as in the file, the field its name suggests or None)
    ignored: list[tuple[int, str, str | None]] = _field(default_factory=list)
    # "line N: …" for rows with more values than the header has columns (nothing may be dropped)
    problems: list[str] = _field(default_factory=list)


def normalise_header(name: str) -> str:
    return "_".join(name.strip().strip('"').lower().replace("-", " ").split())


def fold_header(name: str) -> str:
    """A header as the alias table knows it: no case, accents, punctuation or spaces ("N° Téléphone" -> "n_telephone")."""
    text = unicodedata.normalize("NFKD", name.strip().strip('"').lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "_".join(re.sub(r"[\W_]+", " ", text).split())


# What tills and spreadsheets call each field, in English, French, German, Spanish, Italian and
# Dutch (compared with fold_header: case, accents, spaces and punctuation do not matter). A field
# only takes a column that no --map and no exact field name took already.
ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "sale date", "sold on", "transaction date", "invoice date", "order date", "jour",
             "date de vente", "date vente", "date facture", "date de facture", "datum", "verkaufsdatum",
             "rechnungsdatum", "belegdatum", "fecha", "dia", "fecha de venta", "fecha factura", "fecha de factura",
             "data", "giorno", "data vendita", "data di vendita", "data fattura", "dag", "verkoopdatum",
             "factuurdatum", "contact date", "call date", "date d appel", "anrufdatum"),
    "amount": ("amount", "total", "sale amount", "amount paid", "total amount", "grand total", "montant",
               "montant ttc", "montant total", "total ttc", "prix total", "betrag", "gesamt", "gesamtbetrag",
               "summe", "endbetrag", "importe", "importe total", "total venta", "precio total", "importo",
               "totale", "importo totale", "prezzo totale", "bedrag", "totaal", "totaalbedrag", "totaal bedrag"),
    "quantity": ("quantity", "qty", "quantite", "qte", "menge", "anzahl", "stuck", "cantidad", "cant", "quantita",
                 "qta", "aantal"),
    "unit_price": ("unit price", "price", "unitprice", "prix", "prix unitaire", "pu", "preis", "einzelpreis",
                   "stuckpreis", "precio", "precio unitario", "prezzo", "prezzo unitario", "prijs", "stukprijs",
                   "eenheidsprijs"),
    "customer": ("customer", "customer name", "client", "nom client", "nom du client", "kunde", "kundenname",
                 "cliente", "nombre cliente", "nombre del cliente", "nome cliente", "klant", "klantnaam"),
    "name": ("name", "full name", "customer", "customer name", "nom", "nom complet", "client", "nom client",
             "nom du client", "kunde", "kundenname", "vollstandiger name", "nombre", "nombre completo", "cliente",
             "nombre cliente", "nome", "nome completo", "nome cliente", "naam", "volledige naam", "klant", "klantnaam"),
    "customer_id": ("customer id", "customerid", "external id", "customer number", "customer no", "client id",
                    "id client", "n client", "no client", "numero client", "numero de client", "code client",
                    "ref client", "reference client", "kundennummer", "kunden nr", "kundennr", "kunden id",
                    "id cliente", "numero cliente", "numero de cliente", "codigo cliente", "codigo de cliente",
                    "codice cliente", "klantnummer", "klant nr", "klantnr", "klant id"),
    "phone": ("phone", "phone number", "telephone", "tel", "mobile", "cell", "portable", "numero de telephone",
              "telefon", "telefonnummer", "handy", "mobil", "mobilnummer", "telefono", "numero de telefono", "movil",
              "celular", "cellulare", "numero di telefono", "telefoon", "telefoonnummer", "mobiel", "gsm"),
    "email": ("email", "e mail", "mail", "email address", "e mail address", "courriel", "adresse email",
              "adresse e mail", "adresse mail", "e mail adresse", "correo", "correo electronico",
              "posta elettronica", "indirizzo email", "e mail adres", "emailadres"),
    "items": ("items", "item", "articles", "article", "products", "product", "produits", "produit", "designation",
              "libelle", "description", "artikel", "produkt", "produkte", "bezeichnung", "beschreibung", "articulos",
              "articulo", "productos", "producto", "descripcion", "articoli", "articolo", "prodotti", "prodotto",
              "descrizione", "artikelen", "producten", "omschrijving"),
    "invoice": ("invoice", "invoice number", "invoice no", "invoiceno", "receipt", "receipt number", "ticket",
                "facture", "n facture", "no facture", "numero facture", "numero de facture", "n ticket",
                "numero de ticket", "rechnung", "rechnungsnummer", "rechnungs nr", "rechnungsnr", "beleg",
                "belegnummer", "bon", "bonnummer", "factura", "n factura", "numero factura", "numero de factura",
                "recibo", "ticket n", "fattura", "n fattura", "numero fattura", "scontrino", "ricevuta", "factuur",
                "factuurnummer", "factuurnr", "kassabon", "bonnr"),
    "on_sale": ("on sale", "promo", "promotion", "en promo", "solde", "soldes", "en solde", "aktion", "angebot",
                "oferta", "promocion", "rebajas", "offerta", "promozione", "saldi", "aanbieding", "actie"),
    "note": ("note", "notes", "comment", "comments", "memo", "remarque", "remarques", "commentaire", "commentaires",
             "bemerkung", "bemerkungen", "notiz", "kommentar", "anmerkung", "nota", "notas", "comentario",
             "comentarios", "observaciones", "commento", "opmerking", "opmerkingen"),
    "birthday": ("birthday", "date of birth", "dob", "birth date", "anniversaire", "date de naissance",
                 "geburtstag", "geburtsdatum", "cumpleanos", "fecha de nacimiento", "compleanno", "data di nascita",
                 "verjaardag", "geboortedatum"),
    "preferred_channel": ("preferred channel", "channel", "canal", "canal prefere", "kanal", "bevorzugter kanal",
                          "canal preferido", "canale", "canale preferito", "kanaal", "voorkeurskanaal"),
    "marketing_consent": ("marketing consent", "consent", "opt in", "newsletter", "consentement",
                          "accord marketing", "einwilligung", "consentimiento", "consenso", "toestemming"),
    "household": ("household", "family", "foyer", "famille", "haushalt", "familie", "hogar", "familia", "famiglia",
                  "huishouden", "gezin"),
    "referred_by": ("referred by", "referrer", "referral", "parrain", "parrainage", "recommande par",
                    "parraine par", "empfohlen von", "werber", "referido por", "recomendado por", "consigliato da",
                    "presentato da", "aangebracht door", "doorverwezen door"),
    "likes": ("likes", "aime", "gouts", "vorlieben", "gustos", "preferenze", "voorkeuren"),
    "dislikes": ("dislikes", "n aime pas", "naime pas", "abneigungen", "no le gusta", "non gradisce", "afkeer"),
    "outcome": ("outcome", "result", "call result", "status", "resultat", "statut", "ergebnis", "resultado",
                "estado", "esito", "risultato", "stato", "resultaat", "uitkomst"),
    "channel": ("channel", "via", "medium", "canal", "kanal", "canale", "kanaal"),
    "id": ("id", "shopkeeper id"),
}
ALIASES["notes"] = ALIASES["note"]


def _aliases(known_fields: list[str]) -> dict[str, str]:
    """{folded header: field} for the fields of one kind of file (the first field listed wins)."""
    table: dict[str, str] = {}
    for name in known_fields:
        for alias in (name, *ALIASES.get(name, ())):
            table.setdefault(fold_header(alias), name)
    return table


def _decode(data: bytes, path: Path) -> str:
    if b"\x00" in data[:4096]:
        raise CsvError(f"{path} is not a text CSV file (it holds binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_DATA_CELL = re.compile(r"[-+]?[\d.,/: ]+")


class _SpaceReader:
    """Rows of a file whose columns are separated by spaces; `line_num` counts physical lines like csv.reader.

    Columns lined up under their names (as old tills print them) are cut where every line is blank,
    so "Marie Dupont" stays one value. A file that is not lined up is split on spaces only if every
    line then has as many values as the header has names; otherwise it is refused (CsvError): a
    value with a space could not be told from two values."""

    def __init__(self, text: str, path: Path) -> None:
        self.lines = [line.expandtabs(8) for line in text.splitlines()]
        self.line_num = 0
        self.spans = None
        if self.lines and self.lines[0].strip():  # else read_table says the first line is empty
            self.spans = self._lined_up()
            if self.spans is None:
                self._check_ragged(path)

    def _lined_up(self) -> list[tuple[int, int]] | None:
        """Column spans [start, end) if the columns are lined up under single-word names, else None."""
        width = max(len(line) for line in self.lines)
        used = bytearray(width)
        for line in self.lines:
            for token in re.finditer(r"\S+", line):
                used[token.start():token.end()] = b"\x01" * (token.end() - token.start())
        spans, start = [], None
        for pos, flag in enumerate(used):
            if flag and start is None:
                start = pos
            elif not flag and start is not None:
                spans.append((start, pos))
                start = None
        if start is not None:
            spans.append((start, width))
        header = self.lines[0]
        names = header.split()
        if all(_DATA_CELL.fullmatch(name) for name in names):  # no header line: every span is a column
            return spans if len(spans) == len(names) else None
        columns: list[list[int]] = []
        for begin, end in spans:  # a span with nothing in the header belongs to the column on its left
            if header[begin:end].strip() or not columns:
                columns.append([begin, end])
            else:
                columns[-1][1] = end
        if columns and not header[columns[0][0]:columns[0][1]].strip() and len(columns) > 1:
            columns[1][0] = columns[0][0]
            del columns[0]
        if len(columns) != len(names) or any(len(header[b:e].split()) != 1 for b, e in columns):
            return None
        return [(b, e) for b, e in columns]

    def _check_ragged(self, path: Path) -> None:
        expected = len(self.lines[0].split())
        for number, line in enumerate(self.lines, 1):
            found = len(line.split())
            if found and found != expected:
                raise CsvError(
                    f"{path}: line {number} has {found} values for {expected} columns; its columns are separated by "
                    "spaces without being lined up under their names, so a value with a space (a name like "
                    "'Marie Dupont') cannot be told from two values: save it with commas, semicolons or tabs "
                    "between the columns")

    def __iter__(self):
        return self

    def __next__(self) -> list[str]:
        if self.line_num >= len(self.lines):
            raise StopIteration
        line = self.lines[self.line_num]
        self.line_num += 1
        if self.spans is None:
            return line.split()
        return [line[b:e].strip() for b, e in self.spans] if line.strip() else []


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
        reader = _SpaceReader(text, path)  # columns separated by spaces, as old exports do
    else:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    separator = " " if isinstance(reader, _SpaceReader) else delimiter
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
            folded = [fold_header(h) for h in raw_header]
            if fold_header(column) not in folded or not fold_header(column):
                raise CsvError(f"--map {field}={column}: the file has no column {column!r} (columns: {', '.join(raw_header)})")
            wanted = header[folded.index(fold_header(column))]  # "Telephone" names the "Téléphone" column
        column_for[field] = header.index(wanted)
    for index, name in enumerate(header):  # a column named exactly as a field
        if name in known_fields and name not in column_for and index not in column_for.values():
            column_for[name] = index
    aliases = _aliases(known_fields)
    for index, name in enumerate(raw_header):  # a column named as tills name the field, in six languages
        field = aliases.get(fold_header(name))
        if field and field not in column_for and index not in column_for.values():
            column_for[field] = index
    if not column_for:
        if header[0] == "1":
            raise CsvError(f"{path} has no header line; name its columns by number, e.g. --map date=1 --map amount=2")
        raise CsvError(f"{path}: no known column in the header; expected some of: {', '.join(known_fields)}"
                       f" (or name one with --map FIELD=COLUMN; the columns are: {', '.join(raw_header)})")
    used = set(column_for.values())
    ignored = [(i + 1, raw_header[i].strip(), aliases.get(fold_header(raw_header[i])))
               for i in range(len(header)) if i not in used]
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[str] = []
    width = len(header)
    nameless = {position - 1 for position, name, _ in ignored if not name}
    filled: set[int] = set()  # nameless columns that hold something: only those are worth a word
    try:
        line = reader.line_num
        for record in reader:
            if not any(cell.strip() for cell in record):
                line = reader.line_num
                continue
            if nameless:
                filled |= {i for i in nameless if i < len(record) and record[i].strip()}
            if len(record) > width and any(cell.strip() for cell in record[width:]):
                problems.append(f"line {line + 1}: {len(record)} values for {width} columns (is there a "
                                f"{_shown(separator)} inside a value, without quotes around the value?)")
            rows.append((line + 1, {f: record[i].strip() if i < len(record) else "" for f, i in column_for.items()}))
            line = reader.line_num
    except csv.Error as exc:
        raise CsvError(f"{path}: line {reader.line_num}: {exc}") from None
    ignored = [entry for entry in ignored if entry[1] or entry[0] - 1 in filled]
    return Table(header=[h for h in header], rows=rows, fields=list(column_for), ignored=ignored, problems=problems)


def _shown(delimiter: str) -> str:
    return {"\t": "tab", " ": "space", ",": "comma", ";": "semicolon"}.get(delimiter, repr(delimiter))
