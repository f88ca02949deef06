"""Finding a customer from what the owner types: name part, phone digits any way, last four, email.

Phones use index ranges (prefix of national or international digits, prefix of the reversed
digits for "ends with"); names and emails match on folded text, limited and paged.
"""
from __future__ import annotations

import re

from sqlalchemy import text
from sqlmodel import Session

from ..domain.phones import digits_of, phone_keys, query_keys
from ..domain.text import clean_line, fold
from .backend import dialect_of, is_pg, name_rest
from .sqlvalues import escape_like


# Characters that separate words in a typed name rather than belong to them (names keep ' - . @ +).
_PUNCTUATION = re.compile(r"[^\w\s'’\-.@+]")


def name_key(name: str) -> str:
    """A name as one key, case, accents, punctuation and word order aside: "Gauthier, Noah",
    "noah GAUTHIER" and "Noah Gauthier" are the same person's name."""
    return " ".join(sorted(re.findall(r"\w+", fold(name))))


def same_customer_ids(session: Session, name: str, phones: list[str], email: str, region: str) -> list[tuple[int, str]]:
    """(id, reason) of customers already on file with this phone, this email or this name (see
    name_key), phone and email first. Names go through the lookup's index, not a walk of all names."""
    found: dict[int, str] = {}
    for raw in phones:
        if raw.strip():
            e164 = phone_keys(raw, region).e164
            for (other,) in session.execute(text("SELECT customer_id FROM customer_phone WHERE e164 = :e"), {"e": e164}):
                found.setdefault(other, f"same phone {raw.strip()}")
    if email.strip():
        for (other,) in session.execute(text("SELECT id FROM customer WHERE email_fold = :e"), {"e": fold(email)}):
            found.setdefault(other, f"same email {email.strip()}")
    key = name_key(name)
    if key:
        candidates = lookup_ids(session, key, region, limit=50)
        if candidates:
            marks = ",".join(str(int(i)) for i in candidates)
            for other, folded in session.execute(text(f"SELECT id, name_fold FROM customer WHERE id IN ({marks})")):
                if name_key(folded) == key:
                    found.setdefault(other, "same name")
    return list(found.items())


def _prefix_range(column: str, name: str) -> str:
    # "column >= :x AND column < :x_end" uses the index where LIKE 'x%' would not.
    return f"({column} >= :{name} AND {column} < :{name}_end)"


def _range_params(name: str, value: str) -> dict[str, str]:
    return {name: value, f"{name}_end": value + "\uffff"}


def lookup_ids(session: Session, query: str, region: str, limit: int = 20, offset: int = 0) -> list[int]:
    """Customer ids matching `query`, best first: phone matches, then email, then names."""
    query = clean_line(query or "", limit=200)  # control characters and megabytes are not a name
    if not query:
        return []
    ordered: list[int] = []
    keys = query_keys(query, region)
    if keys is not None:
        digits = digits_of(query)
        clauses = [_prefix_range("national", "nat"), _prefix_range("e164", "intl")]
        params = {**_range_params("nat", keys.national), **_range_params("intl", keys.e164)}
        params.update(_range_params("natq", digits))
        clauses.append(_prefix_range("national", "natq"))
        if len(digits) >= 4:
            clauses.append(_prefix_range("reversed_digits", "rev"))
            params.update(_range_params("rev", digits[::-1]))
        sql = f"SELECT DISTINCT customer_id FROM customer_phone WHERE {' OR '.join(clauses)} LIMIT :lim"
        params["lim"] = limit + offset
        ordered.extend(row[0] for row in session.execute(text(sql), params))
    folded = fold(query)
    if "@" in query or "." in query:
        sql = "SELECT id FROM customer WHERE email_fold >= :e AND email_fold < :e_end LIMIT :lim"
        params = {**_range_params("e", folded), "lim": limit + offset}
        ordered.extend(row[0] for row in session.execute(text(sql), params) if row[0] not in ordered)
    # words that could be part of a name: with at least one letter ("+3" or "06" never are, and
    # walking every name for them costs a full index pass on a large shop); punctuation such as
    # the comma of "Gauthier, Noah" or the dot of an initial is not part of any word
    words = [word.strip(".-'’") for word in _PUNCTUATION.sub(" ", folded).split() if any(ch.isalpha() for ch in word)]
    if words:
        want = limit + offset
        ordered.extend(i for i in _name_matches(session, words, " ".join(words), want) if i not in ordered)
        if "@" not in query and len(ordered) < want:
            ordered.extend(i for i in _email_matches(session, folded, want) if i not in ordered)
    return ordered[offset : offset + limit]


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'




