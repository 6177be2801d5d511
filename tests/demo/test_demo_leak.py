"""The generated leak: every file accounted for in the truth, readable, marked SYNTHETIC."""

from __future__ import annotations

import email
import email.policy
import hashlib
import io
import tarfile
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pypdfium2 as pdfium
import pytest
from PIL import Image

from dossier.demo.archives import BOMB_SIZE

LEAK_DOCS = 40  # what the session fixture in conftest.py asks for

Leak = tuple[Path, dict[str, Any]]


def _files(leak: Leak) -> list[dict[str, Any]]:
    return leak[1]["files"]


def _read(leak: Leak, record: dict[str, Any]) -> bytes:
    return (leak[0] / "leak" / record["path"]).read_bytes()


def test_truth_covers_every_file_with_its_hash(leak: Leak) -> None:
    out, truth = leak
    on_disk = {str(p.relative_to(out / "leak")) for p in (out / "leak").rglob("*") if p.is_file()}
    assert on_disk == {f["path"] for f in truth["files"]}
    assert len(truth["files"]) == truth["docs"] == LEAK_DOCS
    for record in truth["files"]:
        data = _read(leak, record)
        assert hashlib.sha256(data).hexdigest() == record["sha256"], record["path"]
        assert len(data) == record["size"]
    assert (out / "truth.json").stat().st_size > 0
    assert truth["pdf_text_order"] == "logical"


def test_the_leak_mixes_the_formats_investigators_receive(leak: Leak) -> None:
    kinds = {f["media_type"] for f in _files(leak)}
    assert {"pdf", "zip", "tar", "email", "binary"} <= kinds
    assert len(kinds) >= 8
    languages = {f["language"] for f in _files(leak) if f["language"]}
    assert "ar" in languages


def test_broken_files_are_present_and_marked(leak: Leak) -> None:
    broken = {f["broken"]: f for f in _files(leak) if f["broken"]}
    assert set(broken) == {"empty", "corrupt", "encrypted", "bomb", "unsupported"}
    assert _read(leak, broken["empty"]) == b""
    truncated = _read(leak, broken["corrupt"])
    assert truncated.startswith(b"%PDF") and b"%%EOF" not in truncated
    encrypted = _read(leak, broken["encrypted"])
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(encrypted)
    opened = pdfium.PdfDocument(encrypted, password=broken["encrypted"]["password"])
    assert "SYNTHETIC" in opened[0].get_textpage().get_text_range()
    opened.close()
    bomb = _read(leak, broken["bomb"])
    assert broken["bomb"]["expect"] == "bomb" and len(bomb) < 200_000
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(i.file_size for i in archive.infolist()) == BOMB_SIZE
    assert broken["unsupported"]["media_type"] == "binary"


def test_a_pdf_named_jpg_is_not_broken(leak: Leak) -> None:
    (record,) = [f for f in _files(leak) if f.get("extension_mismatch")]
    assert record["path"].endswith(".jpg") and record["broken"] is None
    assert _read(leak, record).startswith(b"%PDF")


def test_duplicates_and_near_duplicates_point_at_real_files(leak: Leak) -> None:
    paths = {f["path"]: f for f in _files(leak)}
    duplicates = [f for f in _files(leak) if f["duplicate_of"]]
    near = [f for f in _files(leak) if f["near_duplicate_of"]]
    assert duplicates and near
    for record in duplicates:
        assert _read(leak, record) == _read(leak, paths[record["duplicate_of"]])
    for record in near:
        original = paths[record["near_duplicate_of"]]
        assert record["sha256"] != original["sha256"]
        assert record["kind"] == original["kind"] and record["issued"] == original["issued"]


def _text_of(data: bytes, record: dict[str, Any]) -> str | None:
    """The text of a file read the way a reader would, or None when it has no text layer."""
    media = record["media_type"]
    if media == "pdf" and record.get("producer") in ("dossier-fast", "fpdf2"):
        document = pdfium.PdfDocument(data)
        try:
            return "\n".join(
                document[i].get_textpage().get_text_range() for i in range(len(document))
            )
        finally:
            document.close()
    if media == "docx":
        return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    if media == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        return "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    if media in ("csv", "text", "html"):
        return data.decode(record.get("encoding", "utf-8"))
    return None


def test_every_readable_file_says_synthetic(leak: Leak, walk: Callable[..., list]) -> None:
    checked = 0
    for record in _files(leak):
        if record["broken"] or record["media_type"] in ("zip", "tar", "binary"):
            continue
        data = _read(leak, record)
        text = _text_of(data, record)
        if text is None:  # scans and e-mails: the truth of what is written must say it
            text = " ".join(p["text"] for p in record["pages"])
        assert "SYNTHETIC" in text, record["path"]
        checked += 1
    assert checked >= LEAK_DOCS // 2


