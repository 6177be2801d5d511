"""Command: who held the posts of a unit on a date, and the chain of command above a person.

Claims of ``holds_post`` are read with their valid time:

- an **exact** claim [from, to] covers the date when from ≤ date ≤ to; an unknown end is
  taken as open (the holder is reported, marked ``open_start``/``open_end``), until another
  person's claim in the same role starts: the open term is then taken to end the day before
  (an inferred end, said in the basis), so that successive heads appointed "from" a date do
  not all hold the post at once;
- a **within** claim (a dated document: from = to = its date; or a month, or a year; a
  single bound stands for its whole day, month or year) supports the date when it is that
  very day ("attested on"), and more weakly when the date falls in its month or year
  ("attested within"); dates are said as written ("2011-05", not "2011-05-31");
- beyond that, tenure is **inferred** between attestations: a person attested in a role on d1
  and again on d2, with nobody else attested in that role between, is taken to hold it in
  between; when the date falls between the last attestation of one holder and the first of
  the next, both are returned as **candidates**, with a lower confidence.

Rejected claims are ignored. Persons merged by judgements are reported once, as their
canonical entity, with the claims of every member.

The chain above a unit follows ``subordinate_to`` claims valid on the date (read as above,
without inference), which override the registry's hierarchy (``entities.parent_id``) on that
date; each step says which of the two it rests on.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, and_, false, or_, select

from dossier.registry.claims import ClaimSource, sources_of
from dossier.registry.dates import bounds
from dossier.registry.entities import get_entities
from dossier.registry.resolve import Clusters, load_clusters
from dossier.registry.vocabulary import command_roles, role_order
from dossier.store.schema import claims, entities

CONFIDENCE = {"exact": 1.0, "open": 0.9, "undated": 0.5, "attested": 1.0, "within": 0.6,
              "inferred": 0.75, "candidate": 0.4}


@dataclass
class ClaimEvidence:
    claim_id: int
    subject_id: int
    valid_from: str | None
    valid_to: str | None
    precision: str
    status: str
    confidence: float
    sources: list[ClaimSource] = field(default_factory=list)

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
    ended_by: str | None = None  # an open end closed at the start of the next holder (as written)

    @property
    def period(self) -> str:
        """The valid time as written: "2012-03-04", "2011-05", "2011..2012-03"."""
        written = [v for v in dict.fromkeys((self.valid_from, self.valid_to)) if v]
        return "..".join(written)

    @property
    def written_end(self) -> str:
        """The last date the claim speaks of, as written."""
        return self.valid_to or self.valid_from or ""

    @property
    def written_start(self) -> str:
        return self.valid_from or self.valid_to or ""


def _claim(row: Any, person: int) -> _Claim:
    low = bounds(row.valid_from)[0] if row.valid_from else None
    high = bounds(row.valid_to)[1] if row.valid_to else None
    if row.time_precision == "within":  # a single bound: the day, month or year it writes
        if low is None and row.valid_to:
            low = bounds(row.valid_to)[0]
        if high is None and row.valid_from:
            high = bounds(row.valid_from)[1]
    return _Claim(row.id, person, row.subject_id, row.role, row.valid_from, row.valid_to,
                  row.time_precision, row.status, row.confidence, low, high)


def _direct(claim: _Claim, on: date, term: str = "held the post") -> tuple[str, str] | None:
    """(kind of support, basis) when the claim by itself supports the date; ``term`` says
    what an exact claim's valid time is the term of."""
    if claim.precision == "exact":
        if claim.low is None and claim.high is None:
            return "undated", "claimed without dates"
        if (claim.low is None or claim.low <= on) and (claim.high is None or on <= claim.high):
            kind = "exact" if claim.valid_from and claim.valid_to else "open"
            basis = (f"{term} from {claim.valid_from or 'an unknown date'} "
                     f"to {claim.valid_to or 'an unknown date'}")
            if claim.ended_by:
                basis += (f", inferred to end before {claim.ended_by}, when another holder "
                          "of the role is recorded")
            return kind, basis
        return None
    if claim.low is None or claim.high is None:
        return None
    if claim.low == claim.high == on:
        return "attested", f"attested on {claim.period}"
    if claim.low <= on <= claim.high:
        return "within", f"attested at least once within {claim.period}"
    return None


