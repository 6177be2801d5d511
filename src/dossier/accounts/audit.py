"""The audit log: who viewed, searched, exported or changed what, when; append-only.

Each entry's hash covers its number, time, actor, action, target and details together with the
previous entry's hash, as the custody log does, so that editing or deleting an entry breaks the
chain from there on; `verify_audit` names the first entry where it breaks.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TextIO

from sqlalchemy import ColumnElement, Connection, func, insert, select, update

from dossier import spreadsheet
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


class AuditFilterError(ValueError):
    """A filter of the audit log cannot be understood; `field` names it, the message says
    why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show: by actor, by action, by target (or its beginning, e.g. `user:`),
    and by time: `since` inclusive, `before` exclusive, both ISO strings as stored."""

    actor: str | None = None
    action: str | None = None
    target: str | None = None
    since: str | None = None
    before: str | None = None

    @classmethod
    def parse(cls, actor: str | None = None, action: str | None = None,
              target: str | None = None, since: str | None = None,
              until: str | None = None) -> AuditFilter:
        """A filter from what a person typed (blank means no filter): `since` and `until` are
        dates (YYYY-MM-DD, whole days, `until` included) or ISO times (UTC when no zone)."""
        action = _blank(action)
        if action is not None and action not in ACTIONS:
            raise AuditFilterError("action", f"unknown action {action!r}: one of "
                                             f"{', '.join(ACTIONS)}")
        since, until = _blank(since), _blank(until)
        return cls(actor=_blank(actor), action=action, target=_blank(target),
                   since=_bound("since", since, end=False),
                   before=_bound("until", until, end=True))

    def as_dict(self) -> dict[str, str]:
        """The filters that are set (for the log entry of an export, for links)."""
        return {key: value for key, value in (
            ("actor", self.actor), ("action", self.action), ("target", self.target),
            ("since", self.since), ("before", self.before)) if value is not None}

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.actor is not None:
            found.append(audit_log.c.actor == self.actor)
        if self.action is not None:
            found.append(audit_log.c.action == self.action)
        if self.target is not None:
            # substr, not LIKE: the same case-sensitive answer on SQLite and PostgreSQL
            found.append(func.substr(audit_log.c.target, 1, len(self.target)) == self.target)
        if self.since is not None:
            found.append(audit_log.c.at >= self.since)
        if self.before is not None:
            found.append(audit_log.c.at < self.before)
        return found


def _bound(field: str, value: str | None, *, end: bool) -> str | None:
    try:
        return time_bound(value, end=end) if value else None
    except ValueError as exc:
        raise AuditFilterError(field, f"{field} takes a date (2026-11-24) or an ISO time, "
                                      f"not {value!r}") from exc


def time_bound(value: str, *, end: bool = False) -> str:
    """A date (YYYY-MM-DD) or ISO time as the string the log's times compare against: the
    start of the day or the moment; with `end`, the first moment after it (a bound to stay
    before, so that the day or the moment itself is included). ValueError when it is
    neither."""
    if len(value) == 10:
        day = date.fromisoformat(value)
        return (day + timedelta(days=1) if end else day).isoformat()
    moment = datetime.fromisoformat(value)
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    if end:
        moment += timedelta(microseconds=1)
    return moment.isoformat(timespec="microseconds")


@dataclass(frozen=True)
class AuditPage:
    """One page of the entries a filter finds, newest first, and how many it finds in all."""

    total: int
    entries: list[AuditEntry] = field(default_factory=list)


def entries(conn: Connection, *, actor: str | None = None, action: str | None = None,
            since: str | None = None, batch: int = 5000,
            where: AuditFilter | None = None) -> Iterator[AuditEntry]:
    """Entries in order, filtered by actor, action and an ISO date or time they are not before
    (or by a whole AuditFilter); read in batches to bound memory."""
    conditions = (where or AuditFilter()).conditions()
    conditions += AuditFilter(actor=actor, action=action, since=since).conditions()
    last = 0
    while True:
        query = select(audit_log).where(audit_log.c.id > last, *conditions)
        rows = conn.execute(query.order_by(audit_log.c.id).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield _entry(row)
        last = rows[-1].id


def search_entries(conn: Connection, where: AuditFilter, limit: int, offset: int) -> AuditPage:
    """The entries `where` finds, newest first, `limit` of them from `offset`."""
    conditions = where.conditions()
    total = conn.execute(select(func.count()).select_from(audit_log).where(*conditions)
                         ).scalar_one()
    rows = conn.execute(select(audit_log).where(*conditions).order_by(audit_log.c.id.desc())
                        .limit(limit).offset(offset)).all()
    return AuditPage(int(total), [_entry(row) for row in rows])


def count_entries(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(row.id, row.at, row.actor, row.action, row.target,
                      json.loads(row.details), row.prev_hash, row.hash)


def _blank(value: str | None) -> str | None:
    value = value.strip() if value is not None else None
    return value or None


def write_csv(found: Iterator[AuditEntry], out: TextIO) -> int:
    """Write entries as CSV (details as JSON); returns how many."""
    lines = csv_lines(found)
    out.write(next(lines))  # the header
    count = 0
    for line in lines:
        out.write(line)
        count += 1
    return count


def csv_lines(found: Iterator[AuditEntry]) -> Iterator[str]:
    """The CSV of `found` line by line (the header first), for a response sent as it is read."""
    buffer = io.StringIO()
    writer = spreadsheet.writer(buffer)
    writer.writerow(CSV_FIELDS)
    yield _take(buffer)
    for entry in found:
        writer.writerow([entry.id, entry.at, entry.actor, entry.action, entry.target or "",
                         canonical_json(entry.details), entry.prev_hash, entry.hash])
        yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


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
