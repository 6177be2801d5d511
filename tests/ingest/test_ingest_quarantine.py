"""Bad input: each kind of broken or hostile file raises its own error with a plain message.

These are the errors the pipeline writes onto the item and shows in `dossier status`; the
messages are read by investigators, not developers, so the tests check their wording too.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from dossier.ingest.extract import extract
from dossier.ingest.model import (
    BombFile,
    CorruptFile,
    EmptyFile,
    EncryptedFile,
    IngestError,
    OcrFailed,
    OversizedFile,
    UnsupportedFile,
)


def _pdf(path: Path, pages: int = 1, user_password: str | None = None) -> Path:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(text=f"Page {number} of the interrogation record")
    if user_password:
        pdf.set_encryption(owner_password="owner", user_password=user_password)
    pdf.output(str(path))
    return path


def test_empty_file(tmp_path: Path, ctx) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(EmptyFile, match=r"the file is empty \(0 bytes\)") as caught:
        extract(path, ctx)
    assert caught.value.kind == "empty"


def test_truncated_pdf(tmp_path: Path, ctx) -> None:
    whole = _pdf(tmp_path / "whole.pdf", pages=2).read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(CorruptFile, match="the PDF is damaged or not a PDF at all"):
        extract(path, ctx)


def test_garbage_after_a_pdf_header(tmp_path: Path, ctx) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    with pytest.raises(CorruptFile):
        extract(path, ctx)


def test_password_protected_pdf(tmp_path: Path, ctx) -> None:
    path = _pdf(tmp_path / "locked.pdf", user_password="s3cret")
    with pytest.raises(EncryptedFile, match="protected by a password") as caught:
        extract(path, ctx)
    assert caught.value.kind == "encrypted"


def test_pdf_with_more_pages_than_allowed(tmp_path: Path, make_ctx) -> None:
    path = _pdf(tmp_path / "long.pdf", pages=5)
    with pytest.raises(BombFile, match="declares 5 pages, more than the limit of 3"):
        extract(path, make_ctx(max_pages=3))


def test_zip_bomb(tmp_path: Path, make_ctx) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("payload.bin", b"\x00" * 4_000_000)
    path = tmp_path / "photos.zip"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(BombFile, match="payload.bin") as caught:
        extract(path, make_ctx(max_member_bytes=1_000_000))
    assert caught.value.kind == "bomb"


def test_decompression_bomb_image(tmp_path: Path, ctx) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 0, 0, 0, 0)
    path = tmp_path / "bomb.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))
    with pytest.raises(BombFile, match="pixels"):
        extract(path, ctx)


def test_unsupported_binary(tmp_path: Path, ctx) -> None:
    path = tmp_path / "firmware.pdf"
    path.write_bytes(bytes((i * 131 + 7) % 256 for i in range(8192)))
    with pytest.raises(UnsupportedFile, match=r"binary data of no recognised format "
                                              r"\(application/octet-stream\)"):
        extract(path, ctx)


def test_known_but_unsupported_format_is_named(tmp_path: Path, ctx) -> None:
    path = tmp_path / "archive.zip"
    path.write_bytes(b"Rar!\x1a\x07\x01\x00" + b"\x00" * 100)
    with pytest.raises(UnsupportedFile, match="a RAR archive"):
        extract(path, ctx)


def test_oversized_file(tmp_path: Path, make_ctx) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(OversizedFile, match="2,048 bytes, more than the limit of 1,000"):
        extract(path, make_ctx(max_file_bytes=1000))


def test_text_beyond_the_page_limit_is_oversized(tmp_path: Path, make_ctx) -> None:
    path = tmp_path / "dump.txt"
    path.write_text("page\f" * 10, encoding="utf-8")
    with pytest.raises(OversizedFile, match="more than 3 pages"):
        extract(path, make_ctx(max_pages=3))


def test_every_error_kind_is_distinct() -> None:
    kinds = [cls.kind for cls in IngestError.__subclasses__()]
    assert len(kinds) == len(set(kinds))


def test_ocr_that_runs_out_of_time_names_the_page(tmp_path: Path, make_ctx) -> None:
    path = tmp_path / "scan.png"
    Image.new("L", (400, 300), 255).save(path)
    with pytest.raises(OcrFailed, match=r"page 1: OCR took longer than 0.001 s") as caught:
        extract(path, make_ctx(ocr_timeout_seconds=0.001))
    assert caught.value.kind == "ocr"
