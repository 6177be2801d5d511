"""Writing what ingest learns into the store, each step with its custody event.

Every function here runs inside the caller's transaction; a crash before commit leaves nothing
half-written, and the unique constraints make a resumed run find what is already there.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update

from dossier.custody import log as custody
from dossier.store.schema import acquisitions, collections, failures, items, sightings
from dossier.workspace import utcnow


@dataclass(frozen=True)
class Registered:
    item_id: int
    new_item: bool
    new_sighting: bool


def collection_id(conn: Connection, name: str, create: bool = True) -> int | None:
    row = conn.execute(select(collections.c.id).where(collections.c.name == name)).first()
    if row is not None:
        return int(row.id)
    if not create:
        return None
    result = conn.execute(insert(collections).values(name=name, created_at=utcnow()))
    return int(result.inserted_primary_key[0])


def resume_key(collection: str, sources: list[str], acquired_from: str | None,
               note: str | None) -> str:
    """Runs with the same collection, sources and provenance continue one acquisition."""
    payload = json.dumps([collection, sorted(sources), acquired_from, note])
    return hashlib.sha256(payload.encode()).hexdigest()


def open_acquisition(conn: Connection, collection: str, sources: list[str], *,
                     acquired_from: str | None, note: str | None, actor: str) -> tuple[int, bool]:
    """The acquisition with the same parameters, or a new one (with its event).

    Running the same command again continues the same acquisition, so that it records nothing
    twice; material from another source or with another note is another acquisition.
    """
    coll_id = collection_id(conn, collection)
    key = resume_key(collection, sources, acquired_from, note)
    row = conn.execute(select(acquisitions.c.id).where(acquisitions.c.resume_key == key)
                       .order_by(acquisitions.c.id.desc())).first()
    if row is not None:
        return int(row.id), True
    result = conn.execute(insert(acquisitions).values(
        collection_id=coll_id, acquired_from=acquired_from, note=note, acquired_by=actor,
        sources=json.dumps(sources, ensure_ascii=False), resume_key=key, started_at=utcnow()))
    acquisition_id = int(result.inserted_primary_key[0])
    custody.append(conn, "acquisition", actor=actor, details={
        "acquisition": acquisition_id, "collection": collection, "from": acquired_from,
        "note": note, "sources": sources})
    return acquisition_id, False


def finish_acquisition(conn: Connection, acquisition_id: int) -> None:
    conn.execute(update(acquisitions).where(acquisitions.c.id == acquisition_id)
                 .values(finished_at=utcnow()))


def place_key(path: str, parent_item_id: int | None) -> str:
    return hashlib.sha256(f"{parent_item_id or 0}\x00{path}".encode()).hexdigest()


def seen_places(conn: Connection, acquisition_id: int) -> set[str]:
    """The places already recorded in this acquisition, so a resumed walk skips them cheaply."""
    rows = conn.execute(select(sightings.c.place_key)
                        .where(sightings.c.acquisition_id == acquisition_id))
    return {row.place_key for row in rows}


def register_original(conn: Connection, *, collection_id: int, acquisition_id: int, sha256: str,
                      size: int, path: str, actor: str, parent_item_id: int | None = None,
                      depth: int = 0) -> Registered:
    """Record that these bytes were found at `path`: a new item, or another sighting of one."""
    now = utcnow()
    existing = conn.execute(select(items.c.id).where(and_(
        items.c.collection_id == collection_id, items.c.sha256 == sha256))).first()
    if existing is None:
        result = conn.execute(insert(items).values(
            collection_id=collection_id, sha256=sha256, size=size, path=path,
            parent_id=parent_item_id, acquisition_id=acquisition_id, depth=depth,
            stage="acquired", status="pending", created_at=now, updated_at=now))
        item_id = int(result.inserted_primary_key[0])
        details: dict[str, Any] = {"path": path, "size": size, "acquisition": acquisition_id}
        if parent_item_id is not None:
            details["extracted_from"] = parent_item_id
        custody.append(conn, "acquired", actor=actor, item_id=item_id, sha256=sha256,
                       details=details)
        new_item = True
    else:
        item_id, new_item = int(existing.id), False
    key = place_key(path, parent_item_id)
    seen = conn.execute(select(sightings.c.id).where(and_(
        sightings.c.acquisition_id == acquisition_id, sightings.c.place_key == key))).first()
    if seen is None:
        conn.execute(insert(sightings).values(
            item_id=item_id, acquisition_id=acquisition_id, path=path,
            parent_item_id=parent_item_id, place_key=key, seen_at=now))
    return Registered(item_id, new_item, seen is None)


def record_failure(conn: Connection, *, collection_id: int, item_id: int | None, path: str,
                   stage: str, kind: str, message: str, actor: str) -> None:
    """Put an item (or an unreadable path) in quarantine, counting repeated attempts."""
    now = utcnow()
    condition = and_(failures.c.collection_id == collection_id, failures.c.stage == stage,
                     failures.c.resolved_at.is_(None),
                     failures.c.item_id == item_id if item_id is not None
                     else failures.c.path == path)
    open_failure = conn.execute(select(failures.c.id).where(condition)).first()
    if open_failure is None:
        conn.execute(insert(failures).values(
            collection_id=collection_id, item_id=item_id, path=path, stage=stage, kind=kind,
            message=message, attempts=1, first_failed_at=now, last_failed_at=now))
    else:
        conn.execute(update(failures).where(failures.c.id == open_failure.id).values(
            kind=kind, message=message, attempts=failures.c.attempts + 1, last_failed_at=now))
    if item_id is not None:
        conn.execute(update(items).where(items.c.id == item_id)
                     .values(status="failed", updated_at=now))
        custody.append(conn, "failed", actor=actor, item_id=item_id, details={
            "stage": stage, "kind": kind, "message": message})


def resolve_failures(conn: Connection, item_id: int, when: datetime) -> None:
    conn.execute(update(failures).where(and_(failures.c.item_id == item_id,
                                             failures.c.resolved_at.is_(None)))
                 .values(resolved_at=when))


def requeue_failed(conn: Connection, collection_id: int | None) -> int:
    """Put failed items back in the queue for `--retry-failed`; returns how many."""
    condition = and_(items.c.status == "failed", items.c.stage == "acquired")
    if collection_id is not None:
        condition = and_(condition, items.c.collection_id == collection_id)
    count = conn.execute(select(func.count()).select_from(items).where(condition)).scalar_one()
    conn.execute(update(items).where(condition).values(status="pending", updated_at=utcnow()))
    return int(count)
