"""`dossier case export`: what a bundle holds, what custody records, what protected persons
leave behind (nothing), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from dossier.cases.casefile import add_evidence
from dossier.cli.main import app
from dossier.custody import log as custody
from dossier.custody.seal import latest_seal
from dossier.export import bundle as bundle_module
from dossier.export import report_pdf
from dossier.export.bundle import ExportError, export_case
from dossier.export.verify_bundle import verify
from dossier.store.schema import entity_names, items
from dossier.text import name_variants

from .helpers import ARABIC_QUOTE, SUSPECT_AR, WITNESS_SPELLINGS, add_original, build_case
from .tamper import extract

BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    """Text as compared: NFKC, no bidi controls, whitespace collapsed."""
    return " ".join(BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", text)).split())


def members(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as archive:
        return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}


def test_export_writes_a_bag_that_verifies_with_originals_bit_for_bit(workspace, tmp_path
                                                                       ) -> None:
    built = build_case(workspace)
    seen: list[tuple[int, int]] = []
    out = tmp_path / "case-251.zip"
    result = export_case(workspace, built.case, out, progress=lambda d, t: seen.append((d, t)))
    assert result.path == out and out.exists()
    assert not (tmp_path / "case-251.zip.partial").exists()
    assert result.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert verify(out, trusted_key=workspace.signer.public_key_hex).ok
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        stored = {i.filename: i.compress_type for i in archive.infolist()}
    assert {name.split("/", 1)[0] for name in names} == {"case-251"}
    files = members(out)
    assert files["bagit.txt"] == b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    assert set(files) >= {"bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt",
                          "tagmanifest-sha256.txt", "tagmanifest-sha512.txt", "signature.json",
                          "verify_bundle.py", "README.txt", "data/exhibits.json",
                          "data/exhibits.csv", "data/custody/events.jsonl",
                          "data/custody/proofs.json", "data/custody/tree.json",
                          "data/custody/public-key.txt", "data/report.html",
                          "data/report.pdf", "data/matrix.html"}
    assert files["verify_bundle.py"] == Path(bundle_module.__file__).with_name(
        "verify_bundle.py").read_bytes()
    info = files["bag-info.txt"].decode()
    assert "External-Identifier: test-251" in info and "Dossier-Disclaimer:" in info
    exhibits = json.loads(files["data/exhibits.json"])["exhibits"]
    assert [e["exhibit"] for e in exhibits] == ["E001", "E002", "E003"]
    for exhibit in exhibits:
        if exhibit["original"] is None:
            continue
        data = files[exhibit["original"]]
        assert data == workspace.blobs.path(exhibit["sha256"]).read_bytes()
        assert hashlib.sha512(data).hexdigest() == exhibit["sha512"]
        assert stored[f"case-251/{exhibit['original']}"] == zipfile.ZIP_STORED
        assert exhibit["evidence"] and exhibit["collection"] and exhibit["acquisition"]["id"]
    order = next(e for e in exhibits if e["item"] == built.items["order"])
    assert order["evidence"][0]["element"] == "7-1-f.severe-pain"
    assert order["evidence"][0]["quote"] == ARABIC_QUOTE and order["evidence"][0]["page"] == 1
    rows = list(csv.DictReader(io.StringIO(files["data/exhibits.csv"].decode())))
    assert [r["exhibit"] for r in rows] == ["E001", "E002", "E003"]
    assert rows[0]["sha512"] == order["sha512"]
    assert "===== E001 page 1 =====" in files["data/text/E001.txt"].decode()
    assert seen[-1][0] == seen[-1][1] == result.original_bytes


def test_export_is_custody_and_the_bundle_carries_it(workspace, tmp_path) -> None:
    built = build_case(workspace)
    result = export_case(workspace, built.case, tmp_path / "b.zip")
    with workspace.engine.connect() as conn:
        logged = list(custody.events(conn))
        problems, _, _ = custody.verify_chain(conn)
        sealed = latest_seal(conn)
    assert not problems
    exported = [e for e in logged if e.action == "exported"]
    assert {e.item_id for e in exported[:-1]} == set(built.items.values())
    assert [e.item_id for e in logged if e.action == "redacted"] == [built.items["statement"]]
    final = exported[-1]
    assert final.item_id is None and final.subject_sha256 == result.sha256
    assert sealed is not None and sealed.seq == final.seq
    files = members(result.path)
    tree = json.loads(files["data/custody/tree.json"])
    assert tree["size"] == final.seq - 1 == result.tree_size
    bundled = [json.loads(line) for line in files["data/custody/events.jsonl"].splitlines()]
    in_bundle = {e["seq"] for e in bundled}
    expected = {e.seq for e in logged if e.item_id in built.items.values() and e.seq < final.seq}
    assert in_bundle == expected
    proofs = json.loads(files["data/custody/proofs.json"])["proofs"]
    assert set(proofs) == {str(seq) for seq in in_bundle}


def test_no_protected_name_is_left_in_any_derived_file(workspace, tmp_path) -> None:
    built = build_case(workspace)
    interview = add_original(workspace, "interviews/KHALIL Samer, 2013.txt", b"notes\n",
                             ["Notes of the interview."])
    add_evidence(workspace.engine, built.case, 1, "7-1-f.custody", interview, page=1,
                 author="tester")
    result = export_case(workspace, built.case, tmp_path / "b.zip")
    assert result.left_out == [(built.items["statement"], result.left_out[0][1])]
    assert result.redacted_items == 1
    with workspace.engine.connect() as conn:
        names = list(conn.scalars(select(entity_names.c.name).where(
            entity_names.c.entity_id == built.witness)))
    spellings = {s for name in names for s in name_variants(name)} | set(WITNESS_SPELLINGS) \
        | {"Khalil", "خليل"}
    folder = extract(result.path, tmp_path / "x")
    texts = {p.relative_to(folder).as_posix(): p.read_bytes().decode("utf-8", "replace")
             for p in folder.rglob("*") if p.is_file() and p.suffix != ".pdf"}
    texts["data/report.pdf (text)"] = pdf_text(folder / "data/report.pdf")
    texts["data/report.pdf (metadata)"] = subprocess.run(
        ["pdfinfo", "-meta", str(folder / "data/report.pdf")], capture_output=True, text=True,
        check=True).stdout
    texts["the names of the files in the zip"] = "\n".join(members(result.path))
    for name, text in texts.items():
        found = [s for s in spellings if s.casefold() in text.casefold()]
        assert not found, f"{name} names the protected witness: {found}"
    assert any(n.endswith("-interviews_Witness_A_2013.txt") or n.endswith("-Witness_A_2013.txt")
               for n in members(result.path))
    statement = json.loads(texts["data/exhibits.json"])["exhibits"][1]
    assert statement["original"] is None and "protected" in statement["withheld"]
    assert len(statement["sha256"]) == 64 and statement["pseudonymised_pages"] == [1, 2]
    derived = texts[statement["text"]]
    assert "قال Witness A إن" in derived and "taken from Witness A on" in derived
    assert "Witness A is credible" in texts["data/report.html"]


def test_include_puts_a_withheld_original_in_but_keeps_derived_files_pseudonymised(
        workspace, tmp_path) -> None:
    built = build_case(workspace)
    statement = built.items["statement"]
    result = export_case(workspace, built.case, tmp_path / "b.zip", include=[statement])
    assert result.left_out == []
    files = members(result.path)
    exhibit = json.loads(files["data/exhibits.json"])["exhibits"][1]
    assert exhibit["item"] == statement and exhibit["original"] and not exhibit["withheld"]
    assert "Witness A" in files[exhibit["text"]].decode()
    with pytest.raises(ExportError, match="not exhibits"):
        export_case(workspace, built.case, tmp_path / "c.zip", include=[9999])


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True)
    return done.stdout


def test_the_pdf_report_carries_arabic_in_logical_order_and_hashes_intact(workspace, tmp_path
                                                                         ) -> None:
    built = build_case(workspace)
    result = export_case(workspace, built.case, tmp_path / "b.zip")
    folder = extract(result.path, tmp_path / "x")
    text = plain(pdf_text(folder / "data/report.pdf"))
    assert plain(SUSPECT_AR) in text
    # pdftotext writes a line of a mostly-English page left to right, run by run: an Arabic
    # line broken by a number comes out as its Arabic runs, each in logical order.
    runs = [run.strip() for run in re.split(r"\d+", ARABIC_QUOTE) if run.strip()]
    assert len(runs) == 2
    for run in runs:
        assert plain(run) in text
        assert plain(run)[::-1] not in text  # not in visual (reversed) order
    exhibits = json.loads((folder / "data/exhibits.json").read_text())["exhibits"]
    assert all(e["sha256"] in text for e in exhibits)
    html = (folder / "data/report.html").read_text()
    assert f'<div class="quote" lang="ar" dir="rtl">{ARABIC_QUOTE}</div>' in html
    assert f'<bdi dir="ltr" class="hash">{exhibits[0]["sha256"]}</bdi>' in html
    assert "http://" not in html and "https://" not in html


def test_an_interrupted_export_leaves_no_bundle_and_says_so_in_custody(workspace, tmp_path,
                                                                      monkeypatch) -> None:
    built = build_case(workspace)

    def broken(html: str) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(report_pdf, "render_pdf", broken)
    with pytest.raises(RuntimeError, match="renderer crashed"):
        export_case(workspace, built.case, tmp_path / "b.zip")
    assert not list(tmp_path.glob("b.zip*"))
    with workspace.engine.connect() as conn:
        last = list(custody.events(conn))[-1]
    assert last.action == "failed" and last.details["stage"] == "export"


def test_an_original_altered_in_the_store_stops_the_export(workspace, tmp_path) -> None:
    built = build_case(workspace)
    with workspace.engine.connect() as conn:
        sha256 = conn.execute(select(items.c.sha256).where(
            items.c.id == built.items["photo"])).scalar_one()
    blob = workspace.blobs.path(sha256)
    blob.chmod(0o644)
    blob.write_bytes(b"x" + blob.read_bytes()[1:])
    with pytest.raises(ExportError, match="altered in the store"):
        export_case(workspace, built.case, tmp_path / "b.zip")
    assert not list(tmp_path.glob("b.zip*"))


def test_the_commands_export_and_verify(workspace, tmp_path) -> None:
    built = build_case(workspace)
    runner = CliRunner()
    out = tmp_path / "cli.zip"
    done = runner.invoke(app, ["-w", str(workspace.root), "case", "export", built.case, str(out),
                               "--json"])
    assert done.exit_code == 0, done.stderr
    exported = json.loads(done.stdout)
    assert exported["exhibits"] == 3 and exported["left_out"][0]["item"] == \
        built.items["statement"]
    key = workspace.signer.public_key_hex
    done = runner.invoke(app, ["bundle", "verify", str(out), "--trusted-key", key])
    assert done.exit_code == 0 and "bundle verified" in done.stdout
    done = runner.invoke(app, ["bundle", "verify", str(out), "--trusted-key", "00" * 32,
                               "--json"])
    assert done.exit_code == 1
    assert json.loads(done.stdout)["problems"][0]["kind"] == "key"
    done = runner.invoke(app, ["-w", str(workspace.root), "case", "export", "no-such-case",
                               str(tmp_path / "x.zip")])
    assert done.exit_code == 1 and "no case" in done.stderr
    done = runner.invoke(app, ["-w", str(workspace.root), "case", "export", built.case,
                               str(out)])
    assert done.exit_code == 1 and "--overwrite" in done.stderr
    done = runner.invoke(app, ["-w", str(workspace.root), "case", "export", built.case,
                               str(out), "--overwrite", "--json"])
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()


def test_a_long_report_is_rendered_in_parts_and_joined(workspace, tmp_path, monkeypatch
                                                       ) -> None:
    """Rendered in worker processes, one part per run of exhibits, joined in order."""
    built = build_case(workspace)
    monkeypatch.setattr(bundle_module, "PDF_PART", 1)
    monkeypatch.setattr(bundle_module.os, "cpu_count", lambda: 4)
    result = export_case(workspace, built.case, tmp_path / "b.zip")
    folder = extract(result.path, tmp_path / "x")
    text = pdf_text(folder / "data/report.pdf")
    positions = [text.index(f"Exhibit E00{n}") for n in (1, 2, 3)]
    assert positions == sorted(positions) and text.index("Proof matrix") < positions[0]
    assert "Case test-251, exhibits E003–E003 · page 1 of 1" in text
    assert plain(SUSPECT_AR) in plain(text)
    assert verify(result.path).ok


def test_an_out_that_cannot_be_written_is_refused_before_anything_is_recorded(
        workspace, tmp_path) -> None:
    """A folder, an existing file (without overwrite), a missing parent folder: refused with a
    clear message before a custody event says that an export took place."""
    built = build_case(workspace)
    folder = tmp_path / "existing.zip"
    folder.mkdir()
    existing = tmp_path / "existing-file.zip"
    existing.write_bytes(b"an earlier bundle")
    with workspace.engine.connect() as conn:
        before = len(list(custody.events(conn)))
    for out, message in ((folder, "is a folder"), (existing, "already exists"),
                         (tmp_path / "no-such-folder" / "b.zip", "is not a folder")):
        with pytest.raises(ExportError, match=message):
            export_case(workspace, built.case, out)
    with workspace.engine.connect() as conn:
        assert len(list(custody.events(conn))) == before
    assert existing.read_bytes() == b"an earlier bundle" and not any(folder.iterdir())
    result = export_case(workspace, built.case, existing, overwrite=True)
    assert verify(result.path).ok and existing.read_bytes() != b"an earlier bundle"


def test_times_in_the_exhibit_list_carry_their_utc_offset(workspace, tmp_path) -> None:
    built = build_case(workspace)
    result = export_case(workspace, built.case, tmp_path / "b.zip")
    exhibits = json.loads(members(result.path)["data/exhibits.json"])["exhibits"]
    for exhibit in exhibits:
        started = exhibit["acquisition"]["started_at"]
        assert started.endswith("+00:00"), started


def test_the_report_cites_exhibits_in_the_case_matrix_compact_form(workspace, tmp_path) -> None:
    """The report's matrix is the case matrix's own table, citing exhibits by number; the full
    matrix with every quote is data/matrix.html."""
    built = build_case(workspace)
    result = export_case(workspace, built.case, tmp_path / "b.zip")
    files = members(result.path)
    report = files["data/report.html"].decode()
    table = report[report.index('<table class="proof-matrix"'):]
    table = table[:table.index("</table>")]
    assert "<strong>supports</strong>: E001 p. 1, E002 p. 1" in table
    assert ARABIC_QUOTE not in table and "statements/" not in table
    full = files["data/matrix.html"].decode()
    assert '<table class="proof-matrix"' in full and ARABIC_QUOTE in full
