"""Victims as clusters of records, derived from the judgements on pairs of records.

A victim record is named "v:<record id>" in the judgements. As for entities
(`dossier.registry.resolve`), clusters are never edited, only derived:

- the judgement that holds for a pair is the newest human one, else the newest machine one;
- "same" pairs are joined (union-find), human ones first, then machine ones by id;
- a join is refused when it would put in one cluster two records whose pair holds a
  "not_same": a person's split stands against any chain of machine links through others;
- a victim is named by the lowest record id of its cluster.

`rebuild_links` writes the clusters into ``victim_links`` whole (one row per record, singletons
included): statistics and estimates read that table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from dossier.store.schema import judgements, victim_links, victim_lists, victim_records

__all__ = [
    "RecordClusters",
    "Victim",
    "VictimError",
    "held_judgements",
    "load_clusters",
    "rebuild_links",
    "victim",
    "victim_lists_of",
]

_BATCH = 50_000


class VictimError(LookupError):
    """No such victim or record."""


@dataclass(frozen=True)
class HeldJudgement:
    """The judgement that holds for one pair of records."""

    id: int
    left: int
    right: int
    verdict: str
    origin: str
    score: float | None


def _record_id(ref: str) -> int | None:
    kind, _, number = ref.partition(":")
    return int(number) if kind == "v" and number.isdigit() else None


def held_judgements(conn: Connection) -> list[HeldJudgement]:
    """The judgement that holds for each judged pair of victim records (human over machine,
    then newest), read in one pass; the rows are not turned into full `Judgement` objects
    because a linkage of a million records leaves millions of them."""
    rows = conn.execute(
        select(judgements.c.id, judgements.c.left_ref, judgements.c.right_ref,
               judgements.c.verdict, judgements.c.origin, judgements.c.score)
        .where(judgements.c.left_ref.like("v:%"), judgements.c.right_ref.like("v:%"))
        .execution_options(yield_per=_BATCH))
    held: dict[tuple[int, int], tuple[bool, int, str, str, float | None]] = {}
    for row in rows:
        left, right = _record_id(row.left_ref), _record_id(row.right_ref)
        if left is None or right is None:
            continue
        pair = (left, right) if left < right else (right, left)
        rank = (row.origin == "human", row.id)
        current = held.get(pair)
        if current is None or rank > current[:2]:
            held[pair] = (rank[0], row.id, row.verdict, row.origin, row.score)
    return [HeldJudgement(value[1], pair[0], pair[1], value[2], value[3], value[4])
            for pair, value in held.items()]


@dataclass
class RecordClusters:
    """Union-find over record ids, with the pairs that must stay apart."""

    parent: dict[int, int] = field(default_factory=dict)
    lowest: dict[int, int] = field(default_factory=dict)  # root -> lowest record id
    apart: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    refused: int = 0  # joins refused because of a not_same

    def find(self, record: int) -> int:
        parent = self.parent
        root = record
        while parent.get(root, root) != root:
            root = parent[root]
        while record != root:  # path compression
            record, parent[record] = parent[record], root
        return root

    def victim_of(self, record: int) -> int:
        root = self.find(record)
        return self.lowest.get(root, record)

    def join(self, a: int, b: int) -> bool:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        if self._kept_apart(root_a, root_b):
            self.refused += 1
            return False
        # the constraints of the absorbed cluster move with it
        self.parent[root_b] = root_a
        self.parent.setdefault(root_a, root_a)
        self.lowest[root_a] = min(self.lowest.get(root_a, root_a),
                                  self.lowest.pop(root_b, root_b))
        if root_b in self.apart:
            self.apart[root_a] |= self.apart.pop(root_b)
        return True

    def _kept_apart(self, root_a: int, root_b: int) -> bool:
        for first, second in ((root_a, root_b), (root_b, root_a)):
            for other in self.apart.get(first, ()):
                if self.find(other) == second:
                    return True
        return False

    @staticmethod
    def build(held: Iterable[HeldJudgement]) -> RecordClusters:
        clusters = RecordClusters()
        joins: list[HeldJudgement] = []
        for judgement in held:
            if judgement.verdict == "not_same":
                clusters.apart[judgement.left].add(judgement.right)
                clusters.apart[judgement.right].add(judgement.left)
            elif judgement.verdict == "same":
                joins.append(judgement)
        joins.sort(key=lambda j: (j.origin != "human", j.id))
        for judgement in joins:
            clusters.join(judgement.left, judgement.right)
        return clusters


def load_clusters(conn: Connection) -> RecordClusters:
    """The clusters of records as the judgements now say."""
    return RecordClusters.build(held_judgements(conn))


@dataclass
class LinkCounts:
    records: int = 0
    victims: int = 0
    refused: int = 0  # machine links refused because a person judged a pair apart

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def rebuild_links(conn: Connection, clusters: RecordClusters | None = None) -> LinkCounts:
    """Write ``victim_links`` whole from the judgements (or from ``clusters`` already built
    from them), in the caller's transaction."""
    clusters = clusters if clusters is not None else load_clusters(conn)
    conn.execute(delete(victim_links))
    counts = LinkCounts(refused=clusters.refused)
    victims: set[int] = set()
    batch: list[dict[str, int]] = []
    ids = conn.execute(select(victim_records.c.id).order_by(victim_records.c.id)).scalars().all()
    for record_id in ids:
        victim_id = clusters.victim_of(record_id)
        victims.add(victim_id)
        counts.records += 1
        batch.append({"record_id": record_id, "victim_id": victim_id})
        if len(batch) >= _BATCH:
            _flush(conn, batch)
    _flush(conn, batch)
    counts.victims = len(victims)
    return counts


