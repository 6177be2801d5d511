"""Tesseract OCR and the repair of misread Arabic-Indic unit numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from dossier.ingest.model import OcrFailed
from dossier.ingest.ocr import ocr_image, prepare_for_ocr, recognise, tesseract_tool
from dossier.ingest.ocr_digits import correct_digits
from dossier.ingest.ocr_lines import merge_readings, parse_lines


def test_ocr_image_returns_text_and_mean_confidence(render_page, dejavu: Path) -> None:
    image = render_page(["Detainee transferred to Saydnaya prison"], dejavu)

    text, confidence = ocr_image(image, "eng", timeout=60)

    assert "Saydnaya prison" in text
    assert 60 < confidence <= 100


def test_recognise_reads_arabic_without_bidi_marks(render_page, naskh: Path) -> None:
    image = render_page(["الفرع 251 في دمشق"], naskh)

    result = recognise(image, "ara+eng+fra", timeout=60)

    assert "الفرع" in result.text and "251" in result.text and "دمشق" in result.text
    assert "\u200e" not in result.text and "\u200f" not in result.text
    assert result.tool.startswith(tesseract_tool("ara+eng+fra"))
    assert result.tool.startswith("tesseract 5")


def test_missing_language_data_is_a_clear_ocr_failure() -> None:
    with pytest.raises(OcrFailed, match="no language data for xyz"):
        ocr_image(Image.new("L", (50, 50), 255), "eng+xyz", timeout=30)


def test_a_page_that_takes_too_long_fails_with_the_limit_named(render_page,
                                                               dejavu: Path) -> None:
    image = render_page(["A page"] * 20, dejavu)
    with pytest.raises(OcrFailed, match="longer than 0.01 s"):
        ocr_image(image, "eng", timeout=0.01)


def test_transparent_background_is_flattened_on_white() -> None:
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    prepared = prepare_for_ocr(image)
    assert prepared.mode == "RGB" and prepared.getpixel((5, 5)) == (255, 255, 255)


# -- digit repair (no OCR needed) --------------------------------------------------------------

@pytest.mark.parametrize(("ocr", "expected"), [
    ("الفرع YO) في دمشق", "الفرع ٢٥١ في دمشق"),      # Latin look-alikes after a unit word
    ("الفرع 75١ في دمشق", "الفرع ٢٥١ في دمشق"),       # the Arabic model's 7 for ٢, 5 kept
    ("الفرع ٢ه١", "الفرع ٢٥١"),                       # heh between digits
    ("رقم ٢٥1", "رقم ٢٥١"),                           # mixed scripts
    ("للفرع YEA،", "للفرع ٢٤٨،"),                     # prefixed unit word, comma kept
    ("سجل ٢ه١ صفحة", "سجل ٢٥١ صفحة"),                 # heh between digits, anywhere
    ("العدد ٢٥1 كان", "العدد ٢٥١ كان"),               # mixed scripts, anywhere
])
def test_misread_unit_numbers_are_repaired(ocr: str, expected: str) -> None:
    fixed, corrections = correct_digits(ocr)
    assert fixed == expected
    assert corrections
    # the raw OCR text is recoverable from the corrections
    raw = fixed
    for correction in reversed(corrections):
        start = correction.offset
        assert raw[start:start + len(correction.after)] == correction.after
        raw = raw[:start] + correction.before + raw[start + len(correction.after):]
    assert raw == ocr


@pytest.mark.parametrize("text", [
    "الفرع 251 في دمشق",          # typed ASCII digits are read correctly: never touched
    "الفرع 7",                     # ditto, even when 7 could be a misread ٢
    "بتاريخ ١٤٣٣ه",                # Hijri-year abbreviation after a number
    "القسم ١.٢ من التقرير",         # a dot between digits may be a section number
    "رقم ١.",                      # a full stop after a number
    "YO) is not after a unit word",
    "الفرع الخامس",
])
def test_ambiguous_or_correct_text_is_left_alone(text: str) -> None:
    assert correct_digits(text) == (text, [])


# -- merging an all-languages reading with an Arabic-only one (no OCR needed) -----------------

def _tsv(lines: list[tuple[tuple[int, int, int, int], list[tuple[str, float]]]],
         paragraph_of: list[int] | None = None) -> str:
    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\t"
            "height\tconf\ttext"]
    for index, (box, words) in enumerate(lines):
        paragraph = paragraph_of[index] if paragraph_of else 1
        left, top, width, height = box
        rows.append(f"4\t1\t1\t{paragraph}\t{index + 1}\t0\t{left}\t{top}\t{width}\t{height}\t-1\t")
        for number, (word, confidence) in enumerate(words, 1):
            rows.append(f"5\t1\t1\t{paragraph}\t{index + 1}\t{number}\t{left}\t{top}\t10\t10\t"
                        f"{confidence}\t{word}")
    return "\n".join(rows)


def test_arabic_lines_come_from_the_arabic_reading_latin_lines_stay() -> None:
    first = parse_lines(_tsv([
        ((100, 10, 500, 40), [("CB", 40.0), ("العسكرية", 80.0), ("شعبة", 85.0)]),
        ((100, 60, 500, 40), [("Report", 96.0), ("of", 96.0), ("Branch", 96.0)]),
        ((100, 110, 500, 40), [("تقرير", 90.0), ("Branch", 95.0), ("في", 91.0),
                               ("دمشق", 92.0)]),
    ], paragraph_of=[1, 1, 2]))
    second = parse_lines(_tsv([
        ((101, 12, 498, 44), [("المخابرات", 88.0), ("العسكرية", 90.0), ("شعبة", 90.0)]),
        ((100, 60, 500, 40), [("ريبورت", 30.0), ("اوف", 30.0)]),
        ((100, 110, 500, 40), [("تقرير", 90.0), ("813121", 40.0), ("في", 91.0),
                               ("دمشق", 92.0)]),
    ]))

    text, confidence, taken = merge_readings(first, second)

    assert text.splitlines() == ["المخابرات العسكرية شعبة", "Report of Branch", "",
                                 "تقرير Branch في دمشق"]
    assert taken == 1
    assert confidence == pytest.approx((88 + 90 + 90 + 96 * 3 + 90 + 95 + 91 + 92) / 10)


def test_a_line_without_a_partner_keeps_the_first_reading() -> None:
    first = parse_lines(_tsv([((0, 0, 100, 20), [("الفرع", 90.0)]),
                              ((0, 500, 100, 20), [("حمص", 90.0)])]))
    second = parse_lines(_tsv([((0, 0, 100, 20), [("الفرع", 95.0)])]))

    text, _confidence, taken = merge_readings(first, second)

    assert text.splitlines() == ["الفرع", "حمص"] and taken == 0
