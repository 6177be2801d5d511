"""PDF extraction: born-digital text in three languages, repaired Arabic, OCR where needed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fpdf import FPDF
from fpdf.enums import TextMode
from PIL import Image

from dossier.ingest.extract import extract
from dossier.ingest.pdf import extract_pdf, pdf_date

ARABIC_LINES = [
    "الجمهورية العربية السورية",
    "شعبة المخابرات العسكرية - الفرع 251",
    "تم توقيف المدعو سامر خليل في مدينة حمص بتاريخ 2012/03/15",
]


def _pdf(font: Path | None = None, shaping: bool = False) -> FPDF:
    pdf = FPDF()
    pdf.set_creator("Dossier tests")
    if font is not None:
        pdf.add_font("body", fname=str(font))
        pdf.set_font("body", size=14)
        pdf.set_text_shaping(shaping)
    else:
        pdf.set_font("helvetica", size=12)
    return pdf


def _write_lines(pdf: FPDF, lines: list[str]) -> None:
    pdf.add_page()
    for line in lines:
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")


def test_english_and_french_text_by_page_with_metadata(tmp_path: Path, ctx) -> None:
    pdf = _pdf()
    pdf.set_title("Detention report")
    pdf.set_author("Field team")
    pdf.set_creation_date(datetime(2013, 5, 2, 10, 30, 0, tzinfo=UTC))
    _write_lines(pdf, ["The witness was held at Branch 251 in Damascus."])
    _write_lines(pdf, ["Le témoin a été détenu à la branche 235 pendant trois mois."])
    path = tmp_path / "report.pdf"
    pdf.output(str(path))

    result = extract_pdf(path, ctx)

    assert [page.number for page in result.pages] == [1, 2]
    assert "held at Branch 251 in Damascus" in result.pages[0].text
    assert "témoin a été détenu" in result.pages[1].text
    assert all(page.method == "text" and page.tool.startswith("pypdfium2") for page in
               result.pages)
    assert result.metadata["page_count"] == 2
    assert result.metadata["info"]["Title"] == "Detention report"
    assert result.metadata["info"]["Author"] == "Field team"
    assert result.metadata["info"]["CreationDate"].startswith("2013-05-02T10:30:00")
    assert result.metadata["encrypted"] is False
    assert "text_repairs" not in result.metadata


def test_shaped_arabic_comes_out_in_reading_order_with_plain_letters(tmp_path: Path, ctx,
                                                                     amiri: Path) -> None:
    pdf = _pdf(amiri, shaping=True)
    _write_lines(pdf, ARABIC_LINES)
    path = tmp_path / "order.pdf"
    pdf.output(str(path))

    page = extract_pdf(path, ctx).pages[0]

    for line in ARABIC_LINES:
        assert line in page.text
    assert not any("\ufb50" <= ch <= "\ufeff" for ch in page.text)  # no presentation forms


def test_arabic_extracted_backwards_is_put_back_in_reading_order(tmp_path: Path, ctx,
                                                                 amiri: Path) -> None:
    # Unshaped Arabic laid out left to right is what some producers write; PDFium then
    # returns every line reversed ("قشمد يف ...") and the extractor must notice.
    pdf = _pdf(amiri, shaping=False)
    _write_lines(pdf, ARABIC_LINES + ["Report on الفرع 251 in Damascus"])
    path = tmp_path / "visual.pdf"
    pdf.output(str(path))

    result = extract_pdf(path, ctx)
    text = result.pages[0].text

    for line in ARABIC_LINES:
        assert line in text
    assert "Report on الفرع 251 in Damascus" in text
    assert result.metadata["text_repairs"]["visual_order"] == [1]


def test_presentation_forms_become_letters(tmp_path: Path, ctx, amiri: Path) -> None:
    # "الفرع الخامس" written with contextual-form code points, as old Arabic PDFs are,
    # already in visual order (so that the extracted logical order is right).
    forms = "\ufeb2\ufee3\ufe8e\ufea8\ufedf\ufe8d \ufec9\ufeae\ufed4\ufedf\ufe8d"
    pdf = _pdf(amiri, shaping=False)
    _write_lines(pdf, [forms, "\ufefb"])
    path = tmp_path / "forms.pdf"
    pdf.output(str(path))

    text = extract_pdf(path, ctx).pages[0].text

    # PDFium already maps most forms to letters; NFKC catches any it leaves.
    assert "الفرع الخامس" in text
    assert text.splitlines()[1] == "لا"  # U+FEFB, the lam-alef ligature, is two letters
    assert not any("\ufb50" <= ch <= "\ufeff" for ch in text)


def test_image_only_page_is_ocred(tmp_path: Path, ctx, render_page, naskh: Path,
                                  dejavu: Path) -> None:
    scan = render_page(["شعبة المخابرات العسكرية", "تم توقيف المدعو في مدينة حمص"], naskh)
    english = render_page(["Transfer order for Branch 215"], dejavu)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(scan, x=10, y=10, w=190)
    pdf.add_page()
    pdf.image(english, x=10, y=10, w=190)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))

    result = extract_pdf(path, ctx)

    first, second = result.pages
    assert first.method == "ocr" and first.tool.startswith("tesseract 5")
    assert "المخابرات" in first.text and "حمص" in first.text
    assert first.confidence is not None and first.confidence > 50
    assert "Transfer order" in second.text and "215" in second.text
    assert result.metadata["text_repairs"]["ocr_no_text"] == [1, 2]


def test_legacy_font_mojibake_is_replaced_by_ocr(tmp_path: Path, ctx, render_page,
                                                 naskh: Path, dejavu: Path) -> None:
    # The glyphs show Arabic, the text layer holds what a windows-1256 font gives when read
    # as latin-1: the page must be OCRed, not indexed as "ÇáÝÑÚ".
    scan = render_page(["شعبة المخابرات العسكرية"], naskh)
    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(dejavu))
    pdf.add_page()
    pdf.image(scan, x=10, y=10, w=190)
    pdf.set_font("dejavu", size=12)
    pdf.text_mode = TextMode.INVISIBLE
    pdf.set_xy(10, 12)
    mojibake = "شعبة المخابرات العسكرية".encode("cp1256").decode("latin-1")
    pdf.cell(text=mojibake)
    path = tmp_path / "legacy.pdf"
    pdf.output(str(path))

    result = extract_pdf(path, ctx)

    assert result.pages[0].method == "ocr"
    assert "المخابرات" in result.pages[0].text
    assert result.metadata["text_repairs"]["ocr_garbage"] == [1]


def test_without_ocr_image_pages_are_listed_not_read(tmp_path: Path, make_ctx, render_page,
                                                     dejavu: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.image(render_page(["Nothing to read here"], dejavu), x=10, y=10, w=190)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))

    result = extract_pdf(path, make_ctx(ocr=False))

    assert result.pages[0].text == ""
    assert result.metadata["text_repairs"]["needs_ocr"] == [1]


def test_blank_page_is_empty_not_ocred(tmp_path: Path, ctx) -> None:
    pdf = _pdf()
    pdf.add_page()
    path = tmp_path / "blank.pdf"
    pdf.output(str(path))

    page = extract_pdf(path, ctx).pages[0]

    assert page.text == "" and page.method == "text"


def test_owner_password_only_pdf_is_readable(tmp_path: Path, ctx) -> None:
    pdf = _pdf()
    pdf.set_encryption(owner_password="owner-secret")
    _write_lines(pdf, ["Printing restricted, reading allowed."])
    path = tmp_path / "restricted.pdf"
    pdf.output(str(path))

    result = extract(path, ctx)

    assert "reading allowed" in result.pages[0].text
    assert result.metadata["encrypted"] is True


def test_a_pdf_named_jpg_is_read_as_pdf(tmp_path: Path, ctx) -> None:
    pdf = _pdf()
    _write_lines(pdf, ["Renamed on the way out of the ministry."])
    path = tmp_path / "IMG_0031.jpg"
    pdf.output(str(path))

    result = extract(path, ctx)

    assert (result.media_type, result.mime) == ("pdf", "application/pdf")
    assert "Renamed on the way" in result.pages[0].text


@pytest.mark.parametrize(("raw", "iso"), [
    ("D:20120315093000+02'00'", "2012-03-15T09:30:00+02:00"),
    ("D:20120315093000Z", "2012-03-15T09:30:00Z"),
    ("D:2012", "2012-01-01"),
    ("yesterday", "yesterday"),
])
def test_pdf_dates_become_iso(raw: str, iso: str) -> None:
    assert pdf_date(raw) == iso


def test_scan_with_a_stamped_reference_keeps_both(tmp_path: Path, make_ctx, render_page,
                                                  dejavu: Path) -> None:
    # A scanned page whose only text layer is a Bates-style number added by the archivist.
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.set_font("helvetica", size=9)
    pdf.add_page()
    lines = render_page(["Order to transfer the detainee", "to the military hospital"], dejavu)
    scan = Image.new("L", (1400, 1980), 255)  # a whole A4 sheet, as a scanner delivers it
    scan.paste(lines, (0, 100))
    pdf.image(scan, x=0, y=0, w=210, h=297)
    pdf.set_xy(150, 280)
    pdf.cell(text="DOC-000123")
    path = tmp_path / "stamped.pdf"
    pdf.output(str(path))

    result = extract_pdf(path, make_ctx(ocr_languages="eng"))
    page = result.pages[0]

    assert page.method == "ocr"
    assert "transfer the detainee" in page.text and "DOC-000123" in page.text
    assert "tesseract" in page.tool and "pypdfium2" in page.tool
    assert result.metadata["text_repairs"]["ocr_scan"] == [1]


def test_a_page_of_numbers_keeps_its_text_layer(tmp_path: Path, ctx) -> None:
    pdf = _pdf()
    _write_lines(pdf, ["251    215    227", "2012   2013   2014"])
    path = tmp_path / "table.pdf"
    pdf.output(str(path))

    page = extract_pdf(path, ctx).pages[0]

    assert page.method == "text" and "251" in page.text and "2014" in page.text
