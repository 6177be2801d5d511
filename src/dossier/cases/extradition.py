"""Extradition requests: one state asks another to surrender people it accuses.

A request is its own record, not a stage of a proceeding: it runs between governments (through
diplomatic notes, judicial committees or Interpol), often for several people at once and before
any file is open in the requesting state. Its outcome changes over time; every change is kept
in the request's note with its date and author, so that the record shows how it evolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from dossier.cases.proceedings import (
    ProceedingError,
    check_country,
    check_date,
    text_or_none,
    transaction,
    vocabulary,
)
from dossier.custody.log import default_actor
from dossier.registry.lookup import EntityReferenceError, entity_by_reference
from dossier.store.schema import entities, extraditions
from dossier.workspace import utcnow


@dataclass(frozen=True)
class Extradition:
    id: int
    ref: str
    requesting_state: str
    requested_state: str
    channel: str | None
    requested_on: str | None
    subject: str  # who is sought, as the source puts it
    subject_entity_id: int | None
    subject_name: str | None  # the registry's name of the subject, when linked
    subject_status: str | None
    outcome: str
    note: str | None
    source: str | None
    created_by: str
    created_at: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "ref": self.ref, "requesting_state": self.requesting_state,
                "requested_state": self.requested_state, "channel": self.channel,
                "requested_on": self.requested_on, "subject": self.subject,
                "subject_entity": ({"entity_id": self.subject_entity_id,
                                    "name": self.subject_name}
                                   if self.subject_entity_id else None),
                "subject_status": self.subject_status, "outcome": self.outcome,
                "note": self.note, "source": self.source, "created_by": self.created_by,
                "created_at": self.created_at}


def add_extradition(target: Engine | Connection, ref: str, *, requesting_state: str,
                    requested_state: str, subject: str, channel: str | None = None,
                    requested_on: str | None = None, subject_status: str | None = None,
                    person: str | int | None = None, outcome: str = "pending",
                    note: str | None = None, source: str | None = None,
                    author: str | None = None) -> Extradition:
    """Record a request; ``person`` links the subject to a registry person (id or name)."""
    ref = ref.strip()
    if not ref:
        raise ProceedingError("ref: an extradition request needs a ref")
    requesting = check_country("requesting state", requesting_state)
    requested = check_country("requested state", requested_state)
    if requesting is None or requested is None:
        raise ProceedingError("requesting state / requested state: both are needed")
    if requesting == requested:
        raise ProceedingError(f"requested state: {requested} cannot ask itself to extradite")
    if not text_or_none(subject):
        raise ProceedingError("subject: say who is sought, as the source puts it")
    vocabulary().check("outcome", outcome)
    with transaction(target) as conn:
        if conn.execute(select(extraditions.c.id).where(extraditions.c.ref == ref)).first():
            raise ProceedingError(f"ref: an extradition request {ref!r} already exists")
        person_id = None
        if person is not None:
            try:
                person_id = entity_by_reference(
                    conn, f"#{person}" if isinstance(person, int) else person, "person")
            except EntityReferenceError as exc:
                raise ProceedingError(f"person: {exc}") from exc
        conn.execute(insert(extraditions).values(
            ref=ref, requesting_state=requesting, requested_state=requested,
            channel=text_or_none(channel), requested_on=check_date("date", requested_on),
            subject=subject.strip(), subject_entity_id=person_id,
            subject_status=text_or_none(subject_status), outcome=outcome,
            note=text_or_none(note), source=text_or_none(source),
            created_by=author or default_actor(), created_at=utcnow()))
        return load_extradition(conn, ref)


def set_outcome(target: Engine | Connection, ref: str, outcome: str, *,
                note: str | None = None, author: str | None = None) -> Extradition:
    """Record a new outcome; the change (date, author, old and new outcome, note) is appended
    to the request's note rather than replacing what was known before."""
    vocabulary().check("outcome", outcome)
    author = author or default_actor()
    with transaction(target) as conn:
        current = load_extradition(conn, ref)
        said = text_or_none(note)
        line = (f"{utcnow().date().isoformat()} {author}: outcome {current.outcome} → {outcome}"
                + (f": {said}" if said else ""))
        conn.execute(update(extraditions).where(extraditions.c.id == current.id).values(
            outcome=outcome, note=f"{current.note}\n{line}" if current.note else line))
        return load_extradition(conn, ref)


def _read(conn: Connection, *conditions: Any) -> list[Extradition]:
    query = (select(extraditions, entities.c.name.label("subject_name"))
             .outerjoin(entities, entities.c.id == extraditions.c.subject_entity_id)
             .where(*conditions))
    rows = sorted(conn.execute(query), key=lambda r: (r.requested_state, r.ref))  # as on SQLite
    return [Extradition(
        row.id, row.ref, row.requesting_state, row.requested_state, row.channel,
        row.requested_on, row.subject, row.subject_entity_id, row.subject_name,
        row.subject_status, row.outcome, row.note, row.source, row.created_by,
        row.created_at.isoformat() if row.created_at else "") for row in rows]


def load_extradition(target: Engine | Connection, ref: str) -> Extradition:
    """The request ``ref``; ProceedingError when there is none."""
    with transaction(target) as conn:
        found = _read(conn, extraditions.c.ref == ref.strip())
    if not found:
        raise ProceedingError(f"ref: no extradition request {ref!r}")
    return found[0]


def list_extraditions(target: Engine | Connection, *, requested_state: str | None = None,
                      requesting_state: str | None = None,
                      outcome: str | None = None) -> list[Extradition]:
    """Requests by requested state then ref, filtered by either state and by outcome."""
    conditions = []
    if requested_state is not None:
        conditions.append(extraditions.c.requested_state
                          == check_country("requested state", requested_state))
    if requesting_state is not None:
        conditions.append(extraditions.c.requesting_state
                          == check_country("requesting state", requesting_state))
    if outcome is not None:
        conditions.append(extraditions.c.outcome == vocabulary().check("outcome", outcome))
    with transaction(target) as conn:
        return _read(conn, *conditions)
