"""Proceedings: the files that prosecutors, courts and states open, and their dated stages.

A proceeding is a file in one forum (a prosecutor, a court, the ICJ) with its legal basis, its
jurisdictional ground and its parties; what happened to it is a list of stages, each dated as
precisely as the source allows (a day, a month or a year) and each with its own source. Stages
may be recorded in any order: they are listed by date, and the last one is the file's current
stage. The stages, kinds, grounds and outcomes are data (`cases/data/proceeding_stages.yaml`).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Connection, Engine, insert, or_, select

from dossier.custody.log import default_actor
from dossier.registry.dates import FORMS, DateError, bounds
from dossier.registry.lookup import EntityReferenceError, entity_by_reference
from dossier.store.schema import cases, entities, proceeding_stages, proceedings
from dossier.workspace import utcnow
from dossier.yamlfile import read_yaml

VOCABULARY_FILE = "proceeding_stages.yaml"
_COUNTRY = re.compile(r"[A-Z]{2}")


class ProceedingError(ValueError):
    """A proceeding, stage or extradition request that cannot be recorded or found as asked."""


@dataclass(frozen=True)
class Term:
    """One word of the vocabulary, with what it means and how the stages of a file use it."""

    name: str
    description: str
    rank: int = 0  # a stage's place in the usual order of a file
    ends: bool = False  # the file is over when this is its current stage
    needs_reason: bool = False
    state: bool = False  # a stage of a case between states


@dataclass(frozen=True)
class Vocabulary:
    stages: dict[str, Term]
    kinds: dict[str, Term]
    grounds: dict[str, Term]
    outcomes: dict[str, Term]

    def check(self, field: str, value: str) -> str:
        """``value`` when it is a known word of ``field`` (stage, kind, ground, outcome)."""
        known = getattr(self, f"{field}s")
        if value not in known:
            raise ProceedingError(f"{field}: unknown {field} {value!r}; one of "
                                  f"{', '.join(known)}")
        return value


def _terms(data: dict[str, Any], section: str) -> dict[str, Term]:
    where = f"cases/data/{VOCABULARY_FILE}: {section}"
    entries = data.get(section)
    if not isinstance(entries, dict) or not entries:
        raise ProceedingError(f"{where}: expected a mapping of entries")
    found: dict[str, Term] = {}
    for rank, (name, entry) in enumerate(entries.items()):
        if not isinstance(entry, dict) or not str(entry.get("description") or "").strip():
            raise ProceedingError(f"{where}.{name}: needs a description")
        unknown = set(entry) - {"description", "ends", "reason", "state"}
        if unknown:
            raise ProceedingError(f"{where}.{name}: unknown field(s) {sorted(unknown)}")
        found[name] = Term(name, " ".join(str(entry["description"]).split()), rank,
                           bool(entry.get("ends")), bool(entry.get("reason")),
                           bool(entry.get("state")))
    return found


@cache
def vocabulary() -> Vocabulary:
    """The stages, kinds, grounds and outcomes, read and validated once."""
    text = resources.files("dossier.cases").joinpath("data", VOCABULARY_FILE).read_text("utf-8")
    data = read_yaml(f"cases/data/{VOCABULARY_FILE}", text, ProceedingError)
    if not isinstance(data, dict):
        raise ProceedingError(f"cases/data/{VOCABULARY_FILE}: expected a mapping")
    return Vocabulary(*(_terms(data, section)
                        for section in ("stages", "kinds", "grounds", "outcomes")))


def check_date(field: str, value: str | None) -> str | None:
    """An ISO date, year-month or year, stripped; ProceedingError naming ``field`` otherwise."""
    if value is None or not value.strip():
        return None
    try:
        bounds(value.strip())
    except DateError as exc:
        raise ProceedingError(f"{field}: {value!r} is not a date ({FORMS})") from exc
    return value.strip()


def check_country(field: str, value: str | None) -> str | None:
    """An ISO 3166 two-letter code, upper-cased; ProceedingError naming ``field`` otherwise."""
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if not _COUNTRY.fullmatch(code):
        raise ProceedingError(f"{field}: {value!r} is not a two-letter country code (BE, DE)")
    return code


def text_or_none(value: str | None) -> str | None:
    return value.strip() if value is not None and value.strip() else None


@contextmanager
def transaction(target: Engine | Connection) -> Iterator[Connection]:
    """The caller's connection as it is (its transaction), or a new transaction on an engine."""
    if isinstance(target, Connection):
        yield target
    else:
        with target.begin() as conn:
            yield conn


@dataclass(frozen=True)
class Party:
    role: str  # complainant, defendant, applicant, respondent …
    name: str
    entity_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"role": self.role, "name": self.name, "entity_id": self.entity_id}


@dataclass(frozen=True)
class Stage:
    id: int
    stage: str
    on_date: str | None
    reason: str | None
    note: str | None
    source: str | None
    created_by: str
    created_at: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "stage": self.stage, "date": self.on_date,
                "reason": self.reason, "note": self.note, "source": self.source,
                "created_by": self.created_by, "created_at": self.created_at}


