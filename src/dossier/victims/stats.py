"""Counting documented victims once, with the breakdowns a report needs.

A victim is a cluster of linked records (`victim_links`: record → victim). A record without a
link row — every record, before the linkage has been run, or those imported since — counts as
a victim of its own, and the result says so (`linkage["note"]`): such a count is a count of
records, and a person on two lists is counted twice.

Each victim has one value per breakdown, taken from its records by one rule (`RULES`):

- the most frequent non-empty value among the victim's records; on a tie, the value of the
  record from the earliest-imported list (then the lowest record id);
- year: the year of death when any record gives a death date, else the year of arrest;
- age: the age the records give, else the year of death (or arrest) minus the year of birth;
  grouped as child (under 18), 18-29, 30-44, 45-59, 60+, unknown;
- perpetrator: the registry's unit when the registry resolves what the list wrote to one unit
  (`perpetrators`: "Branch 215" and "الفرع ٢١٥" are then one value), else as the list wrote it
  (spaces collapsed, Arabic-Indic digits as European);
- a victim without a value is counted under "unknown": every breakdown sums to the total.
"""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from dossier import spreadsheet
from dossier.store.schema import linkage_runs, victim_links, victim_lists, victim_records
from dossier.victims.perpetrators import resolve_perpetrators

__all__ = [
    "AGE_GROUPS",
    "BREAKDOWNS",
    "RULES",
    "UNKNOWN",
    "VictimStats",
    "age_group",
    "parse_breakdowns",
    "victim_stats",
]

BREAKDOWNS = ("year", "governorate", "sex", "age_group", "perpetrator", "status")
AGE_GROUPS = ("child (<18)", "18-29", "30-44", "45-59", "60+", "unknown")
UNKNOWN = "unknown"
RULES = (
    "A victim is a cluster of linked records; a record not yet linked counts as its own victim.",
    "A victim's value is the most frequent non-empty value of its records; on a tie, the value "
    "from the earliest-imported list.",
    "Year is the year of death, or of arrest when no record gives a death date.",
    "Age is the age given, or the year of death (or arrest) minus the year of birth.",
    "Perpetrator is counted as the lists wrote it (not yet resolved to registry units).",
    "A victim without a value is counted under 'unknown': each breakdown sums to the total.",
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def age_group(age: int | None) -> str:
    if age is None or age < 0:
        return UNKNOWN
    if age < 18:
        return AGE_GROUPS[0]
    for low, high, name in ((18, 29, "18-29"), (30, 44, "30-44"), (45, 59, "45-59")):
        if low <= age <= high:
            return name
    return "60+"


def parse_breakdowns(text: str | Iterable[str] | None) -> list[str]:
    """The breakdowns named in "year,sex" (or a list of names); all of them when empty."""
    if text is None:
        return list(BREAKDOWNS)
    names = text.split(",") if isinstance(text, str) else list(text)
    chosen = [name.strip() for name in names if name.strip()]
    unknown = [name for name in chosen if name not in BREAKDOWNS]
    if unknown:
        raise ValueError(f"unknown breakdown {', '.join(unknown)} "
                         f"(choose from {', '.join(BREAKDOWNS)})")
    return list(dict.fromkeys(chosen)) or list(BREAKDOWNS)


@dataclass
class VictimStats:
    victims: int
    records: int
    linkage: dict[str, Any]  # linked (bool), last_run (ISO or None), unlinked_records, note
    breakdowns: dict[str, list[tuple[str, int]]]  # breakdown → (value, victims), in order
    lists: list[dict[str, Any]]  # name, organisation, records, victims, only_here
    overlaps: list[dict[str, Any]]  # a, b, victims on both
    patterns: dict[str, int]  # "1010" (one digit per list, in `lists` order) → victims
    rules: tuple[str, ...] = RULES
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "victims": self.victims, "records": self.records, "linkage": self.linkage,
            "breakdowns": {name: [{"value": value, "victims": count} for value, count in rows]
                           for name, rows in self.breakdowns.items()},
            "lists": self.lists, "overlaps": self.overlaps, "capture_patterns": self.patterns,
            "rules": list(self.rules), "notes": self.notes,
        }

    def to_csv(self) -> str:
        """breakdown,value,victims — one line per value, and a "total" line first."""
        out = io.StringIO(newline="")
        writer = spreadsheet.writer(out, lineterminator="\n")
        writer.writerow(["breakdown", "value", "victims"])
        writer.writerow(["total", "", self.victims])
        for name, rows in self.breakdowns.items():
            for value, count in rows:
                writer.writerow([name, value, count])
        return out.getvalue()


