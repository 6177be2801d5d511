"""Ingest of born-digital PDFs against a plain pypdfium2 loop over the same files, side by side.

    .venv/bin/python bench/bench_ingest.py --docs 5000

Baseline: open each PDF with pypdfium2 and extract the text of every page, in one process, in a
plain loop; nothing stored. Dossier: `ingest` into a fresh SQLite workspace with its default
workers: hashing and storing each original, type detection, extraction with the text check,
language, near-duplicate fingerprints, custody events, the search index, the signed head.
Target (issue 3): Dossier <= 1.5x the baseline; 134,000 documents searchable in < 30 min;
peak RSS of the ingest (all its processes) < 1 GB.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import pypdfium2  # noqa: E402
from common import OUT, PeakRss, record  # noqa: E402

from dossier.demo import generate_leak  # noqa: E402
from dossier.ingest.pipeline import IngestOptions, ingest  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    leak_root = OUT / f"born-digital-{args.docs}"
    if not (leak_root / "truth.json").exists():
        started = time.perf_counter()
        generate_leak(leak_root, docs=args.docs, seed=11, born_digital_only=True, workers=2)
        print(f"generated {args.docs:,} PDFs in {time.perf_counter() - started:,.0f}s",
              flush=True)
    files = pdf_files(leak_root / "leak")
    baseline(files[:200])  # warm the page cache for both runs alike
    baseline_seconds, baseline_pages = baseline(files)
    print(f"baseline: {baseline_seconds:,.1f}s for {baseline_pages:,} pages", flush=True)

    workspace_dir = OUT / f"ws-ingest-{args.docs}"
    shutil.rmtree(workspace_dir, ignore_errors=True)
    workspace = Workspace.init(workspace_dir)
    with PeakRss() as memory:
        started = time.perf_counter()
        progress = ingest(workspace, IngestOptions(collection="bench", paths=[leak_root / "leak"],
                                                   workers=args.workers))
        dossier_seconds = time.perf_counter() - started
    hits = workspace.index.search("الفرع 251", limit=5)
    workspace.close()
    ratio = dossier_seconds / baseline_seconds
    per_doc = dossier_seconds / max(1, len(files))
    lines = [
        f"- {len(files):,} born-digital PDFs, {baseline_pages:,} pages",
        f"- baseline (pypdfium2 text of every page, plain loop, one process): "
        f"{baseline_seconds:,.1f}s",
        f"- dossier ingest (workers={args.workers or 'all cores'}; store, custody, index "
        f"included): {dossier_seconds:,.1f}s ({progress.pages:,} pages, {progress.failures} "
        f"failed); ratio {ratio:.2f}x (target <= 1.5x)",
        f"- extrapolated to {LEAK_SIZE:,} documents: {per_doc * LEAK_SIZE / 60:,.1f} min "
        "(target < 30 min)",
        f"- peak RSS of the ingest, all processes: {memory.peak / 1024**2:,.0f} MiB "
        "(target < 1024 MiB)",
        f"- searchable at the end: 'الفرع 251' -> {hits.total:,} pages",
    ]
    record("Ingest of born-digital PDFs", f".venv/bin/python bench/bench_ingest.py --docs "
           f"{args.docs}" + (f" --workers {args.workers}" if args.workers else ""), lines)


if __name__ == "__main__":
    main()
