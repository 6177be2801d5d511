"""Import and export of the registry: the rows both formats share, and what an import reports.

CSV (`csv_io`) and FollowTheMoney (`ftm`) both read into :class:`EntityRow` and
:class:`ClaimRow` and write from them. Entities are identified across workspaces by their
external id (kept in ``entities.external_id``; an entity made here is exported as
``dossier:<id>``), items by their sha256. A bad row is reported with its file, line and
field, and the rest is imported; every import and export is a custody event.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, update

from dossier.custody import log as custody
from dossier.registry.claims import ClaimDraft, ClaimError, Source, add_claims
from dossier.registry.entities import EntityError, NameSpec, add_entity, add_names
from dossier.registry.vocabulary import ENTITY_KINDS
from dossier.store.schema import claim_sources, claims, entities, entity_names, items

IMPORT_ACTION = "imported"  # material received from outside, as a registry file


class RegistryIOError(ValueError):
    """A file that cannot be imported at all (unreadable, unknown format, no header)."""


@dataclass(frozen=True)
class ImportProblem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field,
                "message": self.message}


@dataclass
class ImportReport:
    entities: int = 0  # new entities
    names: int = 0  # new names (of new and existing entities)
    claims: int = 0  # new claims
    sources: int = 0  # new sources (of new and existing claims)
    problems: list[ImportProblem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"entities": self.entities, "names": self.names, "claims": self.claims,
                "sources": self.sources, "problems": [p.as_dict() for p in self.problems]}


@dataclass
class EntityRow:
    line: int
    id: str
    kind: str
    name: str
    names: list[NameSpec] = field(default_factory=list)
    unit_type: str | None = None
    number: str | None = None
    parent: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class SourceRow:
    item_sha256: str | None = None
    page: int | None = None
    quote: str | None = None
    citation: str | None = None


@dataclass
class ClaimRow:
    line: int
    subject: str
    predicate: str
    object: str | None = None
    role: str | None = None
    value: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    precision: str = "exact"
    confidence: float = 1.0
    status: str = "proposed"
    sources: list[SourceRow] = field(default_factory=list)


def import_rows(conn: Connection, file: str, entity_rows: Iterable[EntityRow],
                claim_rows: Iterable[ClaimRow], *, actor: str, report: ImportReport) -> None:
    """Record entities (then their parents), then claims, skipping and reporting bad rows."""
    parents: list[tuple[EntityRow, int]] = []
    for row in entity_rows:
        try:
            if row.kind not in ENTITY_KINDS:
                raise EntityError(f"unknown entity kind {row.kind!r}; "
                                  f"one of {', '.join(ENTITY_KINDS)}")
            existing = entity_id(conn, row.id)
            with conn.begin_nested():
                if existing is None:
                    existing = add_entity(
                        conn, row.kind, row.name, unit_type=row.unit_type, number=row.number,
                        external_id=row.id, attributes=row.attributes or None, actor=actor,
                        source=file)
                    report.entities += 1
                    report.names += 1
                report.names += add_names(conn, existing, row.names, source=file)
            if row.parent:
                parents.append((row, existing))
        except EntityError as exc:
            report.problems.append(ImportProblem(file, row.line, _field_of(str(exc)), str(exc)))
    for row, child in parents:
        parent = entity_id(conn, row.parent or "")
        kind = conn.scalar(select(entities.c.kind).where(entities.c.id == parent)) \
            if parent is not None else None
        if kind != "unit":
            report.problems.append(ImportProblem(
                file, row.line, "parent", f"parent {row.parent!r} is not a unit of this file "
                                          "or of the registry"))
            continue
        conn.execute(update(entities).where(entities.c.id == child).values(parent_id=parent))
    for claim in claim_rows:
        _import_claim(conn, file, claim, actor, report)


def _field_of(message: str) -> str:
    for name in ("unit type", "kind", "parent", "name"):
        if name in message:
            return name.replace(" ", "_")
    return "row"


def _import_claim(conn: Connection, file: str, row: ClaimRow, actor: str,
                  report: ImportReport) -> None:
    def problem(field_name: str, message: str) -> None:
        report.problems.append(ImportProblem(file, row.line, field_name, message))

    subject = entity_id(conn, row.subject)
    if subject is None:
        return problem("subject", f"no entity {row.subject!r} in this file or the registry")
    target = None
    if row.object:
        target = entity_id(conn, row.object)
        if target is None:
            return problem("object", f"no entity {row.object!r} in this file or the registry")
    sources = tuple(_source(conn, s) for s in row.sources) or (
        Source(citation=f"imported from {Path(file).name}"),)
    draft = ClaimDraft(subject, row.predicate, sources, object_id=target, role=row.role,
                       value=row.value, valid_from=row.valid_from, valid_to=row.valid_to,
                       time_precision=row.precision, confidence=row.confidence, author=actor,
                       origin="import", status=row.status)
    try:
        with conn.begin_nested():
            [added] = add_claims(conn, [draft])
    except ClaimError as exc:
        message = str(exc)
        field_name = next((f for f in ("predicate", "status", "precision", "valid_from",
                                       "valid_to", "confidence", "value", "object")
                           if f in message), "row")
        return problem(field_name, message)
    report.claims += int(added.new_claim)
    report.sources += added.new_sources


def _source(conn: Connection, row: SourceRow) -> Source:
    item = None
    if row.item_sha256:
        item = conn.scalar(select(items.c.id).where(items.c.sha256 == row.item_sha256)
                           .order_by(items.c.id).limit(1))
    citation = row.citation
    if row.item_sha256 and item is None and not citation:
        # the item is not in this workspace: keep where the source is, as a citation
        citation = f"item sha256:{row.item_sha256}" + (f", page {row.page}" if row.page else "")
    return Source(item, row.page if item is not None else None, row.quote, citation)


def entity_id(conn: Connection, reference: str) -> int | None:
    """The entity an external id (or "dossier:<id>") stands for."""
    found = conn.scalar(select(entities.c.id).where(entities.c.external_id == reference))
    if found is None and reference.startswith("dossier:") and reference[8:].isdigit():
        found = conn.scalar(select(entities.c.id).where(entities.c.id == int(reference[8:])))
    return found


def export_ref(external_id: str | None, entity: int) -> str:
    return external_id or f"dossier:{entity}"


def export_rows(conn: Connection) -> tuple[list[EntityRow], list[ClaimRow]]:
    """Every entity and every claim (with its sources), in id order."""
    refs: dict[int, str] = {}
    rows = conn.execute(select(entities).order_by(entities.c.id)).all()
    for row in rows:
        refs[row.id] = export_ref(row.external_id, row.id)
    names: dict[int, list[NameSpec]] = {}
    for name in conn.execute(select(entity_names).order_by(entity_names.c.id)):
        if name.kind != "primary":
            names.setdefault(name.entity_id, []).append((name.name, name.lang, name.kind))
    entity_rows = [EntityRow(0, refs[r.id], r.kind, r.name, names.get(r.id, []), r.unit_type,
                             r.number, refs.get(r.parent_id) if r.parent_id else None,
                             json.loads(r.attributes) if r.attributes else {}) for r in rows]
    sources: dict[int, list[SourceRow]] = {}
    for source in conn.execute(
            select(claim_sources, items.c.sha256)
            .select_from(claim_sources.outerjoin(items, items.c.id == claim_sources.c.item_id))
            .order_by(claim_sources.c.id)):
        sources.setdefault(source.claim_id, []).append(SourceRow(
            source.sha256, source.page_number, source.quote, source.citation))
    claim_rows = [ClaimRow(0, refs[c.subject_id], c.predicate,
                           refs[c.object_id] if c.object_id is not None else None, c.role,
                           c.value, c.valid_from, c.valid_to, c.time_precision, c.confidence,
                           c.status, sources.get(c.id, []))
                  for c in conn.execute(select(claims).order_by(claims.c.id))]
    return entity_rows, claim_rows


def log_import(conn: Connection, path: Path, fmt: str, report: ImportReport, actor: str) -> None:
    custody.append(conn, IMPORT_ACTION, actor=actor, details={
        "what": "registry import", "file": str(path), "format": fmt,
        "entities": report.entities, "names": report.names, "claims": report.claims,
        "sources": report.sources, "problems": [str(p) for p in report.problems[:200]],
        "problem_count": len(report.problems)})


def log_export(conn: Connection, paths: list[Path], fmt: str, counts: dict[str, int],
               actor: str) -> None:
    custody.append(conn, "exported", actor=actor, details={
        "what": "registry export", "files": [str(p) for p in paths], "format": fmt, **counts})
