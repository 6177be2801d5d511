"""A case: suspects (registry persons), charges (offence + mode of liability), and evidence
linked to the legal elements of each charge.

Evidence is an item with its anchor (a page and a quote, or a region of an image), whether it
supports or contradicts the element, and the investigator's assessment. What makes an element
proven is evidence from independent sources, so every piece of evidence carries the key of
its source: the one the investigator gave, or else the one derived from the item (see
:func:`load_case`). Everything is validated on the way in, with errors that say what would
have been valid, because a case file is read by people who were not there when it was built.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from dossier.cases.frameworks import FrameworkError, charge_elements, frameworks
from dossier.custody.log import default_actor
from dossier.registry.lookup import EntityReferenceError, entity_by_reference, find_entities
from dossier.store.schema import (
    acquisitions,
    case_charges,
    case_evidence,
    case_suspects,
    cases,
    collections,
    entities,
    entity_names,
    items,
    pages,
)
from dossier.text import match_names
from dossier.text.normalize import normalize
from dossier.workspace import utc_iso, utcnow

__all__ = [
    "STANCES", "CaseError", "CaseFile", "CaseSummary", "Charge", "Evidence", "Suspect",
    "add_charge", "add_evidence", "add_suspect", "create_case", "list_cases", "load_case",
    "parse_region",
]

STANCES = ("supports", "contradicts")
CASE_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


class CaseError(ValueError):
    """A case, suspect, charge or piece of evidence that cannot be recorded or found as asked."""


class _AsDict:
    def as_dict(self) -> dict[str, Any]:
        """The record for JSON (nested records too)."""
        return asdict(self)  # type: ignore[call-overload, no-any-return]


@dataclass(frozen=True)
class Suspect(_AsDict):
    id: int
    entity_id: int
    name: str
    names: tuple[str, ...]
    protected: bool
    note: str | None


@dataclass(frozen=True)
class Charge(_AsDict):
    id: int
    suspect_id: int
    framework: str
    offence: str
    mode: str
    title: str
    note: str | None


@dataclass(frozen=True)
class Evidence(_AsDict):
    id: int
    charge_id: int
    element: str
    item_id: int
    item_sha256: str
    item_path: str
    page_number: int | None
    quote: str | None
    region: dict[str, int] | None
    stance: str  # supports | contradicts
    source: str  # the independence key actually used (explicit or derived)
    assessment: str | None
    author: str
    created_at: str
    # whether the quote is in the text of its page (see `quote_in_text`); None: no quote, no
    # text to check it in, or evidence added before quotes were checked
    quote_found: bool | None = None


@dataclass(frozen=True)
class CaseFile(_AsDict):
    id: int
    ref: str
    title: str
    description: str | None
    status: str
    created_by: str
    created_at: str
    suspects: tuple[Suspect, ...]
    charges: tuple[Charge, ...]
    evidence: tuple[Evidence, ...]

    def suspect(self, suspect_id: int) -> Suspect:
        return next(s for s in self.suspects if s.id == suspect_id)


@dataclass(frozen=True)
class CaseSummary(_AsDict):
    """One line of `case list`: how far the case is, gaps being elements with no evidence."""

    ref: str
    title: str
    status: str
    suspects: int
    charges: int
    evidence: int
    gaps: int


# -- writing ----------------------------------------------------------------------------------

def create_case(engine: Engine, ref: str, title: str, description: str | None = None,
                author: str | None = None) -> int:
    """Open a case under ``ref``, the short name a user types ("koblenz-251")."""
    ref, title = ref.strip(), title.strip()
    if not CASE_REF.fullmatch(ref):
        raise CaseError(f"case reference {ref!r}: use letters, digits, '.', '_' or '-' "
                        "(at most 100, starting with a letter or digit)")
    if not title:
        raise CaseError("a case needs a title")
    with engine.begin() as conn:
        if conn.scalar(select(cases.c.id).where(cases.c.ref == ref)) is not None:
            raise CaseError(f"case {ref!r} exists already")
        return _insert(conn, cases, ref=ref, title=title, description=_clean(description),
                       status="open", created_by=author or default_actor(), created_at=utcnow())


def add_suspect(engine: Engine, case_ref: str, person: str | int, note: str | None = None,
                author: str | None = None) -> Suspect:
    """Name a registry person (entity id, "#id", or a name) as a suspect; adding one twice
    returns the suspect already there."""
    with engine.begin() as conn:
        case_id = _case_id(conn, case_ref)
        entity_id = _person(conn, person)
        existing = conn.scalar(select(case_suspects.c.id).where(
            case_suspects.c.case_id == case_id, case_suspects.c.entity_id == entity_id))
        if existing is None:
            existing = _insert(conn, case_suspects, case_id=case_id, entity_id=entity_id,
                               note=_clean(note), added_by=author or default_actor(),
                               added_at=utcnow())
        return _suspects(conn, case_id, only=int(existing))[0]


def add_charge(engine: Engine, case_ref: str, suspect: str | int, framework: str, offence: str,
               mode: str, note: str | None = None, author: str | None = None) -> Charge:
    """Charge a suspect of the case (entity id or name) with an offence under a mode of
    liability of one framework; the same charge twice is one charge."""
    try:
        charge_elements(framework, offence, mode)
    except FrameworkError as exc:
        raise CaseError(str(exc)) from exc
    with engine.begin() as conn:
        case_id = _case_id(conn, case_ref)
        suspect_id = _suspect_of_case(conn, case_ref, case_id, suspect)
        key = (case_charges.c.suspect_id == suspect_id, case_charges.c.framework == framework,
               case_charges.c.offence == offence, case_charges.c.mode == mode)
        charge_id = conn.scalar(select(case_charges.c.id).where(*key))
        if charge_id is None:
            charge_id = _insert(conn, case_charges, case_id=case_id, suspect_id=suspect_id,
                                framework=framework, offence=offence, mode=mode,
                                note=_clean(note), added_by=author or default_actor(),
                                added_at=utcnow())
        return next(c for c in _charges(conn, case_id) if c.id == charge_id)


def add_evidence(engine: Engine, case_ref: str, charge_id: int, element: str, item_id: int, *,
                 page: int | None = None, quote: str | None = None,
                 region: Mapping[str, int] | str | None = None, stance: str = "supports",
                 source: str | None = None, assessment: str | None = None,
                 author: str | None = None) -> Evidence:
    """Link an item (with its anchor) to one element of one charge of the case.

    The same link twice (charge, element, item, page, quote, stance) is recorded once.
    ``source`` names who or what the evidence comes from when the item does not say it (a
    witness, an organisation); without it the source is derived from the item.
    """
    if stance not in STANCES:
        raise CaseError(f"stance {stance!r}: one of {', '.join(STANCES)}")
    box = parse_region(region) if region is not None else None
    quote, source = _clean(quote), _clean(source)
    with engine.begin() as conn:
        case_id = _case_id(conn, case_ref)
        charge = next((c for c in _charges(conn, case_id) if c.id == charge_id), None)
        if charge is None:
            known = ", ".join(str(c.id) for c in _charges(conn, case_id)) or "none yet"
            raise CaseError(f"case {case_ref!r} has no charge {charge_id} (its charges: {known})")
        valid = [e.id for e in charge_elements(charge.framework, charge.offence, charge.mode)]
        if element not in valid:
            raise CaseError(f"element {element!r} is not an element of charge {charge_id} "
                            f"({charge.title}); its elements: {', '.join(valid)}")
        _check_anchor(conn, item_id, page)
        found = quote_in_text(conn, item_id, page, quote)
        same = (case_evidence.c.charge_id == charge_id, case_evidence.c.element == element,
                case_evidence.c.item_id == item_id, case_evidence.c.stance == stance,
                _is(case_evidence.c.page_number, page), _is(case_evidence.c.quote, quote))
        held = conn.execute(select(case_evidence.c.id, case_evidence.c.quote_found)
                            .where(*same)).first()
        evidence_id = held.id if held is not None else None
        if held is not None and held.quote_found != found:
            # checked again: linked before quotes were checked, or the page read again since
            conn.execute(update(case_evidence).where(case_evidence.c.id == held.id)
                         .values(quote_found=found))
        if evidence_id is None:
            evidence_id = _insert(
                conn, case_evidence, case_id=case_id, charge_id=charge_id, element=element,
                item_id=item_id, page_number=page, quote=quote, quote_found=found,
                region=json.dumps(box) if box else None, stance=stance, source=source,
                assessment=_clean(assessment), author=author or default_actor(),
                created_at=utcnow())
        return next(e for e in _evidence(conn, case_id) if e.id == evidence_id)


def parse_region(region: Mapping[str, int] | str) -> dict[str, int]:
    """A region of a page image in pixels, from "x,y,w,h" or a mapping with x, y, width,
    height."""
    if isinstance(region, str):
        parts = [p.strip() for p in region.split(",")]
        if len(parts) != 4 or not all(p.isdigit() for p in parts):
            raise CaseError(f"region {region!r}: write x,y,width,height in whole pixels "
                            "(e.g. 120,340,600,80)")
        x, y, width, height = (int(p) for p in parts)
    else:
        try:
            x, y, width, height = (int(region[k]) for k in ("x", "y", "width", "height"))
        except (KeyError, TypeError, ValueError) as exc:
            raise CaseError(f"region {dict(region)!r}: needs whole numbers x, y, width and "
                            "height") from exc
    if min(x, y) < 0 or min(width, height) <= 0:
        raise CaseError(f"region {x},{y},{width},{height}: x and y must be ≥ 0, width and "
                        "height > 0")
    return {"x": x, "y": y, "width": width, "height": height}


# -- reading ----------------------------------------------------------------------------------

def load_case(conn_or_engine: Connection | Engine, ref: str) -> CaseFile:
    """The whole case in a fixed number of queries, whatever its size.

    The source of a piece of evidence is the source of its document: the one the investigator
    gave when linking it (anywhere in the case), or else the item's acquisition (from whom it
    was acquired, or the collection's name). Copies are not independent of each other: items
    with the same bytes (sha256) or in one near-duplicate group are one document, and
    documents that share a source are one source; such a merged source is named by its names
    joined with " = ".
    """
    if isinstance(conn_or_engine, Engine):
        with conn_or_engine.connect() as conn:
            return load_case(conn, ref)
    conn = conn_or_engine
    case_id = _case_id(conn, ref)
    row = conn.execute(select(cases).where(cases.c.id == case_id)).one()
    return CaseFile(row.id, row.ref, row.title, row.description, row.status, row.created_by,
                    utc_iso(row.created_at), tuple(_suspects(conn, case_id)),
                    tuple(_charges(conn, case_id)), tuple(_evidence(conn, case_id)))


def list_cases(engine: Engine, *, hide_protected: bool = False) -> list[CaseSummary]:
    """Every case with its counts, by reference (four queries whatever the number).

    With ``hide_protected`` the suspects who are protected persons are left out of the counts,
    and so are their charges, the evidence linked to those and their gaps: a user who may not
    see protected persons must not learn from a count that one is a suspect."""
    with engine.connect() as conn:
        rows = conn.execute(select(cases).order_by(cases.c.ref)).all()
        suspect_rows = conn.execute(
            select(case_suspects.c.id, case_suspects.c.case_id, entities.c.protected)
            .join(entities, entities.c.id == case_suspects.c.entity_id)).all()
        charges = conn.execute(select(case_charges.c.id, case_charges.c.case_id,
                                      case_charges.c.suspect_id, case_charges.c.framework,
                                      case_charges.c.offence, case_charges.c.mode)).all()
        linked = conn.execute(select(case_evidence.c.case_id, case_evidence.c.charge_id,
                                     case_evidence.c.element, func.count())
                              .group_by(case_evidence.c.case_id, case_evidence.c.charge_id,
                                        case_evidence.c.element)).all()
    hidden = {row.id for row in suspect_rows if hide_protected and row.protected}
    suspects: dict[int, int] = {}
    for row in suspect_rows:
        if row.id not in hidden:
            suspects[row.case_id] = suspects.get(row.case_id, 0) + 1
    charges = [charge for charge in charges if charge.suspect_id not in hidden]
    shown = {charge.id for charge in charges}
    evidence: dict[int, int] = {}
    covered = set()
    for case_id, charge_id, element, count in linked:
        if charge_id in shown:
            evidence[case_id] = evidence.get(case_id, 0) + int(count)
            covered.add((charge_id, element))
    gaps: dict[int, int] = {}
    charge_count: dict[int, int] = {}
    for charge in charges:
        charge_count[charge.case_id] = charge_count.get(charge.case_id, 0) + 1
        missing = sum(1 for element in _elements_or_none(charge)
                      if (charge.id, element.id) not in covered)
        gaps[charge.case_id] = gaps.get(charge.case_id, 0) + missing
    return [CaseSummary(r.ref, r.title, r.status, suspects.get(r.id, 0),
                        charge_count.get(r.id, 0), evidence.get(r.id, 0), gaps.get(r.id, 0))
            for r in rows]


# -- inside -----------------------------------------------------------------------------------

def _case_id(conn: Connection, ref: str) -> int:
    case_id = conn.scalar(select(cases.c.id).where(cases.c.ref == ref.strip()))
    if case_id is None:
        known = list(conn.scalars(select(cases.c.ref).order_by(cases.c.ref).limit(21)))
        listing = ", ".join(known[:20]) + (", …" if len(known) > 20 else "")
        raise CaseError(f"no case {ref!r}" + (f"; the cases are: {listing}" if known else
                                              "; create it with `dossier case create`"))
    return int(case_id)


def _person(conn: Connection, person: str | int) -> int:
    """The registry person that an id ("12", "#12") or a name designates."""
    text = str(person).strip()
    if text.lstrip("#").isdigit():
        entity_id = int(text.lstrip("#"))
        row = conn.execute(select(entities.c.kind, entities.c.name)
                           .where(entities.c.id == entity_id)).first()
        if row is None:
            raise CaseError(f"no entity #{entity_id} in the registry")
        if row.kind != "person":
            raise CaseError(f"#{entity_id} {row.name} is a {row.kind}, not a person: a suspect "
                            "is a registry person")
        return entity_id
    try:
        return entity_by_reference(conn, text, "person")
    except EntityReferenceError as exc:
        if not exc.candidates:  # a unit or a place of that name says more than "no person"
            other = [m for m in find_entities(conn, text) if m.decision == "same"
                     and m.kind != "person"]
            if other:
                raise CaseError(f"{text!r} is the {other[0].kind} #{other[0].entity_id} "
                                f"{other[0].name}, not a person: a suspect is a registry "
                                "person") from exc
        raise CaseError(str(exc)) from exc


def _suspect_of_case(conn: Connection, case_ref: str, case_id: int, suspect: str | int) -> int:
    """The case_suspects row for an entity id ("12", "#12") or a name among the suspects."""
    known = _suspects(conn, case_id)
    listing = "; ".join(f"#{s.entity_id} {s.name}" for s in known) or "none yet"
    text = str(suspect).strip()
    if text.lstrip("#").isdigit():
        found = [s for s in known if s.entity_id == int(text.lstrip("#"))]
    else:
        scored = [(max(match_names(text, name).score for name in s.names), s) for s in known]
        same = [(score, s) for score, s in scored
                if any(match_names(text, name).decision == "same" for name in s.names)]
        same.sort(key=lambda pair: -pair[0])
        found = [s for score, s in same if score >= same[0][0] - 0.05] if same else []
        if len(found) > 1:
            raise CaseError(f"{text!r} may be any of the suspects "
                            f"{'; '.join(f'#{s.entity_id} {s.name}' for s in found)}: "
                            "give the id (#N)")
    if not found:
        raise CaseError(f"{text!r} is not a suspect of case {case_ref!r} (its suspects: "
                        f"{listing}); add one with `dossier case suspect`")
    return found[0].id


def _check_anchor(conn: Connection, item_id: int, page: int | None) -> None:
    row = conn.execute(select(items.c.page_count, items.c.path)
                       .where(items.c.id == item_id)).first()
    if row is None:
        raise CaseError(f"no item {item_id} in the workspace")
    if page is None:
        return
    numbered = conn.scalar(select(func.max(pages.c.number)).where(pages.c.item_id == item_id))
    count = max(row.page_count or 0, numbered or 0)
    if not 1 <= page <= count:
        held = f"has {count} page{'s' if count != 1 else ''}" if count else "has no pages"
        raise CaseError(f"page {page} is out of range: item {item_id} ({row.path}) {held}")


def quote_in_text(conn: Connection, item_id: int, page: int | None, quote: str | None
                  ) -> bool | None:
    """Whether ``quote`` is written in the text of page ``page`` of the item (of any of its
    pages when ``page`` is None), compared as search compares text (`normalize`: alef forms,
    digits of either script, case and accents alike) and with every space and line break left
    out, so that a quote running over two lines is found. None when there is no quote or no
    text to look in (an image nobody has read)."""
    if quote is None:
        return None
    query = select(pages.c.text).where(pages.c.item_id == item_id)
    if page is not None:
        query = query.where(pages.c.number == page)
    texts = [text for text in conn.scalars(query) if text and text.strip()]
    if not texts:
        return None
    wanted = _squeezed(quote)
    return any(wanted in _squeezed(text) for text in texts)


def _squeezed(text: str) -> str:
    # `normalize` drops the invisible direction marks of PDF text layers; then every space
    return "".join(normalize(text).split())


def _insert(conn: Connection, table: Any, **values: Any) -> int:
    result = conn.execute(insert(table).values(**values))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def _is(column: Any, value: object) -> Any:
    return column.is_(None) if value is None else column == value


def _suspects(conn: Connection, case_id: int, only: int | None = None) -> list[Suspect]:
    query = (select(case_suspects.c.id, case_suspects.c.entity_id, case_suspects.c.note,
                    entities.c.name, entities.c.protected)
             .join(entities, entities.c.id == case_suspects.c.entity_id)
             .where(case_suspects.c.case_id == case_id).order_by(case_suspects.c.id))
    if only is not None:
        query = query.where(case_suspects.c.id == only)
    rows = conn.execute(query).all()
    names: dict[int, list[str]] = {}
    for entity_id, name in conn.execute(
            select(entity_names.c.entity_id, entity_names.c.name)
            .where(entity_names.c.entity_id.in_([r.entity_id for r in rows]))
            .order_by(entity_names.c.id)):
        names.setdefault(entity_id, []).append(name)
    return [Suspect(r.id, r.entity_id, r.name,
                    tuple(dict.fromkeys([r.name, *names.get(r.entity_id, ())])),
                    bool(r.protected), r.note) for r in rows]


def _charges(conn: Connection, case_id: int) -> list[Charge]:
    rows = conn.execute(select(case_charges).where(case_charges.c.case_id == case_id)
                        .order_by(case_charges.c.id))
    return [Charge(r.id, r.suspect_id, r.framework, r.offence, r.mode,
                   _title(r.framework, r.offence, r.mode), r.note) for r in rows]


def _title(framework: str, offence: str, mode: str) -> str:
    """"Crime against humanity of torture — Responsibility of military commanders", or the
    bare ids where the framework files no longer know them."""
    known = frameworks().get(framework)
    if known is None or offence not in known.offences or mode not in known.modes:
        return f"{framework} {offence} / {mode}"
    return f"{known.offences[offence].title} — {known.modes[mode].title}"


def _elements_or_none(charge: Any) -> tuple[Any, ...]:
    try:
        return charge_elements(charge.framework, charge.offence, charge.mode)
    except FrameworkError:
        return ()


def _evidence(conn: Connection, case_id: int) -> list[Evidence]:
    rows = conn.execute(
        select(case_evidence, items.c.sha256, items.c.path, items.c.near_dup_group,
               acquisitions.c.acquired_from, collections.c.name.label("collection"))
        .join(items, items.c.id == case_evidence.c.item_id)
        .join(acquisitions, acquisitions.c.id == items.c.acquisition_id)
        .join(collections, collections.c.id == items.c.collection_id)
        .where(case_evidence.c.case_id == case_id).order_by(case_evidence.c.id)).all()
    sources = _independent_sources(rows)
    return [Evidence(r.id, r.charge_id, r.element, r.item_id, r.sha256, r.path, r.page_number,
                     r.quote, json.loads(r.region) if r.region else None, r.stance,
                     sources[r.id], r.assessment, r.author, utc_iso(r.created_at),
                     r.quote_found)
            for r in rows]


def _independent_sources(rows: Sequence[Any]) -> dict[int, str]:
    """Evidence id → the name of its source (see :func:`load_case`), by union-find: copies of
    one document (same bytes, one near-duplicate group) are one document; a document's sources
    are those the investigator gave for it on any link, or else its acquisition's; documents
    that share a source are one source."""
    parent: dict[Any, Any] = {}

    def root(node: Any) -> Any:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def join(a: Any, b: Any) -> None:
        parent[root(a)] = root(b)

    given: dict[int, set[str]] = defaultdict(set)
    derived: dict[int, str] = {}
    for row in rows:
        if row.item_id not in derived:  # each document once, however often it is linked
            derived[row.item_id] = (row.acquired_from or "").strip() or row.collection
            join(("sha256", row.sha256), ("item", row.item_id))
            if row.near_dup_group is not None:
                join(("near", row.near_dup_group), ("item", row.item_id))
        if row.source:
            given[row.item_id].add(row.source)
    documents: dict[Any, set[str]] = defaultdict(set)
    explicit: dict[Any, set[str]] = defaultdict(set)
    for item_id, name in derived.items():
        document = root(("item", item_id))
        documents[document].add(name)
        explicit[document] |= given.get(item_id, set())
    labels = {document: explicit.get(document) or names for document, names in documents.items()}
    for document, names in labels.items():
        for name in names:
            join(("source", name), document)
    merged: dict[Any, set[str]] = defaultdict(set)
    for document, names in labels.items():
        merged[root(document)] |= names
    named = {key: " = ".join(sorted(names)) for key, names in merged.items()}
    by_item = {item_id: named[root(("item", item_id))] for item_id in derived}
    return {row.id: by_item[row.item_id] for row in rows}
