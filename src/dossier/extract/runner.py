"""`dossier extract`: mentions on every page not yet extracted, and the claims they support.

Incremental: a page is extracted when it has no ``page_extractions`` row at the current
:data:`EXTRACTOR_VERSION`. A new version re-extracts every page: the machine mentions that the
new rules find again are updated in place (keeping a link that resolution made), the others are
removed, and manual mentions are never touched.

Resumable: pages are taken in batches in page-id order, and each batch's mentions, claims and
``page_extractions`` rows are written in one transaction. A run stopped at any point leaves
whole batches; the next run starts with the first page that has no row, and the unique key of
mentions (page, offsets, kind) and the claim keys mean nothing is written twice.

A page whose extraction raises is recorded in ``failures`` (stage ``extract``, path
``<item path>#page=<n>``) and left without a ``page_extractions`` row, so the next run tries it
again; the run goes on. The item itself is not marked failed: its original, text and index
are fine, and ingest's quarantine (``register.record_failure``) is about those.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from dossier.extract.claims import ItemContext, propose_claims
from dossier.extract.gazetteer import Gazetteer
from dossier.extract.model import Found
from dossier.extract.page import extract_page
from dossier.ingest.register import collection_id as find_collection
from dossier.progress import RunClock
from dossier.registry.claims import add_claims
from dossier.store.schema import (
    candidate_mentions,
    failures,
    items,
    judgements,
    mentions,
    page_extractions,
    pages,
)
from dossier.workspace import Workspace, utcnow

# 2: places (exact spellings), a misread word of a unit's name on OCR'd pages
EXTRACTOR_VERSION = 2
BATCH_PAGES = 200
MACHINE_EXTRACTORS = ("gazetteer", "rules:date", "rules:unit", "rules:rank", "rules:ref")
_CONTEXTS_KEPT = 10_000


class ExtractError(Exception):
    """The run cannot start (no such collection); not a bad page."""


@dataclass
class ExtractProgress(RunClock):
    """Counters of one run; ``rate`` and ``eta_seconds`` are derived."""

    phase: str = "starting"
    pages_total: int = 0
    pages_done: int = 0
    mentions: int = 0
    claims: int = 0
    failures: int = 0

    @property
    def rate(self) -> float:
        """Pages per second."""
        return self.per_second(self.pages_done)

    @property
    def eta_seconds(self) -> float | None:
        return self.time_left(self.pages_total - self.pages_done - self.failures, self.rate)

    def line(self) -> str:
        eta_text = self.eta_text(self.eta_seconds)
        return (f"{self.phase}: {self.pages_done:,}/{self.pages_total:,} pages, "
                f"{self.mentions:,} mentions, {self.claims:,} claims, {self.failures:,} failed, "
                f"{self.rate:,.1f} pages/s, ETA {eta_text}")


ExtractProgressCallback = Callable[[ExtractProgress], None]


@dataclass
class ExtractReport:
    """What one run did."""

    pages: int = 0
    failed_pages: int = 0
    mentions: dict[str, int] = field(default_factory=dict)  # written this run, per kind
    linked: int = 0
    claims_new: int = 0
    claim_sources_new: int = 0
    gazetteer_names: int = 0
    gazetteer_seconds: float = 0.0  # loading the registry into the gazetteer
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class _PageRow:
    page_id: int
    item_id: int
    number: int
    text: str
    collection_id: int
    path: str
    ocr: bool = False


@dataclass
class _Batch:
    done: list[tuple[_PageRow, list[Found]]] = field(default_factory=list)
    failed: list[tuple[_PageRow, str]] = field(default_factory=list)


def _pending_condition(collection_id: int | None) -> Any:
    condition = or_(page_extractions.c.page_id.is_(None),
                    page_extractions.c.version != EXTRACTOR_VERSION)
    if collection_id is not None:
        condition = and_(condition, items.c.collection_id == collection_id)
    return condition


def _pending_from() -> Any:
    return pages.join(items, items.c.id == pages.c.item_id).outerjoin(
        page_extractions, page_extractions.c.page_id == pages.c.id)


def extract(workspace: Workspace, collection: str | None = None,
            progress: ExtractProgressCallback | None = None, *,
            batch_size: int = BATCH_PAGES, gazetteer: Gazetteer | None = None) -> ExtractReport:
    """Extract every page not yet extracted at this version (see the module)."""
    report = ExtractReport()
    state = ExtractProgress()
    last_notice = 0.0

    def notify(force: bool = False) -> None:
        nonlocal last_notice
        if progress is not None and (force or time.monotonic() - last_notice >= 0.5):
            last_notice = time.monotonic()
            progress(state)

    with workspace.engine.connect() as conn:
        coll_id = None
        if collection is not None:
            coll_id = find_collection(conn, collection, create=False)
            if coll_id is None:
                raise ExtractError(f"no collection named {collection!r}")
        if gazetteer is None:
            state.phase = "loading the registry"
            notify(force=True)
            loading = time.monotonic()
            gazetteer = Gazetteer.from_store(conn)
            report.gazetteer_seconds = time.monotonic() - loading
        state.pages_total = int(conn.execute(
            select(func.count()).select_from(_pending_from())
            .where(_pending_condition(coll_id))).scalar_one())
    report.gazetteer_names = gazetteer.size
    state.phase = "extracting"
    notify(force=True)
    contexts: dict[int, ItemContext] = {}
    kinds: Counter[str] = Counter()
    after = 0
    while True:
        with workspace.engine.connect() as conn:
            rows = [_PageRow(int(r.id), int(r.item_id), int(r.number), str(r.text),
                             int(r.collection_id), str(r.path), r.method == "ocr")
                    for r in conn.execute(
                        select(pages.c.id, pages.c.item_id, pages.c.number, pages.c.text,
                               items.c.collection_id, items.c.path, pages.c.method)
                        .select_from(_pending_from())
                        .where(and_(_pending_condition(coll_id), pages.c.id > after))
                        .order_by(pages.c.id).limit(batch_size))]
        if not rows:
            break
        after = rows[-1].page_id
        batch = _Batch()
        for row in rows:
            try:
                batch.done.append((row, extract_page(row.text, gazetteer, ocr=row.ocr)))
            except Exception as exc:  # recorded on the page below; the run goes on
                batch.failed.append((row, f"{type(exc).__name__}: {exc}"))
        with workspace.engine.begin() as conn:
            written = _write_batch(conn, batch, contexts, workspace.actor)
        if len(contexts) > _CONTEXTS_KEPT:
            contexts.clear()
        kinds.update(written.kinds)
        report.linked += written.linked
        report.claims_new += written.claims_new
        report.claim_sources_new += written.sources_new
        report.pages += len(batch.done)
        report.failed_pages += len(batch.failed)
        state.pages_done += len(batch.done)
        state.failures += len(batch.failed)
        state.mentions += sum(written.kinds.values())
        state.claims += written.claims_new
        notify()
    report.mentions = dict(sorted(kinds.items()))
    report.seconds = state.elapsed
    state.phase = "done"
    notify(force=True)
    return report


@dataclass
class _Written:
    kinds: Counter[str] = field(default_factory=Counter)
    linked: int = 0
    claims_new: int = 0
    sources_new: int = 0


def _write_batch(conn: Connection, batch: _Batch, contexts: dict[int, ItemContext],
                 actor: str) -> _Written:
    written = _Written()
    now = utcnow()
    page_ids = [row.page_id for row, _ in batch.done]
    existing: dict[tuple[int, int, int, str], tuple[int, str]] = {}
    if page_ids:
        for m in conn.execute(select(mentions.c.id, mentions.c.page_id, mentions.c.char_start,
                                     mentions.c.char_end, mentions.c.kind, mentions.c.extractor)
                              .where(mentions.c.page_id.in_(page_ids))):
            existing[(int(m.page_id), int(m.char_start), int(m.char_end), str(m.kind))] = (
                int(m.id), str(m.extractor))
    fresh: list[dict[str, Any]] = []
    kept: set[int] = set()
    drafts = []
    for row, found in batch.done:
        seen: set[tuple[int, int, int, str]] = set()
        for mention in found:
            key = (row.page_id, mention.start, mention.end, mention.kind)
            if key in seen:
                continue
            seen.add(key)
            values = _mention_values(row, mention)
            if mention.entity_id is not None:
                written.linked += 1
            written.kinds[mention.kind] += 1
            if key in existing:
                mention_id, extractor = existing[key]
                kept.add(mention_id)
                if extractor in MACHINE_EXTRACTORS:
                    if mention.entity_id is None:  # keep a link that resolution made
                        values.pop("entity_id")
                        values.pop("link_score")
                    conn.execute(update(mentions).where(mentions.c.id == mention_id)
                                 .values(**values))
            else:
                fresh.append(values)
        context = _context(conn, contexts, row)
        context.update(found)
        drafts.extend(propose_claims(row.text, found, context, item_id=row.item_id,
                                     page_number=row.number, actor=actor))
    stale = [mention_id for mention_id, extractor in existing.values()
             if mention_id not in kept and extractor in MACHINE_EXTRACTORS]
    stale = _unjudged(conn, stale)
    if stale:
        conn.execute(delete(candidate_mentions).where(candidate_mentions.c.mention_id.in_(stale)))
        conn.execute(delete(mentions).where(mentions.c.id.in_(stale)))
    if fresh:
        conn.execute(insert(mentions), fresh)
    if page_ids:
        conn.execute(delete(page_extractions).where(page_extractions.c.page_id.in_(page_ids)))
        conn.execute(insert(page_extractions), [
            {"page_id": page_id, "version": EXTRACTOR_VERSION, "extracted_at": now}
            for page_id in page_ids])
        done_paths = [_failure_path(row) for row, _ in batch.done]
        conn.execute(update(failures).where(and_(
            failures.c.stage == "extract", failures.c.resolved_at.is_(None),
            failures.c.path.in_(done_paths))).values(resolved_at=now))
    for added in add_claims(conn, drafts):
        written.claims_new += int(added.new_claim)
        written.sources_new += added.new_sources
    for row, message in batch.failed:
        _record_page_failure(conn, row, message, now)
    return written


def _unjudged(conn: Connection, mention_ids: list[int]) -> list[int]:
    """The mentions no judgement names: a mention a person judged stays, even when new rules
    no longer find it, so that the judgement never points at nothing (or, once SQLite reuses
    the id, at another mention)."""
    if not mention_ids:
        return []
    refs = [f"m:{mention_id}" for mention_id in mention_ids]
    judged = set(conn.scalars(select(judgements.c.left_ref).where(judgements.c.left_ref.in_(refs))))
    judged |= set(conn.scalars(select(judgements.c.right_ref)
                               .where(judgements.c.right_ref.in_(refs))))
    return [mention_id for mention_id in mention_ids if f"m:{mention_id}" not in judged]


def _mention_values(row: _PageRow, mention: Found) -> dict[str, Any]:
    return {
        "page_id": row.page_id, "item_id": row.item_id, "page_number": row.number,
        "char_start": mention.start, "char_end": mention.end, "text": mention.text,
        "kind": mention.kind, "value": mention.value,
        "attributes": json.dumps(mention.attributes, ensure_ascii=False, sort_keys=True)
        if mention.attributes else None,
        "extractor": mention.extractor, "score": round(mention.score, 3),
        "entity_id": mention.entity_id, "link_score": mention.link_score,
    }


def _context(conn: Connection, contexts: dict[int, ItemContext], row: _PageRow) -> ItemContext:
    """The document's date and issuer, from its first page (this run's, or stored)."""
    context = contexts.get(row.item_id)
    if context is not None and row.number > 1:
        return context
    context = contexts[row.item_id] = ItemContext()
    if row.number > 1:
        marked = conn.execute(
            select(mentions.c.kind, mentions.c.value, mentions.c.attributes,
                   mentions.c.entity_id)
            .where(and_(mentions.c.item_id == row.item_id, mentions.c.page_number < row.number,
                        or_(mentions.c.attributes.like('%"issued": true%'),
                            mentions.c.attributes.like('%"issuer": true%'))))
            .order_by(mentions.c.page_number, mentions.c.char_start))
        context.update([Found(str(m.kind), 0, 0, "", "", 0.0, value=m.value,
                              attributes=json.loads(m.attributes or "{}"),
                              entity_id=m.entity_id) for m in marked])
    return context


def _failure_path(row: _PageRow) -> str:
    return f"{row.path}#page={row.number}"


def _record_page_failure(conn: Connection, row: _PageRow, message: str, now: Any) -> None:
    path = _failure_path(row)
    open_failure = conn.execute(select(failures.c.id).where(and_(
        failures.c.stage == "extract", failures.c.path == path,
        failures.c.resolved_at.is_(None)))).first()
    if open_failure is None:
        conn.execute(insert(failures).values(
            collection_id=row.collection_id, item_id=row.item_id, path=path, stage="extract",
            kind="error", message=message, attempts=1, first_failed_at=now, last_failed_at=now))
    else:
        conn.execute(update(failures).where(failures.c.id == open_failure.id).values(
            message=message, attempts=failures.c.attempts + 1, last_failed_at=now))
