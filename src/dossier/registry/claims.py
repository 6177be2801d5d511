"""Claims: every fact about an entity, with its valid time, its sources and its status.

A claim is identified by what it says (subject, predicate, object, role, value, valid time),
not by who said it: proposing the same fact again, from another page or another document, adds
a source to the existing claim. Nothing is asserted without a source.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from dossier.registry.dates import DateError, bounds
from dossier.registry.vocabulary import VocabularyError, predicate
from dossier.store.schema import (
    claim_reviews,
    claim_sources,
    claims,
    collections,
    entities,
    items,
)
from dossier.workspace import utcnow

STATUSES = ("proposed", "accepted", "disputed", "rejected")
PRECISIONS = ("exact", "within")


class ClaimError(ValueError):
    """A claim that cannot be recorded as given (no source, unknown status, bad dates)."""


@dataclass(frozen=True)
class Source:
    """Where a claim comes from: a page of an item with a quote, or an outside citation."""

    item_id: int | None = None
    page_number: int | None = None
    quote: str | None = None
    citation: str | None = None

    def key(self, claim_id: int) -> str:
        payload = json.dumps([claim_id, self.item_id, self.page_number, self.quote,
                              self.citation], ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class ClaimDraft:
    """A claim to record.

    ``valid_from``/``valid_to`` are ISO dates (or a year, or year-month). With
    ``time_precision="exact"`` the claim holds throughout the interval (an open end means
    unknown); with ``"within"`` it held at least once within it — what a dated document proves.
    """

    subject_id: int
    predicate: str
    sources: tuple[Source, ...]
    object_id: int | None = None
    role: str | None = None
    value: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    time_precision: str = "exact"
    confidence: float = 1.0
    author: str = "unknown"
    origin: str = "manual"
    status: str = "proposed"
    extra: dict[str, object] = field(default_factory=dict)

    def key(self) -> str:
        payload = json.dumps([self.subject_id, self.predicate, self.object_id, self.role,
                              self.value, self.valid_from, self.valid_to, self.time_precision],
                             ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()

    def check(self) -> None:
        try:
            known = predicate(self.predicate)
        except VocabularyError as exc:
            raise ClaimError(str(exc)) from None
        if known.literal and self.value is None:
            raise ClaimError(f"claim {self.predicate} of entity {self.subject_id} needs a value")
        if not known.literal and self.object_id is None:
            raise ClaimError(f"claim {self.predicate} of entity {self.subject_id} needs an "
                             f"object ({' or '.join(known.object_kinds)})")
        if not self.sources:
            raise ClaimError(f"claim {self.predicate} of entity {self.subject_id} has no source")
        if self.status not in STATUSES:
            raise ClaimError(f"unknown claim status {self.status!r}; one of {', '.join(STATUSES)}")
        if self.time_precision not in PRECISIONS:
            raise ClaimError(f"unknown time precision {self.time_precision!r}; "
                             f"one of {', '.join(PRECISIONS)}")
        days: dict[str, tuple[date, date]] = {}
        for name, value in (("valid_from", self.valid_from), ("valid_to", self.valid_to)):
            if value is None:
                continue
            try:
                days[name] = bounds(value)
            except DateError as exc:
                raise ClaimError(f"claim {self.predicate} of entity {self.subject_id}: "
                                 f"{name} {exc}") from None
        # "2012-03" to "2012" is a valid time: only a start after the last day of the end is not
        if len(days) == 2 and days["valid_from"][0] > days["valid_to"][1]:
            raise ClaimError(f"claim {self.predicate} of entity {self.subject_id}: "
                             f"valid_from {self.valid_from} is after valid_to {self.valid_to}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ClaimError(f"confidence {self.confidence} is not between 0 and 1")


@dataclass(frozen=True)
class Added:
    claim_id: int
    new_claim: bool
    new_sources: int


def add_claims(conn: Connection, drafts: Iterable[ClaimDraft]) -> list[Added]:
    """Record claims and their sources in the caller's transaction, without duplicates.

    A claim that exists already (same key) keeps its status and gains the new sources; a
    source already recorded for it is not recorded again, so re-running extraction is a no-op.
    Every draft is checked before anything is written; then four queries record them all
    (more only for thousands of drafts): the existing claims, the new claims, the existing
    sources, the new sources.
    """
    drafts = list(drafts)
    for draft in drafts:
        draft.check()
    keys = [draft.key() for draft in drafts]
    ids = _claim_ids(conn, keys)
    now = utcnow()
    fresh: dict[str, ClaimDraft] = {}
    for key, draft in zip(keys, drafts, strict=True):
        if key not in ids and key not in fresh:
            fresh[key] = draft
    if fresh:
        inserted = conn.execute(insert(claims).returning(claims.c.key, claims.c.id), [
            {"key": key, "subject_id": d.subject_id, "predicate": d.predicate,
             "object_id": d.object_id, "role": d.role, "value": d.value,
             "valid_from": d.valid_from, "valid_to": d.valid_to,
             "time_precision": d.time_precision, "confidence": d.confidence,
             "author": d.author, "origin": d.origin, "status": d.status,
             "created_at": now, "updated_at": now} for key, d in fresh.items()])
        ids.update((row.key, int(row.id)) for row in inserted)
    wanted: dict[str, dict[str, Any]] = {}  # source key -> row, first draft first
    owner: list[list[str]] = []  # the source keys of each draft
    for key, draft in zip(keys, drafts, strict=True):
        claim_id = ids[key]
        own = []
        for source in draft.sources:
            source_key = source.key(claim_id)
            own.append(source_key)
            wanted.setdefault(source_key, {
                "claim_id": claim_id, "item_id": source.item_id,
                "page_number": source.page_number, "quote": source.quote,
                "citation": source.citation, "key": source_key})
        owner.append(own)
    known = _existing(conn, claim_sources.c.key, list(wanted))
    new_sources = [row for key, row in wanted.items() if key not in known]
    if new_sources:
        conn.execute(insert(claim_sources), new_sources)
    results: list[Added] = []
    seen_claims: set[str] = set()
    counted: set[str] = set(known)
    for key, own in zip(keys, owner, strict=True):
        added = {k for k in own if k not in counted}
        counted |= added
        results.append(Added(ids[key], key in fresh and key not in seen_claims, len(added)))
        seen_claims.add(key)
    return results


_CHUNK = 500  # keys per IN list


def _claim_ids(conn: Connection, keys: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), _CHUNK):
        found.update((row.key, int(row.id)) for row in conn.execute(
            select(claims.c.key, claims.c.id).where(claims.c.key.in_(
                unique[start:start + _CHUNK]))))
    return found


def _existing(conn: Connection, column: Any, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        found.update(conn.scalars(select(column).where(column.in_(keys[start:start + _CHUNK]))))
    return found


# -- review: accept, reject, dispute; and reading claims with their sources -----------------

REVIEW_STATUSES = ("accepted", "rejected", "disputed", "proposed")


@dataclass(frozen=True)
class ClaimSource:
    item_id: int | None
    path: str | None
    page_number: int | None
    quote: str | None
    citation: str | None
    collection: str | None = None  # the collection of the item, for who may read it

    def as_dict(self) -> dict[str, object]:
        return {"item": self.item_id, "path": self.path, "page": self.page_number,
                "quote": self.quote, "citation": self.citation, "collection": self.collection}


@dataclass(frozen=True)
class ClaimView:
    """A recorded claim with its sources, as a person reviews it."""

    id: int
    subject_id: int
    predicate: str
    object_id: int | None
    role: str | None
    value: str | None
    valid_from: str | None
    valid_to: str | None
    time_precision: str
    confidence: float
    author: str
    origin: str
    status: str
    sources: tuple[ClaimSource, ...]
    subject_name: str = ""
    object_name: str | None = None
    withheld: int = 0  # sources in collections the reader may not read, left out

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "subject": self.subject_id, "subject_name": self.subject_name,
                "predicate": self.predicate, "object": self.object_id,
                "object_name": self.object_name, "role": self.role, "value": self.value,
                "valid_from": self.valid_from, "valid_to": self.valid_to,
                "precision": self.time_precision, "confidence": self.confidence,
                "author": self.author, "origin": self.origin, "status": self.status,
                "sources": [source.as_dict() for source in self.sources],
                "withheld_sources": self.withheld}


def readable_sources(views: Iterable[ClaimView], readable: Collection[str] | None
                     ) -> list[ClaimView]:
    """The claims with only the sources a reader of the collections ``readable`` (None: all)
    may read; each counts the sources it left out (``withheld``), so that a reader knows there
    are more. Outside citations (no item) are always kept."""
    if readable is None:
        return list(views)
    shown = []
    for view in views:
        kept = tuple(s for s in view.sources if s.item_id is None or s.collection in readable)
        shown.append(replace(view, sources=kept,
                             withheld=view.withheld + len(view.sources) - len(kept)))
    return shown


def review_claim(conn: Connection, claim_id: int, status: str, *, author: str,
                 reason: str | None = None) -> ClaimView:
    """Set a claim's status, recording who decided it and why (a claim_reviews row)."""
    if status not in REVIEW_STATUSES:
        raise ClaimError(f"unknown review status {status!r}; one of {', '.join(REVIEW_STATUSES)}")
    if status in ("rejected", "disputed") and not (reason and reason.strip()):
        raise ClaimError(f"a claim is {status} for a reason: give one")
    if conn.execute(select(claims.c.id).where(claims.c.id == claim_id)).first() is None:
        raise ClaimError(f"no claim {claim_id}")
    now = utcnow()
    conn.execute(insert(claim_reviews).values(claim_id=claim_id, status=status, author=author,
                                              reason=reason, created_at=now))
    conn.execute(update(claims).where(claims.c.id == claim_id)
                 .values(status=status, updated_at=now))
    return get_claims(conn, [claim_id])[0]


