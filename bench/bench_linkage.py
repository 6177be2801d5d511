"""Victim record linkage: quality on the synthetic lists, and speed on a million records.

    .venv/bin/python bench/bench_linkage.py --victims 5000 --records 1000000

1. Quality: `dossier.demo.victims.generate_lists` writes four lists over one synthetic
   population (transliteration variants, typos, swapped name parts, missing fields, dates off
   or given as a year, duplicates within a list); they are imported as a user would, linked,
   and scored against truth.json: pairwise precision and recall of the linked records, the
   count of distinct victims against the truth's recorded victims, and the blocking recall
   (true pairs any blocking rule lets through). Baseline in the same process: grouping the
   records by their exact name key.
2. Speed and quality at scale: records made in bulk from a synthetic population with a
   Zipf-like spread of names (3,000 men's and 1,500 women's given names, the commonest given to
   one man in nine as محمد is; 25,000 family names), with families (brothers, who share father,
   grandfather, family name, home and often the day they were killed; fathers and sons), each
   person listed one to three times in different lists (and now and then twice in one), each
   record with the errors lists make (Latin or Arabic script, typos, a missing father's name,
   a birth date or an age in completed years, often rounded to five; a date given as a year
   or a few days off; a slip on sex). They are inserted straight into the store, deduplicated
   by `link_records` on DuckDB (read, train, score, cluster, write the judgements and the
   victims) and scored against the truth, with the pairs of different people no method can
   tell apart (same given, father's and family name and year of birth) counted and set aside
   in a second precision. The same at a tenth of the size shows how it scales.

Targets (issue 5): precision >= 0.97 and recall >= 0.95; distinct victims within 1% of the
truth; 1,000,000 records deduplicated in <= 15 minutes on this 2-core machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from common import PeakRss, record  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from dossier.store.schema import (  # noqa: E402
    victim_links,
    victim_lists,
    victim_records,
)
from dossier.victims.linkage import link_records, linkage_table  # noqa: E402
from dossier.victims.linkage_settings import BLOCKING_RULES, LinkageSettings  # noqa: E402
from dossier.workspace import Workspace  # noqa: E402


def true_pairs(truth: dict[int, Any]) -> set[tuple[int, int]]:
    groups: dict[Any, list[int]] = defaultdict(list)
    for record_id, victim in truth.items():
        groups[victim].append(record_id)
    return {(a, b) for members in groups.values()
            for a, b in itertools.combinations(sorted(members), 2)}


def scores(truth: dict[int, Any], found: dict[int, Any]) -> tuple[float, float]:
    real, said = true_pairs(truth), true_pairs(found)
    hits = len(real & said)
    return (hits / len(said) if said else 1.0, hits / len(real) if real else 1.0)


def blocking_recall(workspace: Workspace, truth: dict[int, Any]) -> float:
    """The share of true pairs that at least one blocking rule lets through."""
    import duckdb
    import pyarrow as pa

    pairs = sorted(true_pairs(truth))
    if not pairs:
        return 1.0
    con = duckdb.connect()
    con.register("t", linkage_table(workspace.engine))
    con.register("p", pa.table({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]}))
    conditions = []
    for rule in BLOCKING_RULES:
        if isinstance(rule, str):
            conditions.append(f"({rule})")
        else:
            conditions.append("(" + " AND ".join(f"l.{c} = r.{c}" for c in rule) + ")")
    found = con.execute(
        "select count(*) from p join t l on l.unique_id = p.a join t r on r.unique_id = p.b "
        f"where {' OR '.join(conditions)}").fetchone()
    con.close()
    return (found[0] if found else 0) / len(pairs)


def _links(workspace: Workspace) -> dict[int, int]:
    with workspace.engine.connect() as conn:
        return dict(conn.execute(select(victim_links.c.record_id,
                                        victim_links.c.victim_id)).all())


def quality(victims: int, lists: int, seed: int) -> list[str]:
    from dossier.demo.victims import generate_lists
    from dossier.victims.records import import_list

    out = Path(tempfile.mkdtemp(prefix="dossier-bench-linkage-"))
    try:
        started = time.perf_counter()
        truth = generate_lists(out / "lists", victims=victims, lists=lists, seed=seed)
        workspace = Workspace.init(out / "ws")
        for listed in truth["lists"]:
            import_list(workspace, out / "lists" / listed["file"], listed["name"])
        made = time.perf_counter() - started
        with workspace.engine.connect() as conn:
            ids = {row.name: row.id for row in conn.execute(select(victim_lists))}
            rows = conn.execute(select(victim_records.c.id, victim_records.c.list_id,
                                       victim_records.c.row_number,
                                       victim_records.c.name_key)).all()
        by_row = {(ids[r["list"]], r["row"]): r["victim"] for r in truth["records"]}
        record_truth = {row.id: by_row[(row.list_id, row.row_number)] for row in rows}
        started = time.perf_counter()
        report = link_records(workspace)
        seconds = time.perf_counter() - started
        precision, recall = scores(record_truth, _links(workspace))
        recorded = truth["recorded"]
        naive = {row.id: row.name_key or f"none-{row.id}" for row in rows}
        naive_precision, naive_recall = scores(record_truth, naive)
        naive_victims = len(set(naive.values()))
        block = blocking_recall(workspace, record_truth)
        workspace.close()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    settings = LinkageSettings()
    return [
        f"synthetic lists: {victims:,} victims, {lists} lists, seed {seed}: "
        f"{len(record_truth):,} records of {recorded:,} recorded victims "
        f"(generated and imported in {made:.1f}s)",
        "",
        "| method | precision | recall | distinct victims | vs truth | seconds |",
        "|---|---|---|---|---|---|",
        f"| Splink on DuckDB (threshold {settings.threshold}) | {precision:.4f} | "
        f"{recall:.4f} | {report.victims:,} | {report.victims / recorded - 1:+.2%} | "
        f"{seconds:.1f} |",
        f"| baseline: exact name key | {naive_precision:.4f} | {naive_recall:.4f} | "
        f"{naive_victims:,} | {naive_victims / recorded - 1:+.2%} | - |",
        "",
        f"blocking recall: {block:.4f} of the true pairs pass a blocking rule; "
        f"{report.pairs_scored:,} pairs compared, {report.pairs_linked:,} linked, "
        f"{report.pairs_for_review:,} in the review band",
    ]


# -- a million records --------------------------------------------------------------------------

_CONSONANTS = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
_PATTERNS = ("{0}ا{1}{2}", "{0}{1}ي{2}", "م{0}{1}و{2}", "{0}{1}ا{2}", "{0}ا{1}ي{2}",
             "{0}{1}{2}ان", "م{0}{1}{2}", "{0}{1}{2}ي")


def _names(rng: random.Random, count: int) -> list[str]:
    """Generated Arabic-looking names (a root in a word pattern): nobody's real name."""
    names: set[str] = set()
    while len(names) < count:
        root = [rng.choice(_CONSONANTS) for _ in range(3)]
        names.add(rng.choice(_PATTERNS).format(*root))
    return sorted(names)


