"""The proof matrix of a large case: 50 elements, 5,000 evidence links.

    .venv/bin/python bench/bench_matrix.py [--elements 50] [--links 5000] [--runs 7] [--record]

Builds a temporary SQLite workspace with 2,000 synthetic items (from 20 acquisitions, a tenth
of them in near-duplicate groups), one suspect per charge, charges of the shipped frameworks
whose elements add up to --elements, and --links evidence links inserted in bulk (random item
and page, a quote in Arabic, English or French, a fifth of the documents attributed to named
witnesses; five elements contradicted, five from a single source, five gaps, the rest proven).
Then times what `dossier case matrix REF --html` does: `load_case` + `build_matrix` +
`matrix_html`, the median of --runs runs, each part apart, and counts the SQL statements
`load_case` sends (it must not send one per row). For scale, the baseline is the same evidence
read by one plain SELECT of its rows, in the same process.
Target (issue 6): ≤ 1 s.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).parent))

from common import record  # noqa: E402

from dossier.cases.casefile import add_charge, add_suspect, create_case, load_case  # noqa: E402
from dossier.cases.frameworks import charge_elements, frameworks  # noqa: E402
from dossier.cases.matrix import build_matrix, matrix_html  # noqa: E402
from dossier.registry.entities import add_entity  # noqa: E402
from dossier.workspace import Workspace  # noqa: E402

REF = "bench-case"
QUOTES = ("وذكر المصدر أن التعذيب كان يمارس بشكل يومي خلال فترة الاحتجاز في الفرع {n}.",
          "At that time Branch {n} was headed by Brigadier General Karim Nassar.",
          "Des témoins décrivent des coups et des actes de torture (dossier {n}).")


def pick_charges(wanted: int) -> list[tuple[str, str, str]]:
    """Charges of the shipped frameworks whose elements add up to exactly ``wanted``."""
    pairs = [(f.id, offence, mode) for f in frameworks().values() for offence in f.offences
             for mode in f.modes]
    random.Random(6).shuffle(pairs)
    chosen: list[tuple[str, str, str]] = []
    total = 0
    for pair in pairs:
        size = len(charge_elements(*pair))
        if total + size <= wanted:
            chosen.append(pair)
            total += size
        if total == wanted:
            return chosen
    raise SystemExit(f"no combination of charges has exactly {wanted} elements")


def build(root: Path, elements: int, links: int, items: int = 2000) -> None:
    rng = random.Random(5000)
    workspace = Workspace.init(root)
    charges = pick_charges(elements)
    with workspace.engine.begin() as conn:
        persons = [add_entity(conn, "person", f"Suspect {i} Nassar") for i in range(len(charges))]
    create_case(workspace.engine, REF, "A large synthetic case", author="bench")
    charge_ids: list[tuple[int, list[str]]] = []
    for person, charge in zip(persons, charges, strict=True):
        add_suspect(workspace.engine, REF, person, author="bench")
        added = add_charge(workspace.engine, REF, person, *charge, author="bench")
        charge_ids.append((added.id, [e.id for e in charge_elements(*charge)]))
    workspace.close()
    now = datetime.now(UTC).isoformat(sep=" ")
    db = sqlite3.connect(root / "dossier.db")
    db.execute("INSERT INTO collections (id, name, created_at) VALUES (1, 'leak', ?)", (now,))
    db.executemany("INSERT INTO acquisitions (id, collection_id, acquired_from, acquired_by, "
                   "sources, resume_key, started_at) VALUES (?, 1, ?, 'bench', '[]', 'k', ?)",
                   [(a, f"source {a}", now) for a in range(1, 21)])
    # four items in a row are copies of one document when near-duplicates: same acquisition
    db.executemany(
        "INSERT INTO items (id, collection_id, sha256, size, path, acquisition_id, depth, stage, "
        "status, page_count, near_dup_group, created_at, updated_at) "
        "VALUES (?, 1, ?, 1, ?, ?, 0, 'indexed', 'ok', 5, ?, ?, ?)",
        [(i, f"{i:064x}", f"leak/branch/{i:05d}.pdf", (i // 4) % 20 + 1,
          (i // 4) if rng.random() < 0.1 else None, now, now) for i in range(1, items + 1)])
    case_id = db.execute("SELECT id FROM cases WHERE ref = ?", (REF,)).fetchone()[0]
    # per element: the first five contradicted, the next five from one source (items of one
    # acquisition kept for them), the last five with no evidence, the others proven
    slots = [(charge, element) for charge, ids in charge_ids for element in ids]
    single = [i for i in range(1, items + 1) if (i // 4) % 20 == 0]
    others = [i for i in range(1, items + 1) if (i // 4) % 20 != 0]
    rows = []
    for n in range(links):
        index = rng.randrange(len(slots) - 5)
        charge, element = slots[index]
        item = rng.choice(single if 5 <= index < 10 else others)
        contradicts = index < 5 and rng.random() < 0.2
        given = f"witness {item % 50}" if item % 5 == 0 and index >= 10 else None
        rows.append((case_id, charge, element, item, rng.randint(1, 5),
                     rng.choice(QUOTES).format(n=n), "contradicts" if contradicts else "supports",
                     given, "assessed as credible", "bench", now))
    db.executemany("INSERT INTO case_evidence (case_id, charge_id, element, item_id, page_number, "
                   "quote, stance, source, assessment, author, created_at) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.commit()
    db.execute("ANALYZE")
    db.close()


def run(root: Path, runs: int) -> list[str]:
    workspace = Workspace.open(root)
    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    load, matrix, html, total, baseline = [], [], [], [], []
    with workspace.engine.connect() as conn:
        load_case(conn, REF)  # warm the connection, the page cache and the framework files
        event.listen(conn, "before_cursor_execute", count)
        load_case(conn, REF)
        event.remove(conn, "before_cursor_execute", count)
        for _ in range(runs):
            started = time.perf_counter()
            case = load_case(conn, REF)
            loaded = time.perf_counter()
            proof = build_matrix(case)
            built = time.perf_counter()
            page = matrix_html(case, proof)
            done = time.perf_counter()
            load.append(loaded - started)
            matrix.append(built - loaded)
            html.append(done - built)
            total.append(done - started)
            started = time.perf_counter()
            conn.execute(text("SELECT * FROM case_evidence WHERE case_id = 1")).all()
            baseline.append(time.perf_counter() - started)
    workspace.close()
    median = statistics.median
    summary = proof.summary()
    return [
        f"case: {len(case.charges)} charges, {len(proof.cells)} elements, {len(case.evidence):,} "
        f"evidence links over {len({e.item_id for e in case.evidence}):,} items; SQLite; "
        f"matrix: {summary}; HTML {len(page) / 1024:,.0f} KiB",
        f"load_case + build_matrix + matrix_html: median {median(total) * 1000:.0f} ms over "
        f"{runs} runs (max {max(total) * 1000:.0f} ms; target ≤ 1,000 ms) — load_case "
        f"{median(load) * 1000:.0f} ms ({statements} SQL statements), build_matrix "
        f"{median(matrix) * 1000:.1f} ms, matrix_html {median(html) * 1000:.0f} ms",
        f"baseline, the evidence rows alone read by one plain SELECT: "
        f"{median(baseline) * 1000:.0f} ms ({median(total) / median(baseline):.1f}× that for "
        "the whole matrix)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--elements", type=int, default=50)
    parser.add_argument("--links", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="dossier-bench-matrix-"))
    try:
        build(root, args.elements, args.links)
        lines = run(root, args.runs)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    command = (f".venv/bin/python bench/bench_matrix.py --elements {args.elements} "
               f"--links {args.links} --runs {args.runs}")
    print(command)
    print("\n".join(lines))
    if args.record:
        record("Proof matrix of a case with 50 elements and 5,000 evidence links", command, lines)


if __name__ == "__main__":
    main()
