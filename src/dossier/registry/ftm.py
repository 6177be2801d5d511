"""The registry as FollowTheMoney entities (JSON lines), the format of OpenSanctions and Aleph.

Entities:

- person → ``Person`` (``name``, ``alias`` for the other names, ``weakAlias`` for a kunya,
  ``birthDate``);
- unit and facility → ``Organization`` (``classification`` = the unit type, which tells a
  unit from a facility on the way back; ``idNumber`` = the unit's number; ``parent``);
- place → ``Address`` (``full``, ``alias``).

Claims become interval entities: ``holds_post`` → ``Employment`` (employee, employer, role),
``commands`` → ``Directorship``, ``member_of`` → ``Membership``, any other predicate →
``UnknownLink`` with the predicate as its role (a literal one — a rank, a nationality — has
no object and its value in ``description``). ``startDate``/``endDate`` carry an exact valid
time, ``date`` a "within" one. What FtM has no property for (precision, confidence, status,
sources with page and quote) travels in ``summary`` as JSON marked ``"dossier": 1``, so that
an export imports back unchanged; links from elsewhere without it are read as exact, proposed
claims whose source is the imported file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import suppress
from typing import Any, TextIO

from followthemoney import model
from followthemoney.exc import InvalidData

from dossier.registry.dates import DateError, bounds, date_part
from dossier.registry.importing import ClaimRow, EntityRow, SourceRow
from dossier.registry.vocabulary import predicates, unit_types

LINK_SCHEMATA = {"holds_post": ("Employment", "employee", "employer"),
                 "commands": ("Directorship", "director", "organization"),
                 "member_of": ("Membership", "member", "organization")}
READ_LINKS = {schema: (predicate, subject, target)
              for predicate, (schema, subject, target) in LINK_SCHEMATA.items()}
READ_LINKS["UnknownLink"] = ("", "subject", "object")
THING_KINDS = {"Person": "person", "Organization": "unit", "PublicBody": "unit",
               "Company": "unit", "LegalEntity": "unit", "Address": "place"}


def entity_to_ftm(row: EntityRow) -> dict[str, Any]:
    names = [n if isinstance(n, str) else n[0] for n in row.names]
    kunyas = [n[0] for n in row.names if not isinstance(n, str) and n[2] == "kunya"]
    aliases = [n for n in names if n not in kunyas]
    props: dict[str, list[str]]
    if row.kind == "person":
        props = {"name": [row.name], "alias": aliases, "weakAlias": kunyas}
        birth = row.attributes.get("birth_date") or row.attributes.get("birth_year")
        if birth:
            props["birthDate"] = [str(birth)]
    elif row.kind == "place":
        props = {"full": [row.name], "alias": names}
    else:
        props = {"name": [row.name], "alias": names}
        if row.unit_type:
            props["classification"] = [row.unit_type]
        if row.number:
            props["idNumber"] = [row.number]
        if row.parent:
            props["parent"] = [row.parent]
    schema = {"person": "Person", "place": "Address"}.get(row.kind, "Organization")
    proxy = model.get_proxy({"id": row.id, "schema": schema,
                             "properties": {k: v for k, v in props.items() if v}})
    return proxy.to_dict()


def claim_to_ftm(row: ClaimRow, number: int) -> dict[str, Any]:
    schema, subject, target = LINK_SCHEMATA.get(row.predicate,
                                                ("UnknownLink", "subject", "object"))
    props: dict[str, list[str]] = {subject: [row.subject]}
    if row.object:
        props[target] = [row.object]
    if schema == "UnknownLink":
        props["role"] = [row.predicate]
    elif row.role:
        props["role"] = [row.role]
    if row.value:
        props["description"] = [row.value]
    dates = [d for d in (row.valid_from, row.valid_to) if d]
    if row.precision == "exact":
        if row.valid_from:
            props["startDate"] = [row.valid_from]
        if row.valid_to:
            props["endDate"] = [row.valid_to]
    elif dates:
        props["date"] = list(dict.fromkeys(dates))
    props["summary"] = [json.dumps({
        "dossier": 1, "predicate": row.predicate, "role": row.role, "value": row.value,
        "valid_from": row.valid_from, "valid_to": row.valid_to, "precision": row.precision,
        "confidence": row.confidence, "status": row.status,
        "sources": [{"item": s.item_sha256, "page": s.page, "quote": s.quote,
                     "citation": s.citation} for s in row.sources]}, ensure_ascii=False)]
    citations = [s.citation for s in row.sources if s.citation]
    if citations:
        props["publisher"] = citations
    proxy = model.get_proxy({"id": f"claim-{number}", "schema": schema, "properties": props})
    return proxy.to_dict()


def write_ftm(stream: TextIO, entity_rows: Iterable[EntityRow],
              claim_rows: Iterable[ClaimRow]) -> int:
    count = 0
    for entity in entity_rows:
        stream.write(json.dumps(entity_to_ftm(entity), ensure_ascii=False) + "\n")
        count += 1
    for number, claim in enumerate(claim_rows, start=1):
        stream.write(json.dumps(claim_to_ftm(claim, number), ensure_ascii=False) + "\n")
        count += 1
    return count


class FtmRowError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def read_ftm(lines: Iterable[str]) -> tuple[list[EntityRow], list[ClaimRow],
                                             list[tuple[int, str, str]]]:
    """Entities, claims, and the problems of lines that could not be read (line, field, why)."""
    entity_rows: list[EntityRow] = []
    claim_rows: list[ClaimRow] = []
    problems: list[tuple[int, str, str]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise FtmRowError("line", "not a JSON object")
            if not data.get("id"):
                raise FtmRowError("id", "an entity needs an id")
            try:
                proxy = model.get_proxy(data)
            except InvalidData as exc:
                raise FtmRowError("schema", str(exc)) from exc
            if proxy.schema.name in READ_LINKS or proxy.schema.is_a("Interval"):
                claim_rows.append(_claim(number, proxy))
            else:
                entity_rows.append(_entity(number, proxy))
        except ValueError as exc:
            field = exc.field if isinstance(exc, FtmRowError) else "line"
            problems.append((number, field, str(exc) if field != "line"
                             else f"not valid JSON: {exc}"))
    return entity_rows, claim_rows, problems


def _entity(line: int, proxy: Any) -> EntityRow:
    schema = proxy.schema.name
    kind = next((k for s, k in THING_KINDS.items() if proxy.schema.is_a(s)), None)
    if kind is None:
        raise FtmRowError("schema", f"schema {schema} is not a person, organisation or address")
    name = proxy.first("full" if schema == "Address" else "name", quiet=True)
    name = name or proxy.caption
    if not name:
        raise FtmRowError("name", f"{schema} {proxy.id} has no name")
    unit_type = proxy.first("classification", quiet=True) if kind == "unit" else None
    if unit_type and unit_type in unit_types():
        kind = unit_types()[unit_type].kind
    names: list[Any] = [n for n in proxy.get("alias", quiet=True) if n != name]
    names += [(n, None, "kunya") for n in proxy.get("weakAlias", quiet=True)]
    birth = proxy.first("birthDate", quiet=True)
    if birth:
        # a date-time is cut to its date; "about 1950" is kept as written (screening reads
        # birth dates leniently)
        with suppress(DateError):
            birth = date_part(birth)
    attributes = {"birth_date": birth} if birth else {}
    return EntityRow(line, proxy.id, kind, name, names, unit_type,
                     proxy.first("idNumber", quiet=True) if kind != "person" else None,
                     proxy.first("parent", quiet=True) if kind != "person" else None,
                     attributes)


def _claim(line: int, proxy: Any) -> ClaimRow:
    summary = _dossier_summary(proxy.first("summary", quiet=True))
    predicate, subject_prop, target_prop = READ_LINKS.get(
        proxy.schema.name, ("", "subject", "object"))
    if proxy.schema.name not in READ_LINKS:  # another interval: a link of its edge
        edge = proxy.schema.edge_source, proxy.schema.edge_target
        if not all(edge):
            raise FtmRowError("schema", f"schema {proxy.schema.name} is not a link")
        subject_prop, target_prop = edge
    subject = proxy.first(subject_prop, quiet=True)
    if not subject:
        raise FtmRowError(subject_prop, f"{proxy.schema.name} {proxy.id} has no {subject_prop}")
    role = proxy.first("role", quiet=True)
    if summary is not None:
        predicate, role = summary["predicate"], summary.get("role")
    elif not predicate:
        predicate = role if role in predicates() else "member_of"
        role = None
    elif predicate == "commands":
        role = role or None
    if summary is not None:
        sources = [SourceRow(s.get("item"), s.get("page"), s.get("quote"), s.get("citation"))
                   for s in summary.get("sources", [])]
        return ClaimRow(line, subject, predicate, proxy.first(target_prop, quiet=True), role,
                        summary.get("value"), summary.get("valid_from"),
                        summary.get("valid_to"), summary.get("precision", "exact"),
                        float(summary.get("confidence", 1.0)),
                        summary.get("status", "proposed"), sources)
    start = _date(proxy, "startDate", proxy.first("startDate", quiet=True))
    end = _date(proxy, "endDate", proxy.first("endDate", quiet=True))
    dated = [day for value in proxy.get("date", quiet=True)
             if (day := _date(proxy, "date", value)) is not None]
    precision = "exact" if (start or end or not dated) else "within"
    if precision == "within":
        start = min(dated, key=lambda day: bounds(day)[0])
        end = max(dated, key=lambda day: bounds(day)[1])
    sources = [SourceRow(citation=c) for c in
               proxy.get("sourceUrl", quiet=True) + proxy.get("publisher", quiet=True)]
    return ClaimRow(line, subject, predicate, proxy.first(target_prop, quiet=True), role,
                    proxy.first("description", quiet=True), start, end, precision, 1.0,
                    "proposed", sources)


def _date(proxy: Any, prop: str, value: str | None) -> str | None:
    """The registry date of an FtM date property: a date-time is cut to its date."""
    if not value:
        return None
    try:
        return date_part(value)
    except DateError as exc:
        raise FtmRowError(prop, f"{proxy.schema.name} {proxy.id}: {prop} {exc}") from None


def _dossier_summary(text: str | None) -> dict[str, Any] | None:
    if not text or not text.startswith("{"):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) and data.get("dossier") == 1 else None