def _zipf(rng: random.Random, names: list[str], exponent: float, size: int) -> list[str]:
    weights = [1 / (rank + 1) ** exponent for rank in range(len(names))]
    shuffled = names[:]
    rng.shuffle(shuffled)
    return rng.choices(shuffled, weights=weights, k=size)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    return word[:at] + word[at + 1] + word[at] + word[at + 2:]


@dataclass
class Person:
    given: str
    father: str
    grandfather: str
    family: str
    sex: str
    born: date
    death: date
    arrest: date
    governorate: str

    @property
    def homonym_key(self) -> tuple[str, str, str, int]:
        """What no linkage can tell apart when two people share it and their lists say
        nothing more: names and year of birth."""
        return self.given, self.father, self.family, self.born.year


@dataclass
class Bulk:
    truth: dict[int, int]  # record id -> person
    people: list[Person]
    names: dict[str, int]  # distinct names used, by part

    def homonym_pairs(self) -> set[tuple[int, int]]:
        """Pairs of different people with the same given, father's and family name and year
        of birth (a real phenomenon in a million records of one country)."""
        groups: dict[tuple[str, str, str, int], list[int]] = defaultdict(list)
        for number, person in enumerate(self.people):
            groups[person.homonym_key].append(number)
        return {(a, b) for members in groups.values() if len(members) > 1
                for a, b in itertools.combinations(members, 2)}