def _name_matches(session: Session, words: list[str], folded: str, want: int) -> list[int]:
    """Names holding every word. Words of 3+ letters go through the trigram index (any part of
    the name); shorter ones filter those hits. With only one or two letters typed, names whose
    first word starts with them come first, then names whose later words do (two index ranges:
    "ma" finds Marie Dupont and Jean Martin, not Thomas)."""
    long_words = [w for w in words if len(w) >= 3]
    short_words = [w for w in words if len(w) < 3]
    params: dict[str, object] = {f"w{i}": "%" + escape_like(w) + "%" for i, w in enumerate(short_words)}
    short_filter = "".join(f" AND c.name_fold LIKE :w{i} ESCAPE '\\'" for i in range(len(short_words)))
    params.update(first=escape_like(folded) + "%", lim=want)
    postgres = is_pg(session)
    if long_words and postgres:
        # pg_trgm's GIN index on name_fold answers LIKE '%part%' for parts of 3+ letters
        params.update({f"l{i}": "%" + escape_like(w) + "%" for i, w in enumerate(long_words)})
        long_filter = " AND ".join(f"c.name_fold LIKE :l{i} ESCAPE '\\'" for i in range(len(long_words)))
        sql = f"""
            SELECT c.id FROM customer c WHERE {long_filter} {short_filter}
            ORDER BY (c.name_fold LIKE :first ESCAPE '\\') DESC, c.total_spend_cents DESC, c.name_fold, c.id
            LIMIT :lim
        """
        return [row[0] for row in session.execute(text(sql), params)]
    if long_words:
        params["match"] = "name_fold: (" + " AND ".join(_fts_phrase(w) for w in long_words) + ")"
        sql = f"""
            SELECT c.id FROM customer_fts JOIN customer c ON c.id = customer_fts.rowid
            WHERE customer_fts MATCH :match {short_filter}
            ORDER BY (c.name_fold LIKE :first ESCAPE '\\') DESC, c.total_spend_cents DESC, c.name_fold, c.id
            LIMIT :lim
        """
        return [row[0] for row in session.execute(text(sql), params)]
    params.update(_range_params("start", short_words[0]))
    found: list[int] = []
    for column in ("c.name_fold", name_rest(dialect_of(session), "c.name_fold")):
        sql = f"""SELECT c.id FROM customer c WHERE {_prefix_range(column, "start")} {short_filter}
                  ORDER BY {column}, c.id LIMIT :lim"""
        found.extend(row[0] for row in session.execute(text(sql), params) if row[0] not in found)
    return found


def _email_matches(session: Session, folded: str, want: int) -> list[int]:
    if len(folded) < 3 or " " in folded:
        return []
    if is_pg(session):
        sql = "SELECT id FROM customer WHERE email_fold LIKE :e ESCAPE '\\' ORDER BY id LIMIT :lim"
        return [row[0] for row in session.execute(text(sql), {"e": "%" + escape_like(folded) + "%", "lim": want})]
    sql = """SELECT rowid FROM customer_fts WHERE customer_fts MATCH :match LIMIT :lim"""
    return [row[0] for row in session.execute(text(sql), {"match": "email_fold: " + _fts_phrase(folded), "lim": want})]