def order_stages(stages: Iterable[Stage]) -> tuple[Stage, ...]:
    """Stages by date; one without a date goes after the dated stages that usually come before
    it (by the order of the vocabulary), so a file whose closing date is unknown still reads
    as closed. Stages of the same date keep the usual order, then the order of recording."""
    known = {name: term.rank for name, term in vocabulary().stages.items()}
    ranks: dict[str, int] = defaultdict(lambda: len(known), known)  # a stage no longer known
    dated: list[Stage] = []
    undated: list[Stage] = []
    for stage in stages:
        (dated if stage.on_date else undated).append(stage)

    def when(stage: Stage) -> tuple[date, date]:
        assert stage.on_date is not None
        return bounds(stage.on_date)

    listed = sorted(dated, key=lambda s: (when(s), ranks[s.stage], s.id))
    for stage in sorted(undated, key=lambda s: (ranks[s.stage], s.id)):
        after = [i for i, other in enumerate(listed) if ranks[other.stage] <= ranks[stage.stage]]
        listed.insert(after[-1] + 1 if after else 0, stage)
    return tuple(listed)


@dataclass(frozen=True)
class Proceeding:
    id: int
    ref: str
    case_ref: str | None
    country: str | None
    forum: str
    kind: str
    legal_basis: str | None
    ground: str | None
    parties: tuple[Party, ...]
    subject_entity_id: int | None
    subject_name: str | None  # the registry's display name of the subject
    description: str | None
    source: str | None
    created_by: str
    created_at: str
    stages: tuple[Stage, ...]  # in order: by date, see order_stages

    @property
    def current(self) -> Stage | None:
        return self.stages[-1] if self.stages else None

    @property
    def current_stage(self) -> str | None:
        """The stage the file is at: the last of its stages by date (None before any)."""
        return self.current.stage if self.current else None

    @property
    def closed(self) -> bool:
        """Is the file over: its current stage is closed, declined or final?"""
        current = self.current_stage
        return current is not None and vocabulary().stages[current].ends

    def had(self, stage: str) -> bool:
        """Has the file ever reached ``stage`` (an arrest warrant, a verdict)?"""
        return any(s.stage == stage for s in self.stages)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "ref": self.ref, "case": self.case_ref, "country": self.country,
                "forum": self.forum, "kind": self.kind, "legal_basis": self.legal_basis,
                "ground": self.ground, "parties": [p.as_dict() for p in self.parties],
                "subject": ({"entity_id": self.subject_entity_id, "name": self.subject_name}
                            if self.subject_entity_id else None),
                "description": self.description, "source": self.source,
                "current_stage": self.current_stage, "closed": self.closed,
                "stages": [s.as_dict() for s in self.stages],
                "created_by": self.created_by, "created_at": self.created_at}


def _case_id(conn: Connection, case_ref: str) -> int:
    row = conn.execute(select(cases.c.id).where(cases.c.ref == case_ref.strip())).first()
    if row is None:
        raise ProceedingError(f"case: no case with ref {case_ref!r}")
    return int(row.id)


def _party(conn: Connection, party: Party | tuple[str, str]) -> Party:
    role, name = (party.role, party.name) if isinstance(party, Party) else party
    entity_id = party.entity_id if isinstance(party, Party) else None
    role, name = role.strip(), name.strip()
    if not role or not name:
        raise ProceedingError(f"party: expected a role and a name, got {role!r}={name!r}")
    if entity_id is None and re.fullmatch(r"#\d+", name):  # a registry entity by its id
        try:
            entity_id = entity_by_reference(conn, name)
        except EntityReferenceError as exc:
            raise ProceedingError(f"party {role}: {exc}") from exc
    if entity_id is not None:
        row = conn.execute(select(entities.c.name).where(entities.c.id == entity_id)).first()
        if row is None:
            raise ProceedingError(f"party {role}: no entity with id {entity_id}")
        name = name if not name.startswith("#") else str(row.name)
    return Party(role, name, entity_id)


def add_proceeding(target: Engine | Connection, ref: str, *, forum: str, kind: str,
                   country: str | None = None, legal_basis: str | None = None,
                   ground: str | None = None, case: str | None = None,
                   subject: str | int | None = None,
                   parties: Sequence[Party | tuple[str, str]] = (),
                   description: str | None = None, source: str | None = None,
                   author: str | None = None) -> Proceeding:
    """Record a proceeding; ``case`` is a case's ref, ``subject`` a registry person (an id, or
    a name looked up in the registry). Stages are added with :func:`add_stage`."""
    vocab = vocabulary()
    ref = ref.strip()
    if not ref:
        raise ProceedingError("ref: a proceeding needs a ref")
    if not forum or not forum.strip():
        raise ProceedingError("forum: a proceeding needs its forum (the court or prosecutor)")
    vocab.check("kind", kind)
    if ground is not None:
        vocab.check("ground", ground)
    with transaction(target) as conn:
        if conn.execute(select(proceedings.c.id).where(proceedings.c.ref == ref)).first():
            raise ProceedingError(f"ref: a proceeding {ref!r} already exists")
        subject_id = None
        if subject is not None:
            try:
                subject_id = entity_by_reference(conn, f"#{subject}" if isinstance(subject, int)
                                                 else subject, "person")
            except EntityReferenceError as exc:
                raise ProceedingError(f"subject: {exc}") from exc
        conn.execute(insert(proceedings).values(
            ref=ref, case_id=_case_id(conn, case) if case else None,
            country=check_country("country", country), forum=forum.strip(), kind=kind,
            legal_basis=text_or_none(legal_basis), ground=ground,
            parties=json.dumps([_party(conn, p).as_dict() for p in parties],
                               ensure_ascii=False),
            subject_entity_id=subject_id, description=text_or_none(description),
            source=text_or_none(source), created_by=author or default_actor(),
            created_at=utcnow()))
        return load_proceeding(conn, ref)


