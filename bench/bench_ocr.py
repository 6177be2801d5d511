"""OCR of scanned pages: Dossier's OCR path against the plain `tesseract` command, side by side.

    .venv/bin/python bench/bench_ocr.py --docs 400

The scans of a demo leak (PNG, JPEG, TIFF and image-only PDFs, 150-200 dpi, clean and
degraded; `truth.json` holds the text of every page) are read three times, each with a
process pool of one worker per core and OMP_THREAD_LIMIT=1:

* baseline: the `tesseract` command once per page image, with the models Dossier chooses for
  the configured languages (`ocr.reading_languages`) and Dossier's page segmentation, text
  output only (PDF pages are rendered the way `ingest.pdf` renders them, inside the timing);
* the same command with the configured languages as given and Tesseract's default
  segmentation: what a plain `tesseract -l ara+eng+fra` would read (accuracy only);
* Dossier: `dossier.ingest.extract.extract` on each file (image decoding, metadata, OCR,
  reading order, digit repair). The `ingest` pipeline over the same files (hashing, storing,
  language, index) is timed too.

The baseline, the OCR path and the pipeline are run one after the other in each of
`--rounds` rounds, and each is compared with the baseline of its round: this machine's
speed drifts by up to a third from one minute to the next.

Figures: the time ratio (target: Dossier <= 1.15x the baseline), the character error rate
per language and quality (target for Arabic: <= 3 % clean, <= 8 % degraded), and how many of
the numbers written after unit words ("الفرع ٢٥١") come out with the right digits in the
right order (target: >= 95 %), and how many of the full dates come out right: the dates
`dossier.extract.dates.find_dates` finds in the reference text (day, month and year; numeric
"٢٠١٢/٥/١" and written "١٢ تشرين الأول ٢٠١٤" alike), counted right when it finds the same
date in the OCR text (a multiset intersection of their ISO values: a misread digit makes
another date or none). Both texts are normalised before comparing: NFKC, direction marks
dropped, Persian and Arabic-Indic digits folded to ASCII (the search normaliser treats them
alike), whitespace collapsed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from common import OUT, record  # noqa: E402

from dossier.demo import generate_leak  # noqa: E402
from dossier.extract.dates import find_dates  # noqa: E402
from dossier.ingest.context import ExtractContext  # noqa: E402
from dossier.ingest.extract import extract  # noqa: E402
from dossier.ingest.model import Limits  # noqa: E402
from dossier.ingest.ocr import PAGE_SEGMENTATION, reading_languages  # noqa: E402
from dossier.ingest.pipeline import IngestOptions, ingest  # noqa: E402
from dossier.workspace import Workspace  # noqa: E402

LANGUAGES = "ara+eng+fra"
_BIDI = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                               "\u2066\u2067\u2068\u2069"))
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_UNIT_NUMBER = re.compile(r"(?:الفرع|فرع|للفرع|الشعبة|شعبة|الفرقة|اللواء|الكتيبة|الفوج)"
                          r"\s+(\d+)(?!\d)")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_BIDI).translate(_DIGITS)
    return " ".join(text.split())


def levenshtein(one: str, two: str) -> int:
    previous = list(range(len(two) + 1))
    for i, a in enumerate(one, 1):
        current = [i]
        for j, b in enumerate(two, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]


def unit_numbers(text: str) -> Counter[str]:
    return Counter(_UNIT_NUMBER.findall(normalise(text)))


def full_dates(text: str) -> Counter[str]:
    return Counter(str(found.value) for found in find_dates(normalise(text))
                   if found.value and len(found.value) == 10)


def _environment() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _page_images(path: Path, folder: Path) -> list[Path]:
    if path.suffix.lower() != ".pdf":
        return [path]
    import pypdfium2

    from dossier.ingest.pdf import _render, _scan_dpi

    document = pypdfium2.PdfDocument(path)
    try:
        images = []
        for index in range(len(document)):
            target = folder / f"page{index}.png"
            _render(document, index, _scan_dpi(document, index)).save(target, compress_level=1)
            images.append(target)
        return images
    finally:
        document.close()


def tesseract_pages(job: tuple[str, str, str]) -> str:
    """The plain command on every page of one file; the pages' texts joined."""
    path, languages, psm = job
    texts = []
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as folder:
        for image in _page_images(Path(path), Path(folder)):
            done = subprocess.run(["tesseract", str(image), "-", "-l", languages, "--psm", psm],
                                  capture_output=True, text=True, env=_environment(),
                                  check=True)
            texts.append(done.stdout)
    return "\n".join(texts)


