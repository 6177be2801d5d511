"""The reference dataset: the public proceedings named in the project's seed documents.

`cases/data/reference_proceedings.yaml` holds them with a source for every fact; this module
validates the file (every proceeding, stage and request cites a known source; a seed source
names its document, a public-record source its precise citation) and imports it into a
workspace. Importing is idempotent: a proceeding or request already there (by ref) is not added
again, and only the stages it lacks are added to it, so a newer dataset brings its new stages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Connection, Engine, select

from dossier.cases.extradition import add_extradition
from dossier.cases.proceedings import (
    Party,
    ProceedingError,
    add_proceeding,
    add_stage,
    check_country,
    check_date,
    load_proceeding,
    transaction,
    vocabulary,
)
from dossier.custody.log import default_actor
from dossier.store.schema import extraditions, proceedings
from dossier.yamlfile import read_yaml

REFERENCE_FILE = "reference_proceedings.yaml"
SOURCE_KINDS = ("seed", "public_record")


class ReferenceError(ProceedingError):
    """A reference dataset that does not say what it must: names the entry and the field."""


@dataclass(frozen=True)
class ReferenceSource:
    key: str
    kind: str  # seed | public_record
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    seed: str | None = None  # the seed document's file name
    citation: str | None = None  # a public record's precise citation
    note: str | None = None

    def cite(self) -> str:
        """The citation stored with a fact: title, publisher and date, or the public record."""
        if self.kind == "public_record":
            return f"{self.citation} [public record]"
        parts = [f'"{self.title}"', self.publisher or "publisher not named",
                 self.date or "undated"]
        return f"{', '.join(parts)} [seed {self.seed}]"


@dataclass(frozen=True)
class ReferenceStage:
    stage: str
    on_date: str | None
    reason: str | None
    note: str | None
    sources: tuple[ReferenceSource, ...]


@dataclass(frozen=True)
class ReferenceProceeding:
    ref: str
    country: str | None
    forum: str
    kind: str
    legal_basis: str | None
    ground: str | None
    parties: tuple[Party, ...]
    description: str | None
    sources: tuple[ReferenceSource, ...]
    stages: tuple[ReferenceStage, ...]


@dataclass(frozen=True)
class ReferenceExtradition:
    ref: str
    requesting_state: str
    requested_state: str
    channel: str | None
    requested_on: str | None
    subject: str
    subject_status: str | None
    outcome: str
    note: str | None
    sources: tuple[ReferenceSource, ...]


@dataclass(frozen=True)
class ReferenceData:
    sources: dict[str, ReferenceSource]
    proceedings: tuple[ReferenceProceeding, ...]
    extraditions: tuple[ReferenceExtradition, ...]


def cite(sources: Sequence[ReferenceSource]) -> str:
    return "; ".join(source.cite() for source in sources)


class _Reader:
    """Reads one file's entries, naming the file, the entry and the field in every error."""

    def __init__(self, name: str, data: dict[str, Any]) -> None:
        self.name = name
        self.data = data
        self.sources: dict[str, ReferenceSource] = {}

    def fail(self, where: str, message: str) -> ReferenceError:
        return ReferenceError(f"{self.name}: {where}: {message}")

    def text(self, entry: dict[str, Any], key: str, where: str, *,
             required: bool = False) -> str | None:
        value = entry.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(where, f"{key} is required")
            return None
        if isinstance(value, date):  # YAML reads an unquoted 2022-01-13 as a date
            value = value.isoformat()
        if not isinstance(value, str | int):
            raise self.fail(where, f"{key} must be text")
        return " ".join(str(value).split())

    def guard(self, where: str, check: Any, *args: Any) -> Any:
        try:
            return check(*args)
        except ProceedingError as exc:
            raise self.fail(where, str(exc)) from exc

    def read_sources(self) -> None:
        for key, entry in (self.data.get("sources") or {}).items():
            where = f"sources.{key}"
            if not isinstance(entry, dict) or entry.get("kind") not in SOURCE_KINDS:
                raise self.fail(where, f"kind must be one of {', '.join(SOURCE_KINDS)}")
            kind = entry["kind"]
            found = ReferenceSource(
                key, kind, self.text(entry, "title", where, required=kind == "seed"),
                self.text(entry, "publisher", where),
                self.guard(where, check_date, "date", self.text(entry, "date", where)),
                self.text(entry, "seed", where, required=kind == "seed"),
                self.text(entry, "citation", where, required=kind == "public_record"),
                self.text(entry, "note", where))
            undescribed = found.publisher is None or found.date is None
            if kind == "seed" and undescribed and not found.note:
                raise self.fail(where, "a seed without publisher or date needs a note saying so")
            self.sources[key] = found

    def cited(self, entry: dict[str, Any], where: str) -> tuple[ReferenceSource, ...]:
        keys = entry.get("source")
        keys = [keys] if isinstance(keys, str) else keys
        if not keys or not isinstance(keys, list):
            raise self.fail(where, "source is required (a key of sources, or a list of them)")
        unknown = [k for k in keys if k not in self.sources]
        if unknown:
            raise self.fail(where, f"source {unknown} not among the sources "
                                   f"({', '.join(self.sources)})")
        return tuple(self.sources[k] for k in keys)

    def stages(self, entries: Any, where: str) -> tuple[ReferenceStage, ...]:
        found = []
        for i, entry in enumerate(entries or []):
            here = f"{where}.stages[{i}]"
            stage = self.text(entry, "stage", here, required=True)
            assert stage is not None
            term = vocabulary().stages.get(stage)
            if term is None:
                raise self.fail(here, f"unknown stage {stage!r}")
            reason = self.text(entry, "reason", here)
            if term.needs_reason and reason is None:
                raise self.fail(here, f"reason is required for a file {stage}")
            found.append(ReferenceStage(
                stage, self.guard(here, check_date, "date", self.text(entry, "date", here)),
                reason, self.text(entry, "note", here), self.cited(entry, here)))
        return tuple(found)

    def proceeding(self, entry: dict[str, Any], ref: str, where: str,
                   stages: tuple[ReferenceStage, ...]) -> ReferenceProceeding:
        vocab = vocabulary()
        kind = self.text(entry, "kind", where, required=True)
        ground = self.text(entry, "ground", where)
        self.guard(where, vocab.check, "kind", kind)
        if ground is not None:
            self.guard(where, vocab.check, "ground", ground)
        parties = tuple(Party(str(self.text(p, "role", where, required=True)),
                              str(self.text(p, "name", where, required=True)))
                        for p in entry.get("parties") or [])
        assert kind is not None
        return ReferenceProceeding(
            ref, self.guard(where, check_country, "country", self.text(entry, "country", where)),
            str(self.text(entry, "forum", where, required=True)), kind,
            self.text(entry, "legal_basis", where), ground, parties,
            self.text(entry, "description", where), self.cited(entry, where), stages)

    def read_proceedings(self) -> tuple[ReferenceProceeding, ...]:
        found: list[ReferenceProceeding] = []
        for i, entry in enumerate(self.data.get("proceedings") or []):
            series = entry.get("series")
            if series is None:
                ref = str(self.text(entry, "ref", f"proceedings[{i}]", required=True))
                where = f"proceedings[{i}] {ref}"
                found.append(self.proceeding(entry, ref, where,
                                             self.stages(entry.get("stages"), where)))
                continue
            # files reported only in aggregate: `count` records, in groups of the same stages
            prefix, count = series.get("ref_prefix"), series.get("count")
            where = f"proceedings[{i}] series {prefix}"
            groups = entry.get("groups") or []
            if not prefix or not isinstance(count, int) or count < 1:
                raise self.fail(where, "series needs ref_prefix and a positive count")
            if not all(isinstance(g, dict) and isinstance(g.get("count"), int) and g["count"] > 0
                       for g in groups):
                raise self.fail(where, "every group needs a positive count and its stages")
            if sum(g["count"] for g in groups) != count:
                raise self.fail(where, f"the groups' counts do not add up to {count}")
            number = 0
            for j, group in enumerate(groups):
                stages = self.stages(group.get("stages"), f"{where}.groups[{j}]")
                for _ in range(group["count"]):
                    number += 1
                    ref = f"{prefix}{number:0{len(str(count))}d}"
                    found.append(self.proceeding(entry, ref, where, stages))
        return tuple(found)

    def read_extraditions(self) -> tuple[ReferenceExtradition, ...]:
        found = []
        for i, entry in enumerate(self.data.get("extraditions") or []):
            ref = str(self.text(entry, "ref", f"extraditions[{i}]", required=True))
            where = f"extraditions[{i}] {ref}"
            states = [self.guard(where, check_country, key, self.text(entry, key, where,
                                                                      required=True))
                      for key in ("requesting_state", "requested_state")]
            outcome = str(self.text(entry, "outcome", where, required=True))
            self.guard(where, vocabulary().check, "outcome", outcome)
            found.append(ReferenceExtradition(
                ref, states[0], states[1], self.text(entry, "channel", where),
                self.guard(where, check_date, "requested_on",
                           self.text(entry, "requested_on", where)),
                str(self.text(entry, "subject", where, required=True)),
                self.text(entry, "subject_status", where), outcome,
                self.text(entry, "note", where), self.cited(entry, where)))
        return tuple(found)


