"""Finding entities by name, in any script: name keys first, then scored name matching.

A person's name is looked up by its name key (an indexed equality); names that share words of
the key with it are then scored with `dossier.text.match_names`, whose features say why two
names were taken for the same. Units and facilities are looked up by their number when the
name has one ("الفرع ٢٥١", "Branch 251"), and otherwise by the name key of one of their names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from dossier.registry.entities import (
    UNIT_KINDS,
    Entity,
    entity_ids,
    get_entities,
    number_in,
    protected_ids,
)
from dossier.store.schema import entities, entity_names
from dossier.text import match_names, name_key

# Beyond this many names sharing a word with the query, only the closest are scored.
MAX_SCORED = 400


@dataclass(frozen=True)
class EntityMatch:
    """An entity found for a name: the name of it that matched best, the score and why."""

    entity_id: int
    kind: str
    name: str  # the entity's display name
    matched_name: str
    score: float
    decision: str  # same | unsure | different
    features: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"entity": self.entity_id, "kind": self.kind, "name": self.name,
                "matched_name": self.matched_name, "score": round(self.score, 4),
                "decision": self.decision, "features": self.features}


@dataclass(frozen=True)
class _Name:
    entity_id: int
    kind: str
    display: str
    name: str
    key: str
    number: str | None


class NameIndex:
    """The names of many entities in memory, for matching many mentions in one pass."""

    def __init__(self, rows: Iterable[_Name]) -> None:
        self.by_key: dict[str, list[_Name]] = defaultdict(list)
        self.by_token: dict[str, set[str]] = defaultdict(set)
        self.by_number: dict[tuple[str, str], set[int]] = defaultdict(set)
        self.display: dict[int, tuple[str, str]] = {}
        for row in rows:
            self.by_key[row.key].append(row)
            for token in row.key.split():
                if len(token) > 1:
                    self.by_token[token].add(row.key)
            self.display[row.entity_id] = (row.kind, row.display)
            numbers = {row.number, number_in(row.name)} - {None}
            for number in numbers:
                assert number is not None
                self.by_number[(row.kind, number)].add(row.entity_id)

    @staticmethod
    def load(conn: Connection, kinds: Iterable[str] | None = None) -> NameIndex:
        query = (select(entity_names.c.entity_id, entities.c.kind, entities.c.name.label("display"),
                        entity_names.c.name, entity_names.c.key, entities.c.number)
                 .join(entities, entities.c.id == entity_names.c.entity_id))
        if kinds is not None:
            query = query.where(entities.c.kind.in_(list(kinds)))
        return NameIndex(_Name(*row) for row in conn.execute(query))

    def find(self, text: str, kind: str | None = None, *, number: str | None = None,
             limit: int = 10) -> list[EntityMatch]:
        """Entities whose names match ``text``, best first (decision same or unsure)."""
        if kind in UNIT_KINDS or (kind is None and number_in(text)):
            found = self._find_unit(text, kind, number or number_in(text))
            if kind is not None or found:
                return found[:limit]
        return self._find_person(text, kind)[:limit]

    def _find_unit(self, text: str, kind: str | None, number: str | None) -> list[EntityMatch]:
        kinds = [kind] if kind else list(UNIT_KINDS)
        key = name_key(text)
        if number:
            ids = {entity_id for k in kinds for entity_id in self.by_number.get((k, number), ())}
            # the words around the number ("Branch", "الفرع", "Hospital") tell a branch from a
            # hospital with the same number; an exact key agreement makes it certain
            exact = {row.entity_id for row in self.by_key.get(key, ()) if row.entity_id in ids}
            chosen = exact or ids
            decision = "same" if len(chosen) == 1 else "unsure"
            return sorted((self._match(entity_id, text, 0.95 if entity_id in exact else 0.9,
                                       decision, [{"name": "unit_number", "weight": 0.0,
                                                   "detail": f"number {number}"}])
                           for entity_id in chosen), key=lambda m: (-m.score, m.entity_id))
        rows = [row for row in self.by_key.get(key, ()) if key and row.kind in kinds
                and not number_in(row.name)]
        ids = {row.entity_id for row in rows}
        decision = "same" if len(ids) == 1 else "unsure"
        return sorted((self._match(row.entity_id, row.name, 1.0, decision,
                                   [{"name": "name_key_equal", "weight": 0.0,
                                     "detail": f"{text} and {row.name} have the key {key}"}])
                       for row in {row.entity_id: row for row in rows}.values()),
                      key=lambda m: m.entity_id)

    def _find_person(self, text: str, kind: str | None) -> list[EntityMatch]:
        key = name_key(text)
        if not key:
            return []
        keys = {key} if key in self.by_key else set()
        keys |= self._sharing(key)
        best: dict[int, EntityMatch] = {}
        for candidate_key in keys:
            for row in self.by_key[candidate_key]:
                if kind is not None and row.kind != kind:
                    continue
                if kind is None and row.kind in UNIT_KINDS:
                    continue
                if row.entity_id in best and best[row.entity_id].score >= 0.999:
                    continue
                result = match_names(text, row.name)
                if result.decision == "different":
                    continue
                current = best.get(row.entity_id)
                if current is None or result.score > current.score:
                    best[row.entity_id] = EntityMatch(
                        row.entity_id, row.kind, row.display, row.name, result.score,
                        result.decision, list(result.as_dict()["features"]))
        return sorted(best.values(), key=lambda m: (-m.score, m.entity_id))

    def _sharing(self, key: str) -> set[str]:
        """Keys that share the words of ``key`` (an initial agrees with any word it begins)."""
        tokens = key.split()
        long_tokens = [t for t in tokens if len(t) > 1]
        if not long_tokens:
            return set()
        postings = sorted((self.by_token.get(t, set()) for t in long_tokens), key=len)
        needed = min(2, len(tokens))
        counted: list[tuple[int, str]] = []
        for candidate in postings[0] | (postings[1] if len(postings) > 1 else set()):
            words = candidate.split()
            shared = sum(1 for t in tokens if t in words or (len(t) == 1 and any(
                w.startswith(t) for w in words)))
            if shared >= needed:
                counted.append((shared, candidate))
        counted.sort(key=lambda pair: (-pair[0], pair[1]))
        return {candidate for _, candidate in counted[:MAX_SCORED]}

    def _match(self, entity_id: int, matched: str, score: float, decision: str,
               features: list[dict[str, Any]]) -> EntityMatch:
        kind, display = self.display[entity_id]
        return EntityMatch(entity_id, kind, display, matched, score, decision, features)


def find_entities(conn: Connection, name: str, kind: str | None = None, *,
                  limit: int = 10) -> list[EntityMatch]:
    """Entities that ``name`` may designate, best first, each with its score and features.

    Reads only the names that can match: the same name key, the same number for a unit, or
    (for a person) a key sharing its words; then scores them as :class:`NameIndex` does.
    """
    key = name_key(name)
    number = number_in(name)
    long_tokens = [t for t in key.split() if len(t) > 1]
    person = kind not in UNIT_KINDS and bool(long_tokens)
    found = _find_where(conn, name, kind, number, limit,
                        and_(*(_has_word(t) for t in long_tokens)) if person else None)
    if not found and person and len(long_tokens) > 1:
        # no name has all the words: try names with any of them (a misspelt family name)
        found = _find_where(conn, name, kind, number, limit,
                            or_(*(_has_word(t) for t in long_tokens)))
    return found


def _find_where(conn: Connection, name: str, kind: str | None, number: str | None, limit: int,
                words: Any) -> list[EntityMatch]:
    key = name_key(name)
    conditions = [entity_names.c.key == key] if key else []
    if number:
        conditions.append(entities.c.number == number)
    if words is not None:
        conditions.append(words)
    if not conditions:
        return []
    query = (select(entity_names.c.entity_id, entities.c.kind, entities.c.name.label("display"),
                    entity_names.c.name, entity_names.c.key, entities.c.number)
             .join(entities, entities.c.id == entity_names.c.entity_id)
             .where(or_(*conditions)).order_by(entity_names.c.id).limit(20_000))
    if kind is not None:
        query = query.where(entities.c.kind == kind)
    index = NameIndex(_Name(*row) for row in conn.execute(query))
    return index.find(name, kind, number=number, limit=limit)


def _has_word(token: str) -> Any:
    key = entity_names.c.key
    return or_(key == token, key.like(f"{token} %"), key.like(f"% {token}"),
               key.like(f"% {token} %"))


class EntityReferenceError(LookupError):
    """A name or id that designates no entity, or several: the message lists the candidates."""

    def __init__(self, message: str, candidates: list[EntityMatch] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


def entity_by_reference(conn: Connection, reference: str, kind: str | None = None) -> int:
    """The entity that an id ("#12", or "12") or a name designates.

    For units a bare number is the unit's number ("251": Branch 251); write "#251" for the
    entity id. EntityReferenceError when none or several entities fit, listing them.
    """
    text = reference.strip()
    bare = text.lstrip("#")
    if bare.isdigit() and (text.startswith("#") or kind not in UNIT_KINDS):
        query = select(entities.c.id, entities.c.kind).where(entities.c.id == int(bare))
        row = conn.execute(query).first()
        if row is not None and (kind is None or row.kind == kind):
            return int(row.id)
        if text.startswith("#") or kind is None:
            raise EntityReferenceError(f"no {kind or 'entity'} with id {bare}")
    matches = find_entities(conn, text, kind)
    found = [m for m in matches if m.decision == "same"]
    if not found:
        maybe = [m for m in matches if m.decision == "unsure"]
        if maybe:  # two units of one number, or a name that is only close: say which
            listing = "; ".join(f"#{m.entity_id} {m.name} ({m.score:.2f})" for m in maybe[:10])
            raise EntityReferenceError(f"{text!r} is not certain: it may be {listing}; give "
                                       "the id (#N)", maybe)
        raise EntityReferenceError(f"no {kind or 'entity'} named {text!r} in the registry")
    best = [m for m in found if m.score >= found[0].score - 0.05]
    if len({m.entity_id for m in best}) > 1:
        listing = "; ".join(f"#{m.entity_id} {m.name} ({m.score:.2f})" for m in best[:10])
        raise EntityReferenceError(f"{text!r} is ambiguous: {listing}; give the id (#N)", best)
    return found[0].entity_id


def unit_by_reference(conn: Connection, reference: str) -> int:
    """A unit, or else a facility (a prison has a director too): what `command who` asks of."""
    try:
        return entity_by_reference(conn, reference, "unit")
    except EntityReferenceError as unit_error:
        try:
            return entity_by_reference(conn, reference, "facility")
        except EntityReferenceError as facility_error:
            if facility_error.candidates and not unit_error.candidates:
                raise
            if unit_error.candidates:  # an ambiguous unit: its candidates are the answer
                raise unit_error from None
            raise EntityReferenceError(f"{unit_error}; {facility_error}") from None


# Finding by name reads at most this many matches, for one list of results to page through.
MAX_FOUND = 200


@dataclass
class EntityListing:
    """One page of entities (of one kind), or of those a name may designate (best first, each
    with its match), and how many there are in all."""

    total: int
    entities: list[Entity]
    matches: dict[int, EntityMatch] = field(default_factory=dict)

    def as_dicts(self) -> list[dict[str, Any]]:
        return [{**entity.as_dict(), **({"score": round(self.matches[entity.id].score, 3)}
                                        if entity.id in self.matches else {})}
                for entity in self.entities]


def browse_entities(conn: Connection, *, q: str | None = None, kind: str | None = None,
                    limit: int = 20, offset: int = 0, hide_protected: bool = False
                    ) -> EntityListing:
    """The registry as a list: entities in order of id, or (with ``q``) those the name may
    designate, best first (the first ``MAX_FOUND``). With ``hide_protected`` persons marked
    protected are neither listed nor counted."""
    if not q:
        total, ids = entity_ids(conn, kind, limit, offset, hide_protected=hide_protected)
        found = get_entities(conn, ids)
        return EntityListing(total, [found[i] for i in ids if i in found])
    best: dict[int, EntityMatch] = {}
    for match in find_entities(conn, q, kind, limit=MAX_FOUND):
        best.setdefault(match.entity_id, match)  # the first is the best
    matches = list(best.values())
    if hide_protected:
        hidden = protected_ids(conn, [m.entity_id for m in matches])
        matches = [m for m in matches if m.entity_id not in hidden]
    shown = matches[offset:offset + limit]
    found = get_entities(conn, [m.entity_id for m in shown])
    return EntityListing(len(matches), [found[m.entity_id] for m in shown
                                        if m.entity_id in found],
                         {m.entity_id: m for m in shown})
