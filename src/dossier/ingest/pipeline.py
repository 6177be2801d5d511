"""The ingest run: walk, preserve, extract in worker processes, record, index, seal.

Order of work and why it survives `kill -9`:

1. A thread (`walk.Walker`) copies each file into the blob store (temporary file, then
   rename) and syncs each batch; the main loop then records the batch's items, sightings and
   custody events in one transaction. A resumed run recognises the places already recorded in
   the same acquisition and skips them; a copy made but not recorded is found in the store.
2. Items still `acquired`/`pending` go to the worker pool. Results are written in small
   transactions (pages, children, stage, custody). Unique keys on (item, page number) and on
   (collection, sha256) mean a result written twice cannot duplicate anything. The
   near-duplicate fingerprints (signatures and band keys) are written thousands at a time;
   those a killed run had not written are computed again from the stored text.
3. The pages of each written batch go to the index at once (by page id: replace, not
   append); the index is committed, and only then are they marked indexed. Pages left
   unmarked by a crash are indexed again by the next run.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import ColumnElement, Connection, and_, bindparam, func, select, update

from dossier.custody import log as custody
from dossier.custody.seal import seal
from dossier.ingest import register
from dossier.ingest.grouping import (
    Fingerprint,
    KnownSignatures,
    assign_near_duplicate_groups,
    restore_lost_fingerprints,
)
from dossier.ingest.indexing import IndexFeed, index_pending
from dossier.ingest.model import Limits
from dossier.ingest.progress import IngestProgress, ProgressCallback, Throttle
from dossier.ingest.walk import WalkBatch, Walker
from dossier.ingest.worker import (
    Job,
    JobResult,
    JobSettings,
    release_inherited_locks,
    run_job,
    run_jobs,
)
from dossier.search import PageDoc, SearchIndexError
from dossier.store.bulk import insert_rows
from dossier.store.schema import items, pages
from dossier.workspace import Workspace, utcnow

INDEX_EVERY_PAGES = 5000
PAGE_COLUMNS = ("item_id", "number", "text", "text_sha256", "method", "tool", "confidence",
                "language", "indexed")
WRITE_BATCH = 64
MAX_CHUNK = 8


class IngestError(Exception):
    """The run itself cannot go on (bad arguments, no such collection); not a bad file."""


@dataclass
class IngestOptions:
    collection: str
    paths: list[Path] = field(default_factory=list)
    acquired_from: str | None = None
    note: str | None = None
    workers: int = 0  # 0: as many as there are cores
    ocr_languages: str | None = None
    retry_failed: bool = False
    limits: Limits = field(default_factory=Limits)


def ingest(workspace: Workspace, options: IngestOptions,
           on_progress: ProgressCallback | None = None) -> IngestProgress:
    progress = IngestProgress()
    notify = Throttle(on_progress)
    actor = workspace.actor
    missing = [str(path) for path in options.paths if not path.exists()]
    if missing:
        raise IngestError("no such file or folder: " + ", ".join(missing))
    if not options.paths and not options.retry_failed:
        raise IngestError("nothing to ingest: give one or more paths, or --retry-failed")
    try:
        workspace.index.lock_for_writing()
    except SearchIndexError as exc:
        raise IngestError(f"{exc} Is another `dossier ingest` running in this workspace?"
                          ) from exc
    workspace.blobs.discard_partial()  # what a killed run was copying when it died

    with workspace.engine.begin() as conn:
        collection_id = register.collection_id(conn, options.collection,
                                               create=bool(options.paths))
        if collection_id is None:
            raise IngestError(f"no collection named {options.collection!r}")
        if options.retry_failed:
            register.requeue_failed(conn, collection_id)
        restore_lost_fingerprints(conn)  # of a run killed before it wrote them

    acquisition_id = None
    walk: tuple[Walker, int] | None = None
    if options.paths:
        sources = [str(path.resolve()) for path in options.paths]
        with workspace.engine.begin() as conn:
            acquisition_id, _resumed = register.open_acquisition(
                conn, options.collection, sources, acquired_from=options.acquired_from,
                note=options.note, actor=actor)
            already = register.seen_places(conn, acquisition_id)
        walk = Walker(workspace.blobs.root, options.paths, already), acquisition_id

    _process_queue(workspace, options, collection_id, progress, notify, walk)

    progress.phase = "indexing"
    notify(progress, force=True)
    progress.indexed_pages += index_pending(workspace, on_batch=lambda n: _count_indexed(
        progress, notify, n))
    with workspace.engine.begin() as conn:
        if acquisition_id is not None:
            register.finish_acquisition(conn, acquisition_id)
        seal(conn, workspace.signer)
    progress.phase = "done"
    notify(progress, force=True)
    return progress


def _count_indexed(progress: IngestProgress, notify: Throttle, count: int) -> None:
    progress.indexed_pages += count
    notify(progress)


# -- 1. walking and preserving (the copying is done by `walk.Walker`, in a thread) ---------

def _record_walk_batch(workspace: Workspace, collection_id: int, acquisition_id: int,
                       batch: WalkBatch, progress: IngestProgress) -> None:
    """Record a batch the walker copied and synced: items, sightings, custody, failures."""
    progress.files_seen += batch.files_seen
    with workspace.engine.begin() as conn:
        for received, message in batch.unreadable:
            register.record_failure(conn, collection_id=collection_id, item_id=None,
                                    path=received, stage="acquire", kind="unreadable",
                                    message=message, actor=workspace.actor)
            progress.failures += 1
        if not batch.found:
            return
        results = register.register_found(conn, collection_id=collection_id,
                                          acquisition_id=acquisition_id,
                                          actor=workspace.actor, found=batch.found)
    for result in results:
        progress.new_items += result.new_item
        progress.sightings += result.new_sighting
        progress.duplicates += not result.new_item


# -- 2. extraction --------------------------------------------------------------------------

def _pending(collection_id: int) -> ColumnElement[bool]:
    """Items of the collection preserved but not yet extracted (nor failed)."""
    return and_(items.c.collection_id == collection_id, items.c.stage == "acquired",
                items.c.status == "pending")


def _next_jobs(conn: Connection, collection_id: int, after_id: int, limit: int) -> list[Job]:
    rows = conn.execute(select(items.c.id, items.c.sha256, items.c.path, items.c.depth)
                        .where(_pending(collection_id), items.c.id > after_id)
                        .order_by(items.c.id).limit(limit)).all()
    return [Job(row.id, row.sha256, row.path, row.depth) for row in rows]


def _process_queue(workspace: Workspace, options: IngestOptions, collection_id: int,
                   progress: IngestProgress, notify: Throttle,
                   walk: tuple[Walker, int] | None = None) -> None:
    progress.phase = "walking" if walk is not None else "extracting"
    walker, acquisition_id = walk if walk is not None else (None, 0)
    settings = JobSettings(workspace.blobs.root, options.limits,
                           options.ocr_languages or workspace.settings.ocr_languages)
    workers = options.workers or os.cpu_count() or 1
    # Each worker has a task running and a few waiting, enough to cover the main loop's
    # pauses (a batch of results written, a batch of the walk recorded). A walked batch is
    # recorded while fewer than `ahead` jobs are known: the walk keeps the queue fed without
    # running far ahead of the extraction.
    max_tasks = workers * 4
    ahead = workers * MAX_CHUNK * 4
    with workspace.engine.connect() as conn:
        progress.queued = _count_pending(conn, collection_id)
    notify(progress, force=True)
    pool = _started_pool(workers)
    if walker is not None:
        walker.start()  # after the fork of the workers: see `walk`
    last_read = 0
    queue: deque[Job] = deque()
    queue_drained = False  # the last read of the queue found nothing new
    in_flight: dict[Future[list[JobResult]], list[Job]] = {}
    jobs_in_flight = 0
    done: list[tuple[Job, JobResult]] = []
    feed = IndexFeed(workspace)
    known = KnownSignatures()
    try:
        while True:
            if walker is not None and len(queue) + jobs_in_flight < ahead:
                # With nothing else to do, wait for the walk rather than spin.
                idle = not queue and not in_flight and not done
                batch = walker.take(timeout=0.5 if idle else 0.0)
                if batch is not None:
                    _record_walk_batch(workspace, collection_id, acquisition_id, batch,
                                       progress)
                    notify(progress)
                    queue_drained = False
                if walker.done:
                    walker = None
                    progress.phase = "extracting"
                    queue_drained = False
            if len(queue) < ahead and not queue_drained:
                with workspace.engine.connect() as conn:
                    read = _next_jobs(conn, collection_id, last_read, ahead * 4)
                queue.extend(read)
                last_read = read[-1].item_id if read else last_read
                queue_drained = not read
            pool_broken = False  # a worker died and the pool said so before any result did
            while queue and len(in_flight) < max_tasks:
                # Several small files per task saves inter-process traffic; near the end of
                # the queue one per task keeps both cores busy on slow (OCR) files.
                size = max(1, min(MAX_CHUNK, len(queue) // max_tasks))
                chunk = [queue.popleft() for _ in range(min(size, len(queue)))]
                try:
                    in_flight[pool.submit(run_jobs, chunk, settings)] = chunk
                except BrokenProcessPool:
                    queue.extendleft(reversed(chunk))
                    pool_broken = True
                    break
                jobs_in_flight += len(chunk)
            # Wait for a result; briefly while the walk may have a batch ready.
            finished: set[Future[list[JobResult]]] = set()
            if in_flight and not pool_broken:
                finished, _ = wait(in_flight, timeout=0.02 if walker is not None else 0.5,
                                   return_when=FIRST_COMPLETED)
            broken: list[Job] = []
            for future in finished:
                chunk = in_flight.pop(future)
                jobs_in_flight -= len(chunk)
                try:
                    done += zip(chunk, future.result(), strict=True)
                except BrokenProcessPool:
                    broken += chunk
            if broken or pool_broken:
                broken += [job for chunk in in_flight.values() for job in chunk]
                in_flight.clear()
                jobs_in_flight = 0
                pool.shutdown(wait=False, cancel_futures=True)
                with walker.paused() if walker is not None else nullcontext():
                    done += _isolate_crashes(broken, settings)
                    pool = _started_pool(workers)
            if done and (len(done) >= WRITE_BATCH or not in_flight
                         or (not finished and walker is None)):
                feed.add(_write_results(workspace, collection_id, options.collection, done,
                                        progress, known))
                done = []
                queue_drained = False  # members and attachments may have joined the queue
            progress.in_flight = jobs_in_flight
            if notify.due():
                with workspace.engine.connect() as conn:
                    progress.queued = max(0, _count_pending(conn, collection_id)
                                          - jobs_in_flight)
                notify(progress)
            if feed.waiting >= INDEX_EVERY_PAGES:
                progress.indexed_pages += feed.commit()
            if not in_flight and not queue and not done and queue_drained and walker is None:
                break
        with workspace.engine.begin() as conn:
            known.write(conn)
        progress.indexed_pages += feed.commit()
    finally:
        if walker is not None:
            walker.stop()
        pool.shutdown(wait=True, cancel_futures=True)
    progress.in_flight = 0
    progress.queued = 0


def _started_pool(workers: int) -> ProcessPoolExecutor:
    """A pool whose worker processes are already forked (a pool forks them all at its first
    task)."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=release_inherited_locks)
    pool.submit(int).result()
    return pool


