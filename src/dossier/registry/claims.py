"""Claims: every fact about an entity, with its valid time, its sources and its status.

A claim is identified by what it says (subject, predicate, object, role, value, valid time),
not by who said it: proposing the same fact again, from another page or another document, adds
a source to the existing claim. Nothing is asserted without a source.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, insert, select

from dossier.store.schema import claim_sources, claims
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
        if not self.sources:
            raise ClaimError(f"claim {self.predicate} of entity {self.subject_id} has no source")
        if self.status not in STATUSES:
            raise ClaimError(f"unknown claim status {self.status!r}; one of {', '.join(STATUSES)}")
        if self.time_precision not in PRECISIONS:
            raise ClaimError(f"unknown time precision {self.time_precision!r}; "
                             f"one of {', '.join(PRECISIONS)}")
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
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
    """
    results: list[Added] = []
    now = utcnow()
    for draft in drafts:
        draft.check()
        key = draft.key()
        row = conn.execute(select(claims.c.id).where(claims.c.key == key)).first()
        new_claim = row is None
        if row is None:
            result = conn.execute(insert(claims).values(
                key=key, subject_id=draft.subject_id, predicate=draft.predicate,
                object_id=draft.object_id, role=draft.role, value=draft.value,
                valid_from=draft.valid_from, valid_to=draft.valid_to,
                time_precision=draft.time_precision, confidence=draft.confidence,
                author=draft.author, origin=draft.origin, status=draft.status,
                created_at=now, updated_at=now))
            assert result.inserted_primary_key is not None
            claim_id = int(result.inserted_primary_key[0])
        else:
            claim_id = int(row.id)
        results.append(Added(claim_id, new_claim, _add_sources(conn, claim_id, draft.sources)))
    return results


def _add_sources(conn: Connection, claim_id: int, sources: Sequence[Source]) -> int:
    keys = {source.key(claim_id): source for source in sources}
    known = set(conn.scalars(select(claim_sources.c.key)
                             .where(claim_sources.c.key.in_(list(keys)))))
    fresh = [
        {"claim_id": claim_id, "item_id": s.item_id, "page_number": s.page_number,
         "quote": s.quote, "citation": s.citation, "key": k}
        for k, s in keys.items() if k not in known
    ]
    if fresh:
        conn.execute(insert(claim_sources), fresh)
    return len(fresh)