GOVERNORATES = ["Damascus", "Rif Dimashq", "Aleppo", "Homs", "Hama", "Idlib", "Daraa",
                "Latakia", "Tartus", "Deir ez-Zor", "Raqqa", "Al-Hasakah", "Quneitra",
                "As-Suwayda"]


def _population(rng: random.Random, people: int) -> list[Person]:
    """People with families: brothers (same father, grandfather, family name and home, often
    killed on the same day) and fathers and sons ("Omar son of Ali son of Hasan" beside "Ali
    son of Hasan"), the hard cases of patronymic names."""
    male_pool, female_pool = _names(rng, 3000), _names(rng, 1500)
    family_pool = _names(rng, 25000)
    male = iter(_zipf(rng, male_pool, 1.0, people * 3))
    female = iter(_zipf(rng, female_pool, 1.0, people))
    family = iter(_zipf(rng, family_pool, 0.8, people))
    start, days = date(1950, 1, 1), 365 * 50
    out: list[Person] = []
    for _ in range(people):
        sex = "m" if rng.random() < 0.9 else "f"
        given = next(male) if sex == "m" else next(female)
        death = date(2011, 3, 1) + timedelta(days=rng.randrange(0, 365 * 8))
        kin = rng.random()
        if out and kin < 0.17:
            relative = out[rng.randrange(max(0, len(out) - 5000), len(out))]
            child = relative.sex == "m" and relative.born.year <= 1975
            if kin < 0.12 or not child:  # a brother or sister
                father, grandfather = relative.father, relative.grandfather
                born = relative.born + timedelta(days=rng.randrange(-365 * 10, 365 * 10))
            else:  # a son or daughter of a man on a list
                father, grandfather = relative.given, relative.father
                born = relative.born + timedelta(days=rng.randrange(365 * 18, 365 * 35))
            if rng.random() < 0.3:
                death = relative.death  # killed together
            out.append(Person(given, father, grandfather, relative.family, sex, born, death,
                              death - timedelta(days=rng.randrange(20, 400)),
                              relative.governorate))
            continue
        born = start + timedelta(days=rng.randrange(0, days))
        out.append(Person(given, next(male), next(male), next(family), sex, born, death,
                          death - timedelta(days=rng.randrange(20, 400)),
                          rng.choice(GOVERNORATES)))
    return out


def _age(person: Person, rng: random.Random) -> int | None:
    """The age at death as lists write it: in completed years, often rounded to five, now
    and then a year off, sometimes missing."""
    death, born = person.death, person.born
    age = death.year - born.year - ((death.month, death.day) < (born.month, born.day))
    draw = rng.random()
    if draw < 0.1:
        return None
    if draw < 0.25 and age >= 15:
        return 5 * round(age / 5)
    if draw < 0.3:
        return age + rng.choice((-1, 1))
    return age


