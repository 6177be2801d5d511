"""Generate a synthetic leak: a folder of files like a seized archive, and its truth.

``generate_leak(out)`` writes ``out/leak/<agency>/<branch>/<year>/...`` and
``out/truth.json``. The same seed gives the same bytes in every file: dates come from the
world, never from the clock; randomness from generators seeded per file. Each file's
content depends only on (seed, file number), so a benchmark can ask for 134,000 files
and a test for 40 and both stay reproducible.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path
from typing import Any

from dossier.demo.archives import bomb, broken, tar_gz, zip_archive
from dossier.demo.artifacts import Artifact, Factory
from dossier.demo.world import World, build_world

__all__ = ["generate_leak"]

TRUTH_VERSION = 1

# Share of each kind of file among the ordinary (not special) files of a mixed leak.
_MIX: dict[str, float] = {
    "pdf": 47,
    "pdf_fpdf2": 3,
    "scan_png": 4,
    "scan_jpeg": 5,
    "scan_tiff": 2,
    "scan_pdf": 5,
    "scan_tiff_multi": 1.5,
    "docx": 8,
    "xlsx": 3,
    "csv": 3,
    "html": 4,
    "text": 4,
    "email": 4,
    "zip": 1.2,
    "tar": 0.5,
}
# Present once in every mixed leak of 20 files or more.
_SPECIALS = (
    "broken:empty",
    "broken:corrupt",
    "broken:encrypted",
    "broken:bomb",
    "broken:unsupported",
    "broken:wrong_extension",
    "zip_nested",
    "zip",
    "tar",
    "email",
)
_AGENCY_DIRS = {
    "MI": "military-intelligence",
    "GI": "general-intelligence",
    "PS": "political-security",
    "AF": "air-force-intelligence",
    "CS": "criminal-security",
}
_NOTES = {
    "paths": "files[].path and children[].path are relative to the leak folder "
    "(files) or to their archive or message (children)",
    "pages": "pages[].text is what is written on the page, line by line, in reading "
    "(logical) order; table cells are joined by one space",
    "pdf_text_layer": "PDFs from producer 'dossier-fast' extract with pdfium in logical "
    "order; their text layer holds U+061C ARABIC LETTER MARK between numbers and "
    "punctuation, which consumers drop like every Unicode format character (category Cf). "
    "PDFs from 'fpdf2' extract with pdfium's usual misordering of punctuation next to "
    "numbers in Arabic lines",
    "mentions": "person_mentions, unit_mentions, ... give each surface exactly as written; "
    "a surface may be broken across lines by wrapping",
    "optional": "some records add: producer (PDFs), encoding (text, csv, html), dpi and "
    "skew_degrees (scans), password (encrypted), expect and uncompressed_size (bomb), "
    "extension_mismatch (a PDF named .jpg), subject and sent (e-mails)",
    "claims": "claims are supported by the document: a signature or a sentence stating "
    "that a person held a post in a unit on a date",
}


def _plan(docs: int, rng: random.Random, born_digital_only: bool) -> list[str]:
    if born_digital_only or docs < 20:
        return ["pdf"] * docs
    duplicates = max(1, round(docs * 0.03))
    near = max(1, round(docs * 0.03))
    rest = docs - len(_SPECIALS) - duplicates - near
    plan = list(_SPECIALS) + rng.choices(list(_MIX), list(_MIX.values()), k=rest)
    rng.shuffle(plan)
    return plan + ["duplicate"] * duplicates + ["near_duplicate"] * near


def _unit_dir(world: World, unit_id: str) -> str:
    unit = world.by_id[unit_id]
    if unit.kind == "agency":
        return f"{_AGENCY_DIRS[unit.id]}/directorate"
    if unit.kind == "branch" and unit.parent:
        label = str(unit.number) if unit.number else unit.id.split("-", 1)[1].lower()
        return f"{_AGENCY_DIRS[unit.parent]}/branch-{label}"
    group = "medical-services" if unit.kind == "hospital" else "prisons"
    return f"{group}/{unit.id.removeprefix('F-').lower()}"


class _Writer:
    """Places artifacts in the leak folder and keeps their truth records."""

    def __init__(self, leak: Path, world: World) -> None:
        self.leak = leak
        self.world = world
        self.records: list[dict[str, Any]] = []
        self.used: set[str] = set()

    def folder_for(self, artifact: Artifact, rng: random.Random) -> str:
        spec = artifact.spec or (artifact.children[0].spec if artifact.children else None)
        if artifact.record["media_type"] in ("zip", "tar"):
            return "archives" if rng.random() < 0.5 else f"archives/{rng.choice(('old', 'usb'))}"
        if spec is None:
            return rng.choice(("misc", "archives", "unsorted"))
        if spec.kind in ("case_summary", "testimony"):
            return f"investigators/{spec.language}/{spec.issued.year}"
        folder = f"{_unit_dir(self.world, spec.unit)}/{spec.issued.year}"
        if artifact.record["media_type"] == "email":
            folder += "/mail"
        return folder

    def write(self, artifact: Artifact, folder: str, slot: int) -> dict[str, Any]:
        path = f"{folder}/{artifact.name}"
        if path in self.used:
            stem, dot, ext = artifact.name.partition(".")
            path = f"{folder}/{stem}_{slot}{dot}{ext}"
        self.used.add(path)
        target = self.leak / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(artifact.data)
        record = artifact.truth(path)
        self.records.append(record)
        return record


def _make(factory: Factory, what: str, slot: int) -> Artifact:
    if what == "pdf":
        return factory.pdf(slot)
    if what == "pdf_fpdf2":
        return factory.pdf_fpdf2(slot)
    if what.startswith("scan_"):
        return factory.scan(slot, what.removeprefix("scan_"))
    if what in ("docx", "xlsx", "csv", "html", "text", "email"):
        return getattr(factory, what)(slot)  # type: ignore[no-any-return]
    if what == "zip":
        return zip_archive(factory, slot)
    if what == "zip_nested":
        return zip_archive(factory, slot, nested=True)
    if what == "tar":
        return tar_gz(factory, slot)
    if what == "broken:bomb":
        return bomb(slot)
    if what.startswith("broken:"):
        return broken(factory, slot, what.removeprefix("broken:"))
    raise ValueError(f"unknown file kind {what!r}")


def _produce(
    leak: Path, world: World, seed: int, items: list[tuple[int, str]]
) -> list[tuple[int, str, dict[str, Any]]]:
    """Make and write the files of ``items`` (slot, kind); runs in a worker process too.

    File names contain the slot number, so workers never pick the same path.
    """
    factory = Factory(world, seed)
    writer = _Writer(leak, world)
    done = []
    for slot, what in items:
        artifact = _make(factory, what, slot)
        slot_rng = random.Random(f"{seed}/{slot}/place")
        done.append(
            (slot, what, writer.write(artifact, writer.folder_for(artifact, slot_rng), slot))
        )
    return done


def _produce_all(
    leak: Path,
    world: World,
    seed: int,
    items: list[tuple[int, str]],
    workers: int,
    report: Callable[[int], None],
) -> list[tuple[int, str, dict[str, Any]]]:
    if workers <= 1 or len(items) < 2 * workers:
        results = []
        for item in items:
            results += _produce(leak, world, seed, [item])
            report(len(results))
        return results
    size = max(1, min(200, len(items) // (workers * 4)))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    results = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        jobs = pool.map(_produce, repeat(leak), repeat(world), repeat(seed), chunks)
        for chunk_results in jobs:
            results += chunk_results
            report(len(results))
    return results


def generate_leak(
    out: Path,
    docs: int = 300,
    seed: int = 7,
    progress: Callable[[int, int], None] | None = None,
    *,
    born_digital_only: bool = False,
    world: World | None = None,
    workers: int = 1,
) -> dict[str, Any]:
    """Write a synthetic leak of ``docs`` top-level files under ``out`` and return its truth.

    ``out/leak/`` receives the files, ``out/truth.json`` the truth (also returned).
    ``born_digital_only`` makes only text PDFs, fast enough for benchmark-sized leaks;
    ``workers`` > 1 spreads the work over processes (the bytes do not change).
    """
    out = Path(out)
    world = world or build_world(seed)
    factory = Factory(world, seed)
    writer = _Writer(out / "leak", world)
    plan = _plan(docs, random.Random(f"{seed}/plan"), born_digital_only)
    total = len(plan)

    def report(done: int) -> None:
        if progress is not None:
            progress(done, total)

    # Copies come last in the plan: they need the files they copy.
    ordinary = [(slot, what) for slot, what in enumerate(plan) if "duplicate" not in what]
    originals: list[tuple[int, str, dict[str, Any]]] = []
    for slot, what, record in _produce_all(writer.leak, world, seed, ordinary, workers, report):
        writer.records.append(record)
        writer.used.add(record["path"])
        if record["broken"] is None and record["media_type"] not in ("zip", "tar", "email"):
            originals.append((slot, what, record))
    for slot in range(len(ordinary), total):
        slot_rng = random.Random(f"{seed}/{slot}/place")
        if plan[slot] == "duplicate":
            _write_duplicate(writer, originals, slot, slot_rng)
        else:
            _write_near_duplicate(factory, writer, originals, slot, slot_rng)
        report(slot + 1)
    truth = {
        "version": TRUTH_VERSION,
        "seed": seed,
        "docs": total,
        "root": "leak",
        "pdf_text_order": "logical",
        "notes": _NOTES,
        "world": world.to_dict(),
        "files": writer.records,
    }
    out.mkdir(parents=True, exist_ok=True)
    with (out / "truth.json").open("w", encoding="utf-8") as stream:
        # Indented for people to read, except at benchmark sizes.
        json.dump(truth, stream, ensure_ascii=False, indent=1 if total <= 5000 else None)
    return truth


def _write_duplicate(
    writer: _Writer,
    originals: list[tuple[int, str, dict[str, Any]]],
    slot: int,
    rng: random.Random,
) -> None:
    """The same bytes again under another name, as copies pile up in real leaks."""
    _, _, original = rng.choice(originals)
    data = (writer.leak / original["path"]).read_bytes()
    name = original["path"].rsplit("/", 1)[-1]
    folder = rng.choice(("copies", "unsorted", original["path"].rsplit("/", 1)[0] + "/copies"))
    record = dict(original)
    path = f"{folder}/{rng.choice(('copy of ', 'نسخة ', ''))}{name}"
    if path in writer.used:
        path = f"{folder}/{slot}_{name}"
    writer.used.add(path)
    target = writer.leak / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    record.update(path=path, duplicate_of=original["path"])
    writer.records.append(record)


def _write_near_duplicate(
    factory: Factory,
    writer: _Writer,
    originals: list[tuple[int, str, dict[str, Any]]],
    slot: int,
    rng: random.Random,
) -> None:
    """The same document re-typed (other spellings, date format) or scanned again."""
    candidates = [o for o in originals if o[1] in ("pdf", "pdf_fpdf2", "docx", "html", "text")]
    if not candidates:
        writer.write(factory.pdf(slot), "unsorted", slot)
        return
    original_slot, _, original = rng.choice(candidates)
    ctx = factory.context(original_slot)
    if rng.random() < 0.5:
        artifact = factory.pdf(slot, retyped=True, ctx=ctx)
    else:
        artifact = factory.scan(slot, rng.choice(("jpeg", "png", "pdf")), ctx=ctx, degraded=True)
    artifact.record["near_duplicate_of"] = original["path"]
    writer.write(artifact, writer.folder_for(artifact, rng), slot)
