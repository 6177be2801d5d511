"""The custody log: append-only, each event carrying the hash of the one before.

An event's hash covers its sequence number, time, actor, action, subject and details together
with the previous event's hash, so that editing, deleting or reordering any event breaks every
hash after it. `verify_chain` says exactly where.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, insert, select, update

from dossier.store.engine import is_postgres
from dossier.store.schema import custody_events, custody_head

GENESIS = "0" * 64
HEAD_ROW = 1

ACTIONS = (
    "acquisition", "acquired", "derived", "failed", "verified", "exported", "imported",
    "viewed", "redacted", "reindexed",
)


@dataclass(frozen=True)
class CustodyEvent:
    seq: int
    at: str
    actor: str
    action: str
    item_id: int | None
    subject_sha256: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "at": self.at, "actor": self.actor, "action": self.action,
            "item": self.item_id, "sha256": self.subject_sha256, "details": self.details,
            "prev_hash": self.prev_hash, "hash": self.hash,
        }


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    message: str


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(seq: int, at: str, actor: str, action: str, item_id: int | None,
               subject_sha256: str | None, details_json: str, prev_hash: str) -> str:
    payload = canonical_json([seq, at, actor, action, item_id, subject_sha256, details_json,
                              prev_hash])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def pages_digest(page_hashes: Iterable[str]) -> str:
    """One hash over the hashes of an item's page texts, in page order, kept in custody."""
    return hashlib.sha256("\n".join(page_hashes).encode()).hexdigest()


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers; custody still needs a name
        return "unknown"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class NewEvent:
    """An event to append: what happened, to which item, by whom."""

    action: str
    actor: str
    item_id: int | None = None
    sha256: str | None = None
    details: dict[str, Any] | None = None


def append(conn: Connection, action: str, *, actor: str, item_id: int | None = None,
           sha256: str | None = None, details: dict[str, Any] | None = None) -> CustodyEvent:
    """Append one event inside the caller's transaction."""
    return append_many(conn, [NewEvent(action, actor, item_id, sha256, details)])[0]


def append_many(conn: Connection, new_events: list[NewEvent]) -> list[CustodyEvent]:
    """Append events in order inside the caller's transaction, chained one to the next.

    The head row is locked for the rest of the transaction, so concurrent writers queue up
    behind it and the chain stays linear.
    """
    if not new_events:
        return []
    for new in new_events:
        if new.action not in ACTIONS:
            raise ValueError(f"unknown custody action {new.action!r}")
    seq, prev_hash = lock_head(conn, custody_head)
    made: list[CustodyEvent] = []
    rows: list[dict[str, Any]] = []
    at = now_iso()
    for new in new_events:
        seq += 1
        details_json = canonical_json(new.details or {})
        digest = event_hash(seq, at, new.actor, new.action, new.item_id, new.sha256,
                            details_json, prev_hash)
        rows.append({"seq": seq, "at": at, "actor": new.actor, "action": new.action,
                     "item_id": new.item_id, "subject_sha256": new.sha256,
                     "details": details_json, "prev_hash": prev_hash, "hash": digest})
        made.append(CustodyEvent(seq, at, new.actor, new.action, new.item_id, new.sha256,
                                 new.details or {}, prev_hash, digest))
        prev_hash = digest
    conn.execute(insert(custody_events), rows)
    conn.execute(update(custody_head).where(custody_head.c.id == HEAD_ROW)
                 .values(seq=seq, hash=prev_hash))
    return made


def lock_head(conn: Connection, head_table: Table) -> tuple[int, str]:
    """The sequence number and hash of a hash chain's head row (made at genesis when missing),
    locked for the rest of the transaction on PostgreSQL so that writers queue behind it."""
    query = select(head_table.c.seq, head_table.c.hash).where(head_table.c.id == HEAD_ROW)
    if is_postgres(conn.engine):
        query = query.with_for_update()
    head_row = conn.execute(query).first()
    if head_row is not None:
        return int(head_row.seq), str(head_row.hash)
    conn.execute(insert(head_table).values(id=HEAD_ROW, seq=0, hash=GENESIS))
    if is_postgres(conn.engine):
        conn.execute(query).first()
    return 0, GENESIS


