"""`dossier case export`: a case as an evidence bundle that anyone can verify offline.

The bundle is a BagIt 1.0 bag inside a zip (one top-level folder)::

    bagit.txt  bag-info.txt  manifest-sha256.txt  manifest-sha512.txt
    tagmanifest-sha256.txt  tagmanifest-sha512.txt
    signature.json      the signed statement: Merkle root and size of the custody log, its
                        head, and the sha256 of every other tag file (see below)
    verify_bundle.py    the standalone verifier;  README.txt  how to use it
    data/originals/     the originals, bit for bit (E001-<sha256 prefix>-<name>)
    data/text/          the derived text of each exhibit, with page markers
    data/exhibits.json, data/exhibits.csv   the exhibit list
    data/custody/       events.jsonl, proofs.json, tree.json, public-key.txt
    data/report.html, data/report.pdf, data/matrix.html

The statement signs the sha256 of every tag file but signature.json itself and the tag
manifests (which list signature.json, so they are written after it): bagit.txt, bag-info.txt,
both payload manifests (and through them every payload file), README.txt and verify_bundle.py.
So changing an original together with its manifest lines still fails, and so does editing the
bag's description, its instructions or its verifier and rewriting the tag manifests.

The export itself is custody: each exhibit gets an "exported" event (and a "redacted" one when
protected names were replaced in its text) before the tree is built, so the bundle proves its
own making; the zip's sha256 goes into one more event afterwards. The zip is written as
OUT.partial and renamed when complete. Where OUT cannot be written (a folder, an existing file
without ``overwrite``, no such parent folder), the export stops before it records anything.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dossier import __version__, spreadsheet
from dossier.cases.casefile import load_case
from dossier.cases.matrix import build_matrix
from dossier.cases.matrix_html import render_table
from dossier.custody import log as custody
from dossier.custody.log import canonical_json, now_iso
from dossier.custody.merkle import log_tree
from dossier.custody.seal import seal
from dossier.export.bagit import BagWriter
from dossier.export.custody_files import events_jsonl, exhibit_events, proofs_json, tree_json
from dossier.export.exhibits import Exhibit, derived_text, plan_exhibits
from dossier.export.pseudonyms import Pseudonymiser, load_pseudonymiser
from dossier.export.report import DISCLAIMER, ReportData, render_report, report_documents
from dossier.export.report_pdf import PdfRender
from dossier.export.verify_bundle import CHUNK, STATEMENT_FORMAT
from dossier.workspace import Workspace

Progress = Callable[[int, int], None]  # bytes of originals written, bytes in all
VERIFIER = Path(__file__).with_name("verify_bundle.py")
PDF_PART = 100  # exhibits per part of the PDF report (WeasyPrint slows on long documents)
MAX_PDF_WORKERS = 8


class ExportError(ValueError):
    """A case that cannot be exported as asked (nothing linked, an original missing)."""


@dataclass
class ExportResult:
    path: Path
    sha256: str
    exhibits: int
    original_bytes: int
    left_out: list[tuple[int, str]] = field(default_factory=list)  # (item id, why)
    redacted_items: int = 0
    tree_size: int = 0
    tree_root: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "sha256": self.sha256, "exhibits": self.exhibits,
                "original_bytes": self.original_bytes,
                "left_out": [{"item": item, "reason": why} for item, why in self.left_out],
                "redacted_items": self.redacted_items,
                "tree": {"size": self.tree_size, "root": self.tree_root}}


def export_case(workspace: Workspace, case_ref: str, out: Path, *, include: Sequence[int] = (),
                progress: Progress | None = None, overwrite: bool = False,
                actor: str | None = None) -> ExportResult:
    """Write the case's bundle to ``out`` (replacing an existing file only with ``overwrite``);
    see the module docstring for what it holds. ``actor`` is who exports it, for the custody
    log and the bag's description (default: the workspace's user)."""
    actor = actor or workspace.actor
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    check_out(out, partial, overwrite)
    folder = safe_name(out.name[:-4] if out.name.endswith(".zip") else out.name)
    with workspace.engine.connect() as conn:
        case = load_case(conn, case_ref)
        hide = load_pseudonymiser(conn)
        try:
            exhibits = plan_exhibits(conn, case, hide, include)
        except ValueError as exc:
            raise ExportError(str(exc)) from exc
    if not exhibits:
        raise ExportError(f"case {case.ref} has no evidence linked to its elements: nothing "
                          "to export (link some with `dossier case evidence`)")
    for exhibit in exhibits:
        if not exhibit.withheld and not workspace.blobs.exists(exhibit.sha256):
            raise ExportError(f"the original of item {exhibit.item_id} ({exhibit.sha256}) is "
                              "missing from the store; run `dossier verify`")
    size, head_hash, head_signature = _record_export(workspace, case.ref, out.name, exhibits,
                                                     actor)
    try:
        result = _write(workspace, case, hide, exhibits, partial, folder, size, head_hash,
                        head_signature, progress, actor)
        os.replace(partial, out)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, Exception):  # the record shows that this export did not finish
            with workspace.engine.begin() as conn:
                custody.append(conn, "failed", actor=actor, details={
                    "stage": "export", "case": case.ref, "bundle": out.name,
                    "message": str(exc)[:500]})
        raise
    result.path = out
    with workspace.engine.begin() as conn:
        custody.append(conn, "exported", actor=actor, sha256=result.sha256, details={
            "case": case.ref, "bundle": out.name, "exhibits": len(exhibits),
            "tree": {"size": size, "root": result.tree_root}})
        seal(conn, workspace.signer)
    return result


def check_out(out: Path, partial: Path, overwrite: bool) -> None:
    """Refuse, before any work and any custody event, a bundle path that cannot be written."""
    if out.is_dir():
        raise ExportError(f"{out} is a folder: give the path of the .zip to write")
    if not out.parent.is_dir():
        raise ExportError(f"{out.parent} is not a folder: create it, or write the bundle "
                          "elsewhere")
    if (out.exists() or out.is_symlink()) and not overwrite:
        raise ExportError(f"{out} already exists: choose another name, or replace it with "
                          "--overwrite")
    if partial.is_dir():
        raise ExportError(f"{partial} is a folder: the bundle is written there first; "
                          "move it away")
    if not os.access(out.parent, os.W_OK):
        raise ExportError(f"cannot write in {out.parent}")


def _record_export(workspace: Workspace, case_ref: str, bundle: str, exhibits: list[Exhibit],
                   actor: str) -> tuple[int, str, str]:
    """The custody events of the export itself, then a signed head: the tree covers them."""
    new: list[custody.NewEvent] = []
    for exhibit in exhibits:
        details = {"case": case_ref, "exhibit": exhibit.number, "bundle": bundle,
                   "original": "withheld" if exhibit.withheld else "included"}
        new.append(custody.NewEvent("exported", actor, exhibit.item_id,
                                    exhibit.sha256, details))
        if exhibit.redacted:
            new.append(custody.NewEvent("redacted", actor, exhibit.item_id,
                                        exhibit.sha256, {
                "case": case_ref, "exhibit": exhibit.number, "bundle": bundle,
                "pages": exhibit.redacted_pages,
                "reason": "names of protected persons replaced by pseudonyms in the "
                          "derived text"}))
    with workspace.engine.begin() as conn:
        custody.append_many(conn, new)
        sealed = seal(conn, workspace.signer)
    assert sealed is not None
    return sealed.seq, sealed.hash, sealed.signature


def _write(workspace: Workspace, case: Any, hide: Pseudonymiser, exhibits: list[Exhibit],
           partial: Path, folder: str, size: int, head_hash: str, head_signature: str,
           progress: Progress | None, actor: str) -> ExportResult:
    writer = BagWriter(partial, folder)
    pdf: PdfRender | None = None
    try:
        with workspace.engine.connect() as conn:
            tree = log_tree(conn, size)
            events = list(exhibit_events(conn, [e.item_id for e in exhibits], size, hide))
            for exhibit in exhibits:
                text = derived_text(conn, exhibit, hide)
                if text is not None:
                    exhibit.text = f"data/text/{exhibit.number}.txt"
                    writer.add_text(exhibit.text, text)
        for exhibit in exhibits:
            if not exhibit.withheld:
                name = safe_name(exhibit.path.replace("\\", "/").rsplit("/", 1)[-1])
                exhibit.original = (f"data/originals/{exhibit.number}-{exhibit.sha256[:12]}-"
                                    f"{name or 'original'}")
        created_at = now_iso()
        shown = hide.case(case)
        public_key = workspace.signer.public_key_hex
        by_item: dict[int, list[dict[str, Any]]] = {}
        for event in events:
            by_item.setdefault(int(event["item"]), []).append(event)
        report = ReportData(shown, build_matrix(shown), exhibits, by_item, folder, created_at,
                            public_key, {"size": tree.size, "root": tree.root,
                                         "head": {"seq": size, "hash": head_hash}},
                            len(hide.labels))
        parts = -(-len(exhibits) // PDF_PART)
        # rendered by other processes while the originals are copied and hashed here
        pdf = PdfRender(report_documents(report, parts), pdf_workers(len(exhibits)))
        original_bytes = _write_originals(workspace, writer, exhibits, progress)
        writer.add_text("data/exhibits.json", json.dumps({
            "case": shown.ref, "title": shown.title, "bundle": folder, "created_at": created_at,
            "disclaimer": DISCLAIMER, "exhibits": [e.as_dict() for e in exhibits]},
            ensure_ascii=False, indent=1))
        writer.add_text("data/exhibits.csv", exhibits_csv(exhibits))
        writer.add_text("data/custody/events.jsonl", events_jsonl(events))
        writer.add_text("data/custody/proofs.json", proofs_json(tree, events))
        writer.add_text("data/custody/tree.json", tree_json(tree, head_hash, head_signature))
        writer.add_text("data/custody/public-key.txt", public_key + "\n")
        writer.add_text("data/matrix.html", matrix_page(shown, report.matrix, hide))
        writer.add_text("data/report.html", render_report(report))
        writer.add_bytes("data/report.pdf", pdf.result())
        writer.write_manifests(_bag_info(workspace, shown, created_at, actor))
        writer.add_bytes("verify_bundle.py", VERIFIER.read_bytes())
        writer.add_text("README.txt", README.format(bundle=folder, key=public_key))
        statement = {
            "format": STATEMENT_FORMAT, "bundle": folder, "case": case.ref,
            "created_at": created_at, "exhibits": len(exhibits),
            "tree": {"size": tree.size, "root": tree.root},
            "head": {"seq": size, "hash": head_hash},
            "tag_files": writer.signed_files()}
        writer.add_text("signature.json", json.dumps({
            "algorithm": "ed25519", "public_key": public_key, "statement": statement,
            "signature": workspace.signer.sign_statement(canonical_json(statement))},
            ensure_ascii=False, indent=2))
        sha256 = writer.close()
    except BaseException:
        if pdf is not None:
            pdf.close()
        writer.abort()
        raise
    left_out = [(e.item_id, e.withheld) for e in exhibits if e.withheld]
    return ExportResult(partial, sha256, len(exhibits), original_bytes, left_out,
                        sum(e.redacted for e in exhibits), tree.size, tree.root)


def pdf_workers(exhibits: int) -> int:
    """Processes to render the PDF report with: none for a short report (here, after the
    originals); else up to one per part and per core. Copying and hashing the originals
    mostly waits on hashlib and the disk, so it shares the cores well (measured: with two
    cores, two workers finish a 1,000-exhibit export sooner than one)."""
    if exhibits < PDF_PART:
        return 0
    return min(os.cpu_count() or 1, MAX_PDF_WORKERS, -(-exhibits // PDF_PART))


def _write_originals(workspace: Workspace, writer: BagWriter, exhibits: list[Exhibit],
                     progress: Progress | None) -> int:
    """Each included original, read once, copied and hashed (sha256 checked on the way)."""
    included = [e for e in exhibits if e.original is not None]
    total = sum(e.size for e in included)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    for exhibit in included:
        assert exhibit.original is not None
        digests = writer.add_stream(exhibit.original, _read(workspace, exhibit.sha256),
                                    exhibit.size, advance)
        if digests.sha256 != exhibit.sha256:
            raise ExportError(f"the original of item {exhibit.item_id} was altered in the "
                              f"store: it hashes to {digests.sha256}, recorded "
                              f"{exhibit.sha256}; run `dossier verify`")
        exhibit.sha512 = digests.sha512
    return total


def matrix_page(case: Any, matrix: Any, hide: Pseudonymiser) -> str:
    """The case's full proof matrix (every piece of evidence) as a page of its own."""
    table = render_table(case, matrix, hide=hide.apply)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Proof matrix</title></head>\n<body>\n{table}\n</body></html>\n")