def dossier_pages(path: str) -> str:
    with tempfile.TemporaryDirectory(prefix="bench-blobs-") as folder:
        from dossier.blobs import BlobStore

        ctx = ExtractContext(blobs=BlobStore(Path(folder)), limits=Limits(),
                             ocr_languages=LANGUAGES, name=path)
        extraction = extract(Path(path), ctx)
    return "\n".join(page.text for page in extraction.pages)


def timed_pool(function: Callable[[Any], str], jobs: list[Any],
               workers: int) -> tuple[list[str], float]:
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(function, jobs))
    return results, time.perf_counter() - started


def scores(files: list[dict[str, Any]], texts: list[str],
           ) -> tuple[dict[tuple[str, str], list[int]], tuple[int, int], tuple[int, int]]:
    errors: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    units_right = units_all = dates_right = dates_all = 0
    for truth, text in zip(files, texts, strict=True):
        reference = "\n".join(page["text"] for page in truth["pages"])
        cell = errors[(truth["language"], truth["quality"])]
        cell[0] += levenshtein(normalise(reference), normalise(text))
        cell[1] += len(normalise(reference))
        cell[2] += len(truth["pages"])
        wanted, found = unit_numbers(reference), unit_numbers(text)
        units_all += sum(wanted.values())
        units_right += sum((wanted & found).values())
        if truth["language"] == "ar":
            written, read = full_dates(reference), full_dates(text)
            dates_all += sum(written.values())
            dates_right += sum((written & read).values())
    return dict(errors), (units_right, units_all), (dates_right, dates_all)


def latin_scans(leak_root: Path, truth: dict[str, Any],
                per_language: int) -> list[dict[str, Any]]:
    """The demo leak scans (almost) only Arabic documents: scan some of its born-digital
    English and French one-page PDFs too, clean and degraded, with the demo's own scanner
    (`dossier.demo.render_image.scan_pages`, 150 dpi), for the Latin figures."""
    from dossier.demo.render_image import encode, scan_pages

    folder = leak_root / "latin-scans"
    folder.mkdir(exist_ok=True)
    entries = []
    for language in ("en", "fr"):
        sources = [entry for entry in truth["files"]
                   if entry["media_type"] == "pdf" and entry.get("language") == language
                   and not entry.get("quality") and len(entry.get("pages") or []) == 1
                   and not entry.get("broken")][:per_language]
        for number, entry in enumerate(sources):
            for degraded in (False, True):
                quality = "degraded" if degraded else "clean"
                target = folder / f"{language}-{number}-{quality}.png"
                if not target.exists():
                    pdf = (leak_root / "leak" / entry["path"]).read_bytes()
                    scan = scan_pages(pdf, seed=number, degraded=degraded)
                    target.write_bytes(encode(scan.images[0], "png"))
                entries.append({**entry, "media_type": "image", "quality": quality,
                                "path": f"../latin-scans/{target.name}"})
    return entries


