"""Export and verification of an evidence bundle against copying and hashing with coreutils.

    .venv/bin/python bench/bench_bundle.py [--size-mb 2048] [--exhibits 1000] [--repeat 1]

Builds, in a temporary folder, a SQLite workspace whose blob store holds ``--exhibits``
originals of random bytes totalling ``--size-mb`` (sizes spread from a tenth to twice the
mean), each with one page of text, an "acquired" custody event, and a case linking every one
of them to an element of a charge. Then, with every original in the page cache (each read
once first):

- baseline: ``cp`` of the originals to another folder, then ``sha256sum`` and ``sha512sum``
  of the copies (writing their manifests), timed together;
- export: ``export_case`` of the whole case (originals, text, exhibit list, custody with
  Merkle proofs, HTML and PDF report, signature), timed end to end;
- baseline: ``sha256sum -c`` and ``sha512sum -c`` of those manifests;
- verification: ``verify`` of the bundle (both hashes of every file, every custody proof, the
  signature).

Prints each time, the speed ratios (baseline time / Dossier time; target issue 6: ≥ 0.8 for
both), and deletes everything it wrote. ``--record`` appends the figures to bench/RESULTS.md.
Needs about 3.3 × --size-mb of free space in --dir (default: the system's temporary folder).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).parent))

from common import record  # noqa: E402

from dossier.cases.casefile import add_charge, add_suspect, create_case  # noqa: E402
from dossier.custody import log as custody  # noqa: E402
from dossier.export import bundle  # noqa: E402
from dossier.export.verify_bundle import verify  # noqa: E402
from dossier.registry.entities import add_entity  # noqa: E402
from dossier.store.schema import (  # noqa: E402
    acquisitions,
    case_evidence,
    collections,
    items,
    pages,
)
from dossier.workspace import Workspace  # noqa: E402

CASE = "bench-bundle"
ELEMENT = "7-1-f.severe-pain"


def sizes(total: int, count: int, rng: random.Random) -> list[int]:
    weights = [rng.uniform(0.1, 2.0) for _ in range(count)]
    scale = total / sum(weights)
    spread = [max(1, int(w * scale)) for w in weights]
    spread[-1] += total - sum(spread)
    return spread


def build(root: Path, total_bytes: int, count: int) -> tuple[Workspace, list[Path]]:
    """The workspace with its originals and the case; returns the originals' blob paths."""
    rng = random.Random(6)
    workspace = Workspace.init(root / "ws")
    now = datetime.now(UTC)
    blob_paths: list[Path] = []
    item_rows, blob_digests = [], []
    for number, size in enumerate(sizes(total_bytes, count, rng), start=1):
        data = rng.randbytes(size)
        sha256, _ = workspace.blobs.put_bytes(data)
        blob_paths.append(workspace.blobs.path(sha256))
        blob_digests.append(sha256)
        item_rows.append({"id": number, "collection_id": 1, "sha256": sha256, "size": size,
                          "media_type": "binary", "mime": "application/octet-stream",
                          "path": f"leak/box-{number % 20:02d}/document-{number:05d}.bin",
                          "acquisition_id": 1, "depth": 0, "stage": "indexed", "status": "ok",
                          "page_count": 1, "created_at": now, "updated_at": now})
    workspace.blobs.flush()
    with workspace.engine.begin() as conn:
        conn.execute(insert(collections).values(id=1, name="leak", created_at=now))
        conn.execute(insert(acquisitions).values(
            id=1, collection_id=1, acquired_from="a defector", acquired_by="bench",
            sources="[]", resume_key="bench", started_at=now))
        conn.execute(insert(items), item_rows)
        conn.execute(insert(pages), [{
            "item_id": row["id"], "number": 1, "method": "text", "tool": "bench",
            "text": (text := f"Document {row['id']}: order of Branch 251 about the detainees."),
            "text_sha256": hashlib.sha256(text.encode()).hexdigest(), "indexed": True}
            for row in item_rows])
        custody.append_many(conn, [custody.NewEvent(
            "acquired", "bench", int(row["id"]), str(row["sha256"]),
            {"path": row["path"], "size": row["size"], "acquisition": 1}) for row in item_rows])
        suspect = add_entity(conn, "person", "Jamil Hassan", names=["جميل حسن"], actor="bench")
    create_case(workspace.engine, CASE, "Benchmark case", author="bench")
    add_suspect(workspace.engine, CASE, suspect, author="bench")
    charge = add_charge(workspace.engine, CASE, suspect, "rome", "7-1-f", "28-a", author="bench")
    with workspace.engine.begin() as conn:
        conn.execute(insert(case_evidence), [{
            "case_id": 1, "charge_id": charge.id, "element": ELEMENT, "item_id": row["id"],
            "page_number": 1, "quote": "order of Branch 251", "stance": "supports",
            "source": f"source {row['id'] % 7}", "author": "bench", "created_at": now}
            for row in item_rows])
    return workspace, blob_paths