def _read(workspace: Workspace, sha256: str) -> Iterator[bytes]:
    with open(workspace.blobs.path(sha256), "rb") as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def safe_name(name: str, limit: int = 80) -> str:
    """A file name that every system can unpack: letters, digits, '.', '-' and '_'."""
    cleaned = re.sub(r"[^\w.\-]+", "_", name).strip("._")
    return cleaned[-limit:]


def exhibits_csv(exhibits: Sequence[Exhibit]) -> str:
    buffer = io.StringIO()
    out = spreadsheet.writer(buffer, lineterminator="\n")
    out.writerow(["exhibit", "item", "sha256", "sha512", "size", "path", "collection",
                  "acquisition", "acquired_from", "original", "withheld", "text", "evidence"])
    for e in exhibits:
        links = "; ".join(f"{link['stance']} {link['element']} (charge {link['charge']}"
                          + (f", p. {link['page']}" if link.get("page") is not None else "")
                          + (f", “{link['quote']}”" if link.get("quote") else "") + ")"
                          for link in e.evidence)
        out.writerow([e.number, e.item_id, e.sha256, e.sha512 or "", e.size, e.path,
                      e.collection, e.acquisition.get("id"), e.acquisition.get("from") or "",
                      e.original or "", e.withheld or "", e.text or "", links])
    return buffer.getvalue()