def head(conn: Connection) -> tuple[int, str]:
    row = conn.execute(select(custody_head.c.seq, custody_head.c.hash)
                       .where(custody_head.c.id == HEAD_ROW)).first()
    return (0, GENESIS) if row is None else (row.seq, row.hash)


def events(conn: Connection, item_id: int | None = None, batch: int = 5000
           ) -> Iterator[CustodyEvent]:
    """All events in order (or those of one item), read in batches to bound memory."""
    last = 0
    while True:
        query = select(custody_events).where(custody_events.c.seq > last)
        if item_id is not None:
            query = query.where(custody_events.c.item_id == item_id)
        rows = conn.execute(query.order_by(custody_events.c.seq).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield CustodyEvent(row.seq, row.at, row.actor, row.action, row.item_id,
                               row.subject_sha256, json.loads(row.details), row.prev_hash,
                               row.hash)
        last = rows[-1].seq


@dataclass(frozen=True)
class ChainBreak:
    """One place where a hash chain does not hold, for its log to word.

    ``missing``: rows ``expected``..``seq - 1`` are gone; ``unlinked``: the row's prev_hash
    (``found``) is not the hash of the row before (``expected``); ``altered``: the row's content
    hashes to ``expected``, not to its recorded hash ``found``; ``head``: the head row says
    ``seq`` but the chain ends at row ``expected``.
    """

    seq: int
    kind: str
    expected: str | int
    found: str | int


def check_chain(conn: Connection, rows: Table, seq: Any, head_table: Table,
                recompute: Callable[[Any], str], batch: int = 5000
                ) -> tuple[list[ChainBreak], int, str]:
    """Walk a hash chain in order (``seq`` its ordering column; ``recompute`` a row's hash):
    every gap, broken link and altered row, and a head that does not match the last row.

    Returns the breaks found, and the sequence number and hash of the last row read. The
    custody log and the audit log are both such chains.
    """
    breaks: list[ChainBreak] = []
    expected_prev, expected_seq, last = GENESIS, 1, 0
    while True:
        found = conn.execute(select(rows).where(seq > last).order_by(seq).limit(batch)).all()
        if not found:
            break
        for row in found:
            number = getattr(row, seq.key)
            if number != expected_seq:
                breaks.append(ChainBreak(number, "missing", expected_seq, number))
            if row.prev_hash != expected_prev:
                breaks.append(ChainBreak(number, "unlinked", expected_prev, row.prev_hash))
            recomputed = recompute(row)
            if recomputed != row.hash:
                breaks.append(ChainBreak(number, "altered", recomputed, row.hash))
            expected_prev, expected_seq = row.hash, number + 1
        last = getattr(found[-1], seq.key)
    head_row = conn.execute(select(head_table.c.seq, head_table.c.hash)
                            .where(head_table.c.id == HEAD_ROW)).first()
    stored_seq, stored_hash = (0, GENESIS) if head_row is None else (head_row.seq, head_row.hash)
    if stored_seq != last or (last and stored_hash != expected_prev):
        breaks.append(ChainBreak(stored_seq, "head", last, stored_seq))
    return breaks, last, expected_prev


def verify_chain(conn: Connection) -> tuple[list[ChainProblem], int, str]:
    """Re-check every event: its own hash, its link to the one before, and gaps.

    Returns the problems found, and the sequence number and hash of the last event read.
    """
    breaks, last, last_hash = check_chain(
        conn, custody_events, custody_events.c.seq, custody_head,
        lambda row: event_hash(row.seq, row.at, row.actor, row.action, row.item_id,
                               row.subject_sha256, row.details, row.prev_hash))
    problems = []
    for found in breaks:
        if found.kind == "missing":
            message = f"events {found.expected}..{found.seq - 1} are missing from the log"
        elif found.kind == "unlinked":
            message = (f"does not link to the event before it (prev_hash {str(found.found)[:16]}…, "
                       f"expected {str(found.expected)[:16]}…)")
        elif found.kind == "altered":
            message = (f"was altered: its content hashes to {str(found.expected)[:16]}…, "
                       f"recorded {str(found.found)[:16]}…")
        else:
            message = f"the log head says event {found.seq} but the log ends at event {last}"
        problems.append(ChainProblem(found.seq, message))
    return problems, last, last_hash
