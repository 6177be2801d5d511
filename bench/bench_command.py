"""`command who` latency on a large registry: 100,000 entities and 1,000,000 claims.

    .venv/bin/python bench/bench_command.py [--entities 100000] [--claims 1000000]

Builds once (kept in bench/out/command-<entities>-<claims>/) a SQLite workspace with a unit
hierarchy (agencies ▸ branches ▸ sections), persons, and holds_post claims spread over the
units (exact terms and dated-document attestations, each with a source), inserted in bulk.
Then times `who` for 1,000 random (unit, date) pairs — p50/p95/max — and `chain` for 200
random persons, each against a baseline run in the same process: for `who`, the same `who`
reading the claims with a full scan of the claims table (SQLite's NOT INDEXED), on fewer
pairs; for `chain`, the former way of answering it, `who` once per unit of the person and
once per unit above it, on the same persons and dates.
Target (issue 4): `command who` ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, select

sys.path.insert(0, str(Path(__file__).parent))

from common import OUT, record  # noqa: E402

from dossier.registry.command import chain, who  # noqa: E402
from dossier.registry.entities import ancestors  # noqa: E402
from dossier.registry.resolve import load_clusters  # noqa: E402
from dossier.registry.vocabulary import command_roles  # noqa: E402
from dossier.store.schema import claims  # noqa: E402
from dossier.workspace import Workspace  # noqa: E402

ROLES = ("head", "deputy", "interrogator", "officer")
START = date(2005, 1, 1)
DAYS = 12 * 365


def build(root: Path, entity_count: int, claim_count: int, seed: int = 4) -> None:
    rng = random.Random(seed)
    workspace = Workspace.init(root)
    workspace.close()
    db = sqlite3.connect(root / "dossier.db")
    now = datetime.now(UTC).isoformat(sep=" ")
    units = entity_count // 10
    agencies = max(units // 100, 1)
    branches = max(units // 10, 1)
    rows = []
    for i in range(1, entity_count + 1):
        if i <= agencies:
            kind, unit_type, parent, name = "unit", "agency", None, f"Agency {i}"
        elif i <= agencies + branches:
            kind, unit_type, name = "unit", "branch", f"Branch {i}"
            parent = rng.randint(1, agencies)
        elif i <= units:
            kind, unit_type, name = "unit", "section", f"Section {i}"
            parent = rng.randint(agencies + 1, agencies + branches)
        else:
            kind, unit_type, parent, name = "person", None, None, f"Person {i}"
        rows.append((i, kind, name, unit_type, str(i) if kind == "unit" else None, parent,
                     False, "bench", now))
    db.executemany("INSERT INTO entities (id, kind, name, unit_type, number, parent_id, "
                   "protected, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?)", rows)
    db.executemany("INSERT INTO entity_names (entity_id, name, script, kind, key) "
                   "VALUES (?,?,?,?,?)",
                   [(r[0], r[2], "latn", "primary", r[2].lower()) for r in rows])
    rows_of_claims: list[tuple[object, ...]] = []
    sources: list[tuple[object, ...]] = []
    for i in range(1, claim_count + 1):
        unit = rng.randint(1, units)
        person = rng.randint(units + 1, entity_count)
        role = rng.choice(ROLES)
        start = START + timedelta(days=rng.randrange(DAYS))
        if rng.random() < 0.5:
            end = start + timedelta(days=rng.randint(180, 1500))
            valid = (start.isoformat(), end.isoformat(), "exact")
        else:
            valid = (start.isoformat(), start.isoformat(), "within")
        rows_of_claims.append((i, f"bench-{i}", person, "holds_post", unit, role, *valid, 0.9,
                               "bench", "extract:bench", "proposed", now, now))
        sources.append((i, 1 + i % 5000, 1, f"quote {i}", f"src-{i}"))
        if len(rows_of_claims) == 100_000:
            _flush(db, rows_of_claims, sources)
    _flush(db, rows_of_claims, sources)
    db.commit()
    db.execute("ANALYZE")
    db.close()


def _flush(db: sqlite3.Connection, claims: list[tuple[object, ...]],
           sources: list[tuple[object, ...]]) -> None:
    db.executemany("INSERT INTO claims (id, key, subject_id, predicate, object_id, role, "
                   "valid_from, valid_to, time_precision, confidence, author, origin, status, "
                   "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", claims)
    db.executemany("INSERT INTO claim_sources (claim_id, item_id, page_number, quote, key) "
                   "VALUES (?,?,?,?,?)", [(c, None, p, q, k) for c, _, p, q, k in sources])
    claims.clear()
    sources.clear()


def chain_per_unit(conn: Connection, person: int, on: date) -> list[tuple[int, list[int]]]:
    """The baseline: the chain as it was first answered, one `who` per unit, the units above
    found one parent at a time; (unit of a post, heads above) for each post."""
    clusters = load_clusters(conn)
    units = sorted(set(conn.scalars(
        select(claims.c.object_id).where(claims.c.subject_id == person,
                                         claims.c.predicate == "holds_post"))))
    found = []
    for unit in units:
        holders = who(conn, unit, on, clusters=clusters)
        if any(h.person_id == person for h in holders):
            heads = [h.person_id for above in ancestors(conn, unit)
                     for h in who(conn, above.id, on, command_roles()[:1], clusters=clusters)]
            found.append((unit, heads))
    return found


def percentiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered) * 1000, p95 * 1000, ordered[-1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--baseline-queries", type=int, default=20)
    args = parser.parse_args()
    root = OUT / f"command-{args.entities}-{args.claims}"
    if not (root / "dossier.db").exists():
        started = time.perf_counter()
        build(root, args.entities, args.claims)
        print(f"built {root} in {time.perf_counter() - started:.1f} s")
    workspace = Workspace.init(root)  # migrates a registry built by an older Dossier
    units = args.entities // 10
    rng = random.Random(251)
    pairs = [(rng.randint(1, units), START + timedelta(days=rng.randrange(DAYS)))
             for _ in range(args.queries)]
    timings, answered = [], 0
    with workspace.engine.connect() as conn:
        who(conn, 1, START)  # warm the connection and the page cache
        for unit, day in pairs:
            started = time.perf_counter()
            holders = who(conn, unit, day)
            timings.append(time.perf_counter() - started)
            answered += bool(holders)
        asked = [(rng.randint(units + 1, args.entities), START + timedelta(
            days=rng.randrange(DAYS))) for _ in range(200)]
        chain_times, chain_baseline, chain_posts = [], [], 0
        for person, day in asked:
            started = time.perf_counter()
            answer = chain(conn, person, day)
            chain_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            former = chain_per_unit(conn, person, day)
            chain_baseline.append(time.perf_counter() - started)
            chain_posts += len(answer.posts)
            # the same posts, and the same heads above each
            assert sorted((p.post.unit_id, [h.person_id for s in p.superiors if s.link != "own unit"
                                            for h in s.holders]) for p in answer.posts) == \
                sorted(former), (person, day)
        # baseline: the same answer, the claims read by a full scan of the table
        baseline = []
        for unit, day in pairs[:args.baseline_queries]:
            started = time.perf_counter()
            conn.exec_driver_sql(
                "SELECT id, subject_id, role, valid_from, valid_to, time_precision, status, "
                "confidence FROM claims NOT INDEXED WHERE object_id = ? AND "
                "predicate = 'holds_post' AND status != 'rejected'", (unit,)).all()
            who(conn, unit, day)  # the rest of the answer, as the indexed run does it
            baseline.append(time.perf_counter() - started)
    workspace.close()
    p50, p95, worst = percentiles(timings)
    c50, c95, cworst = percentiles(chain_times)
    d50, d95, dworst = percentiles(chain_baseline)
    b50, b95, bworst = percentiles(baseline)
    lines = [
        f"registry: {args.entities:,} entities ({units:,} units), {args.claims:,} holds_post "
        f"claims, each with a source; SQLite",
        f"`who` over {len(timings):,} random (unit, date) pairs ({answered:,} with holders): "
        f"p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {worst:.2f} ms (target ≤ 50 ms)",
        f"`chain` over {len(chain_times)} random (person, date) pairs ({chain_posts} posts): "
        f"p50 {c50:.2f} ms, p95 {c95:.2f} ms, max {cworst:.2f} ms; baseline, the former "
        f"`chain` (`who` once per unit): p50 {d50:.2f} ms, p95 {d95:.2f} ms, max "
        f"{dworst:.2f} ms — {d50 / c50:.1f}× faster at the median",
        f"baseline, claims found by a full scan of the claims table ({len(baseline)} pairs): "
        f"p50 {b50:.1f} ms, p95 {b95:.1f} ms, max {bworst:.1f} ms — the index on "
        f"claims(object_id, predicate, valid_from) is {b50 / p50:.0f}× faster at the median",
    ]
    command_line = ("python bench/bench_command.py --entities "
                    f"{args.entities} --claims {args.claims} --queries {args.queries}")
    record("command who on a registry of 100,000 entities and 1,000,000 claims"
           if (args.entities, args.claims) == (100_000, 1_000_000)
           else f"command who ({args.entities:,} entities, {args.claims:,} claims)",
           command_line, lines)


if __name__ == "__main__":
    main()
