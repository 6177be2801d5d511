"""Entities (persons, units, facilities, places), their names in several scripts, the hierarchy.

Every name is stored with its script, language and kind, and with its name key
(`dossier.text.name_key`): the cross-script skeleton that brings "Jamil Hassan", "Jameel
al-Hasan" and "جميل حسن" together, so that a lookup is an indexed equality, not a scan.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, insert, select

from dossier.registry.vocabulary import ENTITY_KINDS, unit_types
from dossier.store.schema import entities, entity_names
from dossier.text import european_digits, has_arabic, name_key
from dossier.workspace import utcnow

UNIT_KINDS = ("unit", "facility")
NAME_KINDS = ("primary", "alias", "variant", "kunya", "short")


class EntityError(ValueError):
    """An entity that cannot be recorded or found as asked."""


@dataclass(frozen=True)
class EntityName:
    name: str
    script: str
    lang: str | None
    kind: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "script": self.script, "lang": self.lang, "kind": self.kind}


@dataclass(frozen=True)
class Entity:
    id: int
    kind: str
    name: str
    unit_type: str | None = None
    number: str | None = None
    parent_id: int | None = None
    external_id: str | None = None
    protected: bool = False
    attributes: dict[str, Any] = field(default_factory=dict)
    names: tuple[EntityName, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "name": self.name,
                "unit_type": self.unit_type, "number": self.number, "parent": self.parent_id,
                "external_id": self.external_id, "protected": self.protected,
                "attributes": self.attributes, "names": [n.as_dict() for n in self.names]}


NameSpec = str | tuple[str, str | None, str]
"""A name to add: the bare name (kind "variant", language guessed from the script), or
(name, language, kind)."""


def script_of(text: str) -> str:
    """"arab" when the name is written in Arabic letters, "latn" otherwise."""
    return "arab" if has_arabic(text) else "latn"


def number_in(text: str) -> str | None:
    """The first number written in a name, in European digits ("الفرع ٢٥١" → "251")."""
    found = re.search(r"\d+", european_digits(text))
    return found.group(0) if found else None


def add_entity(conn: Connection, kind: str, name: str, *, names: Iterable[NameSpec] = (),
               unit_type: str | None = None, number: str | int | None = None,
               parent_id: int | None = None, external_id: str | None = None,
               attributes: dict[str, Any] | None = None, protected: bool = False,
               actor: str = "unknown", source: str | None = None) -> int:
    """Record an entity with its display name (kind "primary") and its other names.

    A unit or facility given no ``number`` takes the first number written in its name, or
    else in one of its other names ("Branch 251" → "251").
    """
    name = name.strip()
    if kind not in ENTITY_KINDS:
        raise EntityError(f"unknown entity kind {kind!r}; one of {', '.join(ENTITY_KINDS)}")
    if not name:
        raise EntityError("an entity needs a name")
    if unit_type is not None:
        known = unit_types()
        if unit_type not in known:
            raise EntityError(f"unknown unit type {unit_type!r}; one of {', '.join(known)}")
        if known[unit_type].kind != kind:
            raise EntityError(f"unit type {unit_type} is for a {known[unit_type].kind}, "
                              f"not a {kind}")
    if parent_id is not None:
        parent = conn.execute(select(entities.c.kind).where(entities.c.id == parent_id)).first()
        if parent is None:
            raise EntityError(f"parent entity {parent_id} does not exist")
        if parent.kind != "unit":
            raise EntityError(f"parent entity {parent_id} is a {parent.kind}, not a unit")
    names = list(names)
    if number is None and kind in UNIT_KINDS:
        # "Branch 251" is found by its number: take it from the name, or else another name
        written = [name] + [n if isinstance(n, str) else n[0] for n in names]
        number = next((found for text in written if (found := number_in(text))), None)
    result = conn.execute(insert(entities).values(
        kind=kind, name=name, external_id=external_id, unit_type=unit_type,
        number=None if number is None else str(number), parent_id=parent_id,
        protected=protected, attributes=json.dumps(attributes, ensure_ascii=False)
        if attributes else None, created_by=actor, created_at=utcnow()))
    assert result.inserted_primary_key is not None
    entity_id = int(result.inserted_primary_key[0])
    add_names(conn, entity_id, [(name, None, "primary"), *names], source=source)
    return entity_id


def add_names(conn: Connection, entity_id: int, names: Iterable[NameSpec],
              source: str | None = None) -> int:
    """Add names to an entity, skipping those it has already; returns how many were new."""
    known = set(conn.scalars(select(entity_names.c.name)
                             .where(entity_names.c.entity_id == entity_id)))
    rows = []
    for spec in names:
        text, lang, kind = (spec, None, "variant") if isinstance(spec, str) else spec
        text = text.strip()
        if not text or text in known:
            continue
        if kind not in NAME_KINDS:
            raise EntityError(f"unknown name kind {kind!r}; one of {', '.join(NAME_KINDS)}")
        script = script_of(text)
        known.add(text)
        rows.append({"entity_id": entity_id, "name": text, "script": script,
                     "lang": lang or ("ar" if script == "arab" else None), "kind": kind,
                     "key": name_key(text)[:400], "source": source})
    if rows:
        conn.execute(insert(entity_names), rows)
    return len(rows)


def _entity(row: Any, names: Sequence[EntityName]) -> Entity:
    return Entity(row.id, row.kind, row.name, row.unit_type, row.number, row.parent_id,
                  row.external_id, bool(row.protected),
                  json.loads(row.attributes) if row.attributes else {}, tuple(names))


def get_entity(conn: Connection, entity_id: int) -> Entity:
    """The entity with all its names; EntityError when there is none."""
    found = get_entities(conn, [entity_id])
    if entity_id not in found:
        raise EntityError(f"no entity {entity_id}")
    return found[entity_id]


def get_entities(conn: Connection, ids: Iterable[int], *, with_names: bool = True
                 ) -> dict[int, Entity]:
    """Entities by id (those that exist), with their names unless told otherwise."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    names: dict[int, list[EntityName]] = {}
    if with_names:
        for row in conn.execute(select(entity_names).where(entity_names.c.entity_id.in_(wanted))
                                .order_by(entity_names.c.id)):
            names.setdefault(row.entity_id, []).append(
                EntityName(row.name, row.script, row.lang, row.kind))
    rows = conn.execute(select(entities).where(entities.c.id.in_(wanted)))
    return {row.id: _entity(row, names.get(row.id, ())) for row in rows}


