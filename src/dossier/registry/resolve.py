"""Resolution: clusters of entities derived from judgements, and mentions linked to entities.

Clusters are never stored; they are derived from the judgements between entities each time:

- the judgement that holds for a pair is the newest human one, else the newest machine one
  (`judgements.prevailing`);
- "same" pairs are joined (union-find), human ones first, then machine ones, oldest first;
- a join is refused when it would put in one cluster two entities whose pair holds a
  "not_same": a split stands even against a chain of "same" judgements through a third entity;
- the representative of a cluster (its canonical entity) is its lowest entity id.

A merge is a "same" judgement, a split a "not_same" one; a wrong merge is undone by a new
judgement on the same pair, and the clusters follow at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from dossier.registry.judgements import (
    Judgement,
    entity_ref,
    judgements_of,
    parse_ref,
    prevailing,
    record_judgement,
)
from dossier.registry.lookup import NameIndex
from dossier.store.schema import mentions

LINKED_KINDS = ("person", "unit", "facility")
# A second entity this close to the best one makes a mention ambiguous: it is left unlinked.
AMBIGUITY_MARGIN = 0.05


@dataclass
class Clusters:
    """Entities grouped by the judgements that hold; an entity no judgement names is alone."""

    parent: dict[int, int] = field(default_factory=dict)
    members_of: dict[int, set[int]] = field(default_factory=dict)

    def canonical(self, entity_id: int) -> int:
        root = self._root(entity_id)
        return min(self.members_of.get(root, {entity_id}))

    def members(self, entity_id: int) -> list[int]:
        return sorted(self.members_of.get(self._root(entity_id), {entity_id}))

    def _root(self, entity_id: int) -> int:
        while self.parent.get(entity_id, entity_id) != entity_id:
            entity_id = self.parent[entity_id]
        return entity_id

    @staticmethod
    def build(judged: list[Judgement]) -> Clusters:
        held = prevailing(judged).values()
        apart: dict[int, set[int]] = defaultdict(set)
        for judgement in held:
            if judgement.verdict == "not_same":
                a, b = parse_ref(judgement.left)[1], parse_ref(judgement.right)[1]
                apart[a].add(b)
                apart[b].add(a)
        clusters = Clusters()
        joins = sorted((j for j in held if j.verdict == "same"),
                       key=lambda j: (j.origin != "human", j.id))
        for judgement in joins:
            a, b = parse_ref(judgement.left)[1], parse_ref(judgement.right)[1]
            root_a, root_b = clusters._root(a), clusters._root(b)
            if root_a == root_b:
                continue
            group_a = clusters.members_of.get(root_a, {a})
            group_b = clusters.members_of.get(root_b, {b})
            if any(apart[x] & group_b for x in group_a):
                continue
            clusters.parent[root_b] = root_a
            clusters.parent.setdefault(root_a, root_a)
            clusters.members_of[root_a] = group_a | group_b
            clusters.members_of.pop(root_b, None)
        return clusters


def load_clusters(conn: Connection) -> Clusters:
    """The clusters of entities as the judgements between entities now say."""
    return Clusters.build(judgements_of(conn, prefix="e:"))


def canonical(conn: Connection, entity_id: int) -> int:
    """The representative of the entity's cluster: its lowest entity id."""
    return load_clusters(conn).canonical(entity_id)


def cluster_members(conn: Connection, entity_id: int) -> list[int]:
    """Every entity in the same cluster as ``entity_id`` (itself included), by id."""
    return load_clusters(conn).members(entity_id)


def merge(conn: Connection, a: int, b: int, *, author: str, reason: str | None = None
          ) -> Judgement:
    """Judge two entities to be the same person, unit or place (human judgement)."""
    return record_judgement(conn, entity_ref(a), entity_ref(b), "same", author=author,
                            reason=reason)


def split(conn: Connection, a: int, b: int, *, author: str, reason: str | None = None
          ) -> Judgement:
    """Judge two entities not to be the same (human judgement); undoes a merge of the pair."""
    return record_judgement(conn, entity_ref(a), entity_ref(b), "not_same", author=author,
                            reason=reason)


