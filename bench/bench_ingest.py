"""Ingest of born-digital PDFs against a plain pypdfium2 loop over the same files, side by side.

    .venv/bin/python bench/bench_ingest.py --docs 5000

Baseline: open each PDF with pypdfium2 and extract the text of every page, in one process, in a
plain loop; nothing stored. Dossier: `ingest` into a fresh SQLite workspace with its default
workers: hashing and storing each original, type detection, extraction with the text check,
language, near-duplicate fingerprints, custody events, the search index, the signed head.
Target (issue 3): Dossier <= 1.5x the baseline; 134,000 documents searchable in < 30 min;
peak RSS of the ingest (all its processes) < 1 GB. The two are alternated `--rounds` times
and the median ratio is reported, each ingest against the baselines just before and after it:
this machine's speed drifts by a third from one minute to the next.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import pypdfium2  # noqa: E402
from common import OUT, PeakRss, record  # noqa: E402

from dossier.demo import generate_leak  # noqa: E402
from dossier.ingest.pipeline import IngestOptions, ingest  # noqa: E402
from dossier.ingest.progress import IngestProgress  # noqa: E402
from dossier.workspace import Workspace  # noqa: E402

LEAK_SIZE = 134_000


def pdf_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def baseline(files: list[Path]) -> tuple[float, int]:
    started = time.perf_counter()
    pages = 0
    for path in files:
        try:
            document = pypdfium2.PdfDocument(path)
        except pypdfium2.PdfiumError:
            continue
        for page in document:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        document.close()
    return time.perf_counter() - started, pages


def ingest_once(leak: Path, workspace_dir: Path, workers: int
                ) -> tuple[float, int, IngestProgress, int]:
    """(seconds, peak RSS in bytes, progress, pages found for 'الفرع 251') of one ingest."""
    workspace = Workspace.init(workspace_dir)
    with PeakRss() as memory:
        started = time.perf_counter()
        progress = ingest(workspace, IngestOptions(collection="bench", paths=[leak],
                                                   workers=workers))
        seconds = time.perf_counter() - started
    hits = workspace.index.search("الفرع 251", limit=5).total
    workspace.close()
    return seconds, memory.peak, progress, hits


def ingest_in_fresh_process(leak: Path, workspace_dir: Path, workers: int
                            ) -> tuple[float, int, IngestProgress, int]:
    output = subprocess.run(
        [sys.executable, __file__, "--one-ingest", str(leak), str(workspace_dir),
         "--workers", str(workers)], check=True, capture_output=True, text=True).stdout
    found = json.loads(output.strip().splitlines()[-1])
    return (found["seconds"], found["peak"], IngestProgress(**found["progress"]),
            found["hits"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3,
                        help="baseline and ingest alternated this many times (the machine's "
                             "speed drifts: each ingest is compared with the baselines just "
                             "before and after it)")
    parser.add_argument("--one-ingest", nargs=2, metavar=("LEAK", "WORKSPACE"),
                        help=argparse.SUPPRESS)  # one measured ingest, for the rounds
    args = parser.parse_args()
    if args.one_ingest:
        seconds, peak, progress, hits = ingest_once(Path(args.one_ingest[0]),
                                                    Path(args.one_ingest[1]), args.workers)
        print(json.dumps({"seconds": seconds, "peak": peak, "hits": hits,
                          "progress": {"pages": progress.pages,
                                       "failures": progress.failures}}))
        return
    leak_root = OUT / f"born-digital-{args.docs}"
    if not (leak_root / "truth.json").exists():
        started = time.perf_counter()
        generate_leak(leak_root, docs=args.docs, seed=11, born_digital_only=True, workers=2)
        print(f"generated {args.docs:,} PDFs in {time.perf_counter() - started:,.0f}s",
              flush=True)
    files = pdf_files(leak_root / "leak")
    # Workspaces of earlier runs are deleted only after the measurement: on this machine,
    # deleting thousands of files slows the file system for a while afterwards.
    old = sorted(OUT.glob(f"ws-ingest-{args.docs}*"))
    baseline(files[:200])  # warm the page cache for both runs alike
    baselines = [baseline(files)]
    runs = []
    for round_number in range(args.rounds):
        workspace_dir = OUT / f"ws-ingest-{args.docs}-{os.getpid()}-{round_number}"
        # In a fresh interpreter, as `dossier ingest` runs: forked from this one, the workers
        # would carry the baselines' memory in their resident size.
        runs.append(ingest_in_fresh_process(leak_root / "leak", workspace_dir, args.workers))
        baselines.append(baseline(files))
        print(f"round {round_number + 1}: ingest {runs[-1][0]:,.1f}s, baselines "
              f"{baselines[-2][0]:,.1f}s and {baselines[-1][0]:,.1f}s", flush=True)
    ratios = [run[0] / ((baselines[i][0] + baselines[i + 1][0]) / 2)
              for i, run in enumerate(runs)]
    middle = sorted(range(len(runs)), key=lambda i: ratios[i])[len(runs) // 2]
    seconds, peak, progress, hits = runs[middle]
    baseline_pages = baselines[0][1]
    per_doc = seconds / max(1, len(files))
    lines = [
        f"- {len(files):,} born-digital PDFs, {baseline_pages:,} pages; {args.rounds} rounds, "
        "each ingest against the mean of the baselines run just before and after it",
        "- baseline (pypdfium2 text of every page, plain loop, one process): "
        + ", ".join(f"{b[0]:,.1f}s" for b in baselines),
        f"- dossier ingest (workers={args.workers or 'all cores'}; store, custody, index "
        "included): " + ", ".join(f"{run[0]:,.1f}s" for run in runs)
        + f" ({progress.pages:,} pages, {progress.failures} failed)",
        "- ratios " + ", ".join(f"{ratio:.2f}x" for ratio in ratios)
        + f"; median {ratios[middle]:.2f}x (target <= 1.5x)",
        f"- extrapolated to {LEAK_SIZE:,} documents: {per_doc * LEAK_SIZE / 60:,.1f} min "
        "(target < 30 min)",
        f"- peak RSS of the ingest, all processes: {peak / 1024**2:,.0f} MiB "
        "(target < 1024 MiB)",
        f"- searchable at the end: 'الفرع 251' -> {hits:,} pages",
    ]
    record("Ingest of born-digital PDFs", f".venv/bin/python bench/bench_ingest.py --docs "
           f"{args.docs}" + (f" --workers {args.workers}" if args.workers else "")
           + (f" --rounds {args.rounds}" if args.rounds != 3 else ""), lines)
    for folder in old + [OUT / f"ws-ingest-{args.docs}-{os.getpid()}-{n}"
                         for n in range(args.rounds)]:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