def _record(person: Person, rng: random.Random, spell: Any) -> dict[str, Any]:
    latin = rng.random() < 0.5
    given, father = spell(person.given, latin), spell(person.father, latin)
    family = spell(person.family, latin)
    if latin and rng.random() < 0.08:
        given = _typo(given, rng)
    if latin and rng.random() < 0.03:
        father = _typo(father, rng)
    father_written = father if rng.random() > 0.1 else None
    death = person.death
    draw = rng.random()
    if draw < 0.15:
        death_text = str(death.year)
    elif draw < 0.2:
        death_text = (death + timedelta(days=rng.randint(-5, 5))).isoformat()
    else:
        death_text = death.isoformat()
    sex: str | None = person.sex
    draw = rng.random()
    if draw < 0.05:
        sex = None
    elif draw < 0.055:
        sex = "f" if person.sex == "m" else "m"  # a slip of the pen
    with_date = rng.random() < 0.5
    return {
        "full_name": " ".join(p for p in (given, father_written, family) if p),
        "given": given, "father": father_written, "family": family,
        "grandfather": spell(person.grandfather, latin) if rng.random() < 0.4 else None,
        "sex": sex, "birth_date": person.born.isoformat() if with_date else None,
        "age": None if with_date else _age(person, rng), "death_date": death_text,
        "arrest_date": person.arrest.isoformat() if rng.random() < 0.6 else None,
        "governorate": person.governorate if rng.random() < 0.9 else None,
    }


def bulk_records(workspace: Workspace, records: int, seed: int = 7) -> Bulk:
    """Insert about ``records`` records of people each listed one to three times, in
    different lists (and now and then twice in one); return who is who."""
    from dossier.text import romanize

    rng = random.Random(seed)
    people = _population(rng, int(records / 1.8))
    roman: dict[str, str] = {}

    def spell(name: str, latin: bool) -> str:
        if not latin:
            return name
        if name not in roman:
            roman[name] = romanize(name).title()
        return roman[name]

    now = datetime.now(UTC)
    truth: dict[int, int] = {}
    with workspace.engine.begin() as conn:
        list_ids = []
        for n in range(4):
            key = conn.execute(insert(victim_lists).values(name=f"bulk-{n}", created_at=now)
                               ).inserted_primary_key
            assert key is not None
            list_ids.append(int(key[0]))
        batch: list[dict[str, Any]] = []
        next_id = 1
        for number, person in enumerate(people):
            if next_id > records:
                break
            copies = rng.choices((1, 2, 3), weights=(45, 35, 20))[0]
            lists = rng.sample(list_ids, copies)
            if rng.random() < 0.02:
                lists.append(lists[0])  # a list's own duplicate
            for list_id in lists:
                batch.append({"id": next_id, "list_id": list_id, "source_sha256": "0" * 64,
                              "row_number": next_id, "raw": "{}", "imported_at": now,
                              **_record(person, rng, spell)})
                truth[next_id] = number
                next_id += 1
            if len(batch) >= 20_000:
                conn.execute(insert(victim_records), batch)
                batch.clear()
        if batch:
            conn.execute(insert(victim_records), batch)
    used = people[:max(truth.values()) + 1] if truth else []
    names = {"given (men)": len({p.given for p in used if p.sex == "m"}),
             "given (women)": len({p.given for p in used if p.sex == "f"}),
             "father": len({p.father for p in used}), "family": len({p.family for p in used})}
    return Bulk(truth, used, names)


def _homonym_share(bulk: Bulk, found: dict[int, int]) -> dict[str, Any]:
    """How many record pairs join different people who share names and year of birth (no
    method can tell them apart from what the lists say), and how many of them were linked."""
    homonyms = bulk.homonym_pairs()
    records_of: dict[int, list[int]] = defaultdict(list)
    for record_id, person in bulk.truth.items():
        records_of[person].append(record_id)
    record_pairs = {(min(a, b), max(a, b)) for x, y in homonyms
                    for a in records_of[x] for b in records_of[y]}
    linked = sum(1 for a, b in record_pairs if found[a] == found[b])
    real = len(true_pairs(bulk.truth))
    return {"homonym_people_pairs": len(homonyms), "homonym_record_pairs": len(record_pairs),
            "homonym_share_of_true_pairs": round(len(record_pairs) / real, 4) if real else 0.0,
            "homonym_pairs_linked": linked}


