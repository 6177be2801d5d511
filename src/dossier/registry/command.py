"""Command: who held the posts of a unit on a date, and the chain of command above a person.

Claims of ``holds_post`` are read with their valid time:

- an **exact** claim [from, to] covers the date when from ≤ date ≤ to; an unknown end is
  taken as open (the holder is reported, marked ``open_start``/``open_end``);
- a **within** claim (a dated document: from = to = its date; or a month, or a year) supports
  the date when it is that very day ("attested on"), and more weakly when the date falls in
  its month or year ("attested within");
- beyond that, tenure is **inferred** between attestations: a person attested in a role on d1
  and again on d2, with nobody else attested in that role between, is taken to hold it in
  between; when the date falls between the last attestation of one holder and the first of
  the next, both are returned as **candidates**, with a lower confidence.

Rejected claims are ignored. Persons merged by judgements are reported once, as their
canonical entity, with the claims of every member.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from dossier.registry.entities import ancestors, get_entities
from dossier.registry.resolve import Clusters, load_clusters
from dossier.registry.vocabulary import command_roles, role_order
from dossier.store.schema import claim_sources, claims, items

CONFIDENCE = {"exact": 1.0, "open": 0.9, "undated": 0.5, "attested": 1.0, "within": 0.6,
              "inferred": 0.75, "candidate": 0.4}


@dataclass(frozen=True)
class SourceRef:
    item_id: int | None
    path: str | None
    page: int | None
    quote: str | None
    citation: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"item": self.item_id, "path": self.path, "page": self.page,
                "quote": self.quote, "citation": self.citation}


@dataclass
class ClaimEvidence:
    claim_id: int
    subject_id: int
    valid_from: str | None
    valid_to: str | None
    precision: str
    status: str
    confidence: float
    sources: list[SourceRef] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"claim": self.claim_id, "subject": self.subject_id,
                "valid_from": self.valid_from, "valid_to": self.valid_to,
                "precision": self.precision, "status": self.status,
                "confidence": self.confidence, "sources": [s.as_dict() for s in self.sources]}


@dataclass
class PostHolder:
    """Someone who held (``standing="holder"``) or may have held (``"candidate"``) a post."""

    person_id: int
    person_name: str
    unit_id: int
    role: str | None
    standing: str  # holder | candidate
    basis: str
    confidence: float
    open_start: bool = False
    open_end: bool = False
    claims: list[ClaimEvidence] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"person": self.person_id, "name": self.person_name, "unit": self.unit_id,
                "role": self.role, "standing": self.standing, "basis": self.basis,
                "confidence": round(self.confidence, 3), "open_start": self.open_start,
                "open_end": self.open_end, "claims": [c.as_dict() for c in self.claims]}


def bounds(value: str) -> tuple[date, date]:
    """The first and last day an ISO date, year-month or year stands for."""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
    day = date(parts[0], parts[1], parts[2])
    return day, day


@dataclass
class _Claim:
    id: int
    person: int
    subject: int
    role: str | None
    valid_from: str | None
    valid_to: str | None
    precision: str
    status: str
    confidence: float
    low: date | None  # None: unknown (open)
    high: date | None


def _claim(row: Any, person: int) -> _Claim:
    low = bounds(row.valid_from)[0] if row.valid_from else None
    high = bounds(row.valid_to)[1] if row.valid_to else None
    if row.time_precision == "within":  # a single bound is the only date known
        low = low or high
        high = high or low
    return _Claim(row.id, person, row.subject_id, row.role, row.valid_from, row.valid_to,
                  row.time_precision, row.status, row.confidence, low, high)


def _direct(claim: _Claim, on: date) -> tuple[str, str] | None:
    """(kind of support, basis) when the claim by itself supports the date."""
    if claim.precision == "exact":
        if claim.low is None and claim.high is None:
            return "undated", "claimed without dates"
        if (claim.low is None or claim.low <= on) and (claim.high is None or on <= claim.high):
            kind = "exact" if claim.low and claim.high else "open"
            return kind, (f"held the post from {claim.valid_from or 'an unknown date'} "
                          f"to {claim.valid_to or 'an unknown date'}")
        return None
    if claim.low is None or claim.high is None:
        return None
    if claim.low == claim.high == on:
        return "attested", f"attested on {on.isoformat()}"
    if claim.low <= on <= claim.high:
        period = claim.valid_from if claim.valid_from == claim.valid_to else (
            f"{claim.valid_from}..{claim.valid_to}")
        return "within", f"attested at least once within {period}"
    return None


def _holders_of_role(role: str | None, held: list[_Claim], on: date) -> list[PostHolder]:
    by_person: dict[int, list[_Claim]] = defaultdict(list)
    for claim in held:
        by_person[claim.person].append(claim)
    found: list[PostHolder] = []
    for person, own in by_person.items():
        supports = [(claim, _direct(claim, on)) for claim in own]
        direct = [(claim, support) for claim, support in supports if support is not None]
        if not direct:
            continue
        best = max(direct, key=lambda pair: CONFIDENCE[pair[1][0]] * pair[0].confidence)
        found.append(PostHolder(
            person, "", 0, role, "holder", best[1][1],
            CONFIDENCE[best[1][0]] * best[0].confidence,
            open_start=any(c.precision == "exact" and c.low is None for c, _ in direct),
            open_end=any(c.precision == "exact" and c.high is None for c, _ in direct),
            claims=[_evidence(c) for c, _ in direct]))
    holding = {holder.person_id for holder in found}
    # the last attestation of each person before the date, and the first after it
    before: dict[int, tuple[date, _Claim]] = {}
    after: dict[int, tuple[date, _Claim]] = {}
    for claim in held:
        if claim.high is not None and claim.high < on and (
                claim.person not in before or before[claim.person][0] < claim.high):
            before[claim.person] = (claim.high, claim)
        if claim.low is not None and claim.low > on and (
                claim.person not in after or after[claim.person][0] > claim.low):
            after[claim.person] = (claim.low, claim)
    for person in sorted(set(before) & set(after) - holding):
        start, end = before[person][0], after[person][0]
        if any(c.person != person and (c.low is None or c.low < end)
               and (c.high is None or c.high > start) for c in held):
            continue  # someone else was attested in the role in between
        found.append(PostHolder(
            person, "", 0, role, "holder",
            f"inferred from attestations on {start.isoformat()} and {end.isoformat()}",
            CONFIDENCE["inferred"] * min(before[person][1].confidence,
                                         after[person][1].confidence),
            claims=[_evidence(before[person][1]), _evidence(after[person][1])]))
    if found or not (before and after):
        return found  # before the first record or after the last, nothing is said
    day, claim = max(before.values(), key=lambda pair: (pair[0], -pair[1].person))
    found.append(PostHolder(claim.person, "", 0, role, "candidate",
                            f"last attested on {day.isoformat()}, before the date",
                            CONFIDENCE["candidate"] * claim.confidence,
                            claims=[_evidence(claim)]))
    if after:
        day, claim = min(after.values(), key=lambda pair: (pair[0], pair[1].person))
        if found[0].person_id != claim.person:
            found.append(PostHolder(claim.person, "", 0, role, "candidate",
                                    f"first attested on {day.isoformat()}, after the date",
                                    CONFIDENCE["candidate"] * claim.confidence,
                                    claims=[_evidence(claim)]))
        else:
            found[0].basis += f"; first attested again on {day.isoformat()}"
            found[0].claims.append(_evidence(claim))
    return found


def _evidence(claim: _Claim) -> ClaimEvidence:
    return ClaimEvidence(claim.id, claim.subject, claim.valid_from, claim.valid_to,
                         claim.precision, claim.status, claim.confidence)


def who(conn: Connection, unit_id: int, on: date, roles: list[str] | tuple[str, ...] | None
        = None, *, clusters: Clusters | None = None) -> list[PostHolder]:
    """Who held the posts of a unit on a date, most senior role first, with claims and sources.

    ``roles`` limits the answer to those roles (``command_roles()`` for the command posts).
    """
    query = (select(claims.c.id, claims.c.subject_id, claims.c.role, claims.c.valid_from,
                    claims.c.valid_to, claims.c.time_precision, claims.c.status,
                    claims.c.confidence)
             .where(claims.c.object_id == unit_id, claims.c.predicate == "holds_post",
                    claims.c.status != "rejected"))
    if roles:
        query = query.where(claims.c.role.in_(list(roles)))
    rows = conn.execute(query).all()
    if not rows:
        return []
    clusters = clusters if clusters is not None else load_clusters(conn)
    by_role: dict[str | None, list[_Claim]] = defaultdict(list)
    for row in rows:
        by_role[row.role].append(_claim(row, clusters.canonical(row.subject_id)))
    found = [holder for role in sorted(by_role, key=lambda r: (role_order(r), r or ""))
             for holder in _holders_of_role(role, by_role[role], on)]
    names = get_entities(conn, {h.person_id for h in found}, with_names=False)
    evidence = [claim for holder in found for claim in holder.claims]
    sources = _sources(conn, {claim.claim_id for claim in evidence})
    for holder in found:
        holder.unit_id = unit_id
        holder.person_name = names[holder.person_id].name if holder.person_id in names else ""
        for claim in holder.claims:
            claim.sources = sources.get(claim.claim_id, [])
    # holders by confidence; candidates stay as found: the one before the date, then after
    found.sort(key=lambda h: (role_order(h.role), h.standing != "holder") + (
        (-h.confidence, h.person_name, h.person_id) if h.standing == "holder" else (0, "", 0)))
    return found


def _sources(conn: Connection, claim_ids: set[int]) -> dict[int, list[SourceRef]]:
    if not claim_ids:
        return {}
    rows = conn.execute(
        select(claim_sources.c.claim_id, claim_sources.c.item_id, items.c.path,
               claim_sources.c.page_number, claim_sources.c.quote, claim_sources.c.citation)
        .select_from(claim_sources.outerjoin(items, items.c.id == claim_sources.c.item_id))
        .where(claim_sources.c.claim_id.in_(sorted(claim_ids)))
        .order_by(claim_sources.c.id))
    found: dict[int, list[SourceRef]] = defaultdict(list)
    for row in rows:
        found[row.claim_id].append(SourceRef(row.item_id, row.path, row.page_number,
                                             row.quote, row.citation))
    return found


@dataclass
class UnitHeads:
    unit_id: int
    unit_name: str
    holders: list[PostHolder]

    def as_dict(self) -> dict[str, Any]:
        return {"unit": self.unit_id, "name": self.unit_name,
                "holders": [h.as_dict() for h in self.holders]}


@dataclass
class ChainPost:
    """A post the person held on the date, and who headed each unit above it."""

    post: PostHolder
    unit_name: str
    superiors: list[UnitHeads]

    def as_dict(self) -> dict[str, Any]:
        return {"unit": self.post.unit_id, "unit_name": self.unit_name,
                "post": self.post.as_dict(), "superiors": [s.as_dict() for s in self.superiors]}


@dataclass
class Chain:
    person_id: int
    person_name: str
    on: date
    posts: list[ChainPost]

    def as_dict(self) -> dict[str, Any]:
        return {"person": self.person_id, "name": self.person_name, "on": self.on.isoformat(),
                "posts": [p.as_dict() for p in self.posts]}


def chain(conn: Connection, person_id: int, on: date) -> Chain:
    """The posts a person held on a date and, for each, the command above it: the heads of
    the person's own unit (when the person is not its head) and of every unit above it."""
    clusters = load_clusters(conn)
    person = clusters.canonical(person_id)
    units = sorted(set(conn.scalars(
        select(claims.c.object_id).where(claims.c.subject_id.in_(clusters.members(person)),
                                         claims.c.predicate == "holds_post",
                                         claims.c.status != "rejected"))))
    unit_names = {e.id: e.name for e in get_entities(conn, units, with_names=False).values()}
    posts: list[ChainPost] = []
    for unit in units:
        holders = who(conn, unit, on, clusters=clusters)
        for post in (h for h in holders if h.person_id == person):
            superiors: list[UnitHeads] = []
            if post.role not in ("head", None):
                own_heads = [h for h in holders if h.role == "head" and h.person_id != person]
                superiors.append(UnitHeads(unit, unit_names.get(unit, ""), own_heads))
            for above in ancestors(conn, unit):
                heads = who(conn, above.id, on, command_roles()[:1], clusters=clusters)
                superiors.append(UnitHeads(above.id, above.name, heads))
            posts.append(ChainPost(post, unit_names.get(unit, ""), superiors))
    posts.sort(key=lambda p: (p.post.standing != "holder", -p.post.confidence, p.unit_name))
    name = get_entities(conn, [person], with_names=False)
    return Chain(person, name[person].name if person in name else "", on, posts)
