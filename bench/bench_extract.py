"""Mention extraction: quality on the synthetic truth, and speed with a 100,000-name gazetteer.

    .venv/bin/python bench/bench_extract.py --docs 300
    .venv/bin/python bench/bench_extract.py --docs 300 --with-scans   # OCR errors included

Quality. A synthetic leak (``generate_leak``; born-digital only unless --with-scans) is
ingested into a fresh workspace under bench/out/, the registry is seeded with the synthetic
world's persons (every name variant), units, facilities and governorates (places) — without
their posts — and ``dossier extract`` runs over it. Scoring rule, per document (item) and kind:

- the truth is the set of (document, kind, value) of the document's mentions in truth.json:
  the world id of the person / unit / facility, the ISO date of a date (a set: templates write
  some surfaces twice but record them once) — of the mentions whose surface the document's
  text writes (the truth's text of its pages, whitespace collapsed): the demo records the
  mentions of the document it renders, and a CSV or XLSX rendering keeps the tables only, so
  the letterhead's units, the signature's officer and the document's date are in the truth
  but in no cell. Documents the truth marks broken (encrypted, corrupt) are left out: they
  have no text to read. Both are counted in the report;
- an extracted mention's value is the world id of the entity it is linked to; an unlinked
  mention counts for a truth entity whose surface it equals (normalised text); an unlinked
  person mention lying within the name of a detainee of the document (truth
  detainee_mentions: detainees are persons, but the truth's "person" kind is the officers) is
  left out of the person score; any other mention is a false positive — so is a detainee's
  name linked to an officer; a date's value is its ISO value (a partial date never equals a
  truth date);
- places: truth.json does not record place mentions, so the truth of a document's places is
  derived from what the templates (dossier.demo.templates_ar / templates_latin) write: the
  governorate of every detainee of the document (truth "detainees" -> the world's detainee ->
  its governorate) for the kinds that write one per detainee (transfer orders and detainee
  lists: a "governorate" column; arrest orders, interrogation summaries, case summaries: a
  sentence about their one detainee), the governorate of the first detainee only for a cable
  ("arrested ... in the governorate of X, namely:"), none for the other kinds (death reports,
  memos, testimonies). A governorate counts only if its spelling in the document's language is
  in the truth's text of the document's pages (a CSV keeps the tables only); governorates a
  document names in passing inside a unit's or facility's name ("Damascus Central Prison") are
  the unit's, not places. An extracted place mention's value is the world id of the place it
  is linked to, else it is a false positive;
- precision = |extracted & truth| / |extracted|, recall = |extracted & truth| / |truth|,
  summed over documents, per language of the document (truth "language") and kind (person,
  unit, facility, place, date), separately for documents read from a text layer and documents
  read by OCR (any page of the item with method "ocr": scans, with --with-scans).

Linking: of the extracted person, unit and facility mentions that name an entity (linked to
one, or unlinked with the text of a truth surface), the share linked to an entity the truth
says the document names. ``command who``: for each (unit, date, role) of the truth's claims
that some document supports in its text (the claim's surface written in a document that is
not broken; the others are counted), whether ``dossier.registry.command.who`` returns the
truth's person as the holder of that role, on the claims extraction proposed (status
proposed; the registry is seeded without posts).

Speed. The pages of the leak are extracted in one process (``extract_page``, what one worker
does per page) with a gazetteer of the registry plus 100,000 synthetic names (made from
dossier.demo name parts), against the same with a 1,000-name gazetteer, and against a naive
baseline that searches each name with its own regex (timed on 1,000 names, scaled to
100,000). The end-to-end ``extract()`` run (store reads and writes included) is timed too.
Target (issue 4): >= 0.90 precision and recall per kind per language; linking >= 0.95;
>= 200 pages/s per core.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from common import OUT, record  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from dossier.demo import generate_leak  # noqa: E402
from dossier.demo.names import FAMILY, MALE, article_forms  # noqa: E402
from dossier.demo.registry_seed import governorate_id, seed_registry  # noqa: E402
from dossier.demo.world import GOVERNORATES, World, build_world  # noqa: E402
from dossier.extract import Gazetteer, Named, extract, extract_page  # noqa: E402
from dossier.ingest.pipeline import IngestOptions, ingest  # noqa: E402
from dossier.registry.command import who  # noqa: E402
from dossier.store.schema import (  # noqa: E402
    entities,
    entity_names,
    items,
    mentions,
    pages,
)
from dossier.text import name_key, normalize  # noqa: E402
from dossier.workspace import Workspace, utcnow  # noqa: E402

KINDS = ("person", "unit", "facility", "place", "date")
ENTITY_KINDS = ("person", "unit", "facility", "place")
LANGUAGES = ("ar", "en", "fr")


# -- the registry ---------------------------------------------------------------------------


def seed(workspace: Workspace, world: World) -> dict[str, int]:
    """World id -> entity id (persons with every spelling, units, facilities; no posts)."""
    with workspace.engine.begin() as conn:
        return seed_registry(conn, world, actor="bench")


# -- scoring --------------------------------------------------------------------------------


def truth_by_path(truth: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Item path as ingest records it ("leak/..." and "...!/member") -> truth record."""
    found: dict[str, dict[str, Any]] = {}

    def walk(record_: dict[str, Any], path: str) -> None:
        found[path] = record_
        for child in record_.get("children") or []:
            walk(child, f"{path}!/{child['path']}")

    for record_ in truth["files"]:
        walk(record_, f"leak/{record_['path']}")
    return found


