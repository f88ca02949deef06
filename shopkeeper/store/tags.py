"""Customer tags: add, remove, read, and the SQL filter every list uses to keep one tag."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from sqlalchemy import delete, select
from sqlmodel import Session

from ..domain.tags import tag_key
from ..lazy import LazyModule

# the tag filter (has_tag) is part of the checklist's queries: the models load on first use (lazy.py)
models = LazyModule("shopkeeper.store.models")


def add_tags(session: Session, customer_id: int, tags: Iterable[str]) -> None:
    """Add tags the customer does not have yet (a tag already there, in any case, is kept as is)."""
    have = set(session.execute(select(models.CustomerTag.tag_fold).where(models.CustomerTag.customer_id == customer_id)).scalars())
    for tag in tags:
        key = tag_key(tag)
        if key and key not in have:
            session.add(models.CustomerTag(customer_id=customer_id, tag=tag, tag_fold=key))
            have.add(key)
    session.flush()


def remove_tag(session: Session, customer_id: int, tag: str) -> bool:
    """Remove one tag; False when the customer did not have it."""
    result = session.execute(delete(models.CustomerTag).where(models.CustomerTag.customer_id == customer_id,
                                                       models.CustomerTag.tag_fold == tag_key(tag)))
    return bool(result.rowcount)


def tags_of(session: Session, ids: Iterable[int]) -> dict[int, list[str]]:
    """customer id -> their tags in alphabetical order."""
    ids = list(ids)
    found: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        rows = session.execute(select(models.CustomerTag.customer_id, models.CustomerTag.tag)
                               .where(models.CustomerTag.customer_id.in_(ids[start:start + 500]))
                               .order_by(models.CustomerTag.customer_id, models.CustomerTag.tag_fold))
        for cid, tag in rows:
            found[cid].append(tag)
    return found


def all_tags(session: Session) -> list[str]:
    """Every tag in use, once each (as first typed), alphabetically: what a filter can pick from."""
    rows = session.execute(select(models.CustomerTag.tag_fold, models.CustomerTag.tag).order_by(models.CustomerTag.tag_fold, models.CustomerTag.id))
    seen: dict[str, str] = {}
    for key, tag in rows:
        seen.setdefault(key, tag)
    return list(seen.values())


def has_tag(alias: str) -> str:
    """SQL that holds when customer `alias` has the tag in the :tag parameter (folded)."""
    return f"EXISTS (SELECT 1 FROM customer_tag t WHERE t.tag_fold = :tag AND t.customer_id = {alias}.id)"


def tag_param(tag: str | None) -> dict:
    return {"tag": tag_key(tag)} if tag else {}


def move_tags(session: Session, keep_id: int, drop_id: int) -> None:
    """A merge: drop's tags become keep's (each once)."""
    drop = list(session.execute(select(models.CustomerTag.tag).where(models.CustomerTag.customer_id == drop_id)).scalars())
    session.execute(delete(models.CustomerTag).where(models.CustomerTag.customer_id == drop_id))
    add_tags(session, keep_id, drop)