def read_reference(text: str, name: str = REFERENCE_FILE) -> ReferenceData:
    """Validate a reference dataset given as YAML text; ReferenceError names what is wrong."""
    data = read_yaml(name, text, ReferenceError)
    if not isinstance(data, dict):
        raise ReferenceError(f"{name}: expected a mapping with sources, proceedings, extraditions")
    reader = _Reader(name, data)
    reader.read_sources()
    found = ReferenceData(reader.sources, reader.read_proceedings(), reader.read_extraditions())
    refs = [p.ref for p in found.proceedings] + [e.ref for e in found.extraditions]
    duplicates = sorted({ref for ref in refs if refs.count(ref) > 1})
    if duplicates:
        raise ReferenceError(f"{name}: refs used twice: {', '.join(duplicates)}")
    return found


@cache
def reference_data() -> ReferenceData:
    """The dataset shipped with Dossier, validated once."""
    path = resources.files("dossier.cases").joinpath("data", REFERENCE_FILE)
    return read_reference(path.read_text("utf-8"))


@dataclass
class ImportReport:
    proceedings_added: int = 0
    stages_added: int = 0
    extraditions_added: int = 0
    already_present: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"proceedings_added": self.proceedings_added, "stages_added": self.stages_added,
                "extraditions_added": self.extraditions_added,
                "already_present": len(self.already_present)}