def test_text_layers_and_decoded_text_match_the_truth(
    leak: Leak, normalise: Callable[[str], str]
) -> None:
    compared = 0
    for record in _files(leak):
        if record["broken"] or record.get("producer") == "fpdf2":
            continue
        text = _text_of(_read(leak, record), record)
        if text is None or record["media_type"] in ("xlsx", "html", "docx"):
            continue
        truth = "\n".join(p["text"] for p in record["pages"])
        assert normalise(text) == normalise(truth), record["path"]
        compared += record["language"] == "ar"
    assert compared >= 5


def test_docx_is_right_to_left_and_holds_the_truth(
    leak: Leak, normalise: Callable[[str], str]
) -> None:
    records = [f for f in _files(leak) if f["media_type"] == "docx"]
    for record in records:
        data = _read(leak, record)
        document = docx.Document(io.BytesIO(data))
        body = [p.text for p in document.paragraphs]
        tables = [" ".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
        assert set(normalise(record["pages"][0]["text"]).split()) == set(
            normalise(" ".join(body + tables)).split()
        )
        if record["language"] == "ar":
            assert b"w:bidi" in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def test_signers_held_the_post_on_the_document_date(leak: Leak, walk: Callable[..., list]) -> None:
    persons = {p["id"]: p for p in leak[1]["world"]["persons"]}
    claims = [c for f in walk(_files(leak)) for c in f["claims"]]
    assert len(claims) >= 10
    for claim in claims:
        day = date.fromisoformat(claim["date"])
        held = [
            post
            for post in persons[claim["person"]]["posts"]
            if post["unit"] == claim["unit"]
            and post["role"] == claim["role"]
            and date.fromisoformat(post["start"]) <= day <= date.fromisoformat(post["end"])
        ]
        assert len(held) == 1, claim
        assert held[0]["rank"]["en"] == claim["rank"]
    heads = [c for c in claims if c["role"] == "head"]
    assert heads


def test_mentions_are_written_as_recorded(
    leak: Leak, walk: Callable[..., list], normalise: Callable[[str], str]
) -> None:
    world = leak[1]["world"]
    names = {p["id"]: {n for v in p["names"].values() for n in v} for p in world["persons"]}
    usual = {p["id"]: {v[0] for v in p["names"].values()} for p in world["persons"]}
    variants = 0
    for record in walk(_files(leak)):
        page_text = normalise(" ".join(p["text"] for p in record["pages"]))
        if not page_text:
            continue
        for mention in record["person_mentions"]:
            assert normalise(mention["surface"]) in page_text
            assert mention["surface"] in names[mention["id"]]
            variants += mention["surface"] not in usual[mention["id"]]
        for claim in record["claims"]:
            assert normalise(claim["surface"]) in page_text, (record["path"], claim)
        for key in ("unit_mentions", "date_mentions", "detainee_mentions", "facility_mentions"):
            for mention in record[key]:
                assert normalise(mention["surface"]) in page_text, (record["path"], mention)
    assert variants


def test_archives_and_emails_list_their_members(leak: Leak, walk: Callable[..., list]) -> None:
    nested = False
    for record in _files(leak):
        data = _read(leak, record)
        if record["media_type"] == "zip" and not record["broken"]:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for child in record["children"]:
                    member = archive.read(child["path"])
                    assert hashlib.sha256(member).hexdigest() == child["sha256"]
                    nested |= child["media_type"] == "zip" and bool(child["children"])
        elif record["media_type"] == "tar":
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
                for child in record["children"]:
                    stream = archive.extractfile(child["path"])
                    assert stream is not None
                    assert hashlib.sha256(stream.read()).hexdigest() == child["sha256"]
        elif record["media_type"] == "email":
            message = email.message_from_bytes(data, policy=email.policy.default)
            assert "SYNTHETIC" in str(message["Subject"])
            attachments = list(message.iter_attachments())  # type: ignore[attr-defined]
            assert [a.get_filename() for a in attachments] == [
                c["path"] for c in record["children"]
            ]
            for part, child in zip(attachments, record["children"], strict=True):
                assert hashlib.sha256(part.get_content()).hexdigest() == child["sha256"]
    assert nested


def test_scans_are_images_of_the_truth_pages(leak: Leak) -> None:
    scans = [f for f in _files(leak) if f["quality"] in ("clean", "degraded")]
    assert scans
    for record in scans:
        data = _read(leak, record)
        if record["media_type"] == "image":
            image = Image.open(io.BytesIO(data))
            assert getattr(image, "n_frames", 1) == len(record["pages"])
            assert image.size[0] > 1000
        else:
            document = pdfium.PdfDocument(data)
            assert len(document) == len(record["pages"])
            assert document[0].get_textpage().get_text_range().strip() == ""
            document.close()
        assert len(record["skew_degrees"]) == len(record["pages"])