# Document kinds whose templates write the governorate of every detainee, of the first only
_GOVERNORATE_OF_EVERY = {"arrest_order", "transfer_order", "interrogation_summary",
                         "detainee_list", "case_summary"}
_GOVERNORATE_OF_FIRST = {"cable"}
_LANGUAGE_COLUMN = {"ar": 0, "en": 1, "fr": 2}


def truth_places(record_: dict[str, Any], governorate_of: dict[str, int]) -> set[str]:
    """World ids of the governorates the document writes (see the module: places)."""
    detainees = list(record_.get("detainees") or [])
    if record_.get("kind") in _GOVERNORATE_OF_FIRST:
        detainees = detainees[:1]
    elif record_.get("kind") not in _GOVERNORATE_OF_EVERY:
        return set()
    written = normalize("\n".join(p.get("text") or "" for p in record_.get("pages") or []))
    column = _LANGUAGE_COLUMN[record_["language"]]
    return {governorate_id(governorate_of[d]) for d in detainees
            if normalize(GOVERNORATES[governorate_of[d]][column]) in written}


def _flat(text: str) -> str:
    return " ".join(normalize(text).split())


def written_text(record_: dict[str, Any]) -> str:
    """The truth's text of the document's pages, normalised, whitespace collapsed (a surface
    may be broken across lines by wrapping)."""
    return _flat("\n".join(p.get("text") or "" for p in record_.get("pages") or []))


def is_written(surface: str, written: str) -> bool:
    return _flat(surface) in written


def _truth_values(record_: dict[str, Any], governorate_of: dict[str, int]
                  ) -> tuple[dict[str, set[str]], int]:
    """The document's truth per kind — only what its text writes — and how many of the
    truth's values it does not write (see the module: what a rendering keeps)."""
    values: dict[str, set[str]] = {kind: set() for kind in KINDS}
    recorded: dict[str, set[str]] = {kind: set() for kind in KINDS}
    written = written_text(record_)
    for kind in ("person", "unit", "facility", "date"):
        for mention in record_.get(f"{kind}_mentions") or []:
            value = mention["date" if kind == "date" else "id"]
            recorded[kind].add(value)
            if is_written(mention["surface"], written):
                values[kind].add(value)
    values["place"] = truth_places(record_, governorate_of)
    return values, sum(len(recorded[kind] - values[kind]) for kind in recorded)


def _within(text: str, surfaces: set[str]) -> bool:
    return any(text in surface for surface in surfaces)