@dataclass
class LinkReport:
    linked: int = 0  # by name matching
    by_judgement: int = 0  # linked or moved because a person judged the mention
    unlinked_by_judgement: int = 0  # taken off an entity a person judged it is not
    ambiguous: int = 0  # several entities matched equally well; left for review
    unmatched: int = 0
    moved: int = 0  # links by name whose entity's cluster changed, moved to the right one
    unlinked: int = 0  # links by name whose entity's cluster changed, that no longer fit

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def link_mentions(conn: Connection, *, kinds: tuple[str, ...] = LINKED_KINDS) -> LinkReport:
    """Link mentions of persons, units and facilities to entities, in the caller's transaction.

    Mentions a person has judged follow the judgement that holds (a "same" with an entity links
    the mention to it, a "not_same" takes it off that entity, or off any cluster holding that
    entity, and keeps it off). The others, unlinked so far, are matched by name (`NameIndex`):
    linked to the canonical entity of the best match when the decision is "same" and no other
    entity comes within ``AMBIGUITY_MARGIN`` of it.

    Links made by name (no judgement on the mention) to an entity that a judgement between
    entities names are checked again, because its cluster may have changed since (a merge
    undone): a link whose name still matches a member of the entity's cluster stays; another
    is moved to the best match, or taken off when there is none.
    """
    report = LinkReport()
    entity_judgements = judgements_of(conn, prefix="e:")
    clusters = Clusters.build(entity_judgements)
    forbidden, judged = _follow_judgements(conn, report, clusters)
    index = NameIndex.load(conn, kinds)
    columns = (mentions.c.id, mentions.c.kind, mentions.c.text, mentions.c.value,
               mentions.c.entity_id)
    rows = list(conn.execute(select(*columns).where(mentions.c.entity_id.is_(None),
                                                    mentions.c.kind.in_(kinds))
                             .order_by(mentions.c.id)))
    changed = sorted({parse_ref(ref)[1] for j in entity_judgements for ref in j.pair})
    for start in range(0, len(changed), 500):
        rows += [row for row in conn.execute(
            select(*columns).where(mentions.c.entity_id.in_(changed[start:start + 500]),
                                   mentions.c.kind.in_(kinds)).order_by(mentions.c.id))
                 if row.id not in judged]

    def allowed(mention: int, entity: int) -> bool:
        return not forbidden.get(mention, set()) & set(clusters.members(entity))

    matched: dict[tuple[str, str, str | None], dict[int, float]] = {}
    updates: list[dict[str, Any]] = []
    for row in rows:
        number = row.value if row.kind != "person" else None
        cache_key = (row.kind, row.text, number)
        if cache_key not in matched:
            matched[cache_key] = _matches(index, row.kind, row.text, number)
        found = matched[cache_key]
        linked = row.entity_id
        if linked is not None and found.keys() & set(clusters.members(linked)) \
                and allowed(row.id, linked):
            continue  # the name still fits the entity's cluster
        choices = [(e, s) for e, s in _choices(found, clusters) if allowed(row.id, e)]
        unique = bool(choices) and (len(choices) == 1
                                    or choices[1][1] < choices[0][1] - AMBIGUITY_MARGIN)
        if linked is not None:
            if not unique:
                updates.append({"mid": row.id, "eid": None, "lscore": None})
                report.unlinked += 1
            elif choices[0][0] != linked:
                updates.append({"mid": row.id, "eid": choices[0][0], "lscore": choices[0][1]})
                report.moved += 1
        elif not choices:
            report.unmatched += 1
        elif not unique:
            report.ambiguous += 1
        else:
            updates.append({"mid": row.id, "eid": choices[0][0], "lscore": choices[0][1]})
            report.linked += 1
    _write_links(conn, updates)
    return report


def _matches(index: NameIndex, kind: str, text: str, number: str | None) -> dict[int, float]:
    """The entities whose names match ``text`` with the decision "same", and their scores."""
    best: dict[int, float] = {}
    for found in index.find(text, kind, number=number, limit=20):
        if found.decision == "same":
            best[found.entity_id] = max(best.get(found.entity_id, 0.0), found.score)
    return best


def _choices(found: dict[int, float], clusters: Clusters) -> list[tuple[int, float]]:
    """The canonical entities of the matches, best first."""
    best: dict[int, float] = {}
    for entity_id, score in found.items():
        entity = clusters.canonical(entity_id)
        best[entity] = max(best.get(entity, 0.0), score)
    return sorted(best.items(), key=lambda pair: (-pair[1], pair[0]))


def _follow_judgements(conn: Connection, report: LinkReport, clusters: Clusters
                       ) -> tuple[dict[int, set[int]], set[int]]:
    """Apply the judgements between mentions and entities; return the forbidden links (the
    entities each mention is judged not to be) and the mentions linked by judgement."""
    judged = judgements_of(conn, between=("m", "e"))
    forbidden: dict[int, set[int]] = defaultdict(set)
    wanted: dict[int, tuple[int, int]] = {}  # mention -> (judgement id, entity)
    for judgement in prevailing(judged).values():
        refs = dict(parse_ref(ref) for ref in judgement.pair)
        mention, entity = refs["m"], refs["e"]
        if judgement.verdict == "same":
            if mention not in wanted or wanted[mention][0] < judgement.id:
                wanted[mention] = (judgement.id, entity)
        elif judgement.verdict == "not_same":
            forbidden[mention].add(entity)
    current = dict(conn.execute(select(mentions.c.id, mentions.c.entity_id)
                                .where(mentions.c.id.in_(
                                    list(wanted) + list(forbidden)))).all())
    moves = [{"mid": m, "eid": e, "lscore": 1.0} for m, (_, e) in wanted.items()
             if m in current and current[m] != e and e not in forbidden.get(m, set())]
    _write_links(conn, moves)
    report.by_judgement = len(moves)
    moved = {move["mid"] for move in moves}
    # a mention judged not to be an entity is not linked to any cluster holding that entity
    off = [{"mid": m, "eid": None, "lscore": None} for m, entities in forbidden.items()
           if current.get(m) is not None and m not in moved
           and entities & set(clusters.members(current[m]))]
    _write_links(conn, off)
    report.unlinked_by_judgement = len(off)
    linked = {m for m, (_, e) in wanted.items() if e not in forbidden.get(m, set())}
    return forbidden, linked


def _write_links(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(update(mentions).where(mentions.c.id == bindparam("mid"))
                     .values(entity_id=bindparam("eid"), link_score=bindparam("lscore")), rows)