def _close_open_ends(held: list[_Claim]) -> list[_Claim]:
    """Take an exact term with a start and no end to end the day before another person's
    claim in the same role starts: "head from 2010" and "head from 2012-06" are successive."""
    starts = sorted((c.low, c.id, c) for c in held if c.low is not None)
    days = [start[0] for start in starts]
    closed: list[_Claim] = []
    for claim in held:
        if claim.precision == "exact" and claim.low is not None and claim.high is None:
            following = next((c for _, _, c in starts[bisect_right(days, claim.low):]
                              if c.person != claim.person), None)
            if following is not None:
                assert following.low is not None
                claim = replace(claim, high=following.low - timedelta(days=1),
                                ended_by=following.written_start)
        closed.append(claim)
    return closed


def _holders_of_role(role: str | None, held: list[_Claim], on: date) -> list[PostHolder]:
    held = _close_open_ends(held)
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
            open_start=any(c.precision == "exact" and c.valid_from is None for c, _ in direct),
            open_end=any(c.precision == "exact" and c.valid_to is None for c, _ in direct),
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
            f"inferred from attestations on {before[person][1].written_end} and "
            f"{after[person][1].written_start}",
            CONFIDENCE["inferred"] * min(before[person][1].confidence,
                                         after[person][1].confidence),
            claims=[_evidence(before[person][1]), _evidence(after[person][1])]))
    if found or not (before and after):
        return found  # before the first record or after the last, nothing is said
    day, claim = max(before.values(), key=lambda pair: (pair[0], -pair[1].person))
    found.append(PostHolder(claim.person, "", 0, role, "candidate",
                            f"last attested on {claim.written_end}, before the date",
                            CONFIDENCE["candidate"] * claim.confidence,
                            claims=[_evidence(claim)]))
    if after:
        day, claim = min(after.values(), key=lambda pair: (pair[0], pair[1].person))
        if found[0].person_id != claim.person:
            found.append(PostHolder(claim.person, "", 0, role, "candidate",
                                    f"first attested on {claim.written_start}, after the date",
                                    CONFIDENCE["candidate"] * claim.confidence,
                                    claims=[_evidence(claim)]))
        else:
            found[0].basis += f"; first attested again on {claim.written_start}"
            found[0].claims.append(_evidence(claim))
    return found


def _evidence(claim: _Claim) -> ClaimEvidence:
    return ClaimEvidence(claim.id, claim.subject, claim.valid_from, claim.valid_to,
                         claim.precision, claim.status, claim.confidence)


_POST_COLUMNS = (claims.c.id, claims.c.subject_id, claims.c.object_id, claims.c.role,
                 claims.c.valid_from, claims.c.valid_to, claims.c.time_precision,
                 claims.c.status, claims.c.confidence)


def who(conn: Connection, unit_id: int, on: date, roles: list[str] | tuple[str, ...] | None
        = None, *, clusters: Clusters | None = None) -> list[PostHolder]:
    """Who held the posts of a unit on a date, most senior role first, with claims and sources.

    ``roles`` limits the answer to those roles (``command_roles()`` for the command posts).
    """
    rows = _post_claims(conn, claims.c.object_id == unit_id, roles)
    if not rows:
        return []
    clusters = clusters if clusters is not None else load_clusters(conn)
    found = _holders_by_unit(rows, on, clusters).get(unit_id, [])
    _complete(conn, found)
    return _ordered(found)


def _post_claims(conn: Connection, where: Any, roles: Sequence[str] | None = None
                 ) -> list[Any]:
    """The holds_post claims (not rejected) that ``where`` selects, in one query."""
    query = select(*_POST_COLUMNS).where(where, claims.c.predicate == "holds_post",
                                         claims.c.status != "rejected")
    if roles:
        query = query.where(claims.c.role.in_(list(roles)))
    return list(conn.execute(query).all())