def score(workspace: Workspace, truth: dict[str, Any], ids: dict[str, int], world: World
          ) -> dict[str, Any]:
    world_of = {entity_id: world_id for world_id, entity_id in ids.items()}
    governorate_of = {d.id: d.governorate for d in world.detainees}
    by_path = truth_by_path(truth)
    counts: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    linking: Counter[str] = Counter()
    left_out: Counter[str] = Counter()
    with workspace.engine.connect() as conn:
        item_paths = dict(conn.execute(select(items.c.id, items.c.path)).all())
        read_by_ocr = set(conn.scalars(select(pages.c.item_id).where(pages.c.method == "ocr")))
        found: dict[int, list[Any]] = defaultdict(list)
        for row in conn.execute(select(mentions.c.item_id, mentions.c.kind, mentions.c.value,
                                       mentions.c.text, mentions.c.entity_id)):
            found[int(row.item_id)].append(row)
    misses: list[tuple[str, ...]] = []
    for item_id, path in item_paths.items():
        record_ = by_path.get(path)
        if record_ is None or not record_.get("language"):
            continue
        if record_.get("broken"):
            left_out["broken"] += 1
            continue
        language = record_["language"]
        method = "ocr" if item_id in read_by_ocr else "text"
        expected, unwritten = _truth_values(record_, governorate_of)
        left_out[f"unwritten {record_['media_type']}"] += unwritten
        surfaces = {kind: {normalize(m["surface"]): m["id"]
                           for m in record_.get(f"{kind}_mentions") or []}
                    for kind in ("person", "unit", "facility")}
        detainees = {normalize(m["surface"]) for m in record_.get("detainee_mentions") or []}
        got: dict[str, set[str]] = {kind: set() for kind in KINDS}
        for row in found.get(item_id, []):
            if row.kind not in KINDS:
                continue
            if row.kind == "date":
                got["date"].add(row.value or "?")
                continue
            text = normalize(row.text)
            if row.kind == "place":
                value = (world_of.get(int(row.entity_id), f"?{row.entity_id}")
                         if row.entity_id is not None else f"?{row.text}")
            elif row.entity_id is not None:
                value = world_of.get(int(row.entity_id), f"?{row.entity_id}")
                linking["mentions"] += 1
                linking["linked_right"] += value in expected[row.kind]
            elif text in surfaces[row.kind]:
                value = surfaces[row.kind][text]
                linking["mentions"] += 1  # names a truth entity, not linked
            elif row.kind == "person" and _within(text, detainees):
                continue  # a detainee's name, not linked: outside the person truth
            else:
                value = f"?{row.text}"
            got[row.kind].add(value)
        for kind in KINDS:
            key = (method, language, kind)
            counts[key]["tp"] += len(got[kind] & expected[kind])
            counts[key]["extracted"] += len(got[kind])
            counts[key]["truth"] += len(expected[kind])
            if len(misses) < 2_000:
                misses.extend((method, language, kind, path, "missed", value)
                              for value in sorted(expected[kind] - got[kind]))
                misses.extend((method, language, kind, path, "extra", value)
                              for value in sorted(got[kind] - expected[kind]))
    table = {}
    for (method, language, kind), c in sorted(counts.items()):
        precision = c["tp"] / c["extracted"] if c["extracted"] else 1.0
        recall = c["tp"] / c["truth"] if c["truth"] else 1.0
        table[f"{method}/{language}/{kind}"] = {"precision": round(precision, 4),
                                                 "recall": round(recall, 4), **dict(c)}
    return {"per_language_kind": table, "misses": misses,
            "linking": round(linking["linked_right"] / max(linking["mentions"], 1), 4),
            "linking_counts": dict(linking), "left_out": dict(left_out)}


def who_accuracy(workspace: Workspace, truth: dict[str, Any], ids: dict[str, int]
                 ) -> dict[str, Any]:
    """Share of the truth's (unit, date, role) whose person ``who`` returns as the holder."""
    pairs = {}
    unwritten = set()
    for record_ in truth_by_path(truth).values():
        written = written_text(record_)
        for claim in record_.get("claims") or []:
            pair = (claim["unit"], claim["date"], claim["role"])
            if record_.get("broken") or not is_written(claim["surface"], written):
                unwritten.add(pair)
                continue
            pairs[pair] = claim["person"]
    right = named = 0
    with workspace.engine.connect() as conn:
        for (unit, day, role), person in pairs.items():
            holders = [h for h in who(conn, ids[unit], date.fromisoformat(day))
                       if h.role == role]
            right += any(h.person_id == ids[person] and h.standing == "holder" for h in holders)
            named += any(h.person_id == ids[person] for h in holders)
    return {"pairs": len(pairs), "right_holder": right,
            "left_out_unwritten": len(unwritten - set(pairs)),
            "accuracy": round(right / max(len(pairs), 1), 4),
            "named_as_holder_or_candidate": named}


# -- speed ----------------------------------------------------------------------------------


