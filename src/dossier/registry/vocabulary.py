"""The registry's vocabulary as data: predicates of claims and unit types (`registry/data/`).

The YAML files are read and validated once, on first use; a malformed file is an error at
start, naming the file and the entry, never a surprise halfway through an import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from dossier.yamlfile import read_yaml

ENTITY_KINDS = ("person", "unit", "facility", "place")


class VocabularyError(ValueError):
    """A vocabulary file that does not say what the registry needs."""


@dataclass(frozen=True)
class Role:
    name: str
    command: bool
    description: str


@dataclass(frozen=True)
class Predicate:
    name: str
    description: str
    subject_kinds: tuple[str, ...]
    object_kinds: tuple[str, ...]  # empty for a literal predicate
    literal: bool
    roles: dict[str, Role] = field(default_factory=dict)


@dataclass(frozen=True)
class UnitType:
    name: str
    kind: str  # unit | facility
    level: int
    description: str


def _load(name: str) -> dict[str, Any]:
    text = resources.files("dossier.registry").joinpath("data", name).read_text("utf-8")
    data = read_yaml(f"registry/data/{name}", text, VocabularyError)
    if not isinstance(data, dict):
        raise VocabularyError(f"registry/data/{name}: expected a mapping of entries")
    return data


def _kinds(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise VocabularyError(f"{where}: expected a non-empty list of entity kinds")
    unknown = [kind for kind in value if kind not in ENTITY_KINDS]
    if unknown:
        raise VocabularyError(f"{where}: unknown entity kind(s) {unknown}; "
                              f"one of {', '.join(ENTITY_KINDS)}")
    return tuple(value)


@cache
def predicates() -> dict[str, Predicate]:
    """Every predicate of `predicates.yaml`, by name."""
    found: dict[str, Predicate] = {}
    for name, entry in _load("predicates.yaml").items():
        where = f"registry/data/predicates.yaml: {name}"
        if not isinstance(entry, dict) or not entry.get("description"):
            raise VocabularyError(f"{where}: needs a description")
        subject = _kinds(f"{where}.subject", entry.get("subject"))
        target = entry.get("object")
        if target == "literal":
            objects: tuple[str, ...] = ()
        elif isinstance(target, dict):
            objects = _kinds(f"{where}.object.kinds", target.get("kinds"))
        else:
            raise VocabularyError(f"{where}.object: `literal` or {{kinds: [...]}}")
        roles = {
            role: Role(role, bool(spec.get("command")), str(spec.get("description", "")))
            for role, spec in (entry.get("roles") or {}).items()
        }
        found[name] = Predicate(name, entry["description"], subject, objects,
                                target == "literal", roles)
    return found


@cache
def unit_types() -> dict[str, UnitType]:
    """Every unit type of `unit_types.yaml`, by name."""
    found: dict[str, UnitType] = {}
    for name, entry in _load("unit_types.yaml").items():
        where = f"registry/data/unit_types.yaml: {name}"
        if not isinstance(entry, dict) or entry.get("kind") not in ("unit", "facility"):
            raise VocabularyError(f"{where}: kind must be unit or facility")
        if not isinstance(entry.get("level"), int):
            raise VocabularyError(f"{where}: level must be a whole number")
        found[name] = UnitType(name, entry["kind"], entry["level"],
                               str(entry.get("description", "")))
    return found


def predicate(name: str) -> Predicate:
    """The predicate called ``name``; VocabularyError names the known ones otherwise."""
    known = predicates()
    if name not in known:
        raise VocabularyError(f"unknown predicate {name!r}; one of {', '.join(known)}")
    return known[name]


def command_roles() -> tuple[str, ...]:
    """The roles of holds_post that are command posts (head, deputy), most senior first."""
    return tuple(role.name for role in predicates()["holds_post"].roles.values() if role.command)


def role_order(role: str | None) -> int:
    """Seniority of a role for sorting: the order of `predicates.yaml`, unknown roles last."""
    roles = list(predicates()["holds_post"].roles)
    return roles.index(role) if role in roles else len(roles)