def add_stage(target: Engine | Connection, ref: str, stage: str, *, on_date: str | None = None,
              reason: str | None = None, note: str | None = None, source: str | None = None,
              author: str | None = None) -> Stage:
    """Record a stage of the proceeding ``ref``; declined and closed need their reason."""
    term = vocabulary().stages[vocabulary().check("stage", stage)]
    if term.needs_reason and not text_or_none(reason):
        raise ProceedingError(f"reason: a file {stage} needs the reason")
    on_date = check_date("date", on_date)
    with transaction(target) as conn:
        row = conn.execute(select(proceedings.c.id).where(proceedings.c.ref == ref.strip())
                           ).first()
        if row is None:
            raise ProceedingError(f"ref: no proceeding {ref!r}")
        result = conn.execute(insert(proceeding_stages).values(
            proceeding_id=row.id, stage=stage, on_date=on_date, reason=text_or_none(reason),
            note=text_or_none(note), source=text_or_none(source),
            created_by=author or default_actor(), created_at=utcnow()))
        assert result.inserted_primary_key is not None
        stage_id = int(result.inserted_primary_key[0])
        return _stage(conn.execute(select(proceeding_stages).where(
            proceeding_stages.c.id == stage_id)).one())


def _stage(row: Any) -> Stage:
    return Stage(row.id, row.stage, row.on_date, row.reason, row.note, row.source,
                 row.created_by, row.created_at.isoformat() if row.created_at else "")


def _read(conn: Connection, *conditions: Any) -> list[Proceeding]:
    query = (select(proceedings, cases.c.ref.label("case_ref"),
                    entities.c.name.label("subject_name"))
             .outerjoin(cases, cases.c.id == proceedings.c.case_id)
             .outerjoin(entities, entities.c.id == proceedings.c.subject_entity_id)
             .where(*conditions))
    # sorted here, not in SQL: the backends place NULLs and collate text differently
    rows = sorted(conn.execute(query), key=lambda r: (r.country is None, r.country or "", r.ref))
    stages: dict[int, list[Stage]] = {row.id: [] for row in rows}
    if rows:
        stage_rows = conn.execute(select(proceeding_stages).where(
            proceeding_stages.c.proceeding_id.in_(list(stages))))
        for s in stage_rows:
            stages[s.proceeding_id].append(_stage(s))
    return [Proceeding(
        row.id, row.ref, row.case_ref, row.country, row.forum, row.kind, row.legal_basis,
        row.ground, tuple(Party(p["role"], p["name"], p.get("entity_id"))
                          for p in json.loads(row.parties or "[]")),
        row.subject_entity_id, row.subject_name, row.description, row.source, row.created_by,
        row.created_at.isoformat() if row.created_at else "", order_stages(stages[row.id]))
        for row in rows]


def load_proceeding(target: Engine | Connection, ref: str) -> Proceeding:
    """The proceeding ``ref`` with its stages in order; ProceedingError when there is none."""
    with transaction(target) as conn:
        found = _read(conn, proceedings.c.ref == ref.strip())
    if not found:
        raise ProceedingError(f"ref: no proceeding {ref!r}")
    return found[0]


def list_proceedings(target: Engine | Connection, *, country: str | None = None,
                     case: str | None = None, stage: str | None = None) -> list[Proceeding]:
    """Proceedings by country then ref; filtered by country, case ref, and current stage."""
    conditions = []
    if stage is not None:
        vocabulary().check("stage", stage)
    with transaction(target) as conn:
        if country is not None:
            conditions.append(proceedings.c.country == check_country("country", country))
        if case is not None:
            conditions.append(proceedings.c.case_id == _case_id(conn, case))
        found = _read(conn, *conditions)
    return [p for p in found if stage is None or p.current_stage == stage]


def proceedings_of_case(target: Engine | Connection, case_ref: str,
                        subjects: Iterable[int] = ()) -> list[Proceeding]:
    """The proceedings of a case's board: those filed under the case ``case_ref`` and those
    whose subject is one of ``subjects`` (the registry ids of its suspects), by country then
    ref."""
    wanted = sorted(set(subjects))
    with transaction(target) as conn:
        condition = proceedings.c.case_id == _case_id(conn, case_ref)
        if wanted:
            condition = or_(condition, proceedings.c.subject_entity_id.in_(wanted))
        return _read(conn, condition)