def synthetic_names(count: int, seed_value: int = 100) -> list[Named]:
    """Officer-like names from the demo name parts, in both scripts (entity ids from 10**7)."""
    rng = random.Random(seed_value)
    names: list[Named] = []
    entity_id = 10**7
    while len(names) < count:
        given, father, family = rng.choice(MALE), rng.choice(MALE), rng.choice(FAMILY)
        entity_id += 1
        names.append(Named(entity_id, "person", f"{given.ar} {father.ar} {family.ar}"))
        family_en = rng.choice(article_forms(rng.choice(family.en), family.ar, False)
                               if family.article else family.en)
        names.append(Named(entity_id, "person",
                           f"{rng.choice(given.en)} {rng.choice(father.en)} {family_en}"))
    return names[:count]


def registry_names(workspace: Workspace) -> list[Named]:
    with workspace.engine.connect() as conn:
        return [Named(int(r.entity_id), str(r.kind), str(r.name),
                      str(r.number) if r.number else None)
                for r in conn.execute(select(entity_names.c.entity_id, entity_names.c.name,
                                             entities.c.kind, entities.c.number)
                                      .join(entities, entities.c.id == entity_names.c.entity_id))]


def speed(workspace: Workspace, extra: int) -> dict[str, Any]:
    with workspace.engine.connect() as conn:
        texts = [str(t) for t in conn.scalars(select(pages.c.text).order_by(pages.c.id))]
    base = registry_names(workspace)
    results: dict[str, Any] = {"pages": len(texts)}
    for label, size in (("gazetteer_1k", 1_000), ("gazetteer_100k", extra)):
        started = time.perf_counter()
        gazetteer = Gazetteer(base + synthetic_names(size))
        built = time.perf_counter() - started
        started = time.perf_counter()
        mentions_found = sum(len(extract_page(text, gazetteer)) for text in texts)
        seconds = time.perf_counter() - started
        results[label] = {"names": gazetteer.size, "build_s": round(built, 2),
                          "pages_per_s": round(len(texts) / seconds, 1),
                          "mentions": mentions_found}
    sample = synthetic_names(1_000, seed_value=5)
    patterns = [re.compile(r"\b" + r"\s+".join(map(re.escape, normalize(n.name).split())) + r"\b")
                for n in sample]
    subset = texts[: min(len(texts), 100)]
    started = time.perf_counter()
    for text in subset:
        folded = normalize(text)
        for pattern in patterns:
            pattern.search(folded)
    per_page_1k = (time.perf_counter() - started) / len(subset)
    results["naive_regex_per_name"] = {
        "pages_per_s_1k_names": round(1 / per_page_1k, 1),
        "pages_per_s_100k_names_scaled": round(1 / (per_page_1k * extra / 1_000), 2)}
    results["ratio_100k_vs_naive"] = round(
        results["gazetteer_100k"]["pages_per_s"]
        / results["naive_regex_per_name"]["pages_per_s_100k_names_scaled"], 1)
    results["ratio_100k_vs_1k"] = round(results["gazetteer_100k"]["pages_per_s"]
                                        / results["gazetteer_1k"]["pages_per_s"], 3)
    return results


def add_names_to_registry(workspace: Workspace, names: list[Named]) -> None:
    now = utcnow()
    by_entity: dict[int, list[str]] = defaultdict(list)
    for named in names:
        by_entity[named.entity_id].append(named.name)
    with workspace.engine.begin() as conn:
        for chunk_start in range(0, len(by_entity), 5_000):
            chunk = list(by_entity.items())[chunk_start:chunk_start + 5_000]
            inserted = conn.execute(insert(entities).returning(entities.c.id,
                                                               sort_by_parameter_order=True),
                                    [{"kind": "person", "name": n[0], "created_by": "bench",
                                      "created_at": now} for _, n in chunk]).scalars().all()
            conn.execute(insert(entity_names), [
                {"entity_id": entity_id, "name": name, "script": "latn", "kind": "variant",
                 "key": name_key(name)}
                for entity_id, (_, entity_names_) in zip(inserted, chunk, strict=True)
                for name in entity_names_])


# -- the run --------------------------------------------------------------------------------