# -- one value per victim -------------------------------------------------------------------


def _choose(candidates: list[tuple[str, int, int]]) -> str | None:
    """The most frequent value; ties to the earliest list, then the lowest record id.

    ``candidates`` are (value, list rank, record id) of the non-empty values.
    """
    if not candidates:
        return None
    counts = Counter(value for value, _, _ in candidates)
    first_seen: dict[str, tuple[int, int]] = {}
    for value, rank, record_id in sorted(candidates, key=lambda c: (c[1], c[2])):
        first_seen.setdefault(value, (rank, record_id))
    return min(counts, key=lambda value: (-counts[value], first_seen[value]))


def _year(text: str | None) -> str | None:
    if text and re.match(r"\d{4}", text):
        return text[:4]
    return None


def _perpetrator(text: str | None) -> str | None:
    if not text:
        return None
    cleaned = re.sub(r"\s+", " ", text.translate(_DIGITS)).strip()
    return cleaned or None


def victim_values(rows: list[Any], rank: dict[int, int],
                  perpetrators: Mapping[str, str] | None = None) -> dict[str, str]:
    """One value per breakdown for the victim of ``rows`` (see the module); ``perpetrators``:
    the registry's unit of a perpetrator as written (`resolve_perpetrators`)."""
    units = perpetrators or {}

    def perpetrator(row: Any) -> str | None:
        written = _perpetrator(row.perpetrator)
        return units.get(written, written) if written is not None else None

    def pick(getter: Any) -> str | None:
        found = [(value, rank[row.list_id], row.id) for row in rows
                 if (value := getter(row)) not in (None, "")]
        return _choose(found)

    death_year = pick(lambda r: _year(r.death_date))
    event_year = death_year or pick(lambda r: _year(r.arrest_date))
    age_text = pick(lambda r: str(r.age) if r.age is not None else None)
    age: int | None = int(age_text) if age_text is not None else None
    if age is None:
        birth_year = pick(lambda r: _year(r.birth_date))
        if birth_year and event_year:
            age = int(event_year) - int(birth_year)
    return {
        "year": event_year or UNKNOWN,
        "governorate": pick(lambda r: r.governorate) or UNKNOWN,
        "sex": pick(lambda r: r.sex) or UNKNOWN,
        "age_group": age_group(age),
        "perpetrator": pick(perpetrator) or UNKNOWN,
        "status": pick(lambda r: r.status) or UNKNOWN,
    }


def _ordered(name: str, counts: Counter[str]) -> list[tuple[str, int]]:
    def key(item: tuple[str, int]) -> tuple[Any, ...]:
        value, count = item
        if value == UNKNOWN:
            return (2, 0, "")
        if name == "year":
            return (0, 0, value)
        if name == "age_group":
            return (0, AGE_GROUPS.index(value), "")
        return (0, -count, value)

    return sorted(counts.items(), key=key)


# -- the count ------------------------------------------------------------------------------


def linkage_state(conn: Connection, records: int, unlinked: int) -> dict[str, Any]:
    last = conn.execute(select(func.max(linkage_runs.c.finished_at))).scalar()
    state: dict[str, Any] = {"linked": unlinked == 0 and records > 0,
                             "last_run": last.isoformat() if last is not None else None,
                             "unlinked_records": unlinked, "note": ""}
    if records and unlinked == records:
        state["note"] = ("linkage has not been run: each record is counted as a victim, so a "
                         "person on two lists (or twice on one) is counted more than once; run "
                         "`dossier victims link`")
    elif unlinked:
        state["note"] = (f"{unlinked:,} records imported since the last linkage are counted as "
                         "victims of their own until `dossier victims link` is run again")
    return state


