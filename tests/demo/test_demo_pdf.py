"""Born-digital PDFs: shaped Arabic whose text layer pdfium reads back in logical order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from dossier.demo import build_world
from dossier.demo import fonts as fonts_module
from dossier.demo.bidi import ARABIC_LETTER_MARK, mark_numbers, shape_line
from dossier.demo.compose import compose
from dossier.demo.documents import choose_context
from dossier.demo.layout import layout
from dossier.demo.pdfwriter import PdfWriter
from dossier.demo.render_pdf import render_pdf
from dossier.demo.ttf import load_font

# Lines that naive extraction gets wrong: punctuation next to numbers, brackets, ligatures.
TRICKY = [
    "رقم: ٢٣٤٥/ص",
    "رقم: ص/٢٣٤٥/٢٥١",
    "التاريخ: ٢٠١٢-٣-٤",
    "التاريخ: 2012-03-04",
    "الفرع (٢٥١) بدمشق",
    "في الفرع ٢٥١، ثم",
    "١- المدعو عبد الله",
    "«فرع فلسطين»",
    "عبد الكريم العبدالله",
]


def _extract(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


@pytest.mark.parametrize("font_key", ["amiri", "naskh"])
def test_tricky_arabic_lines_extract_in_logical_order(
    font_key: str, normalise: Callable[[str], str]
) -> None:
    font = load_font(font_key)
    fallbacks = (load_font("amiri"), load_font("dejavu"))
    writer = PdfWriter(title="t", created=datetime(2012, 3, 4))
    page = writer.add_page()
    for row, text in enumerate(TRICKY):
        glyphs = shape_line(font, text, True, fallbacks)
        width = sum(g.advance for g in glyphs) * 12 / 1000
        page.glyphs(12, 540 - width, 780 - 28 * row, glyphs)
    lines = _extract(writer.output())[0].replace("\r", "").split("\n")
    assert [normalise(line) for line in lines] == TRICKY


def test_letter_marks_go_only_where_punctuation_meets_a_number() -> None:
    assert mark_numbers("رقم: ٢٣٤٥/ص") == f"رقم: ٢٣٤٥{ARABIC_LETTER_MARK}/ص"
    assert mark_numbers("التاريخ ٢٠١٢/٣/٤") == "التاريخ ٢٠١٢/٣/٤"
    assert mark_numbers("بدون أرقام/هنا") == "بدون أرقام/هنا"


def test_an_arabic_document_extracts_as_its_truth(normalise: Callable[[str], str]) -> None:
    world = build_world(5)
    checked = 0
    for slot in range(60):
        ctx = choose_context(world, f"5/{slot}", language="ar")
        spec = compose(world, ctx)
        pages = layout(spec)
        texts = _extract(render_pdf(spec, pages, datetime(2013, 1, 1)))
        assert [normalise(t) for t in texts] == [normalise(p.text) for p in pages], spec.kind
        checked += 1
    assert checked == 60


def test_arabic_documents_write_unit_numbers_in_arabic_indic_digits() -> None:
    world = build_world(5)
    texts = [
        layout(compose(world, choose_context(world, f"5/{slot}", language="ar")))[0].text
        for slot in range(40)
    ]
    assert any("الفرع ٢" in text for text in texts)
    assert all("SYNTHETIC" in text and "وثيقة اصطناعية" in text for text in texts)


def test_pdf_bytes_do_not_depend_on_the_clock() -> None:
    world = build_world(5)
    spec = compose(world, choose_context(world, "5/1"))
    first = render_pdf(spec, layout(spec), datetime(2013, 1, 1))
    second = render_pdf(spec, layout(spec), datetime(2013, 1, 1))
    assert first == second
    assert b"/CreationDate (D:20130101000000Z)" in first


def test_missing_font_error_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts_module, "SEARCH_DIRS", ())
    monkeypatch.setenv("DOSSIER_FONT_DIRS", str(tmp_path))
    fonts_module.find_font.cache_clear()
    try:
        with pytest.raises(fonts_module.FontNotFoundError, match="fonts-hosny-amiri"):
            fonts_module.find_font("amiri")
        with pytest.raises(fonts_module.FontNotFoundError, match="fonts-dejavu-core"):
            fonts_module.find_font("dejavu")
    finally:
        fonts_module.find_font.cache_clear()
