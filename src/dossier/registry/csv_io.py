"""The registry as CSV: one file of entities, one file of claims (a row per source).

Entities (header required)::

    id,kind,name,names,unit_type,number,parent,birth_date,attributes

``id`` is the entity's identifier in the file (kept as its external id), ``names`` its other
names separated by ``|`` (language guessed from the script), ``parent`` the id of the unit
above it, ``attributes`` a JSON object.

Claims (header required)::

    subject,predicate,object,role,value,valid_from,valid_to,precision,confidence,status,
    source_item,source_page,quote,citation

``subject``/``object`` are entity ids of the entities file (or of the registry),
``source_item`` the sha256 of an item of the workspace. A claim with several sources is
written as several rows; they are read back as one claim.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dossier.registry.dates import FORMS, is_date
from dossier.registry.importing import (
    ClaimRow,
    EntityRow,
    RegistryIOError,
    SourceRow,
)
from dossier.registry.vocabulary import predicates

ENTITY_COLUMNS = ("id", "kind", "name", "names", "unit_type", "number", "parent",
                  "birth_date", "attributes")
CLAIM_COLUMNS = ("subject", "predicate", "object", "role", "value", "valid_from", "valid_to",
                 "precision", "confidence", "status", "source_item", "source_page", "quote",
                 "citation")


class RowError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _reader(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryIOError(f"{path}: cannot be read as UTF-8 text: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    if not header:
        raise RegistryIOError(f"{path}: empty, or no header line")

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}
    return list(header), rows()


def csv_kind(path: Path) -> str:
    """"entities" or "claims", from the header of the file."""
    header, _ = _reader(path)
    if {"subject", "predicate"} <= set(header):
        return "claims"
    if {"id", "kind", "name"} <= set(header):
        return "entities"
    raise RegistryIOError(f"{path}: a registry CSV has the columns id,kind,name (entities) "
                          f"or subject,predicate (claims); this one has {', '.join(header)}")


def read_entities(path: Path) -> tuple[list[EntityRow], list[tuple[int, str, str]]]:
    """Entity rows and the problems of the rows that could not be read (line, field, why)."""
    _, rows = _reader(path)
    found: list[EntityRow] = []
    problems: list[tuple[int, str, str]] = []
    for line, row in rows:
        try:
            found.append(_entity(line, row))
        except RowError as exc:
            problems.append((line, exc.field, str(exc)))
    return found, problems


def _entity(line: int, row: dict[str, str]) -> EntityRow:
    for column in ("id", "kind", "name"):
        if not row.get(column):
            raise RowError(column, f"{column} is empty")
    attributes: dict[str, Any] = {}
    if row.get("attributes"):
        try:
            attributes = json.loads(row["attributes"])
        except ValueError as exc:
            raise RowError("attributes", f"not a JSON object: {exc}") from exc
        if not isinstance(attributes, dict):
            raise RowError("attributes", "not a JSON object")
    if row.get("birth_date"):
        attributes["birth_date"] = row["birth_date"]
    names = [n.strip() for n in row.get("names", "").split("|") if n.strip()]
    return EntityRow(line, row["id"], row["kind"], row["name"], list(names),
                     row.get("unit_type") or None, row.get("number") or None,
                     row.get("parent") or None, attributes)


def read_claims(path: Path) -> tuple[list[ClaimRow], list[tuple[int, str, str]]]:
    _, rows = _reader(path)
    found: list[ClaimRow] = []
    problems: list[tuple[int, str, str]] = []
    for line, row in rows:
        try:
            found.append(_claim(line, row))
        except RowError as exc:
            problems.append((line, exc.field, str(exc)))
    return found, problems


def _claim(line: int, row: dict[str, str]) -> ClaimRow:
    for column in ("subject", "predicate"):
        if not row.get(column):
            raise RowError(column, f"{column} is empty")
    if row["predicate"] not in predicates():
        raise RowError("predicate", f"unknown predicate {row['predicate']!r}; one of "
                                    f"{', '.join(predicates())}")
    try:
        confidence = float(row["confidence"]) if row.get("confidence") else 1.0
    except ValueError as exc:
        raise RowError("confidence", f"not a number: {row['confidence']!r}") from exc
    try:
        page = int(row["source_page"]) if row.get("source_page") else None
    except ValueError as exc:
        raise RowError("source_page", f"not a page number: {row['source_page']!r}") from exc
    for column in ("valid_from", "valid_to"):
        if row.get(column) and not is_date(row[column]):
            raise RowError(column, f"not a date ({FORMS}): {row[column]!r}")
    source = SourceRow(row.get("source_item") or None, page, row.get("quote") or None,
                       row.get("citation") or None)
    has_source = any((source.item_sha256, source.quote, source.citation))
    return ClaimRow(line, row["subject"], row["predicate"], row.get("object") or None,
                    row.get("role") or None, row.get("value") or None,
                    row.get("valid_from") or None, row.get("valid_to") or None,
                    row.get("precision") or "exact", confidence, row.get("status") or "proposed",
                    [source] if has_source else [])


def write_entities(path: Path, rows: list[EntityRow]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ENTITY_COLUMNS)
        for row in rows:
            attributes = dict(row.attributes)
            birth = attributes.pop("birth_date", None)
            writer.writerow([row.id, row.kind, row.name,
                             "|".join(n if isinstance(n, str) else n[0] for n in row.names),
                             row.unit_type or "", row.number or "", row.parent or "",
                             birth or "", json.dumps(attributes, ensure_ascii=False)
                             if attributes else ""])


def write_claims(path: Path, rows: list[ClaimRow]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CLAIM_COLUMNS)
        for row in rows:
            fields = [row.subject, row.predicate, row.object or "", row.role or "",
                      row.value or "", row.valid_from or "", row.valid_to or "", row.precision,
                      repr(row.confidence), row.status]
            for source in row.sources or [SourceRow()]:
                writer.writerow([*fields, source.item_sha256 or "",
                                 "" if source.page is None else source.page, source.quote or "",
                                 source.citation or ""])