def accept_claim(conn: Connection, claim_id: int, *, author: str,
                 reason: str | None = None) -> ClaimView:
    return review_claim(conn, claim_id, "accepted", author=author, reason=reason)


def reject_claim(conn: Connection, claim_id: int, *, author: str, reason: str) -> ClaimView:
    return review_claim(conn, claim_id, "rejected", author=author, reason=reason)


def dispute_claim(conn: Connection, claim_id: int, *, author: str, reason: str) -> ClaimView:
    return review_claim(conn, claim_id, "disputed", author=author, reason=reason)


def reviews(conn: Connection, claim_id: int) -> list[dict[str, object]]:
    """The reviews of a claim, oldest first."""
    rows = conn.execute(select(claim_reviews).where(claim_reviews.c.claim_id == claim_id)
                        .order_by(claim_reviews.c.id))
    return [{"status": r.status, "author": r.author, "reason": r.reason,
             "at": r.created_at.isoformat()} for r in rows]


def get_claims(conn: Connection, claim_ids: Sequence[int]) -> list[ClaimView]:
    """Claims by id, in the order asked, with their sources and the names of their entities."""
    rows = {row.id: row for row in conn.execute(select(claims).where(
        claims.c.id.in_(list(claim_ids))))}
    return _views(conn, [rows[i] for i in claim_ids if i in rows])