def speed(records: int, settings: LinkageSettings | None = None
          ) -> tuple[list[str], dict[str, Any]]:
    out = Path(tempfile.mkdtemp(prefix="dossier-bench-linkage-speed-"))
    try:
        workspace = Workspace.init(out / "ws")
        started = time.perf_counter()
        bulk = bulk_records(workspace, records)
        truth = bulk.truth
        made = time.perf_counter() - started
        started = time.perf_counter()
        with PeakRss() as peak:
            report = link_records(workspace, settings=settings)
        seconds = time.perf_counter() - started
        found = _links(workspace)
        precision, recall = scores(truth, found)
        homonyms = _homonym_share(bulk, found)
        said = len(true_pairs(found))
        hits = round(precision * said)
        # namesakes (same names and year of birth) joined by the linkage: where nothing else
        # in their records differs, no method can avoid these errors; precision without them
        attainable = (hits / (said - homonyms["homonym_pairs_linked"])
                      if said > homonyms["homonym_pairs_linked"] else 1.0)
        people = len(set(truth.values()))
        sizes = Counter(Counter(found.values()).values())
        workspace.close()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    figures = {"records": len(truth), "seconds": round(seconds, 1),
               "peak_rss_gib": round(peak.peak / 1024**3, 2), "precision": round(precision, 4),
               "precision_without_homonyms": round(attainable, 4),
               "recall": round(recall, 4), "victims": report.victims, "true_victims": people,
               "count_vs_truth": round(report.victims / people - 1, 4),
               "largest_victim": max(sizes), "pairs_scored": report.pairs_scored,
               "pairs_linked": report.pairs_linked, "guarded": report.guarded,
               "stages_s": {k: round(v, 1) for k, v in report.seconds.items()},
               "made_s": round(made, 1), "names": bulk.names, **homonyms}
    return [f"- {len(truth):,} records: {seconds:.1f}s ({seconds / 60:.1f} min), peak RSS "
            f"{figures['peak_rss_gib']} GiB; precision {precision:.4f} "
            f"({attainable:.4f} setting aside linked namesakes: same names and year of "
            f"birth), "
            f"recall {recall:.4f}; {report.victims:,} victims of {people:,} "
            f"({report.victims / people - 1:+.2%}), the largest of {max(sizes)} records; "
            f"{report.guarded:,} links refused by the cluster guard; stages "
            f"{figures['stages_s']}; {report.pairs_scored:,} pairs compared",
            f"  population: distinct names {bulk.names}; "
            f"{homonyms['homonym_people_pairs']:,} pairs of different people share given, "
            f"father's and family name and year of birth: "
            f"{homonyms['homonym_record_pairs']:,} record pairs, "
            f"{homonyms['homonym_share_of_true_pairs']:.2%} of the true pairs; "
            f"{homonyms['homonym_pairs_linked']:,} of them linked"], figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--victims", type=int, default=5000)
    parser.add_argument("--lists", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--records", type=int, default=1_000_000,
                        help="records for the speed run (0: none)")
    parser.add_argument("--no-record", action="store_true", help="print, do not record")
    args = parser.parse_args()
    lines = quality(args.victims, args.lists, args.seed) if args.victims else []
    runs: list[dict[str, Any]] = []
    if args.records:
        lines += ["", "speed, DuckDB, one process (read, train, score, write judgements and "
                  "victims):"]
        for size in (args.records // 10, args.records):
            text, figures = speed(size)
            lines += text
            runs.append(figures)
            print(json.dumps(figures), flush=True)
        if len(runs) == 2 and runs[0]["seconds"]:
            lines.append(f"- scaling: {runs[1]['records'] / runs[0]['records']:.0f}x the "
                         f"records took {runs[1]['seconds'] / runs[0]['seconds']:.1f}x the time")
    command = "  ".join([".venv/bin/python bench/bench_linkage.py", *sys.argv[1:]])
    if args.no_record:
        print("\n".join(lines))
    else:
        record("Victim record linkage (issue 5)", command, lines)


if __name__ == "__main__":
    main()