def _isolate_crashes(jobs: list[Job], settings: JobSettings) -> list[tuple[Job, JobResult]]:
    """After a worker died, run each job of the lost batch alone, to find the culprit."""
    results = []
    for job in jobs:
        with ProcessPoolExecutor(max_workers=1, initializer=release_inherited_locks) as solo:
            try:
                results.append((job, solo.submit(run_job, job, settings).result()))
            except BrokenProcessPool:
                results.append((job, JobResult(job.item_id, error_kind="crash",
                                               error_message="the extractor process died on "
                                                             "this file")))
    return results


def _count_pending(conn: Connection, collection_id: int) -> int:
    return int(conn.execute(select(func.count()).select_from(items)
                            .where(_pending(collection_id))).scalar_one())


def _write_results(workspace: Workspace, collection_id: int, collection: str,
                   results: list[tuple[Job, JobResult]], progress: IngestProgress,
                   known: KnownSignatures) -> list[PageDoc]:
    """Record a batch of results in one transaction; returns the pages written, for the index.

    Children written by the workers are made durable first, then everything the batch
    derived goes in with a handful of multi-row statements.
    """
    actor = workspace.actor
    workspace.blobs.flush()
    now = utcnow()
    with workspace.engine.begin() as conn:
        ids = [job.item_id for job, _ in results]
        current = {row.id: row for row in conn.execute(
            select(items.c.id, items.c.stage, items.c.status, items.c.acquisition_id)
            .where(items.c.id.in_(ids)))}
        extracted: list[tuple[Job, JobResult]] = []
        for job, result in results:
            row = current.get(job.item_id)
            if row is None or row.stage != "acquired" or row.status != "pending":
                continue  # written by an earlier, interrupted run
            progress.processed += 1
            if result.extraction is not None:
                extracted.append((job, result))
                continue
            if result.media_type is not None:
                conn.execute(update(items).where(items.c.id == job.item_id).values(
                    media_type=result.media_type, mime=result.mime))
            register.record_failure(conn, collection_id=collection_id, item_id=job.item_id,
                                    path=job.name, stage="extract",
                                    kind=result.error_kind or "error",
                                    message=f"{job.name}: {result.error_message}", actor=actor)
            progress.failures += 1
        if not extracted:
            return []
        # Members and attachments belong to the acquisition of the item they came out of.
        by_acquisition: dict[int, list[register.Found]] = {}
        for job, result in extracted:
            assert result.extraction is not None
            for child in result.extraction.children:
                by_acquisition.setdefault(current[job.item_id].acquisition_id, []).append(
                    register.Found(f"{job.name}!/{child.path}", child.sha256, child.size,
                                   job.item_id, job.depth + 1))
        for acquisition_id, found in by_acquisition.items():
            for registered in register.register_found(
                    conn, collection_id=collection_id, acquisition_id=acquisition_id,
                    actor=actor, found=found):
                progress.children += registered.new_item
                progress.duplicates += not registered.new_item
        page_rows, item_rows, events, prints = [], [], [], []
        for job, result in extracted:
            extraction = result.extraction
            assert extraction is not None
            text_hashes = [hashlib.sha256(page.text.encode("utf-8")).hexdigest()
                           for page in extraction.pages]
            rows = [(job.item_id, page.number, page.text, text_sha256, page.method, page.tool,
                     page.confidence, page.language, False)
                    for page, text_sha256 in zip(extraction.pages, text_hashes, strict=True)]
            page_rows += rows
            ocr_pages = sum(page.method == "ocr" for page in extraction.pages)
            progress.pages += len(rows)
            progress.ocr_pages += ocr_pages
            item_rows.append({
                "b_id": job.item_id, "b_media_type": extraction.media_type,
                "b_mime": extraction.mime, "b_stage": "extracted" if rows else "indexed",
                "b_page_count": len(rows), "b_language": result.language,
                "b_metadata": json.dumps(extraction.metadata, ensure_ascii=False, default=str),
            })
            events.append(custody.NewEvent("derived", actor, job.item_id, details={
                "pages": len(rows), "ocr_pages": ocr_pages,
                "tools": sorted({page.tool for page in extraction.pages}),
                "children": len(extraction.children), "media_type": extraction.media_type,
                "pages_sha256": custody.pages_digest(text_hashes)}))
            if result.signature is not None and result.lsh_keys:
                prints.append(Fingerprint(job.item_id, result.signature, result.lsh_keys))
        insert_rows(conn, pages, PAGE_COLUMNS, page_rows)
        conn.execute(update(items).where(items.c.id == bindparam("b_id")).values(
            media_type=bindparam("b_media_type"), mime=bindparam("b_mime"),
            stage=bindparam("b_stage"), status="ok", page_count=bindparam("b_page_count"),
            language=bindparam("b_language"), metadata=bindparam("b_metadata"),
            updated_at=now), item_rows)
        register.resolve_failures(conn, [job.item_id for job, _ in extracted], now)
        custody.append_many(conn, events)
        assign_near_duplicate_groups(conn, prints, known)
        return _page_docs(conn, collection, extracted) if page_rows else []


def _page_docs(conn: Connection, collection: str,
               extracted: list[tuple[Job, JobResult]]) -> list[PageDoc]:
    """The index documents of pages just written, with the terms the workers computed."""
    page_ids = {(row.item_id, row.number): row.id for row in conn.execute(
        select(pages.c.id, pages.c.item_id, pages.c.number)
        .where(pages.c.item_id.in_([job.item_id for job, _ in extracted])))}
    docs = []
    for job, result in extracted:
        extraction = result.extraction
        assert extraction is not None
        terms: list[str | None] = (list(result.index_terms) if result.index_terms is not None
                                   else [None] * len(extraction.pages))
        docs += [PageDoc(page_id=page_ids[job.item_id, page.number], item_id=job.item_id,
                         page=page.number, collection=collection, path=job.name,
                         media_type=extraction.media_type, language=page.language,
                         text=page.text, terms=page_terms)
                 for page, page_terms in zip(extraction.pages, terms, strict=True)]
    return docs