def entity_by_external_id(conn: Connection, external_id: str) -> int | None:
    return conn.scalar(select(entities.c.id).where(entities.c.external_id == external_id))


def children(conn: Connection, unit_id: int) -> list[Entity]:
    """The units and facilities directly under a unit, by name."""
    rows = conn.execute(select(entities).where(entities.c.parent_id == unit_id)
                        .order_by(entities.c.name))
    return [_entity(row, ()) for row in rows]


def ancestors(conn: Connection, unit_id: int) -> list[Entity]:
    """The units above a unit, nearest first, up to the top (a cycle stops the walk)."""
    found: list[Entity] = []
    seen = {unit_id}
    current = conn.execute(select(entities.c.parent_id).where(entities.c.id == unit_id)).scalar()
    while current is not None and current not in seen:
        seen.add(current)
        row = conn.execute(select(entities).where(entities.c.id == current)).first()
        if row is None:
            break
        found.append(_entity(row, ()))
        current = row.parent_id
    return found


def entity_ids(conn: Connection, kind: str | None, limit: int, offset: int, *,
               hide_protected: bool = False) -> tuple[int, list[int]]:
    """How many entities there are (of one kind), and one page of their ids in order; with
    ``hide_protected`` the persons marked protected are neither counted nor listed."""
    query = select(entities.c.id)
    if kind is not None:
        query = query.where(entities.c.kind == kind)
    if hide_protected:
        query = query.where(entities.c.protected.is_(False))
    total = int(conn.scalar(select(func.count()).select_from(query.subquery())) or 0)
    ids = [int(i) for i in conn.scalars(query.order_by(entities.c.id).limit(limit)
                                        .offset(offset))]
    return total, ids


def protected_ids(conn: Connection, ids: Iterable[int] | None = None) -> set[int]:
    """The entities marked protected (among ``ids`` when given)."""
    query = select(entities.c.id).where(entities.c.protected.is_(True))
    if ids is not None:
        wanted = sorted(set(ids))
        if not wanted:
            return set()
        query = query.where(entities.c.id.in_(wanted))
    return {int(i) for i in conn.scalars(query)}
