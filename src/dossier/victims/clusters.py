"""Victims as clusters of records, derived from the judgements on pairs of records.

A victim record is named "v:<record id>" in the judgements. As for entities
(`dossier.registry.resolve`), clusters are never edited, only derived:

- the judgement that holds for a pair is the newest human one, else the newest machine one;
- "same" pairs are joined (union-find), human ones first (oldest first), then machine ones
  strongest first (Kruskal's order), so that where links must be refused, the weakest are;
- a join is refused when it would put in one cluster two records whose pair holds a
  "not_same": a person's split stands against any chain of machine links through others;
- with a `ClusterGuard` (as a linkage run has), a machine join is also refused when any record
  of one cluster contradicts any record of the other (different given or fathers' names, years
  of birth far apart) or when the victim would hold more records of one list than a list
  holds of one person. Each link may be likely on its own, but links chain: at a million
  records, chains of weak links through common names joined different people into victims of
  17 records. A person's "same" is never refused by the guard;
- a victim is named by the lowest record id of its cluster.

`rebuild_links` writes the clusters into ``victim_links`` whole (one row per record, singletons
included): statistics and estimates read that table.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from dossier.store.schema import judgements, victim_links, victim_lists, victim_records
from dossier.text.name_table import canonicals

__all__ = [
    "GUARD_REASON",
    "ClusterGuard",
    "RecordClusters",
    "RecordProfile",
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


Name = tuple[str | None, str | None]
"""A name part as linkage compares it: (name key, compact romanised form)."""


@dataclass(frozen=True)
class RecordProfile:
    """What the cluster guard compares of one record: its list, sex, year of birth, and its
    given, father's, grandfather's and family names as (`dossier.text.token_key`, compact
    romanised form)."""

    list_id: int | None = None
    sex: str | None = None
    birth_year: int | None = None
    given: Name = (None, None)
    father: Name = (None, None)
    grandfather: Name = (None, None)
    family: Name = (None, None)


NAMES_ALIKE = 0.75
"""From this similarity of the romanised forms (difflib's ratio) on, two name parts may be
spellings, typos or misreadings of one name ("Khaled" / "خالد", "Htihs" / "حتيش"), as the
model's own Jaro-Winkler levels would take them; "Hassan" / "Hussein" (0.62) are two names."""

_RUNS = re.compile(r"(.)\1+")


def _keys_alike(a: str, b: str) -> bool:
    """Name keys that a slip of the pen parts: a letter doubled ("kmml" / "kml"), two letters
    swapped ("dbl" / "bdl"), one letter dropped or added ("sr" / "r": ياسر / يار), or, in keys of
    three letters or more, one changed ("kssm" / "kstm")."""
    if a == b or sorted(a) == sorted(b) or _RUNS.sub(r"\1", a) == _RUNS.sub(r"\1", b):
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return len(a) >= 3 and sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _alike(a: Name, b: Name) -> bool:
    """Two name parts that may write one name: the same key, keys a slip apart, or alike
    romanised forms, unless the table of known names knows them as two names ("Mohammad" /
    "Mahmoud", "Mohammad" / "Ahmad": one root, as close as a typo, and brothers' names)."""
    if a[1] is not None and b[1] is not None and a[1] != b[1]:
        known_a, known_b = canonicals(a[1]), canonicals(b[1])
        if known_a and known_b and not known_a & known_b:
            return False
    if a[0] is not None and b[0] is not None and _keys_alike(a[0], b[0]):
        return True
    if a[1] is None or b[1] is None:
        return False
    return a[1] == b[1] or SequenceMatcher(None, a[1], b[1]).ratio() >= NAMES_ALIKE


def _among(name: Name, others: tuple[Name, ...]) -> bool:
    return any(other[0] is not None and _alike(name, other) for other in others)


@dataclass(frozen=True)
class ClusterGuard:
    """When the machine may not join two clusters of records, whatever its score.

    Each rule is a contradiction that no chain of likely links outweighs, because the model
    adds up evidence as if it were independent and it is not: brothers share a father, a
    grandfather, a family name, a home and often the day they were killed, and only their
    given names tell them apart. Records of one person do not differ in their given or their
    fathers' names (beyond a spelling, a typo, or parts written in another order), or in the
    year of birth by more than ``birth_years`` (ages are misread and rounded, not by decades);
    and a list holds one person at most ``per_list`` times. Different sexes are a rule only
    with ``sex``: a slip of the pen on one record in two hundred split 1% of the true pairs of
    the bulk benchmark, while the given names already kept apart the people it would."""

    profiles: Mapping[int, RecordProfile]
    birth_years: int = 5
    per_list: int = 2
    sex: bool = False

    def contradiction(self, first: list[int], second: list[int]) -> str | None:
        """Why the records of ``first`` and ``second`` cannot be one victim; None if they can."""
        profiles = self.profiles
        empty = RecordProfile()
        left = [(record, profiles.get(record, empty)) for record in first]
        right = [(record, profiles.get(record, empty)) for record in second]
        per_list: dict[int, int] = defaultdict(int)
        for _record, profile in (*left, *right):
            if profile.list_id is not None:
                per_list[profile.list_id] += 1
                if per_list[profile.list_id] > self.per_list:
                    return (f"more than {self.per_list} records of list {profile.list_id} "
                            "in one victim")
        for a, one in left:
            for b, other in right:
                reason = self._pair(one, other)
                if reason is not None:
                    return f"records {a} and {b}: {reason}"
        return None

    def _pair(self, one: RecordProfile, other: RecordProfile) -> str | None:
        if self.sex and one.sex and other.sex and one.sex != other.sex:
            return f"sex {one.sex} / {other.sex}"
        if (one.birth_year is not None and other.birth_year is not None
                and abs(one.birth_year - other.birth_year) > self.birth_years):
            return f"born {one.birth_year} / {other.birth_year}"
        if (one.given[0] and other.given[0] and not _alike(one.given, other.given)
                # the names written in another order: each given name is a name of the other
                and not (_among(one.given, (other.father, other.grandfather, other.family))
                         and _among(other.given, (one.father, one.grandfather, one.family)))):
            return f"given names {one.given[1]} / {other.given[1]}"
        if (one.father[0] and other.father[0] and not _alike(one.father, other.father)
                # the family name written first, or the father's and family names swapped
                and not _among(one.father, (other.given, other.grandfather))
                and not _among(other.father, (one.given, one.grandfather))
                and not (_among(one.father, (other.family,))
                         and _among(other.father, (one.family,)))):
            return f"fathers' names {one.father[1]} / {other.father[1]}"
        return None


GUARD_REASON = "kept apart by the cluster guard: "
"""How the reason of a machine link the guard refused begins (the review queue shows them)."""


@dataclass
class RecordClusters:
    """Union-find over record ids, with the pairs that must stay apart."""

    parent: dict[int, int] = field(default_factory=dict)
    lowest: dict[int, int] = field(default_factory=dict)  # root -> lowest record id
    apart: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    members: dict[int, list[int]] = field(default_factory=dict)  # root -> records (guarded)
    refused: int = 0  # joins refused because of a not_same
    guarded: dict[tuple[int, int], str] = field(default_factory=dict)
    """Machine links the guard refused: (left, right) -> why."""

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

    def join(self, a: int, b: int, guard: ClusterGuard | None = None) -> bool:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        if self._kept_apart(root_a, root_b):
            self.refused += 1
            return False
        if guard is not None:
            reason = guard.contradiction(self.members.get(root_a, [root_a]),
                                         self.members.get(root_b, [root_b]))
            if reason is not None:
                self.guarded[(a, b) if a < b else (b, a)] = reason
                return False
        if len(self.members.get(root_a, ())) < len(self.members.get(root_b, ())):
            root_a, root_b = root_b, root_a  # the larger cluster absorbs the smaller
        # the constraints and the members of the absorbed cluster move with it
        self.parent[root_b] = root_a
        self.parent.setdefault(root_a, root_a)
        self.lowest[root_a] = min(self.lowest.get(root_a, root_a),
                                  self.lowest.pop(root_b, root_b))
        if root_b in self.apart:
            self.apart[root_a] |= self.apart.pop(root_b)
        absorbed = self.members.pop(root_b, [root_b])
        self.members.setdefault(root_a, [root_a]).extend(absorbed)
        return True

    def _kept_apart(self, root_a: int, root_b: int) -> bool:
        for first, second in ((root_a, root_b), (root_b, root_a)):
            for other in self.apart.get(first, ()):
                if self.find(other) == second:
                    return True
        return False

    @staticmethod
    def build(held: Iterable[HeldJudgement], guard: ClusterGuard | None = None
              ) -> RecordClusters:
        """The clusters of ``held``; ``guard`` checks the machine's joins (not a person's)."""
        clusters = RecordClusters()
        human: list[HeldJudgement] = []
        machine: list[HeldJudgement] = []
        for judgement in held:
            if judgement.verdict == "not_same":
                clusters.apart[judgement.left].add(judgement.right)
                clusters.apart[judgement.right].add(judgement.left)
            elif judgement.verdict == "same":
                (human if judgement.origin == "human" else machine).append(judgement)
        human.sort(key=lambda j: j.id)
        machine.sort(key=lambda j: (-(j.score or 0.0), j.id))
        for judgement in human:
            clusters.join(judgement.left, judgement.right)
        for judgement in machine:
            clusters.join(judgement.left, judgement.right, guard)
        return clusters


def load_clusters(conn: Connection) -> RecordClusters:
    """The clusters of records as the judgements now say (the guard's refusals are in them:
    a linkage run writes each link it refused as "unsure")."""
    return RecordClusters.build(held_judgements(conn))


@dataclass
class LinkCounts:
    records: int = 0
    victims: int = 0
    refused: int = 0  # machine links refused because a person judged a pair apart
    guarded: int = 0  # machine links the cluster guard refused

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def rebuild_links(conn: Connection, clusters: RecordClusters | None = None) -> LinkCounts:
    """Write ``victim_links`` whole from the judgements (or from ``clusters`` already built
    from them), in the caller's transaction."""
    clusters = clusters if clusters is not None else load_clusters(conn)
    conn.execute(delete(victim_links))
    counts = LinkCounts(refused=clusters.refused, guarded=len(clusters.guarded))
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