def import_reference(target: Engine | Connection, data: ReferenceData | None = None, *,
                     author: str | None = None) -> ImportReport:
    """Add the reference proceedings, their stages and the extradition requests, in one
    transaction; what is already there (by ref; a stage by its name and date) is kept."""
    data = data or reference_data()
    author = author or default_actor()
    report = ImportReport()
    with transaction(target) as conn:
        for entry in data.proceedings:
            if _exists(conn, proceedings, entry.ref):
                report.already_present.append(entry.ref)
                known = {(s.stage, s.on_date) for s in load_proceeding(conn, entry.ref).stages}
            else:
                add_proceeding(conn, entry.ref, forum=entry.forum, kind=entry.kind,
                               country=entry.country, legal_basis=entry.legal_basis,
                               ground=entry.ground, parties=entry.parties,
                               description=entry.description, source=cite(entry.sources),
                               author=author)
                report.proceedings_added += 1
                known = set()
            for stage in entry.stages:
                if (stage.stage, stage.on_date) in known:
                    continue
                add_stage(conn, entry.ref, stage.stage, on_date=stage.on_date,
                          reason=stage.reason, note=stage.note, source=cite(stage.sources),
                          author=author)
                report.stages_added += 1
        for request in data.extraditions:
            if _exists(conn, extraditions, request.ref):
                report.already_present.append(request.ref)
                continue
            add_extradition(conn, request.ref, requesting_state=request.requesting_state,
                            requested_state=request.requested_state, subject=request.subject,
                            channel=request.channel, requested_on=request.requested_on,
                            subject_status=request.subject_status, outcome=request.outcome,
                            note=request.note, source=cite(request.sources), author=author)
            report.extraditions_added += 1
    return report


def _exists(conn: Connection, table: Any, ref: str) -> bool:
    return conn.execute(select(table.c.id).where(table.c.ref == ref)).first() is not None