def _flush(conn: Connection, batch: list[dict[str, int]]) -> None:
    if batch:
        conn.execute(insert(victim_links), batch)
        batch.clear()


@dataclass(frozen=True)
class Victim:
    """One linked victim: its records and the lists that hold it."""

    id: int
    records: list[dict[str, Any]]
    lists: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "lists": self.lists, "records": self.records}


_SHOWN = ("id", "list_id", "record_key", "full_name", "given", "father", "grandfather", "family",
          "mother", "sex", "age", "birth_date", "arrest_date", "arrest_place", "detention_place",
          "death_date", "death_place", "governorate", "status", "perpetrator")


def _victim_of_record(conn: Connection, record_id: int) -> int:
    found = conn.execute(select(victim_links.c.victim_id)
                         .where(victim_links.c.record_id == record_id)).scalar()
    if found is not None:
        return int(found)
    exists = conn.execute(select(victim_records.c.id)
                          .where(victim_records.c.id == record_id)).first()
    if exists is None:
        raise VictimError(f"no victim record {record_id}")
    return record_id  # not linked yet: a victim of its own


def victim_lists_of(conn: Connection, victim_id: int) -> list[str]:
    """The names of the lists that hold the victim (named by any of its record ids)."""
    return victim(conn, victim_id).lists


def victim(conn: Connection, victim_id: int) -> Victim:
    """The victim a record belongs to (``victim_id`` may be any of its record ids)."""
    victim_id = _victim_of_record(conn, victim_id)
    members = select(victim_links.c.record_id).where(victim_links.c.victim_id == victim_id)
    columns = [victim_records.c[name] for name in _SHOWN]
    rows = conn.execute(
        select(*columns, victim_lists.c.name.label("list"))
        .join(victim_lists, victim_lists.c.id == victim_records.c.list_id)
        .where((victim_records.c.id == victim_id) | victim_records.c.id.in_(members))
        .order_by(victim_records.c.id)).mappings().all()
    records = [dict(row) for row in rows]
    lists = sorted({str(row["list"]) for row in records})
    return Victim(victim_id, records, lists)