def _holders_by_unit(rows: Sequence[Any], on: date, clusters: Clusters
                     ) -> dict[int, list[PostHolder]]:
    """The holders of each unit's posts on the date, from the unit's holds_post claims."""
    by_unit: dict[int, dict[str | None, list[_Claim]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_unit[row.object_id][row.role].append(_claim(row, clusters.canonical(row.subject_id)))
    found: dict[int, list[PostHolder]] = {}
    for unit, by_role in by_unit.items():
        found[unit] = [holder for role in sorted(by_role, key=lambda r: (role_order(r), r or ""))
                       for holder in _holders_of_role(role, by_role[role], on)]
        for holder in found[unit]:
            holder.unit_id = unit
    return found


def _complete(conn: Connection, holders: Sequence[PostHolder],
              extra_claims: Sequence[ClaimEvidence] = ()) -> None:
    """Fill in the holders' names and the sources of every claim, in two queries."""
    names = get_entities(conn, {h.person_id for h in holders}, with_names=False)
    evidence = [claim for holder in holders for claim in holder.claims] + list(extra_claims)
    sources = sources_of(conn, {claim.claim_id for claim in evidence})
    for holder in holders:
        holder.person_name = names[holder.person_id].name if holder.person_id in names else ""
    for claim in evidence:
        claim.sources = sources.get(claim.claim_id, [])


def _ordered(found: list[PostHolder]) -> list[PostHolder]:
    # holders by confidence; candidates stay as found: the one before the date, then after
    return sorted(found, key=lambda h: (role_order(h.role), h.standing != "holder") + (
        (-h.confidence, h.person_name, h.person_id) if h.standing == "holder" else (0, "", 0)))


@dataclass
class UnitHeads:
    """A unit above a post, how it was reached from the unit below it, and who headed it.

    ``link`` is "own unit" (the post's own unit, when the person is not its head),
    "hierarchy" (the registry's structure: the unit below sits under it) or "claim" (a
    subordinate_to claim valid on the date, which overrides the structure on that date;
    ``overrides`` is then the structural parent it replaced, if there is one).
    """

    unit_id: int
    unit_name: str
    holders: list[PostHolder]
    link: str = "hierarchy"
    link_basis: str = ""
    link_claim: ClaimEvidence | None = None
    overrides: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"unit": self.unit_id, "name": self.unit_name, "link": self.link,
                "link_basis": self.link_basis,
                "link_claim": self.link_claim.as_dict() if self.link_claim else None,
                "overrides": self.overrides, "holders": [h.as_dict() for h in self.holders]}


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


@dataclass(frozen=True)
class _Step:
    """From a unit to the one above it on the date."""

    above: int
    link: str  # hierarchy | claim
    basis: str
    claim: ClaimEvidence | None = None
    overrides: int | None = None


def superiors_on(conn: Connection, unit_ids: Iterable[int], on: date
                 ) -> tuple[dict[int, _Step], dict[int, str]]:
    """The unit above each unit on the date, walking up from ``unit_ids``; and unit names.

    A subordinate_to claim valid on the date (exact term covering it, a document of that day,
    month or year; undated ones last) names the superior; the strongest such claim wins, and
    overrides ``entities.parent_id``, which holds otherwise. One query per level of the
    hierarchy, for every unit of that level at once; a cycle stops the walk.
    """
    steps: dict[int, _Step] = {}
    names: dict[int, str] = {}
    frontier = set(unit_ids)
    asked: set[int] = set()
    while frontier:
        asked |= frontier
        rows = conn.execute(
            select(entities.c.id.label("unit"), entities.c.name.label("unit_name"),
                   entities.c.parent_id, *_POST_COLUMNS)
            .select_from(entities.outerjoin(claims, and_(
                claims.c.subject_id == entities.c.id, claims.c.predicate == "subordinate_to",
                claims.c.status != "rejected", claims.c.object_id.is_not(None))))
            .where(entities.c.id.in_(sorted(frontier)))).all()
        best: dict[int, tuple[float, int, _Claim, str, int]] = {}
        parents: dict[int, int | None] = {}
        for row in rows:
            names[row.unit] = row.unit_name
            parents[row.unit] = row.parent_id
            if row.id is None:
                continue
            claim = _claim(row, row.unit)
            support = _direct(claim, on, "subordinate")
            if support is None:
                continue
            strength = CONFIDENCE[support[0]] * claim.confidence
            if row.unit not in best or (strength, claim.id) > best[row.unit][:2]:
                best[row.unit] = (strength, claim.id, claim, support[1], row.object_id)
        for unit, parent in parents.items():
            if unit in best:
                _, _, claim, basis, superior = best[unit]
                steps[unit] = _Step(superior, "claim", f"claim #{claim.id}: {basis}",
                                    _evidence(claim),
                                    parent if parent not in (None, superior) else None)
            elif parent is not None:
                steps[unit] = _Step(parent, "hierarchy", "the registry's hierarchy")
        # a unit above that has no row (a dangling reference) is asked once, not forever
        frontier = {step.above for step in steps.values()} - asked
    return steps, names


def _path_up(unit: int, steps: dict[int, _Step]) -> list[_Step]:
    path: list[_Step] = []
    seen = {unit}
    while unit in steps and steps[unit].above not in seen:
        path.append(steps[unit])
        unit = steps[unit].above
        seen.add(unit)
    return path


def chain(conn: Connection, person_id: int, on: date) -> Chain:
    """The posts a person held on a date and, for each, the command above it: the heads of
    the person's own unit (when the person is not its head) and of every unit above it, the
    units above followed through subordinate_to claims valid on the date, else the hierarchy.

    A handful of queries whatever the depth: the person's posts; the claims on those posts
    (and on the heads of their units); one per level of the hierarchy above; the heads of
    every unit above; names; sources.
    """
    clusters = load_clusters(conn)
    person = clusters.canonical(person_id)
    roles_in: dict[int, set[str | None]] = defaultdict(lambda: {"head"})
    for unit, role in conn.execute(
            select(claims.c.object_id, claims.c.role).distinct()
            .where(claims.c.subject_id.in_(clusters.members(person)),
                   claims.c.predicate == "holds_post", claims.c.status != "rejected",
                   claims.c.object_id.is_not(None))):
        roles_in[unit].add(role)
    # who else held the person's roles in those units, and who headed them: the inference
    # of a tenure needs the others' claims in the same role, nothing more
    holders = _holders_by_unit(_post_claims(conn, or_(false(), *(
        and_(claims.c.object_id == unit, or_(claims.c.role.in_(sorted(r for r in roles if r)),
                                            claims.c.role.is_(None) if None in roles else false()))
        for unit, roles in sorted(roles_in.items())))), on, clusters) if roles_in else {}
    held = {unit: [h for h in found if h.person_id == person]
            for unit, found in holders.items()}
    held = {unit: posts for unit, posts in held.items() if posts}
    steps, unit_names = superiors_on(conn, held, on) if held else ({}, {})
    paths = {unit: _path_up(unit, steps) for unit in held}
    above = sorted({step.above for path in paths.values() for step in path})
    heads = _holders_by_unit(_post_claims(conn, claims.c.object_id.in_(above),
                                          command_roles()[:1]), on, clusters) if above else {}
    posts: list[ChainPost] = []
    for unit, own in held.items():
        for post in own:
            superiors: list[UnitHeads] = []
            if post.role not in ("head", None):
                own_heads = [h for h in holders[unit] if h.role == "head" and h.person_id != person]
                superiors.append(UnitHeads(unit, unit_names.get(unit, ""), own_heads,
                                           "own unit", "the unit of the post"))
            for step in paths[unit]:
                superiors.append(UnitHeads(step.above, unit_names.get(step.above, ""),
                                           list(heads.get(step.above, [])), step.link,
                                           step.basis, step.claim, step.overrides))
            posts.append(ChainPost(post, unit_names.get(unit, ""), superiors))
    shown = [h for link in posts for h in [link.post] + [x for s in link.superiors
                                                         for x in s.holders]]
    link_claims = [s.link_claim for link in posts for s in link.superiors if s.link_claim]
    _complete(conn, list({id(h): h for h in shown}.values()), link_claims)
    for link in posts:
        for superior in link.superiors:
            superior.holders = _ordered(superior.holders)
    posts.sort(key=lambda p: (p.post.standing != "holder", -p.post.confidence, p.unit_name))
    if posts:
        return Chain(person, posts[0].post.person_name, on, posts)
    name = get_entities(conn, [person], with_names=False)
    return Chain(person, name[person].name if person in name else "", on, posts)