def list_claims(conn: Connection, entity_id: int, *, statuses: Sequence[str] | None = None,
                predicate: str | None = None, hide_protected: bool = False) -> list[ClaimView]:
    """Claims about an entity, as subject or as object, oldest valid time first; with
    ``hide_protected`` none whose subject or object is a person marked protected."""
    query = select(claims).where(or_(claims.c.subject_id == entity_id,
                                     claims.c.object_id == entity_id))
    if hide_protected:
        hidden = select(entities.c.id).where(entities.c.protected.is_(True))
        query = query.where(claims.c.subject_id.not_in(hidden),
                            or_(claims.c.object_id.is_(None), claims.c.object_id.not_in(hidden)))
    if statuses:
        query = query.where(claims.c.status.in_(list(statuses)))
    if predicate:
        query = query.where(claims.c.predicate == predicate)
    rows = conn.execute(query.order_by(claims.c.valid_from.nulls_last(), claims.c.id)).all()
    return _views(conn, rows)


def sources_of(conn: Connection, claim_ids: Iterable[int]) -> dict[int, list[ClaimSource]]:
    """The sources of each claim, in the order they were recorded, in one query."""
    ids = sorted(set(claim_ids))
    found: dict[int, list[ClaimSource]] = {}
    if not ids:
        return found
    for source in conn.execute(
            select(claim_sources.c.claim_id, claim_sources.c.item_id, items.c.path,
                   claim_sources.c.page_number, claim_sources.c.quote, claim_sources.c.citation,
                   collections.c.name.label("collection"))
            .select_from(claim_sources.outerjoin(items, items.c.id == claim_sources.c.item_id)
                         .outerjoin(collections, collections.c.id == items.c.collection_id))
            .where(claim_sources.c.claim_id.in_(ids)).order_by(claim_sources.c.id)):
        found.setdefault(source.claim_id, []).append(ClaimSource(
            source.item_id, source.path, source.page_number, source.quote, source.citation,
            source.collection))
    return found


def _views(conn: Connection, rows: Sequence[Any]) -> list[ClaimView]:
    found = sources_of(conn, (row.id for row in rows))
    entity_ids = {row.subject_id for row in rows} | {row.object_id for row in rows
                                                     if row.object_id is not None}
    names = dict(conn.execute(select(entities.c.id, entities.c.name)
                              .where(entities.c.id.in_(list(entity_ids)))).all()
                 ) if entity_ids else {}
    return [ClaimView(row.id, row.subject_id, row.predicate, row.object_id, row.role, row.value,
                      row.valid_from, row.valid_to, row.time_precision, row.confidence,
                      row.author, row.origin, row.status, tuple(found.get(row.id, ())),
                      names.get(row.subject_id, ""),
                      names.get(row.object_id) if row.object_id is not None else None)
            for row in rows]