def warm(paths: list[Path]) -> None:
    for path in paths:
        with open(path, "rb") as stream:
            while stream.read(8 << 20):
                pass


def baseline_copy_and_hash(paths: list[Path], into: Path) -> float:
    into.mkdir()
    started = time.perf_counter()
    subprocess.run(["cp", *map(str, paths), str(into)], check=True)
    names = sorted(p.name for p in into.iterdir())
    for tool in ("sha256sum", "sha512sum"):
        with open(into.parent / f"{tool}.txt", "w") as manifest:
            subprocess.run([tool, *names], cwd=into, stdout=manifest, check=True)
    return time.perf_counter() - started


def baseline_check(into: Path) -> float:
    started = time.perf_counter()
    for tool in ("sha256sum", "sha512sum"):
        subprocess.run([tool, "--quiet", "-c", str(into.parent / f"{tool}.txt")], cwd=into,
                       check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=2048, help="total size of the originals")
    parser.add_argument("--exhibits", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1, help="time each step N times, keep "
                                                              "the best")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()
    total = args.size_mb * 1024 * 1024
    free = shutil.disk_usage(args.dir).free
    if free < 3.3 * total:
        sys.exit(f"{args.dir} has {free / 2**30:.1f} GiB free; this run needs about "
                 f"{3.3 * total / 2**30:.1f} GiB: use a smaller --size-mb or another --dir")
    root = Path(tempfile.mkdtemp(prefix="dossier-bench-bundle-", dir=args.dir))
    try:
        lines = run(root, total, args.exhibits, args.repeat)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    command = (f".venv/bin/python bench/bench_bundle.py --size-mb {args.size_mb} "
               f"--exhibits {args.exhibits} --repeat {args.repeat}")
    print(command)
    print("\n".join(lines))
    if args.record:
        record("Evidence bundle: export and verification", command, lines)


def run(root: Path, total: int, count: int, repeat: int) -> list[str]:
    started = time.perf_counter()
    workspace, blob_paths = build(root, total, count)
    print(f"built {count} originals, {total / 2**20:,.0f} MiB in "
          f"{time.perf_counter() - started:.1f}s", flush=True)
    copy_times, export_times, check_times, verify_times = [], [], [], []
    try:
        for attempt in range(repeat):
            warm(blob_paths)
            copy = root / f"copy-{attempt}"
            copy_times.append(baseline_copy_and_hash(blob_paths, copy))
            out = root / f"bundle-{attempt}.zip"
            warm(blob_paths)
            began = time.perf_counter()
            result = bundle.export_case(workspace, CASE, out)
            export_times.append(time.perf_counter() - began)
            check_times.append(baseline_check(copy))
            began = time.perf_counter()
            report = verify(out)
            verify_times.append(time.perf_counter() - began)
            if not report.ok:
                raise SystemExit(f"the bundle does not verify: {report.problems[:3]}")
            shutil.rmtree(copy)
            for leftover in (copy.parent / "sha256sum.txt", copy.parent / "sha512sum.txt"):
                leftover.unlink()
            if attempt + 1 < repeat:
                out.unlink()
    finally:
        workspace.close()
    mib = total / 2**20
    copy_s, export_s = min(copy_times), min(export_times)
    check_s, verify_s = min(check_times), min(verify_times)
    return [
        f"{count} exhibits, {mib:,.0f} MiB of originals; bundle {out.stat().st_size / 2**20:,.0f}"
        f" MiB, {report.files} files, {report.events} custody events, {os.cpu_count()} CPUs",
        f"baseline cp + sha256sum + sha512sum: {copy_s:.2f} s ({mib / copy_s:,.0f} MiB/s)",
        f"export_case:                         {export_s:.2f} s ({mib / export_s:,.0f} MiB/s)",
        f"export speed ratio: {copy_s / export_s:.2f} (target ≥ 0.8)",
        f"baseline sha256sum -c + sha512sum -c: {check_s:.2f} s ({mib / check_s:,.0f} MiB/s)",
        f"verify:                               {verify_s:.2f} s ({mib / verify_s:,.0f} MiB/s)",
        f"verification speed ratio: {check_s / verify_s:.2f} (target ≥ 0.8)",
        f"exported {result.exhibits} exhibits, sha256 {result.sha256[:16]}…",
    ]


if __name__ == "__main__":
    main()
