"""The audit log: who viewed, searched, exported or changed what, when; append-only.

Each entry's hash covers its number, time, actor, action, target and details together with the
previous entry's hash, as the custody log does, so that editing or deleting an entry breaks the
chain from there on; `verify_audit` names the first entry where it breaks.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from sqlalchemy import Connection, insert, select, update

from dossier.custody.log import HEAD_ROW, canonical_json, check_chain, lock_head, now_iso
from dossier.store.schema import audit_head, audit_log

ACTIONS = (
    "view_item", "view_entity", "search", "export", "change", "verify", "login", "logout",
    "login_refused",
)
CSV_FIELDS = ("id", "at", "actor", "action", "target", "details", "prev_hash", "hash")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    target: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at, "actor": self.actor, "action": self.action,
                "target": self.target, "details": self.details, "prev_hash": self.prev_hash,
                "hash": self.hash}


@dataclass(frozen=True)
class AuditProblem:
    id: int
    message: str

    def __str__(self) -> str:
        return f"audit entry {self.id} {self.message}"


def entry_hash(entry_id: int, at: str, actor: str, action: str, target: str | None,
               details_json: str, prev_hash: str) -> str:
    payload = canonical_json([entry_id, at, actor, action, target, details_json, prev_hash])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(conn: Connection, actor: str, action: str, target: str | None = None,
           details: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry inside the caller's transaction; the head row is locked until it ends,
    so that concurrent writers queue and the chain stays linear."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: one of {', '.join(ACTIONS)}")
    last, prev_hash = lock_head(conn, audit_head)
    entry_id, at = last + 1, now_iso()
    details = details or {}
    details_json = canonical_json(details)
    digest = entry_hash(entry_id, at, actor, action, target, details_json, prev_hash)
    conn.execute(insert(audit_log).values(id=entry_id, at=at, actor=actor, action=action,
                                          target=target, details=details_json,
                                          prev_hash=prev_hash, hash=digest))
    conn.execute(update(audit_head).where(audit_head.c.id == HEAD_ROW)
                 .values(seq=entry_id, hash=digest))
    return AuditEntry(entry_id, at, actor, action, target, details, prev_hash, digest)


def entries(conn: Connection, *, actor: str | None = None, action: str | None = None,
            since: str | None = None, batch: int = 5000) -> Iterator[AuditEntry]:
    """Entries in order, filtered by actor, action and an ISO date or time they are not before;
    read in batches to bound memory."""
    last = 0
    while True:
        query = select(audit_log).where(audit_log.c.id > last)
        if actor is not None:
            query = query.where(audit_log.c.actor == actor)
        if action is not None:
            query = query.where(audit_log.c.action == action)
        if since is not None:
            query = query.where(audit_log.c.at >= since)
        rows = conn.execute(query.order_by(audit_log.c.id).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield AuditEntry(row.id, row.at, row.actor, row.action, row.target,
                             json.loads(row.details), row.prev_hash, row.hash)
        last = rows[-1].id


def write_csv(found: Iterator[AuditEntry], out: TextIO) -> int:
    """Write entries as CSV (details as JSON); returns how many."""
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    count = 0
    for entry in found:
        writer.writerow([entry.id, entry.at, entry.actor, entry.action, entry.target or "",
                         canonical_json(entry.details), entry.prev_hash, entry.hash])
        count += 1
    return count


def verify_audit(conn: Connection) -> list[AuditProblem]:
    """Re-check every entry (its hash, its link to the one before, gaps, the head); the first
    problem is the first broken entry. An empty list: the log is whole."""
    breaks, last, _ = check_chain(
        conn, audit_log, audit_log.c.id, audit_head,
        lambda row: entry_hash(row.id, row.at, row.actor, row.action, row.target, row.details,
                               row.prev_hash))
    gaps = {found.seq for found in breaks if found.kind == "missing"}
    problems = []
    for found in breaks:
        if found.kind == "missing":
            message = f"follows a gap: entries {found.expected}..{found.seq - 1} were deleted"
        elif found.kind == "unlinked":
            if found.seq in gaps:  # the gap says it already
                continue
            message = "does not link to the entry before it"
        elif found.kind == "altered":
            message = "was altered: its content no longer matches its hash"
        else:
            message = (f"is the last the log recorded, but the log now ends at entry {last}: "
                       "entries were deleted")
        problems.append(AuditProblem(found.seq, message))
    return problems