@dataclass
class RecordedVictims:
    """Every record grouped by the victim it belongs to; a record without a link (linkage not
    run since it was imported) is a victim of its own, keyed by its negated id."""

    lists: list[Any]  # the victim_lists rows, in import order
    rank: dict[int, int]  # list id -> its position in import order
    clusters: dict[int, list[Any]]  # victim id -> its record rows
    records: list[Any]
    unlinked: int


def recorded_victims(conn: Connection) -> RecordedVictims:
    lists = conn.execute(select(victim_lists).order_by(victim_lists.c.created_at,
                                                       victim_lists.c.id)).all()
    rank = {row.id: position for position, row in enumerate(lists)}
    rows = conn.execute(
        select(victim_records.c.id, victim_records.c.list_id, victim_records.c.sex,
               victim_records.c.age, victim_records.c.birth_date,
               victim_records.c.arrest_date, victim_records.c.death_date,
               victim_records.c.governorate, victim_records.c.status,
               victim_records.c.perpetrator, victim_links.c.victim_id)
        .select_from(victim_records.outerjoin(
            victim_links, victim_links.c.record_id == victim_records.c.id))
        .order_by(victim_records.c.id)).all()
    clusters: dict[int, list[Any]] = {}
    for row in rows:
        clusters.setdefault(row.victim_id if row.victim_id is not None else -row.id,
                            []).append(row)
    unlinked = sum(1 for row in rows if row.victim_id is None)
    return RecordedVictims(list(lists), rank, clusters, list(rows), unlinked)


def victim_stats(conn: Connection, by: Sequence[str] = BREAKDOWNS) -> VictimStats:
    """Victims counted once, broken down ``by`` each of the named breakdowns."""
    breakdowns = parse_breakdowns(by)
    recorded = recorded_victims(conn)
    lists, rank, clusters = recorded.lists, recorded.rank, recorded.clusters
    rows, unlinked = recorded.records, recorded.unlinked
    counts: dict[str, Counter[str]] = {name: Counter() for name in breakdowns}
    on_list: dict[int, set[int]] = {row.id: set() for row in lists}
    patterns: Counter[str] = Counter()
    units = resolve_perpetrators(conn, (written for row in rows if (
        written := _perpetrator(row.perpetrator)) is not None)) \
        if "perpetrator" in breakdowns else {}
    for victim, members in clusters.items():
        values = victim_values(members, rank, units)
        for name in breakdowns:
            counts[name][values[name]] += 1
        held = {member.list_id for member in members}
        for list_id in held:
            on_list[list_id].add(victim)
        patterns["".join("1" if row.id in held else "0" for row in lists)] += 1
    records_per_list = Counter(row.list_id for row in rows)
    list_rows = []
    for row in lists:
        others = set().union(*(on_list[o.id] for o in lists if o.id != row.id))
        list_rows.append({"name": row.name, "organisation": row.organisation,
                          "records": records_per_list[row.id],
                          "victims": len(on_list[row.id]),
                          "only_here": len(on_list[row.id] - others)})
    overlaps = [{"a": a.name, "b": b.name, "victims": len(on_list[a.id] & on_list[b.id])}
                for a, b in itertools.combinations(lists, 2)]
    stats = VictimStats(
        victims=len(clusters), records=len(rows),
        linkage=linkage_state(conn, len(rows), unlinked),
        breakdowns={name: _ordered(name, counts[name]) for name in breakdowns},
        lists=list_rows, overlaps=overlaps, patterns=dict(sorted(patterns.items())))
    if stats.linkage["note"]:
        stats.notes.append(stats.linkage["note"])
    if not rows:
        stats.notes.append("no victim records: import a list with `dossier victims import`")
    return stats
