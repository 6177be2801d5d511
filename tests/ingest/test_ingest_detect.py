"""Type detection from content: names and extensions are ignored."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from fpdf import FPDF
from PIL import Image

from dossier.ingest.detect import ENCRYPTED_OOXML_MIME, detect_type
from dossier.ingest.model import EmptyFile


def _write(tmp_path: Path, data: bytes, name: str = "file.bin") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (255, 255, 255)).save(buffer, format=fmt)
    return buffer.getvalue()


def _pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    return bytes(pdf.output())


@pytest.mark.parametrize(("fmt", "mime"), [
    ("PNG", "image/png"), ("JPEG", "image/jpeg"), ("TIFF", "image/tiff"),
    ("GIF", "image/gif"), ("BMP", "image/bmp"), ("WEBP", "image/webp"),
])
def test_images_by_signature(tmp_path: Path, fmt: str, mime: str) -> None:
    assert detect_type(_write(tmp_path, _image(fmt), "photo.txt")) == ("image", mime)


def test_pdf_named_jpg(tmp_path: Path) -> None:
    assert detect_type(_write(tmp_path, _pdf(), "IMG_0031.jpg")) == ("pdf", "application/pdf")


def test_office_files_named_zip_and_a_plain_zip(tmp_path: Path) -> None:
    word = tmp_path / "a.zip"
    docx.Document().save(str(word))
    sheet = tmp_path / "b.zip"
    openpyxl.Workbook().save(sheet)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/readme.txt", "not a Word file: no [Content_Types].xml")
    plain = _write(tmp_path, buffer.getvalue(), "c.docx")

    assert detect_type(word)[0] == "docx"
    assert detect_type(sheet)[0] == "xlsx"
    assert detect_type(plain) == ("zip", "application/zip")


@pytest.mark.parametrize(("mode", "mime"), [
    ("w", "application/x-tar"), ("w:gz", "application/gzip"),
    ("w:bz2", "application/x-bzip2"), ("w:xz", "application/x-xz"),
])
def test_tar_and_compressed_tar(tmp_path: Path, mode: str, mime: str) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:
        info = tarfile.TarInfo("a.txt")
        info.size = 1
        archive.addfile(info, io.BytesIO(b"a"))
    assert detect_type(_write(tmp_path, buffer.getvalue())) == ("tar", mime)


def test_gzip_of_something_else_is_unknown(tmp_path: Path) -> None:
    path = _write(tmp_path, gzip.compress(b"just a log line\n" * 100), "log.gz")
    assert detect_type(path) == ("unknown", "application/gzip")


@pytest.mark.parametrize(("text", "kind"), [
    ("From: a@example.org\nTo: b@example.org\nSubject: hi\n\nbody", "email"),
    ("Received: from mx by mx2\nMessage-ID: <1@x>\nFrom: a@x\n\nbody", "email"),
    ("From someone@example.org Thu Mar 15 09:30:00 2012\nFrom: a@x\nSubject: s\n\nb", "email"),
    ("Subject: only one header line\n\nand a body", "text"),
    ("From: a@x\nSubject:\n =?utf-8?b?2LPYsdmK?=\nTo: b@x\n\nbody", "email"),  # folded value
    ("Note: the witness said\nTo: whom it may concern?", "text"),
    ("\ufeff  <!DOCTYPE html><html><body>x</body></html>", "html"),
    ("<?xml version='1.0'?>\n<!-- c -->\n<html xmlns='x'><body/></html>", "html"),
    ("<body><p>fragment</p></body>", "html"),
    ("<?xml version='1.0'?><order><branch>251</branch></order>", "text"),
    ("id,name,branch\n1,Omar,251\n2,Fadi,215\n", "csv"),
    ("id;name\n1;Omar\n2;Fadi\n3;Rami\n", "csv"),
    ("a\tb\tc\n1\t2\t3\n", "csv"),
    ("The witness, who was held, said so.\nThen, later, he left.\nFinally he spoke.\n", "text"),
    ("Hello, world.\nGoodbye, world.\n", "text"),
    ("تم توقيف المدعو في مدينة حمص", "text"),
])
def test_text_formats(tmp_path: Path, text: str, kind: str) -> None:
    assert detect_type(_write(tmp_path, text.encode("utf-8")))[0] == kind


def test_windows_1256_text_is_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "تم توقيف المدعو في مدينة حمص".encode("cp1256"))
    assert detect_type(path) == ("text", "text/plain")


def test_utf16_text_is_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "Rapport sur la branche 235".encode("utf-16"))
    assert detect_type(path) == ("text", "text/plain")


def test_binary_and_known_unsupported_formats(tmp_path: Path) -> None:
    noise = bytes((i * 37 + 11) % 256 for i in range(4096))
    assert detect_type(_write(tmp_path, noise)) == ("unknown", "application/octet-stream")
    assert detect_type(_write(tmp_path, b"7z\xbc\xaf\x27\x1c" + noise, "a.7z")) == (
        "unknown", "application/x-7z-compressed")


def test_encrypted_office_package(tmp_path: Path) -> None:
    data = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000
            + "EncryptedPackage".encode("utf-16-le"))
    assert detect_type(_write(tmp_path, data)) == ("unknown", ENCRYPTED_OOXML_MIME)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EmptyFile, match="empty"):
        detect_type(_write(tmp_path, b""))
