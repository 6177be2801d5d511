"""Word and Excel files: text in order, pages at explicit breaks, sheets as pages."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.text import WD_BREAK

from dossier.ingest.extract import extract
from dossier.ingest.model import BombFile, CorruptFile, EncryptedFile
from dossier.ingest.office import extract_docx, extract_xlsx


def _word_file(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "Transfer order"
    document.core_properties.author = "Branch 251 registry"
    document.core_properties.created = datetime(2012, 3, 15, 9, 0, 0)
    document.sections[0].header.paragraphs[0].text = "الجمهورية العربية السورية - الفرع 251"
    document.add_paragraph("إلى رئيس قسم التحقيق")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [("الاسم", "المدينة", "التاريخ"),
                                        ("سامر خليل", "حمص", "2012/03/15")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("يرجى التحقيق معه أصولا").add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Annex: list of detainees")
    document.save(str(path))
    return path


def test_docx_text_in_order_split_at_page_breaks(tmp_path: Path, ctx) -> None:
    result = extract_docx(_word_file(tmp_path / "order.docx"), ctx)

    first, second = result.pages
    lines = first.text.splitlines()
    assert lines[0] == "الجمهورية العربية السورية - الفرع 251"  # the letterhead, once
    body = first.text
    assert body.index("إلى رئيس قسم التحقيق") < body.index("سامر خليل\tحمص\t2012/03/15") \
        < body.index("يرجى التحقيق معه أصولا")
    assert "الاسم\tالمدينة\tالتاريخ" in body
    assert second.text == "Annex: list of detainees"
    assert all(page.method == "text" and page.tool.startswith("python-docx")
               for page in result.pages)
    properties = result.metadata["properties"]
    assert properties["title"] == "Transfer order"
    assert properties["author"] == "Branch 251 registry"
    assert properties["created"].startswith("2012-03-15T09:00:00")
    assert result.metadata["headers"] == ["الجمهورية العربية السورية - الفرع 251"]


def test_a_docx_named_zip_is_read_as_a_word_document(tmp_path: Path, ctx) -> None:
    path = _word_file(tmp_path / "order.docx").rename(tmp_path / "backup.zip")

    result = extract(path, ctx)

    assert result.media_type == "docx"
    assert result.children == []
    assert "سامر خليل" in result.pages[0].text


def test_xlsx_sheets_are_pages_of_tab_separated_rows(tmp_path: Path, ctx) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "المعتقلون"
    sheet.append(["id", "name", "branch", "arrested"])
    sheet.append([1, "Omar Nasser", 251, datetime(2012, 3, 4)])
    sheet.append([2, "Fadi Jaber", 215.0, None])
    sheet["F2"] = "=C2+1"
    summary = workbook.create_sheet("Summary")
    summary.append(["total", 2])
    hidden = workbook.create_sheet("notes")
    hidden.sheet_state = "hidden"
    hidden.append(["moved to Saydnaya"])
    workbook.properties.creator = "registry clerk"
    path = tmp_path / "list.xlsx"
    workbook.save(path)

    result = extract_xlsx(path, ctx)

    assert [page.number for page in result.pages] == [1, 2, 3]
    assert result.pages[0].text.splitlines() == [
        "id\tname\tbranch\tarrested",
        "1\tOmar Nasser\t251\t2012-03-04",  # formula cells have no cached value yet
        "2\tFadi Jaber\t215",
    ]
    assert result.pages[1].text == "total\t2"
    assert result.pages[2].text == "moved to Saydnaya"
    assert result.metadata["sheets"] == ["المعتقلون", "Summary", "notes"]
    assert result.metadata["hidden_sheets"] == ["notes"]
    assert result.metadata["properties"]["creator"] == "registry clerk"


def _encrypted_office_file(path: Path) -> Path:
    """The shape of a password-protected .docx: an OLE container with an EncryptedPackage."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    path.write_bytes(header + b"\x00" * 512 + directory + b"\x00" * 1024)
    return path


def test_password_protected_office_file_is_encrypted(tmp_path: Path, ctx) -> None:
    path = _encrypted_office_file(tmp_path / "secret.docx")
    with pytest.raises(EncryptedFile, match="protected by a password"):
        extract(path, ctx)
    with pytest.raises(EncryptedFile, match="protected by a password"):
        extract_xlsx(path, ctx)


def test_office_zip_bomb_is_refused_before_parsing(tmp_path: Path, make_ctx) -> None:
    path = _word_file(tmp_path / "order.docx")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\x00" * 3_000_000)

    with pytest.raises(BombFile, match="padding.bin"):
        extract(path, make_ctx(max_member_bytes=1_000_000))


def test_damaged_docx_is_corrupt(tmp_path: Path, ctx) -> None:
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document")

    with pytest.raises(CorruptFile, match="Word document is damaged"):
        extract(path, ctx)


def test_xlsx_stored_without_its_suffix_is_read(tmp_path: Path, ctx) -> None:
    """Originals live under their sha256, with no extension: the workbook must still open."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["الاسم", "الفرع"])
    workbook.active.append(["سامر يوسف", "٢٥١"])
    named = tmp_path / "list.xlsx"
    workbook.save(named)
    bare = tmp_path / "5f1e0c"
    bare.write_bytes(named.read_bytes())
    result = extract_xlsx(bare, ctx)
    assert "سامر يوسف\t٢٥١" in result.pages[0].text