def ingested(leak: Path, name: str) -> Path:
    """A workspace with the leak ingested (kept under bench/out/ and copied for each run:
    with scans, ingest is mostly OCR, and the leak does not change)."""
    template = OUT / f"{name}-ingested"
    done = template / "ingested.txt"
    if not done.exists():
        shutil.rmtree(template, ignore_errors=True)
        workspace = Workspace.init(template)
        try:
            ingest(workspace, IngestOptions(collection="leak", paths=[leak / "leak"]))
        finally:
            workspace.close()
        done.write_text(f"{leak}\n", encoding="utf-8")
    return template


def fresh_copy(template: Path, root: Path) -> Workspace:
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(template, root)
    return Workspace.init(root)  # brings a template ingested by an older schema up to date


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--with-scans", action="store_true")
    parser.add_argument("--quality-only", action="store_true",
                        help="skip the speed runs (implies --no-record)")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    flavour = "scans" if args.with_scans else "digital"
    name = f"extract-ws-{args.docs}-{args.seed}-{flavour}"
    leak = OUT / f"extract-leak-{args.docs}-{args.seed}-{flavour}"
    if not (leak / "truth.json").exists():
        generate_leak(leak, docs=args.docs, seed=args.seed,
                      born_digital_only=not args.with_scans, workers=os.cpu_count() or 1)
    truth = json.loads((leak / "truth.json").read_text(encoding="utf-8"))
    template = ingested(leak, name)
    world = build_world(args.seed)
    workspace = fresh_copy(template, OUT / name)
    try:
        ids = seed(workspace, world)
        report = extract(workspace)
        quality = score(workspace, truth, ids, world)
        who_right = who_accuracy(workspace, truth, ids)
        fast = None if args.quality_only else speed(workspace, args.names)
    finally:
        workspace.close()
    (OUT / f"{name}-misses.json").write_text(
        json.dumps(quality["misses"], ensure_ascii=False, indent=0), encoding="utf-8")
    end_to_end = None
    if not args.quality_only:
        workspace = fresh_copy(template, OUT / f"{name}-{args.names}")
        try:
            seed(workspace, world)
            add_names_to_registry(workspace, synthetic_names(args.names))
            end_to_end = extract(workspace)
        finally:
            workspace.close()
    lines = [f"{report.pages} pages of {args.docs} documents ({flavour}), "
             f"{report.gazetteer_names} registry names; extract() {report.seconds:.1f}s, "
             f"claims proposed {report.claims_new}", "",
             "pages read from the text layer (text) or by OCR (ocr):", "",
             "| read/language/kind | precision | recall | extracted | truth |",
             "|---|---|---|---|---|"]
    for key, row in quality["per_language_kind"].items():
        lines.append(f"| {key} | {row['precision']:.3f} | {row['recall']:.3f} | "
                     f"{row['extracted']} | {row['truth']} |")
    lines += ["", f"linking: {quality['linking']:.3f} of the person, unit and facility mentions "
                  f"that name an entity of the document's truth are linked to it "
                  f"({quality['linking_counts']})",
              f"left out of the truth: {quality['left_out']} (broken: documents the truth "
              f"marks broken, encrypted or corrupt; unwritten: truth values the document's text "
              f"does not write)",
              f"command who: {json.dumps(who_right)}"]
    if fast is not None and end_to_end is not None:
        lines += [
            "", "speed, one process (extract_page over every page):",
            f"- 100k-name gazetteer: {fast['gazetteer_100k']}",
            f"- 1k-name gazetteer: {fast['gazetteer_1k']}",
            f"- naive regex per name: {fast['naive_regex_per_name']}",
            f"- ratio 100k gazetteer / naive regex at 100k names: {fast['ratio_100k_vs_naive']}"
            f"x; 100k / 1k gazetteer: {fast['ratio_100k_vs_1k']}",
            f"- end to end extract() with {end_to_end.gazetteer_names} registry names "
            f"(store reads and writes included, one process): loading the registry "
            f"{end_to_end.gazetteer_seconds:.1f}s once, then "
            f"{end_to_end.pages / (end_to_end.seconds - end_to_end.gazetteer_seconds):.1f} "
            f"pages/s over {end_to_end.pages} pages "
            f"({end_to_end.pages / end_to_end.seconds:.1f} pages/s with the loading)"]
    command = "bench/bench_extract.py " + " ".join(sys.argv[1:])
    if args.no_record or args.quality_only:
        print("\n".join(lines))
    else:
        record("Mention extraction (issue 4)", command, lines)


if __name__ == "__main__":
    main()