def _bag_info(workspace: Workspace, case: Any, created_at: str, actor: str) -> dict[str, str]:
    return {
        "Source-Organization": f"Dossier workspace, exported by {actor}",
        "Bagging-Date": created_at[:10],
        "External-Identifier": case.ref,
        "External-Description": " ".join(case.title.split()),
        "Bag-Software-Agent": f"Dossier {__version__}",
        "Dossier-Public-Key": workspace.signer.public_key_hex,
        "Dossier-Disclaimer": " ".join(DISCLAIMER.split()),
    }


README = """Evidence bundle {bundle}
{underline}

This is a BagIt 1.0 bag (RFC 8493) written by Dossier. It holds the originals of the case's
exhibits bit for bit (data/originals/), their derived text (data/text/), the exhibit list
(data/exhibits.json and .csv), the custody events of every exhibit with Merkle inclusion proofs
(data/custody/), a report (data/report.pdf, data/report.html) and the proof matrix with every
piece of evidence (data/matrix.html).

To check it, with Python 3.10 or newer and the `cryptography` package:

    python3 verify_bundle.py {bundle}.zip --trusted-key KEY

(or on the unzipped folder). It re-hashes every file against both manifests, recomputes every
custody event's hash, checks its inclusion proof against the signed Merkle root, and checks
the signature over the statement that binds the root, the log head, both manifests and the
other tag files (this README, bag-info.txt, bagit.txt, verify_bundle.py). KEY is the sender's
public key, obtained from them by another channel: the key inside the bundle proves only that
the bundle is consistent, not who made it; without --trusted-key the verifier says the key is
not confirmed. This bundle says it was signed by {key}.

Protected persons are named by pseudonyms ("Witness A", ...) in everything derived. Originals
that name them are withheld and listed in data/exhibits.json with their sha256.
""".replace("{underline}", "=" * 40)