def pipeline_run(paths: list[str], workers: int) -> float:
    """Seconds of the `ingest` pipeline over copies of the files in a new workspace."""
    with tempfile.TemporaryDirectory(prefix="bench-ocr-ws-") as folder:
        scans = Path(folder) / "scans"
        for index, path in enumerate(paths):
            target = scans / f"{index:04d}{Path(path).suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        workspace = Workspace.init(Path(folder) / "ws")
        started = time.perf_counter()
        ingest(workspace, IngestOptions(collection="scans", paths=[scans], workers=workers,
                                        ocr_languages=LANGUAGES))
        seconds = time.perf_counter() - started
        workspace.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--latin", type=int, default=4,
                        help="born-digital English and French PDFs to scan, per language")
    parser.add_argument("--no-pipeline", action="store_true")
    parser.add_argument("--rounds", type=int, default=3,
                        help="times the baseline, the OCR path and the pipeline are run")
    parser.add_argument("--no-record", action="store_true", help="print, do not record")
    args = parser.parse_args()
    leak_root = OUT / f"ocr-leak-{args.docs}-{args.seed}"
    if not (leak_root / "truth.json").exists():
        generate_leak(leak_root, docs=args.docs, seed=args.seed, workers=2)
    truth = json.loads((leak_root / "truth.json").read_text(encoding="utf-8"))
    files = [entry for entry in truth["files"]
             if entry.get("quality") in ("clean", "degraded") and entry.get("pages")
             and entry["media_type"] in ("image", "pdf") and not entry.get("broken")]
    files += latin_scans(leak_root, truth, args.latin)
    paths = [str(leak_root / "leak" / entry["path"]) for entry in files]
    pages = sum(len(entry["pages"]) for entry in files)
    models = reading_languages(LANGUAGES)
    print(f"{len(files)} files, {pages} pages; models {models}", flush=True)

    tesseract_pages((paths[0], models, PAGE_SEGMENTATION))  # warm the caches alike
    dossier_pages(paths[0])
    rounds: list[tuple[float, float, float | None]] = []
    for number in range(args.rounds):
        # baseline, Dossier and the pipeline side by side in every round: this machine's
        # speed drifts by a third from one minute to the next
        base_texts, base_seconds = timed_pool(
            tesseract_pages, [(path, models, PAGE_SEGMENTATION) for path in paths],
            args.workers)
        ours, our_seconds = timed_pool(dossier_pages, paths, args.workers)
        pipeline_seconds = None if args.no_pipeline else pipeline_run(paths, args.workers)
        rounds.append((base_seconds, our_seconds, pipeline_seconds))
        print(f"round {number + 1}: baseline {base_seconds:.1f}s, dossier {our_seconds:.1f}s, "
              f"pipeline {pipeline_seconds or 0:.1f}s", flush=True)
    plain_texts, plain_seconds = timed_pool(
        tesseract_pages, [(path, LANGUAGES, "3") for path in paths], args.workers)
    print(f"plain {LANGUAGES} {plain_seconds:.1f}s", flush=True)
    base_seconds, our_seconds, pipeline_seconds = rounds[-1]

    lines = [f"{len(files)} scanned files ({pages} pages) of a demo leak (--docs {args.docs}, "
             f"seed {args.seed}; English and French: its born-digital PDFs scanned by the "
             f"demo's scanner), {args.workers} worker processes, OMP_THREAD_LIMIT=1, "
             f"configured languages {LANGUAGES}, Dossier reads with `{models}` "
             f"(psm {PAGE_SEGMENTATION}), one Tesseract run per page.", "",
             f"Timed in {len(rounds)} rounds, each running the baseline, Dossier's OCR path "
             "and its pipeline one after the other; the ratios are against the baseline of "
             "the same round, the median last.", "",
             "| round | baseline s | OCR path s | ratio | pipeline s | ratio |",
             "|---|---:|---:|---:|---:|---:|"]
    for number, (base, ours_s, pipe) in enumerate(rounds, 1):
        lines.append(f"| {number} | {base:.1f} | {ours_s:.1f} | {ours_s / base:.2f} | "
                     + (f"{pipe:.1f} | {pipe / base:.2f} |" if pipe is not None else "- | - |"))
    path_ratios = [ours_s / base for base, ours_s, _ in rounds]
    pipe_ratios = [pipe / base for base, _, pipe in rounds if pipe is not None]
    lines.append(f"| median | | | {statistics.median(path_ratios):.2f} | | "
                 + (f"{statistics.median(pipe_ratios):.2f} |" if pipe_ratios else "- |"))
    lines += ["", f"Baseline `tesseract -l {models} --psm {PAGE_SEGMENTATION}` per page: "
              f"{base_seconds / pages:.2f} s a page in the last round; plain "
              f"`tesseract -l {LANGUAGES}` (default psm 3): {plain_seconds:.1f} s "
              f"({plain_seconds / base_seconds:.2f}x that round's baseline)."]
    lines += ["", "Character error rate (Levenshtein / reference length, after normalising):",
              "", f"| language | quality | pages | Dossier | baseline `{models}` | "
              f"plain `{LANGUAGES}` |", "|---|---|---:|---:|---:|---:|"]
    ours_errors, ours_units, ours_dates = scores(files, ours)
    base_errors, base_units, base_dates = scores(files, base_texts)
    plain_errors, plain_units, plain_dates = scores(files, plain_texts)
    for key in sorted(ours_errors):
        cells = [ours_errors[key], base_errors[key], plain_errors[key]]
        lines.append(f"| {key[0]} | {key[1]} | {cells[0][2]} | "
                     + " | ".join(f"{e / max(n, 1):.1%}" for e, n, _ in cells) + " |")
    lines += ["", "Numbers after unit words (الفرع ٢٥١) read with the right digits in the right "
              "order:", ""]
    for name, (right, total) in (("Dossier", ours_units), (f"baseline `{models}`", base_units),
                                 (f"plain `{LANGUAGES}`", plain_units)):
        lines.append(f"- {name}: {right}/{total} = {right / max(total, 1):.1%}")
    lines += ["", "Dates of the Arabic pages (day, month and year, as `find_dates` reads them) "
              "read right:", ""]
    for name, (right, total) in (("Dossier", ours_dates), (f"baseline `{models}`", base_dates),
                                 (f"plain `{LANGUAGES}`", plain_dates)):
        lines.append(f"- {name}: {right}/{total} = {right / max(total, 1):.1%}")
    if args.no_record:
        print("\n".join(lines))
        return
    record("OCR", f".venv/bin/python bench/bench_ocr.py --docs {args.docs} --seed {args.seed} "
                  f"--latin {args.latin} --rounds {args.rounds}",
           lines)


if __name__ == "__main__":
    main()
