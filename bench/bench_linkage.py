"""Victim record linkage: quality on the synthetic lists, and speed on a million records.

    .venv/bin/python bench/bench_linkage.py --victims 5000 --records 1000000

1. Quality: `dossier.demo.victims.generate_lists` writes four lists over one synthetic
   population (transliteration variants, typos, swapped name parts, missing fields, dates off
   or given as a year, duplicates within a list); they are imported as a user would, linked,
   and scored against truth.json: pairwise precision and recall of the linked records, the
   count of distinct victims against the truth's recorded victims, and the blocking recall
   (true pairs any blocking rule lets through). Baseline in the same process: grouping the
   records by their exact name key.
2. Speed: records made in bulk from a synthetic population with a realistic, Zipf-like spread
   of given and family names (thousands of generated names, so blocks are as large as in
   real lists), inserted straight into the store, then deduplicated by `link_records` on
   DuckDB (read, train, score, write the judgements and the victims). The same at a tenth of
   the size shows how it scales.

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
from collections import defaultdict
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


def bulk_records(workspace: Workspace, records: int, seed: int = 7) -> dict[int, int]:
    """Insert about ``records`` records of people each listed one to three times; return
    {record id: person}."""
    from dossier.text import romanize

    rng = random.Random(seed)
    people = int(records / 1.8)
    given_pool = _names(rng, 3000)
    family_pool = _names(rng, 25000)
    given = _zipf(rng, given_pool, 1.0, people * 3)
    family = _zipf(rng, family_pool, 0.8, people)
    governorates = ["Damascus", "Rif Dimashq", "Aleppo", "Homs", "Hama", "Idlib", "Daraa",
                    "Latakia", "Tartus", "Deir ez-Zor", "Raqqa", "Al-Hasakah", "Quneitra",
                    "As-Suwayda"]
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
        list_ids = [conn.execute(insert(victim_lists).values(
            name=f"bulk-{n}", created_at=now)).inserted_primary_key[0] for n in range(4)]
        batch: list[dict[str, Any]] = []
        written = 0
        next_id = 1
        for person in range(people):
            if written >= records:
                break
            born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))
            death = date(2011, 3, 1) + timedelta(days=rng.randrange(0, 365 * 8))
            governorate = rng.choice(governorates)
            copies = rng.choices((1, 2, 3), weights=(45, 35, 20))[0]
            for _copy in range(copies):
                latin = rng.random() < 0.5
                parts = [spell(given[3 * person], latin), spell(given[3 * person + 1], latin),
                         spell(family[person], latin)]
                if latin and rng.random() < 0.08:
                    parts[0] = _typo(parts[0], rng)
                father = parts[1] if rng.random() > 0.1 else None
                death_text = death.isoformat() if rng.random() > 0.15 else str(death.year)
                batch.append({
                    "id": next_id, "list_id": rng.choice(list_ids), "source_sha256": "0" * 64,
                    "row_number": next_id, "raw": "{}", "imported_at": now,
                    "full_name": " ".join(p for p in (parts[0], father, parts[2]) if p),
                    "given": parts[0], "father": father, "family": parts[2],
                    "grandfather": spell(given[3 * person + 2], latin)
                    if rng.random() < 0.4 else None,
                    "sex": "m" if rng.random() < 0.9 else "f",
                    "birth_date": born.isoformat() if rng.random() < 0.5 else None,
                    "age": death.year - born.year, "death_date": death_text,
                    "arrest_date": (death - timedelta(days=rng.randrange(20, 400))).isoformat()
                    if rng.random() < 0.6 else None,
                    "governorate": governorate if rng.random() < 0.9 else None,
                })
                truth[next_id] = person
                next_id += 1
                written += 1
            if len(batch) >= 20_000:
                conn.execute(insert(victim_records), batch)
                batch.clear()
        if batch:
            conn.execute(insert(victim_records), batch)
    return truth


def speed(records: int) -> tuple[list[str], dict[str, Any]]:
    out = Path(tempfile.mkdtemp(prefix="dossier-bench-linkage-speed-"))
    try:
        workspace = Workspace.init(out / "ws")
        started = time.perf_counter()
        truth = bulk_records(workspace, records)
        made = time.perf_counter() - started
        started = time.perf_counter()
        with PeakRss() as peak:
            report = link_records(workspace)
        seconds = time.perf_counter() - started
        precision, recall = scores(truth, _links(workspace))
        people = len(set(truth.values()))
        workspace.close()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    figures = {"records": len(truth), "seconds": round(seconds, 1),
               "peak_rss_gib": round(peak.peak / 1024**3, 2), "precision": round(precision, 4),
               "recall": round(recall, 4), "victims": report.victims, "true_victims": people,
               "pairs_scored": report.pairs_scored, "pairs_linked": report.pairs_linked,
               "stages_s": {k: round(v, 1) for k, v in report.seconds.items()},
               "made_s": round(made, 1)}
    return [f"- {len(truth):,} records: {seconds:.1f}s ({seconds / 60:.1f} min), peak RSS "
            f"{figures['peak_rss_gib']} GiB; precision {precision:.4f}, recall {recall:.4f}, "
            f"{report.victims:,} victims of {people:,}; stages {figures['stages_s']}; "
            f"{report.pairs_scored:,} pairs compared"], figures


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
