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

from sqlalchemy import Connection, and_, insert, select, update

from dossier.custody import log as custody
from dossier.store.schema import acquisitions, collections, failures, items, sightings
from dossier.workspace import utcnow


@dataclass(frozen=True)
class Found:
    """Bytes found at a place: a file of the walk, or a member or attachment of an item."""

    path: str
    sha256: str
    size: int
    parent_item_id: int | None = None
    depth: int = 0


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
    assert result.inserted_primary_key is not None
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
    assert result.inserted_primary_key is not None
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


def register_found(conn: Connection, *, collection_id: int, acquisition_id: int, actor: str,
                   found: list[Found]) -> list[Registered]:
    """Record a batch of found bytes in a few statements: new items with their custody events,
    and one sighting per place. Bytes already known (here or earlier in the batch) become
    sightings of the existing item."""
    if not found:
        return []
    now = utcnow()
    known: dict[str, int] = {row.sha256: int(row.id) for row in conn.execute(
        select(items.c.id, items.c.sha256).where(and_(
            items.c.collection_id == collection_id,
            items.c.sha256.in_(sorted({entry.sha256 for entry in found})))))}
    fresh: dict[str, Found] = {}
    for entry in found:
        if entry.sha256 not in known and entry.sha256 not in fresh:
            fresh[entry.sha256] = entry
    new_ids: set[int] = set()
    if fresh:
        rows = [{"collection_id": collection_id, "sha256": entry.sha256, "size": entry.size,
                 "path": entry.path, "parent_id": entry.parent_item_id,
                 "acquisition_id": acquisition_id, "depth": entry.depth, "stage": "acquired",
                 "status": "pending", "created_at": now, "updated_at": now}
                for entry in fresh.values()]
        inserted = conn.execute(insert(items).returning(items.c.id, items.c.sha256,
                                                        sort_by_parameter_order=True), rows)
        events = []
        for (item_id, sha256), entry in zip(inserted, fresh.values(), strict=True):
            known[sha256] = int(item_id)
            new_ids.add(int(item_id))
            details: dict[str, Any] = {"path": entry.path, "size": entry.size,
                                       "acquisition": acquisition_id}
            if entry.parent_item_id is not None:
                details["extracted_from"] = entry.parent_item_id
            events.append(custody.NewEvent("acquired", actor, int(item_id), sha256, details))
        custody.append_many(conn, events)
    keys = [place_key(entry.path, entry.parent_item_id) for entry in found]
    seen = {row.place_key for row in conn.execute(select(sightings.c.place_key).where(and_(
        sightings.c.acquisition_id == acquisition_id, sightings.c.place_key.in_(set(keys)))))}
    sighting_rows = []
    results = []
    first_use: set[int] = set()
    for entry, key in zip(found, keys, strict=True):
        item_id = known[entry.sha256]
        new_sighting = key not in seen
        if new_sighting:
            seen.add(key)
            sighting_rows.append({"item_id": item_id, "acquisition_id": acquisition_id,
                                  "path": entry.path, "parent_item_id": entry.parent_item_id,
                                  "place_key": key, "seen_at": now})
        new_item = item_id in new_ids and item_id not in first_use
        first_use.add(item_id)
        results.append(Registered(item_id, new_item, new_sighting))
    if sighting_rows:
        conn.execute(insert(sightings), sighting_rows)
    return results


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


def resolve_failures(conn: Connection, item_ids: list[int], when: datetime) -> None:
    conn.execute(update(failures).where(and_(failures.c.item_id.in_(item_ids),
                                             failures.c.resolved_at.is_(None)))
                 .values(resolved_at=when))


def requeue_failed(conn: Connection, collection_id: int | None) -> int:
    """Put failed items back in the queue for `--retry-failed`; returns how many."""
    condition = and_(items.c.status == "failed", items.c.stage == "acquired")
    if collection_id is not None:
        condition = and_(condition, items.c.collection_id == collection_id)
    result = conn.execute(update(items).where(condition)
                          .values(status="pending", updated_at=utcnow()))
    return int(result.rowcount)
