"""Finding a customer from what the owner types: name part, phone digits any way, last four, email.

Phones use index ranges (prefix of national or international digits, prefix of the reversed
digits for "ends with"); names and emails match on folded text, limited and paged.
"""
from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from ..domain.phones import digits_of, query_keys
from ..domain.text import fold


def _prefix_range(column: str, name: str) -> str:
    # "column >= :x AND column < :x_end" uses the index where LIKE 'x%' would not.
    return f"({column} >= :{name} AND {column} < :{name}_end)"


def _range_params(name: str, value: str) -> dict[str, str]:
    return {name: value, f"{name}_end": value + "\uffff"}


def lookup_ids(session: Session, query: str, region: str, limit: int = 20, offset: int = 0) -> list[int]:
    """Customer ids matching `query`, best first: phone matches, then email, then names."""
    query = (query or "").strip()
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
    words = [word for word in folded.split() if not word.isdigit()]
    if words:
        conditions = " AND ".join(f"name_fold LIKE :w{i} ESCAPE '\\'" for i in range(len(words)))
        params = {f"w{i}": "%" + _escape_like(word) + "%" for i, word in enumerate(words)}
        params.update(first=_escape_like(folded) + "%", lim=limit + offset)
        sql = f"""
            SELECT id FROM customer WHERE {conditions}
            ORDER BY (name_fold LIKE :first ESCAPE '\\') DESC, total_spend_cents DESC, name_fold, id
            LIMIT :lim
        """
        ordered.extend(row[0] for row in session.execute(text(sql), params) if row[0] not in ordered)
        if "@" not in query:
            sql = "SELECT id FROM customer WHERE email_fold LIKE :e ESCAPE '\\' LIMIT :lim"
            params = {"e": "%" + _escape_like(folded) + "%", "lim": limit + offset}
            if len(ordered) < limit + offset:
                ordered.extend(row[0] for row in session.execute(text(sql), params) if row[0] not in ordered)
    return ordered[offset : offset + limit]


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
