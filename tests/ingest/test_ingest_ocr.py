"""Tesseract OCR and the repair of misread Arabic-Indic unit numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from dossier.ingest.model import OcrFailed
from dossier.ingest.ocr import (
    ARABIC_SCRIPT_MODEL,
    installed_languages,
    ocr_image,
    prepare_for_ocr,
    reading_languages,
    recognise,
    tesseract_tool,
)
from dossier.ingest.ocr_digits import (
    correct_digits,
    is_misread_branch_word,
    persian_forms_to_arabic,
)
from dossier.ingest.ocr_lines import lines_text, mean_confidence, parse_hocr
from dossier.ingest.ocr_numbers import (
    is_date_word,
    is_grouped_candidate,
    is_number_candidate,
    is_unread,
    lookalike_kind,
    reread_numbers,
)


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
    assert result.tool.startswith(tesseract_tool(reading_languages("ara+eng+fra")))
    assert result.tool.startswith("tesseract 5")


def test_an_em_dash_on_an_arabic_line_is_no_hyphen(render_page, amiri: Path) -> None:
    # the Arabic script model has no em dash and reads it "-"; a hyphen stays a hyphen
    image = render_page(["وثيقة اصطناعية — بيانات اختبار", "بيانات - اختبار"], amiri)

    result = recognise(image, "ara+eng+fra", timeout=60)

    dashed, hyphened = [line for line in result.text.splitlines() if line.strip()]
    assert "اصطناعية — بيانات" in dashed
    assert "بيانات - اختبار" in hyphened
    assert [(c.before, c.after) for c in result.corrections] == [("-", "—")]


def test_a_dash_of_a_latin_line_is_left_as_read() -> None:
    from dossier.ingest.ocr_dashes import em_dashes
    from dossier.ingest.ocr_lines import OcrChar, OcrLine, OcrWord
    from dossier.ingest.ocr_page import PageGrey

    def word(text: str, left: int, right: int) -> OcrWord:
        return OcrWord((OcrChar(text, left, right),), left, right, 90.0, 10, 30)

    # an en dash as long as 0.7 of the words' height: the Latin models read theirs right
    line = OcrLine(0, (word("Paris", 10, 80), word("–", 90, 105), word("Berlin", 115, 190)))
    blank = PageGrey(Image.new("L", (200, 40), 255))

    assert em_dashes([line], blank) == ([line], [])


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


def test_persian_forms_from_the_script_model_become_arabic() -> None:
    assert persian_forms_to_arabic("التاریخ ۲۴/۱۰ إلی الفرع ۲۵۱ کتاب") == \
        "التاريخ ٢٤/١٠ إلى الفرع ٢٥١ كتاب"


# -- reading order from hOCR character boxes (no OCR needed) ----------------------------------

def _hocr(lines: list[list[tuple[str, list[int]]]]) -> str:
    """hOCR as Tesseract writes it: each word a list of (character, left edge), 10 px wide."""
    body = []
    for number, words in enumerate(lines):
        spans = []
        for text, lefts in words:
            chars = "".join(f"<span class='ocrx_cinfo' title='x_bboxes {left} 0 {left + 10} 20;"
                            f" x_conf 90'>{ch}</span>" for ch, left in zip(text, lefts,
                                                                           strict=True))
            spans.append(f"<span class='ocrx_word' title='bbox {min(lefts)} 0 "
                         f"{max(lefts) + 10} 20; x_wconf 80'>{chars}</span>")
        body.append(f"<p class='ocr_par'><span class='ocr_line' title='bbox 0 {number * 30} "
                    f"900 {number * 30 + 20}'>{''.join(spans)}</span></p>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
            f"<body><div class='ocr_page'>{''.join(body)}</div></body></html>")


def test_arabic_lines_laid_out_left_to_right_are_put_in_reading_order() -> None:
    # Tesseract wrote "285 الفرع" and "٢٤/١٠/٢٠١٢ التاريخ:" for lines that begin with the word
    lines = parse_hocr(_hocr([
        [("285", [500, 510, 520]), ("الفرع", [590, 580, 570, 560, 550])],
        [("٢٤/١٠/٢٠١٢", list(range(400, 500, 10))), ("التاريخ:", list(range(600, 520, -10)))],
        [("SYNTHETIC", list(range(100, 190, 10))), ("test", [200, 210, 220, 230])],
        [("تقرير", [800, 790, 780, 770, 760]), ("Branch", list(range(600, 660, 10))),
         ("251", [670, 680, 690]), ("في", [500, 490]), ("دمشق", [400, 390, 380, 370])],
    ]))

    assert lines_text(lines).splitlines() == [
        "الفرع 285", "", "التاريخ: ٢٤/١٠/٢٠١٢", "", "SYNTHETIC test", "",
        "تقرير Branch 251 في دمشق"]
    assert mean_confidence(lines) == 80


def test_reversed_digits_inside_a_word_are_put_in_the_order_of_their_boxes() -> None:
    # reference ص/٤٢٧٥, read as ص/٥٢٧٤: the digits' boxes show the true order
    [line] = parse_hocr(_hocr([[("ص/٥٢٧٤", [520, 510, 430, 410, 420, 400])]]))

    assert line.text == "ص/٤٢٧٥"


def test_a_word_box_wider_than_its_letters_does_not_move_the_word() -> None:
    hocr = _hocr([[("أمر", [300, 290, 280]), ("الفرع", [200, 190, 180, 170, 160])]])
    # Tesseract gave the first letter of "الفرع" a box reaching over "أمر"
    hocr = hocr.replace("x_bboxes 200 0 210 20", "x_bboxes 200 0 310 20").replace(
        "bbox 160 0 210 20", "bbox 160 0 310 20")

    assert parse_hocr(hocr)[0].text == "أمر الفرع"


def test_numbers_of_a_right_to_left_line_are_read_in_logical_order() -> None:
    # what Tesseract gave, in the order of the page: a date with hyphens is printed with its
    # groups from right to left, a list number "١-" as "-١"; a bracket comes named for its
    # meaning, "(" for the one on the right
    lines = parse_hocr(_hocr([
        [("التاريخ:", list(range(900, 820, -10))), ("٢٧-٨-٢٠١٣", list(range(700, 790, 10)))],
        [("-١", [900, 910]), ("خالد", [800, 790, 780, 770])],
        [("التولد:", list(range(900, 830, -10))), ("١٩٧٢", [700, 710, 720, 730]),
         ("—", [600]), ("المحافظة", list(range(500, 420, -10))[:len("المحافظة")])],
        [("وعددهم", [900, 890, 880, 870, 860, 850]), (")٢(", [700, 710, 720])],
        [("التاريخ:", list(range(900, 820, -10))), ("2013-8-27", list(range(700, 790, 10))),
         ("٢٢:٠٥", [600, 610, 620, 630, 640])],
        [("تقرير", [900, 890, 880, 870, 860]), ("Branch", list(range(600, 660, 10))),
         ("251", [670, 680, 690])],
        # a reference number with a letter of code, given in the order of the page
        [("الرقم:", list(range(900, 840, -10))), ("٥٧٩٦/ص", [700, 710, 720, 730, 740, 750])],
    ]))

    assert [line for line in lines_text(lines).splitlines() if line] == [
        "التاريخ: ٢٠١٣-٨-٢٧", "١- خالد", "التولد: ١٩٧٢ — المحافظة", "وعددهم (٢)",
        "التاريخ: 2013-8-27 ٢٢:٠٥", "تقرير Branch 251", "الرقم: ص/٥٧٩٦"]


def test_a_hyphen_between_arabic_indic_digits_on_a_latin_line_stays_where_it_is() -> None:
    [line] = parse_hocr(_hocr([[("Ref", [100, 110, 120]), ("٢٧-٨", [200, 210, 220, 230])]]))

    assert line.text == "Ref ٢٧-٨"


# -- real Tesseract on rendered Arabic -------------------------------------------------------

def test_arabic_indic_numbers_and_dates_come_back_whole_and_in_order(render_page,
                                                                    dejavu: Path) -> None:
    image = render_page(["الفرع ٢٥١ في دمشق", "التاريخ: ٢٤/١٠/٢٠١٢", "الرقم: ٤٢٧٥/ص",
                         "من الفرع ٢١٥ إلى الفرع ٢٤٨"], dejavu, size=36)

    result = recognise(image, "ara+eng+fra", timeout=60)

    lines = [line for line in result.text.splitlines() if line]
    assert lines[0] == "الفرع ٢٥١ في دمشق"
    assert "٢٤/١٠/٢٠١٢" in lines[1] and lines[1].index("٢٤/") > lines[1].index(":")
    assert "٤٢٧٥/ص" in lines[2]
    assert lines[3].startswith("من الفرع ٢١٥ إلى الفرع ٢٤")
    assert not set("۰۱۲۳۴۵۶۷۸۹یک") & set(result.text)  # no Persian forms in Arabic text
    if ARABIC_SCRIPT_MODEL in installed_languages():
        assert result.tool.startswith("tesseract 5") and "Arabic (for ara+eng+fra)" in result.tool


def test_the_script_model_replaces_the_languages_it_covers() -> None:
    if ARABIC_SCRIPT_MODEL not in installed_languages():
        pytest.skip("the Arabic script model (tesseract-ocr-script-arab) is not installed")
    assert reading_languages("ara+eng+fra") == "Arabic"
    assert reading_languages("ara+eng+deu") == "Arabic+deu"
    assert reading_languages("eng+fra") == "eng+fra"


def test_unit_numbers_of_a_150_dpi_scan_are_read_with_the_right_digits(render_page,
                                                                      amiri: Path) -> None:
    # 11 pt text scanned at 150 dpi is 23 px; Tesseract's Arabic model alone read these
    # numbers ٢٠١, ٠٨١, ٠٠١ and ٠٠٠١
    image = render_page(["من الفرع ٢١٥ إلى الفرع ٢٨٥", "المشفى العسكري ٦٠١ والفرع ٢٣٥",
                         "الفرع 251 في دمشق"], amiri, size=23, width=1240)

    result = recognise(image, "ara+eng+fra", timeout=60)

    lines = [line for line in result.text.splitlines() if line]
    assert lines[0] == "من الفرع ٢١٥ إلى الفرع ٢٨٥"
    assert lines[1].startswith("المشفى") and lines[1].endswith(" ٦٠١ والفرع ٢٣٥")
    assert lines[2] == "الفرع 251 في دمشق"  # typed ASCII digits are left as Tesseract read them
    assert "numbers re-read" in result.tool
    # what Tesseract read is kept with the page
    for correction in result.corrections:
        assert result.text[correction.offset:].startswith(correction.after)


@pytest.mark.parametrize(("lines", "face", "expected"), [
    # Tesseract's Arabic model alone read "التار: ٢٠١٢/٠/١" (٥ as ٠) and lost the end of the
    # date word, which is why the words after a shortened "تار" are read again too
    (["التاريخ: ٢٠١٢/٥/١", "تاريخ الوفاة: ٢٠١٤/١٠/١١"], "amiri", ["٢٠١٢/٥/١", "٢٠١٤/١٠/١١"]),
    # printed "٢٧-٨-٢٠١٣" and "-١": Tesseract gave the groups in the order of the page
    (["تاريخ التوقيف: ٢٠١٣-٨-٢٧", "١- خالد يوسف"], "dejavu", ["٢٠١٣-٨-٢٧", "١- خالد"]),
])
def test_the_dates_of_a_150_dpi_scan_come_back_right(render_page, request, lines: list[str],
                                                     face: str, expected: list[str]) -> None:
    image = render_page(lines, request.getfixturevalue(face), size=23, width=1240)

    result = recognise(image, "ara+eng+fra", timeout=60)

    for text in expected:
        assert text in result.text
    for correction in result.corrections:
        assert result.text[correction.offset:].startswith(correction.after)


def test_blurred_digits_of_a_bold_face_are_told_apart(amiri: Path) -> None:
    # scans blur the notches that tell ٢ from ٣; the nearest drawn template alone read this
    # number with a ٣ for the first ٢
    from PIL import ImageFilter

    from dossier.ingest.ocr_numbers import read_digits

    bold = amiri.with_name("Amiri-Bold.ttf")
    face = ImageFont.truetype(str(bold if bold.exists() else amiri), 22)
    image = Image.new("L", (200, 50), 255)
    ImageDraw.Draw(image).text((20, 10), "٢٣٥٢٨٣", font=face, fill=0)
    blurred = np.asarray(image.filter(ImageFilter.GaussianBlur(1.2)))

    digits = read_digits(blurred)

    assert digits is not None
    assert "".join(digit for digit, _, _ in digits) == "٢٣٥٢٨٣"



@pytest.mark.parametrize("blur", [1.0, 1.5, 2.0])
def test_a_blurred_three_of_a_small_scan_is_no_two(naskh: Path, blur: float) -> None:
    # a scan at 150 dpi draws the digits a dozen pixels high, and its blur fills the notches
    # of ٣; a linear classifier of the glyphs read this ٢٣٥ as ٢٢٥
    from PIL import ImageFilter

    from dossier.ingest.ocr_numbers import read_digits

    image = Image.new("L", (240, 96), 255)
    ImageDraw.Draw(image).text((24, 16), "٢٣٥", font=ImageFont.truetype(str(naskh), 48), fill=0)
    scanned = image.filter(ImageFilter.GaussianBlur(blur)).resize((80, 32), Image.Resampling.BOX)

    digits = read_digits(np.asarray(scanned))

    assert digits is not None
    assert "".join(digit for digit, _, _ in digits) == "٢٣٥"

@pytest.mark.parametrize(("word", "previous", "expected"), [
    ("٢٠١٢/٠/١", "", True),  # a date with Arabic-Indic digits
    ("٧١١٢/٢٤٨", "الرقم:", True),  # a reference number
    ("٢٣-٩-٢٠١٤", "", True),
    ("e4/٧/Y", "", True),  # look-alikes around an Arabic-Indic digit
    ("YO/W/1Y", "التارج:", True),  # look-alikes only, after a (misread) date word
    ("YO/W/1Y", "في", False),
    ("2013/4/13", "التاريخ:", False),  # typed ASCII digits are read right
    ("٤٢٧٥/ص", "", False),  # letters are not digit groups
    ("٢٠١٢", "", False),  # one group: a number, read as one
])
def test_which_words_are_read_again_as_dates(word: str, previous: str, expected: bool) -> None:
    assert is_grouped_candidate(word, previous) is expected


def test_date_words_and_the_numbers_after_them() -> None:
    assert all(is_date_word(w) for w in ("التاريخ:", "تاريخ", "بتاريخ", "التارج:", "تار:"))
    assert not any(is_date_word(w) for w in ("الفرع", "تم", "Date:", "المدير"))
    assert is_number_candidate("Y1", "التاريخ:")  # "١٢ تشرين الأول": the day, misread
    assert not is_number_candidate("Y1", "في")


def test_the_ruled_lines_of_a_table_are_not_read_as_bars(dejavu: Path) -> None:
    from PIL import ImageDraw, ImageFont

    font = ImageFont.truetype(str(dejavu), 28)
    image = Image.new("L", (900, 120), 255)
    draw = ImageDraw.Draw(image)
    x = 40.0
    for cell in ("Branch 251", "Damascus", "Homs"):  # three cells, a rule after each
        draw.text((x, 40), cell, font=font, fill=0)
        rule = x + draw.textlength(cell, font=font) + 14
        draw.line((rule, 20, rule, 100), fill=0, width=2)
        x = rule + 24

    text, _ = ocr_image(image, "eng", timeout=60)

    assert text.split() == ["Branch", "251", "Damascus", "Homs"]


def test_only_words_that_are_bars_alone_are_left_out() -> None:
    from dossier.ingest.ocr_lines import OcrChar, OcrLine, OcrWord, without_rules

    def word(text: str, left: int) -> OcrWord:
        return OcrWord(tuple(OcrChar(ch, left + i * 10, left + i * 10 + 9)
                             for i, ch in enumerate(text)), left, left + 10 * len(text), 90.0)

    lines = [OcrLine(0, (word("A|B", 0), word("|", 50), word("||", 70), word("x", 100))),
             OcrLine(1, (word("│", 0),))]
    kept = without_rules(lines)
    assert [[w.text for w in line.words] for line in kept] == [["A|B", "x"]]


@pytest.mark.parametrize(("word", "kind"), [
    ("ro", "number"), ("YII’", "number"), ("VY1£", "number"),  # letters for digits
    ("Y/Y", "grouped"), ("FWY/Y", "grouped"), ("Y°1E/t/YV", "grouped"),
    ("2013", None), ("12/5/2013", None),  # plain digits are read right
    ("Homs", None), ("Damascus", None), ("PDF", None), ("", None),  # Latin words stay
    ("’", "number"), ("°", "number"), ("'/'", "grouped"),  # ١ and ٠ misread as signs
    ("/", None), ("-", None),  # separators alone are not numbers
    ("Pee", "number"), ("P..", "number"),  # ٣٠٠ on a degraded scan: ٠ read as a dot too
    (".e", None), ("Pay", None),
    ("“٠١", "number"),  # ٦٠١ with its ٦ read as a quotation mark
])
def test_latin_look_alikes_of_arabic_indic_digits(word: str, kind: str | None) -> None:
    assert lookalike_kind(word) == kind


def test_a_number_written_as_latin_look_alikes_on_an_arabic_line_is_read_again(
        render_page, amiri: Path) -> None:
    from dataclasses import replace

    from dossier.ingest.ocr import ARABIC_SCRIPT_MODEL as MODEL
    from dossier.ingest.ocr import _page_lines
    from dossier.ingest.ocr_lines import OcrChar, OcrLine, reading_order

    image = render_page(["أحيل إلى الفرع ٢٣٥ في دمشق"], amiri, size=23, width=1240)
    models = MODEL if MODEL in installed_languages() else "ara"
    [line] = _page_lines(image, models, 60)
    ordered = reading_order(line)
    [number] = [w for w, before in zip(ordered[1:], ordered, strict=False)
                if before.text == "الفرع"]  # whatever Tesseract made of ٢٣٥
    # what the script model writes for such a number on a degraded scan: Latin letters, over
    # the same glyphs (its boxes kept, its reading replaced)
    misread = replace(number, chars=(OcrChar("r", number.left, number.right),
                                     OcrChar("o", None)))
    lines = [OcrLine(line.paragraph, tuple(misread if w is number else w
                                           for w in line.words))]

    [reread], pairs = reread_numbers(image, lines)

    assert [w.text for w in reread.words if w.left == number.left] == ["٢٣٥"]
    assert ("ro", "٢٣٥") in [(before.text, after.text) for before, after in pairs]
    # on a Latin line the same letters are a word, and stay one
    assert reread_numbers(image, [OcrLine(0, (misread,))])[1] == []


@pytest.mark.parametrize(("word", "misread"), [
    ("الع", True), ("افع", True), ("الفيع", True),  # bold letterheads' "الفرع"
    ("الفرع", False),  # read right: nothing to change
    ("الشارع", False), ("المربع", False),  # real words of six letters: street, square
    ("الفرق", False), ("فرع", False), ("الع1", False),
])
def test_what_a_misread_branch_word_looks_like(word: str, misread: bool) -> None:
    assert is_misread_branch_word(word) == misread


def _misread_word(word, text: str):  # type: ignore[no-untyped-def]
    """The word with Tesseract's reading replaced by `text`, its characters over its box."""
    from dataclasses import replace

    from dossier.ingest.ocr_lines import OcrChar

    step = (word.right - word.left) / len(text)
    return replace(word, chars=tuple(
        OcrChar(ch, round(word.left + i * step), round(word.left + (i + 1) * step))
        for i, ch in enumerate(text)))


def test_a_letterhead_branch_whose_word_was_misread_is_named_again(render_page, amiri: Path
                                                                   ) -> None:
    from dossier.ingest.ocr import ARABIC_SCRIPT_MODEL as MODEL
    from dossier.ingest.ocr import _page_lines
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    image = render_page(["من: الفرع ٢١٥"], amiri, size=23, width=1240)
    models = MODEL if MODEL in installed_languages() else "ara"
    [line] = _page_lines(image, models, 60)
    ordered = reading_order(line)
    assert len(ordered) == 3, [w.text for w in ordered]
    prefix, branch, number = ordered
    # what the script model makes of a bold letterhead: the branch word short of letters and
    # the number as signs, over the same glyphs
    misread = {id(branch): _misread_word(branch, "الفيع"),
               id(number): _misread_word(number, "1\\0")}
    lines = [OcrLine(line.paragraph, tuple(misread.get(id(w), w) for w in line.words))]

    [reread], pairs = reread_numbers(image, lines)

    assert [w.text for w in reading_order(reread)] == [prefix.text, "الفرع", "٢١٥"]
    assert [(before.text, after.text) for before, after in pairs] == [
        ("الفيع", "الفرع"), ("1\\0", "٢١٥")]
    # the same words in a sentence are left as Tesseract read them
    longer = OcrLine(0, (*lines[0].words, _misread_word(prefix, "في")))
    assert all(before.text != "الفيع" for before, _ in reread_numbers(image, [longer])[1])


@pytest.mark.parametrize("rule", [False, True])
def test_a_digit_tesseract_put_in_no_word_is_taken_into_the_unit_number(
        render_page, amiri: Path, rule: bool) -> None:
    from PIL import ImageDraw

    from dossier.ingest.ocr import ARABIC_SCRIPT_MODEL as MODEL
    from dossier.ingest.ocr import _page_lines
    from dossier.ingest.ocr_lines import OcrLine, reading_order
    from dossier.ingest.ocr_numbers import _word_glyphs

    image = render_page(["إلى: السيد رئيس الفرع ٢١٥ المحترم"], amiri, size=23, width=1240)
    models = MODEL if MODEL in installed_languages() else "ara"
    [line] = _page_lines(image, models, 60)
    ordered = reading_order(line)
    [number] = [w for w, before in zip(ordered[1:], ordered, strict=False)
                if before.text == "الفرع"]
    offset, _, glyphs = _word_glyphs(np.asarray(image), number)
    assert len(glyphs) == 3
    two, one = glyphs[0], glyphs[1]  # ٢ is the leftmost glyph of ٢١٥
    if rule:  # a table's rule where the ٢ was: taller than any digit, never taken in
        image = image.copy()
        erased = (offset + two[0], number.top - 3, offset + two[2], number.bottom + 3)
        ImageDraw.Draw(image).rectangle(erased, fill=255)
        middle = offset + (two[0] + two[2]) // 2
        ImageDraw.Draw(image).line((middle, number.top - 25, middle, number.bottom + 25),
                                   fill=0, width=2)
    # Tesseract reading "١٥" over the ١ and the ٥ only, the ٢ in no word
    dropped = _misread_word(number, "١٥")
    dropped = type(number)(dropped.chars, offset + one[0], number.right, number.confidence,
                           number.top, number.bottom, number.right_to_left)
    dropped = _misread_word(dropped, "١٥")
    lines = [OcrLine(line.paragraph, tuple(dropped if w is number else w for w in line.words))]

    [reread], _ = reread_numbers(image, lines)

    read = [w.text for w in reading_order(reread) if w.right == number.right]
    assert read == (["١٥"] if rule else ["٢١٥"])


def test_the_digit_classifier_is_fitted_once_and_kept(tmp_path: Path, monkeypatch) -> None:
    from dossier.ingest import ocr_glyphs

    if not ocr_glyphs.font_files():
        pytest.skip("no Arabic face is installed to draw the digits from")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    ocr_glyphs.digit_classifier.cache_clear()
    try:
        fitted = ocr_glyphs.digit_classifier()
        [kept] = (tmp_path / "dossier").glob("digit-classifier-*.npy")
        ocr_glyphs.digit_classifier.cache_clear()
        loaded = ocr_glyphs.digit_classifier()
        assert fitted is not None and loaded is not None
        assert np.array_equal(fitted.weights, loaded.weights)

        kept.write_bytes(b"not an array")  # a damaged file is fitted again and replaced
        ocr_glyphs.digit_classifier.cache_clear()
        again = ocr_glyphs.digit_classifier()
        assert again is not None and np.array_equal(again.weights, fitted.weights)
        assert np.array_equal(np.load(kept), fitted.weights)
    finally:
        ocr_glyphs.digit_classifier.cache_clear()


def test_a_date_with_a_slash_read_as_a_digit_is_read_again(render_page, amiri: Path) -> None:
    from dataclasses import replace

    from dossier.ingest.ocr import ARABIC_SCRIPT_MODEL as MODEL
    from dossier.ingest.ocr import _page_lines
    from dossier.ingest.ocr_lines import OcrChar, OcrLine

    image = render_page(["التاريخ: ٢٠١٣/٢/١٣"], amiri, size=23, width=1240)
    models = MODEL if MODEL in installed_languages() else "ara"
    [line] = _page_lines(image, models, 60)
    [date] = [w for w in line.words if "/" in w.text]  # however Tesseract read the date
    # what the script model makes of such a date in a table cell: a slash read as ١, over
    # the same glyphs (the word's box kept, its characters spread over it)
    misread_text = "٢٠١٣١٢/١٣"
    step = (date.right - date.left) / len(misread_text)
    misread = replace(date, chars=tuple(
        OcrChar(ch, round(date.left + i * step), round(date.left + (i + 1) * step))
        for i, ch in enumerate(misread_text)))
    lines = [OcrLine(line.paragraph, tuple(misread if w is date else w for w in line.words))]

    [reread], pairs = reread_numbers(image, lines)

    assert [w.text for w in reread.words if w.left == date.left] == ["٢٠١٣/٢/١٣"]
    assert [(before.text, after.text) for before, after in pairs] == [
        ("٢٠١٣١٢/١٣", "٢٠١٣/٢/١٣")]


def _read_again_in_a_table_row(amiri: Path, written: str, misread: str
                               ) -> tuple[list[str], list[tuple[str, str]]]:
    """A table row as the script model reads it off a scan: the words before it right, the
    date `written` read as `misread`, over its glyphs (the words' boxes where the text was
    drawn; Tesseract's own boxes for such a word vary). The row's words after reading again,
    and the (before, after) pairs."""
    from dossier.ingest.ocr_lines import OcrChar, OcrLine, OcrWord

    face = ImageFont.truetype(str(amiri), 23)
    image = Image.new("L", (600, 80), 255)
    draw = ImageDraw.Draw(image)
    draw.text((560, 25), "أحمد حماة", font=face, fill=0, direction="rtl", anchor="ra")
    draw.text((420, 25), written, font=face, fill=0, direction="rtl", anchor="ra")

    def word(text: str, box: tuple[float, float, float, float]) -> OcrWord:
        left, top, right, bottom = (round(edge) for edge in box)
        step = (right - left) / len(text)
        return OcrWord(tuple(OcrChar(ch, round(left + i * step), round(left + (i + 1) * step))
                             for i, ch in enumerate(text)), left, right, 60.0, top, bottom,
                       right_to_left=True)

    row = word("أحمد حماة", draw.textbbox((560, 25), "أحمد حماة", font=face,
                                          direction="rtl", anchor="ra"))
    date = word(misread, draw.textbbox((420, 25), written, font=face, direction="rtl",
                                       anchor="ra"))
    [reread], pairs = reread_numbers(image, [OcrLine(0, (row, date))])
    return [w.text for w in reread.words], [(before.text, after.text) for before, after in pairs]


@pytest.mark.parametrize(("written", "misread"), [
    ("٢٠١٣/٣/١١", "Y/N"),  # a table cell's date: one slash of two, letters for the rest
    ("٢٠١٢-٧-١٣", "PIVA"),  # hyphens lost with the digits
    ("١١/٨/٢٠١٢م", "PIVA"),  # the م of a Gregorian year after it, read with the date
])
def test_a_date_read_as_latin_letters_on_an_arabic_line_is_read_again(
        amiri: Path, written: str, misread: str) -> None:
    words, pairs = _read_again_in_a_table_row(amiri, written, misread)

    assert words == ["أحمد حماة", written]
    assert (misread, written) in pairs


@pytest.mark.parametrize(("written", "misread"), [  # misread: its signs in the page's order
    ("٢٠١٤-٦-٢٣", "٢٠--٢٣"),  # digits read as separators: no digit groups
    ("١١/١٠/٢٠١٢م", "م١١/١١/٢٠١٢"),  # digit groups with the year's م glued to them
])
def test_digits_and_separators_that_make_no_groups_are_read_again(
        amiri: Path, written: str, misread: str) -> None:
    words, pairs = _read_again_in_a_table_row(amiri, written, misread)

    assert words == ["أحمد حماة", written]
    assert [after for _, after in pairs] == [written]


@pytest.mark.parametrize(("text", "malformed"), [
    ("٢٠--٢٣", True), ("/٢٠١٣/", True), ("١١/١١/٢٠١٢م", True),
    ("٢٠١٢/٥/١", False),  # well-formed groups: the checks of digit groups read them
    ("٢٥١", False), ("1/0/0", False), ("--", False),
])
def test_which_digits_and_separators_make_no_groups(text: str, malformed: bool) -> None:
    from dossier.ingest.ocr_numbers import is_malformed_groups

    assert is_malformed_groups(text) is malformed


def _date_row(amiri: Path, pieces: list[tuple[str, int]]):  # type: ignore[no-untyped-def]
    """`_drawn_row` of `pieces`, and a word over each piece's box, read as drawn."""
    image, boxes = _drawn_row(amiri, pieces)
    return image, [_word_over(text, box) for (text, _), box in zip(pieces, boxes, strict=True)]


def test_a_date_broken_up_after_a_date_word_is_read_whole(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # "بتار ۳ من": Tesseract kept one glyph of ١٨/٧/٢٠١٢, and the box of "من" reaches over
    # its ١
    image, (date_word, date, after) = _date_row(
        amiri, [("بتاريخ", 600), ("١٨/٧/٢٠١٢", 520), ("من قبل", 380)])
    glyphs = _ink_columns(image, (date.left, date.top, date.right, date.bottom))
    three = glyphs[len(glyphs) // 2]
    lost = _word_over("٣", (three[0], date.top, three[1], date.bottom))
    stretched = _word_over("من قبل", (after.left, after.top, glyphs[0][1], after.bottom))
    line = OcrLine(0, (date_word, lost, stretched))

    [read], pairs = reread_numbers(image, [line])

    assert [w.text for w in reading_order(read)] == ["بتاريخ", "١٨/٧/٢٠١٢", "من قبل"]
    assert [(before.text, after.text) for before, after in pairs] == [("٣", "١٨/٧/٢٠١٢")]


def test_a_date_in_two_pieces_at_the_end_of_a_line_is_read_whole(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # "التارج: ۱۲ A" for ٩/١٢/٢٠١٢م: two pieces far apart, the middle of the date in neither
    image, (date_word, date) = _date_row(amiri, [("التاريخ:", 600), ("٩/١٢/٢٠١٢م", 500)])
    glyphs = _ink_columns(image, (date.left, date.top, date.right, date.bottom))
    left = _word_over("A", (glyphs[0][0], date.top, glyphs[2][1], date.bottom))
    right = _word_over("١٢", (glyphs[-2][0], date.top, glyphs[-1][1], date.bottom))
    line = OcrLine(0, (date_word, right, left))

    [read], _ = reread_numbers(image, [line])

    assert [w.text for w in reading_order(read)] == ["التاريخ:", "٩/١٢/٢٠١٢م"]


def test_a_number_after_a_date_word_that_makes_no_date_is_left_alone(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # a reference number after the date word is no date: nothing is made of it
    image, words = _date_row(amiri, [("التاريخ:", 600), ("٤٢٧٥", 500), ("المرجع", 420)])

    [read], _ = reread_numbers(image, [OcrLine(0, tuple(words))])

    assert [w.text for w in reading_order(read)] == ["التاريخ:", "٤٢٧٥", "المرجع"]


def test_a_year_whose_box_takes_in_the_month_name_is_read_without_its_letters(
        amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # "١٣ أيار ٢٠٠٤" for ١٣ أيار ٢٠١٤: the year's box stretched over the letters of أيار
    image, (day, month, year) = _date_row(amiri, [("١٣", 600), ("أيار", 570), ("٢٠١٤", 500)])
    misread = _word_over("٢٠٠٤", (year.left, year.top, month.right - 4, year.bottom))

    [read], _ = reread_numbers(image, [OcrLine(0, (day, month, misread))])

    assert [w.text for w in reading_order(read)] == ["١٣", "أيار", "٢٠١٤"]


@pytest.mark.parametrize(("written", "misread"), [
    ("٢٠١٢/٨/١١", "٢٠١٢/٨١١١"),  # a slash read as a ١
    ("٣/٩/٢٠١٢", "٣١٩١٢٠١٢"),  # both
])
def test_a_date_with_its_slashes_read_as_digits_is_read_again(
        amiri: Path, written: str, misread: str) -> None:
    # a slash is taller than the digits, whatever Tesseract made of it
    words, pairs = _read_again_in_a_table_row(amiri, written, misread)

    assert words == ["أحمد حماة", written]
    assert (misread, written) in pairs


@pytest.mark.parametrize(("written", "misread"), [
    ("٢١/٧/٢٠١٣", "٢١/٧/٢٠١٣٢"),  # the boxes of the year's last digits overlap
    ("٢٠١٣/٧/٢١", "٢٠١٢٣/٧/٢١"),
])
def test_a_date_whose_year_was_read_with_a_digit_too_many_is_read_again(
        amiri: Path, written: str, misread: str) -> None:
    words, pairs = _read_again_in_a_table_row(amiri, written, misread)

    assert words == ["أحمد حماة", written]
    assert (misread, written) in pairs


@pytest.mark.parametrize(("written", "misread", "expected"), [
    ("٢٠١٣/٧/٢٥", "1/0/0", "٢٠١٣/٧/٢٥"),  # Arabic-Indic digits read as a few European ones
    ("٢٠١٣/٧/٢٥", "2013/7/25", "2013/7/25"),  # a whole date is left as read
])
def test_european_digit_groups_that_make_no_date_on_an_arabic_indic_page_are_read_again(
        amiri: Path, written: str, misread: str, expected: str) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # a row of a detainees' table: the year of birth in Arabic-Indic digits, as the page is
    image, (name, born, date) = _drawn_row(
        amiri, [("أحمد حماة", 640), ("١٩٦٥", 520), (written, 440)])
    words = [_word_over("أحمد حماة", name), _word_over("١٩٦٥", born), _word_over(misread, date)]

    [reread], _ = reread_numbers(image, [OcrLine(0, tuple(words))])

    assert [w.text for w in reading_order(reread)] == ["أحمد حماة", "١٩٦٥", expected]


def test_european_digit_groups_on_a_page_of_european_digits_are_left_as_read(amiri: Path
                                                                             ) -> None:
    from dossier.ingest.ocr_lines import OcrLine

    image, (name, born, date) = _drawn_row(
        amiri, [("أحمد حماة", 640), ("1965", 520), ("٢٠١٣/٧/٢٥", 440)])
    words = (_word_over("أحمد حماة", name), _word_over("1965", born), _word_over("1/0/0", date))

    assert reread_numbers(image, [OcrLine(0, words)]) == ([OcrLine(0, words)], [])


def test_beside_two_slashes_two_flat_dots_are_zeros_not_hyphens() -> None:
    from dossier.ingest.ocr_numbers import _guessed_separators

    # the glyphs of ٢٠١٣/١١/٣٠ as a degraded scan gave them (Tesseract read "YAFINY-"): the
    # two ٠ are dots four pixels wide and three high, as flat as a hyphen at this size; the
    # slashes are half again as tall as the digits. A date has one kind of separator.
    boxes = [(2, 4, 9, 16), (10, 10, 14, 13), (17, 5, 21, 16), (23, 4, 32, 16), (33, 1, 39, 20),
             (41, 4, 45, 15), (48, 4, 52, 15), (54, 1, 60, 19), (61, 3, 70, 15), (72, 9, 76, 12)]
    blank = np.full((21, 78), 255, np.uint8)

    assert _guessed_separators(blank, boxes) == {4: "/", 7: "/"}


def test_a_latin_word_on_an_arabic_line_stays_a_word(render_page, amiri: Path) -> None:
    from dossier.ingest.ocr import ARABIC_SCRIPT_MODEL as MODEL
    from dossier.ingest.ocr import _page_lines

    image = render_page(["نقل إلى Homs Central Prison في حمص"], amiri, size=23, width=1240)
    models = MODEL if MODEL in installed_languages() else "ara"
    lines = _page_lines(image, models, 60)

    reread, pairs = reread_numbers(image, lines)

    assert pairs == []
    assert "Homs" in " ".join(w.text for line in reread for w in line.words)


@pytest.mark.parametrize(("word", "expected"), [
    ("Y/N", True), ("VENI", True), ("YeVEIVUYY", True), ("r.1é/el\\Y", True),
    ("2013", False), ("/", False), ("Y", False),  # digits read right; a sign; too short
    ("الفرع", False), ("Y/ص", False),  # Arabic letters
    ("YeVEIVUYYYYYY", False),  # longer than any date
])
def test_which_latin_words_of_an_arabic_line_are_read_again(word: str, expected: bool) -> None:
    assert is_unread(word) is expected


def test_a_digit_cut_by_the_box_of_its_number_is_read_whole(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrChar, OcrLine, OcrWord

    # Tesseract's box for a number sometimes starts inside its first digit: "٢١٥" read
    # "١٥", a box that takes in the right quarter of the ٢ (read as a ١ when cut there)
    face = ImageFont.truetype(str(amiri), 23)
    image = Image.new("L", (600, 80), 255)
    draw = ImageDraw.Draw(image)
    draw.text((560, 25), "رئيس الفرع", font=face, fill=0, direction="rtl", anchor="ra")
    draw.text((420, 25), "٢١٥", font=face, fill=0, direction="rtl", anchor="ra")
    left, top, right, bottom = (round(edge) for edge in draw.textbbox(
        (420, 25), "٢١٥", font=face, direction="rtl", anchor="ra"))
    ink = np.asarray(image)[top:bottom, left:right] < 128
    first = int(np.flatnonzero(ink.any(axis=0))[0])
    two = first + int(np.flatnonzero(~ink[:, first + 1:].any(axis=0))[0])  # the ٢'s right edge
    cut = left + first + (two - first) * 3 // 4
    unit_word = OcrWord((OcrChar("رئيس الفرع", 440, 560),), 440, 560, 90.0, top, bottom, True)
    number = OcrWord((OcrChar("١", cut, cut + 8), OcrChar("٥", cut + 8, right)), cut, right,
                     60.0, top, bottom, right_to_left=True)

    [reread], pairs = reread_numbers(image, [OcrLine(0, (unit_word, number))])

    assert reread.words[-1].text == "٢١٥"
    assert [(before.text, after.text) for before, after in pairs] == [("١٥", "٢١٥")]



def test_a_number_that_starts_a_line_after_its_unit_word_takes_in_digits_in_no_word(
        amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # "... واحتجز في الفرع" / "٢٩١ حيث تعرض": Tesseract read the ١ alone, the ٢ and the ٩
    # in no word; the unit word is the last of the line before, in the same paragraph
    image, (number, where) = _drawn_row(amiri, [("٢٩١", 600), ("حيث", 550)])
    one = _ink_columns(image, number)[-1]
    unit_line = OcrLine(3, (_word_over("الفرع", (540, 0, 600, 20)),))
    read_one = _word_over("١", (one[0], number[1], one[1], number[3]))
    number_line = OcrLine(3, (read_one, _word_over("حيث", where)))

    _, line = reread_numbers(image, [unit_line, number_line])[0]

    assert [w.text for w in reading_order(line)] == ["٢٩١", "حيث"]
    # in another paragraph the word before is no unit word: the ١ stays alone
    _, apart = reread_numbers(image, [unit_line, OcrLine(4, number_line.words)])[0]
    assert [w.text for w in reading_order(apart)] == ["١", "حيث"]


def test_a_head_a_blurred_scan_broke_off_a_digit_is_put_back(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # the hook of the first ٢ of ٢٢٧ parted from its stem by a column of paper: alone it is
    # like no digit, and the number was left as Tesseract misread it
    image, (unit, number) = _drawn_row(amiri, [("الفرع", 600), ("٢٢٧", 520)])
    first = _ink_columns(image, number)[0]
    ImageDraw.Draw(image).line((first[0] + 5, 0, first[0] + 5, 79), fill=255)
    line = OcrLine(0, (_word_over("الفرع", unit), _word_over("٧٢", number)))

    [read], _ = reread_numbers(image, [line])

    assert [w.text for w in reading_order(read)] == ["الفرع", "٢٢٧"]

def _drawn_row(amiri: Path, pieces: list[tuple[str, int]], rule_at: int | None = None):  # type: ignore[no-untyped-def]
    """A table row drawn in Amiri: each (text, right edge) right-aligned at 25 px from the
    top, and perhaps a table's vertical rule at x = `rule_at`. The image and the box of each
    piece's ink (as Tesseract's boxes are)."""
    from PIL import ImageOps

    face = ImageFont.truetype(str(amiri), 23)
    image = Image.new("L", (700, 80), 255)
    draw = ImageDraw.Draw(image)
    boxes = []
    for text, right in pieces:
        draw.text((right, 25), text, font=face, fill=0, direction="rtl", anchor="ra")
        alone = Image.new("L", image.size, 255)
        ImageDraw.Draw(alone).text((right, 25), text, font=face, fill=0, direction="rtl",
                                   anchor="ra")
        boxes.append(ImageOps.invert(alone).getbbox())
    if rule_at is not None:
        draw.line((rule_at, 0, rule_at, 79), fill=0, width=2)
    return image, boxes


def _word_over(text: str, box: tuple[int, int, int, int]):  # type: ignore[no-untyped-def]
    from dossier.ingest.ocr_lines import OcrChar, OcrWord

    left, top, right, bottom = box
    step = (right - left) / len(text)
    return OcrWord(tuple(OcrChar(ch, round(left + i * step), round(left + (i + 1) * step))
                         for i, ch in enumerate(text)), left, right, 60.0, top, bottom,
                   right_to_left=True)


def _ink_columns(image: Image.Image, box: tuple[int, int, int, int]) -> list[tuple[int, int]]:
    """The runs of inked columns of a box: its glyphs from left to right."""
    left, top, right, bottom = box
    inked = (np.asarray(image)[top:bottom, left:right] < 128).any(axis=0)
    runs, start = [], None
    for x, on in enumerate([*inked, False]):
        if on and start is None:
            start = x
        elif not on and start is not None:
            runs.append((left + start, left + x))
            start = None
    return runs


@pytest.mark.parametrize("day", ["١٦", "٢٨", "١٠", "٣٠"])  # ٠ is a dot: not a speck here
def test_a_day_tesseract_put_in_no_word_before_a_month_name_is_read(amiri: Path,
                                                                    day: str) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # a table cell "١٦ أيلول ٢٠١٢" beside the governorate's cell, read "أيلول ٢٠١٢": the
    # day's glyphs in no word
    image, (place, day_box, month, year) = _drawn_row(
        amiri, [("دير الزور", 640), (day, 470), ("أيلول", 440), ("٢٠١٢", 370)], rule_at=500)
    words = [_word_over("دير الزور", place), _word_over("أيلول", month),
             _word_over("٢٠١٢", year)]

    [reread], pairs = reread_numbers(image, [OcrLine(0, tuple(words))])

    assert [w.text for w in reading_order(reread)] == ["دير الزور", day, "أيلول", "٢٠١٢"]
    assert [(before.text, after.text) for before, after in pairs] == [("", day)]
    assert day_box[0] <= reread.words[2].left < reread.words[2].right <= day_box[2] + 1


def test_a_day_in_no_word_is_read_before_a_year_tesseract_misread(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # "٢٦ حزيران ٢٠١٣" read "حزيران ٢٠١٣٢٤٣": the day in no word, three digits too many in
    # the year (read again from its four glyphs)
    image, (label, day, month, year) = _drawn_row(
        amiri, [("التاريخ:", 640), ("٢٦", 520), ("حزيران", 490), ("٢٠١٣", 410)])
    words = [_word_over("التاريخ:", label), _word_over("حزيران", month),
             _word_over("٢٠١٣٢٤٣", year)]

    [reread], _ = reread_numbers(image, [OcrLine(0, tuple(words))])

    assert [w.text for w in reading_order(reread)] == ["التاريخ:", "٢٦", "حزيران", "٢٠١٣"]


@pytest.mark.parametrize("rule", [True, False])
def test_no_day_is_made_of_a_rule_or_a_letter_before_a_month_name(amiri: Path,
                                                                  rule: bool) -> None:
    from dossier.ingest.ocr_lines import OcrLine

    # the cell holds only the month and the year: right of the month name, the table's rule,
    # or the letters of the next cell, which Tesseract left out of its words
    image, (_, month, year) = _drawn_row(
        amiri, [("حماة", 490), ("أيلول", 440), ("٢٠١٢", 370)], rule_at=450 if rule else None)
    words = (_word_over("أيلول", month), _word_over("٢٠١٢", year))

    assert reread_numbers(image, [OcrLine(0, words)]) == ([OcrLine(0, words)], [])


def test_no_day_is_made_of_a_letter_sticking_out_of_the_next_words_box(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine

    # "حتى أيلول ٢٠١٢": Tesseract's box for حتى stops a few pixels short of its last letter,
    # which lies beside the month name in no word; it runs on into the box: not a day
    image, (until, month, year) = _drawn_row(
        amiri, [("حتى", 480), ("أيلول", 440), ("٢٠١٢", 370)])
    for short in (2, 4, 6):
        words = (_word_over("حتى", (until[0] + short, *until[1:])), _word_over("أيلول", month),
                 _word_over("٢٠١٢", year))
        [reread], _ = reread_numbers(image, [OcrLine(0, words)])
        assert [w.text for w in reread.words] == ["حتى", "أيلول", "٢٠١٢"], short


def test_a_day_that_lost_its_first_digit_before_a_month_name_is_read_whole(amiri: Path
                                                                          ) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    image, (day_box, month, year) = _drawn_row(
        amiri, [("٢٩", 470), ("حزيران", 440), ("٢٠١٣", 360)])
    nine = _ink_columns(image, day_box)[-1]  # ٢ on the left, ٩ on the right
    words = [_word_over("٩", (nine[0], day_box[1], nine[1], day_box[3])),
             _word_over("حزيران", month), _word_over("٢٠١٣", year)]

    [reread], _ = reread_numbers(image, [OcrLine(0, tuple(words))])

    assert [w.text for w in reading_order(reread)] == ["٢٩", "حزيران", "٢٠١٣"]


def test_a_day_that_lost_a_digit_before_a_misread_october_is_read_whole(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # "٠ نشرين الثاني ٢٠١٢" for ١٠ تشرين الثاني ٢٠١٢: the month's teh read as a noon
    image, (day_box, month, second, year) = _drawn_row(
        amiri, [("١٠", 560), ("تشرين", 530), ("الثاني", 460), ("٢٠١٢", 390)])
    zero = _ink_columns(image, day_box)[-1]  # ١ on the left, ٠ on the right
    words = [_word_over("٠", (zero[0], day_box[1], zero[1], day_box[3])),
             _word_over("نشرين", month), _word_over("الثاني", second), _word_over("٢٠١٢", year)]

    [reread], _ = reread_numbers(image, [OcrLine(0, tuple(words))])

    assert [w.text for w in reading_order(reread)] == ["١٠", "نشرين", "الثاني", "٢٠١٢"]


@pytest.mark.parametrize(("word", "misread"), [
    ("پارخ", True), ("پعارخ:", True), ("تاريخ", True),  # all three within three edits
    ("الساعة", False), ("اللواء", False), ("دار", False),  # no "ار", or too short
])
def test_which_words_may_be_a_misread_date_word(word: str, misread: bool) -> None:
    from dossier.ingest.ocr_numbers import is_misread_date_word

    assert is_misread_date_word(word) is misread


def test_a_date_after_a_misread_date_word_is_read_whole(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # "پارخ ٤ تم" for بتاريخ ١/١٠/٢٠١٤ تم: the date word itself past `is_date_word`
    image, (date_word, date, after) = _date_row(
        amiri, [("بتاريخ", 600), ("١/١٠/٢٠١٤", 520), ("تم", 380)])
    four = _ink_columns(image, (date.left, date.top, date.right, date.bottom))[-1]
    line = OcrLine(0, (_word_over("پارخ", (date_word.left, date_word.top, date_word.right,
                                           date_word.bottom)),
                       _word_over("٤", (four[0], date.top, four[1], date.bottom)), after))

    [read], _ = reread_numbers(image, [line])

    assert [w.text for w in reading_order(read)] == ["پارخ", "١/١٠/٢٠١٤", "تم"]


def test_a_date_read_whole_after_a_date_word_is_not_read_again(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # the alef of "الساعة" half a digit's height into its box would make ٧ a ١٧: a date
    # Tesseract's words made already stands
    image, (date_word, date, after) = _date_row(
        amiri, [("بتاريخ", 600), ("٧/١١/٢٠١٤", 520), ("الساعة", 400)])
    stretched = _word_over("الساعة", (after.left, after.top, date.left - 1, after.bottom))

    [read], _ = reread_numbers(image, [OcrLine(0, (date_word, date, stretched))])

    assert [w.text for w in reading_order(read)] == ["بتاريخ", "٧/١١/٢٠١٤", "الساعة"]


@pytest.mark.parametrize("month", ["تموز", "أيار", "حزيران"])
def test_a_year_whose_last_digits_tesseract_put_in_the_month_names_box_is_read_whole(
        amiri: Path, month: str) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # "٤ تموز ٢٠١٣" read "٤ تموز ٢٠": the box of the month name's last letter runs left over
    # the ١ and ٣ of the year, and the year's box holds only the ٢٠
    image, (day, name, year) = _drawn_row(amiri, [("٤", 520), (month, 500), ("٢٠١٣", 420)])
    glyphs = _ink_columns(image, year)  # ٢, ٠, ١, ٣ from left to right
    assert len(glyphs) == 4
    words = [_word_over("٤", day), _word_over(month, (glyphs[2][0], *name[1:])),
             _word_over("٢٠", (year[0], year[1], glyphs[1][1], year[3]))]

    [reread], pairs = reread_numbers(image, [OcrLine(0, tuple(words))])

    assert [w.text for w in reading_order(reread)] == ["٤", month, "٢٠١٣"]
    assert [(before.text, after.text) for before, after in pairs] == [("٢٠", "٢٠١٣")]


@pytest.mark.parametrize(("written", "misread", "expected"), [
    ("٦", "1", "٦"),  # "1 كانون الأول" for ٦ كانون الأول
    ("١٢", "12", "١٢"),  # the same day, in the page's digits
])
def test_european_digits_before_a_month_name_on_a_page_of_arabic_indic_ones_are_read_again(
        amiri: Path, written: str, misread: str, expected: str) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    image, (day, name, second, year) = _drawn_row(
        amiri, [(written, 560), ("كانون", 530), ("الأول", 460), ("٢٠١٣", 400)])
    words = [_word_over(misread, day), _word_over("كانون", name), _word_over("الأول", second),
             _word_over("٢٠١٣", year)]

    [reread], _ = reread_numbers(image, [OcrLine(0, tuple(words))])

    assert [w.text for w in reading_order(reread)] == [expected, "كانون", "الأول", "٢٠١٣"]


def test_a_day_read_as_heh_before_may_read_without_its_alef_is_read(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # "٥ أيار ٢٠١٣" read "ه يار ٢٠١٣": the ٥ as the letter it looks like, the alef lost
    image, (day, name, year) = _drawn_row(amiri, [("٥", 520), ("أيار", 500), ("٢٠١٣", 440)])
    words = [_word_over("ه", day), _word_over("يار", name), _word_over("٢٠١٣", year)]

    [reread], pairs = reread_numbers(image, [OcrLine(0, tuple(words))])

    assert [w.text for w in reading_order(reread)] == ["٥", "أيار", "٢٠١٣"]
    assert sorted((before.text, after.text) for before, after in pairs) == [
        ("ه", "٥"), ("يار", "أيار")]


def test_a_date_standing_on_a_table_rule_beside_the_cells_rule_is_read_again(amiri: Path
                                                                            ) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # a scanned table: the date's digits touch the rule under the row, and the rule between
    # two cells stands just right of it, both inside the box Tesseract gave the date
    image, (place, date) = _drawn_row(amiri, [("أحمد علي حماة", 640), ("٣٠/٥/٢٠١٣", 470)])
    left, top, right, bottom = date
    draw = ImageDraw.Draw(image)
    draw.line((300, bottom - 1, 600, bottom - 1), fill=0, width=2)
    draw.line((right + 3, 0, right + 3, 79), fill=0, width=2)
    words = [_word_over("أحمد علي حماة", place),
             _word_over("٣٠/٥/٢٠١٢", (left, top, right + 5, bottom + 1))]

    [reread], _ = reread_numbers(image, [OcrLine(0, tuple(words))])

    assert [w.text for w in reading_order(reread)] == ["أحمد علي حماة", "٣٠/٥/٢٠١٣"]


def test_a_tall_one_is_no_table_rule() -> None:
    from PIL import ImageOps

    from dossier.demo.fonts import SEARCH_DIRS, font_dirs, installed_font
    from dossier.ingest.ocr_lines import OcrLine

    # on a scan of high resolution a ١ is as tall as the number's box: a column of the crop
    # nearly all ink, like a rule's, but not running on through the padding around the box
    # (Noto Kufi's ١ is a straight bar)
    kufi = installed_font("NotoKufiArabic-Regular.ttf", font_dirs(SEARCH_DIRS))
    if kufi is None:
        pytest.skip("Noto Kufi Arabic is not installed (apt-get install fonts-noto-core)")
    face = ImageFont.truetype(str(kufi), 90)
    image = Image.new("L", (700, 200), 255)
    ImageDraw.Draw(image).text((600, 40), "٢٠١٣", font=face, fill=0, direction="rtl",
                               anchor="ra")
    box = ImageOps.invert(image).getbbox()
    assert box is not None
    words = (_word_over("٢٠١٢", box),)

    [reread], _ = reread_numbers(image, [OcrLine(0, words)])

    assert [w.text for w in reread.words] == ["٢٠١٣"]


def test_may_without_its_alef_and_its_day_in_no_word_are_read(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # "٢٩ أيار ٢٠١٤" read "يار ٢٠١٤": the alef lost, the day in no word
    image, (place, _, name, year) = _drawn_row(
        amiri, [("دير الزور", 640), ("٢٩", 470), ("أيار", 440), ("٢٠١٤", 380)])
    words = [_word_over("دير الزور", place), _word_over("يار", name), _word_over("٢٠١٤", year)]

    [reread], _ = reread_numbers(image, [OcrLine(0, tuple(words))])

    assert [w.text for w in reading_order(reread)] == ["دير الزور", "٢٩", "أيار", "٢٠١٤"]


def test_a_year_in_a_table_cell_whose_box_reaches_the_rules_is_read_again(amiri: Path
                                                                         ) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # "٢٠١٣" read "٢٠١٤٣", its box reaching the table's rule above the row: the rule is no
    # glyph of the year
    image, (day, name, year) = _drawn_row(amiri, [("٢٣", 560), ("أيار", 530), ("٢٠١٣", 470)])
    draw = ImageDraw.Draw(image)
    rule = year[1] - 4
    draw.line((300, rule, 600, rule), fill=0, width=2)
    words = [_word_over("٢٣", day), _word_over("أيار", name),
             _word_over("٢٠١٤٣", (year[0], rule, year[2], year[3]))]

    [reread], _ = reread_numbers(image, [OcrLine(0, tuple(words))])

    assert [w.text for w in reading_order(reread)] == ["٢٣", "أيار", "٢٠١٣"]


def test_a_lone_heh_or_yar_elsewhere_is_left_as_read(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine

    # "يار" before no year, "ه" before no month name: not a date
    image, (first, second, third) = _drawn_row(
        amiri, [("٥", 560), ("يار", 500), ("حماة", 440)])
    words = (_word_over("٥", first), _word_over("يار", second), _word_over("حماة", third))
    [reread], pairs = reread_numbers(image, [OcrLine(0, words)])
    assert [w.text for w in reread.words] == ["٥", "يار", "حماة"] and pairs == []

    image, (first, second) = _drawn_row(amiri, [("ه", 560), ("حماة", 500)])
    words = (_word_over("ه", first), _word_over("حماة", second))
    assert reread_numbers(image, [OcrLine(0, words)]) == ([OcrLine(0, words)], [])


def test_a_year_read_whole_takes_in_no_letter_of_the_month_name(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine

    # the month name's letters beside a year Tesseract read whole, and beside a number of
    # two digits that is all there is ("حزيران ٢٠", a row's page number, say): no digit is
    # made of them, whatever the month name's box
    for written in ("٢٠١٣", "٢٠"):
        image, (name, year) = _drawn_row(amiri, [("حزيران", 500), (written, 420)])
        words = (_word_over("حزيران", (year[2] + 1, *name[1:])), _word_over(written, year))

        assert reread_numbers(image, [OcrLine(0, words)]) == ([OcrLine(0, words)], []), written


@pytest.mark.parametrize(("written", "cut_after"), [
    ("٢٠١٣/٧/٥", 2),  # "١٣/٧/٥ ٢٠": the year cut after its second digit
    ("٣٠/١٠/٢٠١٣", 4),  # "٠/٢٠١٣ ٣٠/١": the month cut in two
])
def test_a_date_tesseract_cut_in_two_words_is_read_as_one(amiri: Path, written: str,
                                                          cut_after: int) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # (a row of Arabic words: a line of more Latin signs than Arabic letters is a Latin one)
    image, (place, date) = _drawn_row(amiri, [("أحمد علي حماة", 640), (written, 470)])
    glyphs = _ink_columns(image, date)
    left = (glyphs[0][0], date[1], glyphs[cut_after - 1][1], date[3])
    right = (glyphs[cut_after][0], date[1], glyphs[-1][1], date[3])
    # what the script model wrote for each half: Latin look-alikes and a slash or two
    halves = [_word_over("Y٠", left), _word_over("1P/V/o", right)] if cut_after == 2 else \
        [_word_over("٠/٢٠١٣", left), _word_over("٣٠/١", right)]
    words = [_word_over("أحمد علي حماة", place), *halves]

    [reread], pairs = reread_numbers(image, [OcrLine(0, tuple(words))])

    assert [w.text for w in reading_order(reread)] == ["أحمد علي حماة", written]
    assert [after.text for _, after in pairs] == [written]


@pytest.mark.parametrize(("written", "left", "right"), [
    # the day, the month and the year's ٢٠ as Latin letters, the rest of the year as digits
    # (a ٠ too many), a word of its own
    ("٢٨/٩/٢٠١٣", "FAA", "٠١٣"),
    # one slash of two read, and the rest of the year as a backslash and a European digit
    ("٣٠/٧/٢٠١٤", "P/V", "\\4"),
])
def test_a_date_cut_in_two_words_one_read_as_latin_letters_is_read_as_one(
        amiri: Path, written: str, left: str, right: str) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    image, (place, date) = _drawn_row(amiri, [("أحمد علي حماة", 640), (written, 470)])
    glyphs = _ink_columns(image, date)
    assert len(glyphs) == 9
    halves = [_word_over(left, (glyphs[0][0], date[1], glyphs[6][1], date[3])),
              _word_over(right, (glyphs[7][0], date[1], glyphs[8][1], date[3]))]

    [reread], _ = reread_numbers(image, [OcrLine(0, (_word_over("أحمد علي حماة", place),
                                                     *halves))])

    assert [w.text for w in reading_order(reread)] == ["أحمد علي حماة", written]


def test_a_date_cut_in_two_words_one_of_digits_and_a_slash_is_read_as_one(amiri: Path
                                                                         ) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # "٢٩/١١/٢٠١٤م" read "TAG ١/م": the year mark, the day and a digit of the month as a
    # digit, a slash and the mark; the rest as Latin letters
    image, (place, date) = _drawn_row(amiri, [("أحمد علي حماة", 640), ("٢٩/١١/٢٠١٤م", 470)])
    glyphs = _ink_columns(image, date)
    assert len(glyphs) == 11
    halves = [_word_over("م/١", (glyphs[0][0], date[1], glyphs[4][1], date[3])),
              _word_over("TAG", (glyphs[5][0], date[1], glyphs[10][1], date[3]))]

    [reread], _ = reread_numbers(image, [OcrLine(0, (_word_over("أحمد علي حماة", place),
                                                     *halves))])

    assert [w.text for w in reading_order(reread)] == ["أحمد علي حماة", "٢٩/١١/٢٠١٤م"]


def test_a_date_cut_in_two_words_both_read_right_is_made_one(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    image, (place, date) = _drawn_row(amiri, [("أحمد علي حماة", 640), ("٢٠١٣/٧/٥", 470)])
    glyphs = _ink_columns(image, date)
    halves = [_word_over("٢٠", (glyphs[0][0], date[1], glyphs[1][1], date[3])),
              _word_over("١٣/٧/٥", (glyphs[2][0], date[1], glyphs[-1][1], date[3]))]

    [reread], _ = reread_numbers(image, [OcrLine(0, (_word_over("أحمد علي حماة", place),
                                                     *halves))])

    assert [w.text for w in reading_order(reread)] == ["أحمد علي حماة", "٢٠١٣/٧/٥"]


def test_a_date_whose_first_digit_went_with_its_year_mark_is_made_one(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # "١٥/٨/٢٠١٢م" read "٥/٨/٢٠١٢ ١م": the day's ١ went with the م on its left, a word of its
    # own; the date alone is whole, but a number with a year's م is the date's
    image, (place, date) = _drawn_row(amiri, [("أحمد علي حماة", 640), ("١٥/٨/٢٠١٢م", 470)])
    glyphs = _ink_columns(image, date)
    one = next(i for i, (start, stop) in enumerate(glyphs) if stop - start <= 4)  # the ١
    halves = [_word_over("م١", (glyphs[0][0], date[1], glyphs[one][1], date[3])),
              _word_over("٥/٨/٢٠١٢", (glyphs[one + 1][0], date[1], glyphs[-1][1], date[3]))]

    [reread], _ = reread_numbers(image, [OcrLine(0, (_word_over("أحمد علي حماة", place),
                                                     *halves))])

    assert [w.text for w in reading_order(reread)] == ["أحمد علي حماة", "١٥/٨/٢٠١٢م"]


def test_a_whole_date_beside_a_number_is_not_made_one_with_it(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # a number "٢" a word's space after (left of) a date whose digits were partly misread:
    # the date read alone is whole, so the ٢ is not its first digit
    _, (_, alone) = _drawn_row(amiri, [("أحمد علي حماة", 640), ("١/٥/٢٠١٣", 470)])
    image, (place, date, number) = _drawn_row(
        amiri, [("أحمد علي حماة", 640), ("١/٥/٢٠١٣", 470), ("٢", alone[0] - 8)])
    words = (_word_over("أحمد علي حماة", place), _word_over("1/5/Y٠1٣", date),
             _word_over("٢", number))

    [reread], _ = reread_numbers(image, [OcrLine(0, words)])

    assert [w.text for w in reading_order(reread)] == ["أحمد علي حماة", "١/٥/٢٠١٣", "٢"]


def test_numbers_side_by_side_that_make_no_date_stay_apart(amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine, reading_order

    # a year of birth beside a date, and two whole dates side by side
    for pieces in ([("١٩٨٦", 470), ("٢٠١٣/٧/٥", 420)], [("٢٠١٣/٧/٥", 470), ("٤/٣/٢٠١٢", 370)]):
        image, boxes = _drawn_row(amiri, pieces)
        words = [_word_over(text, box) for (text, _), box in zip(pieces, boxes, strict=True)]
        [reread], _ = reread_numbers(image, [OcrLine(0, tuple(words))])
        assert [w.text for w in reading_order(reread)] == [text for text, _ in pieces]


@pytest.mark.parametrize(("text", "plausible"), [
    ("٢٠١٣/٧/٥", True), ("٣٠/١٠/٢٠١٣", True), ("١٥/٨/٢٠١٢م", True), ("2013-7-5", True),
    ("٢٠١٣/١٣/٥", False),  # no 13th month
    ("٢١٣/٢/٣", False), ("٢٠١٣/٧/٢٠١٣", False), ("٧/٩/٢١", False), ("٢٠١٣٧٥", False),
])
def test_which_readings_of_two_words_make_a_whole_date(text: str, plausible: bool) -> None:
    from dossier.ingest.ocr_numbers import is_plausible_date

    assert is_plausible_date(text) == plausible


def test_european_digits_read_over_more_glyphs_after_a_unit_word_are_read_again(
        amiri: Path) -> None:
    from dossier.ingest.ocr_lines import OcrLine

    # a letterhead "الفرع ٢١٥" that the script model wrote "10", on a page of Arabic-Indic
    # numbers (the date beside it): three glyphs under two digits
    image, (branch, number, date) = _drawn_row(
        amiri, [("الفرع", 640), ("٢١٥", 590), ("٢٠١٢/٥/١", 400)])
    words = (_word_over("الفرع", branch), _word_over("10", number),
             _word_over("٢٠١٢/٥/١", date))

    [reread], pairs = reread_numbers(image, [OcrLine(0, words)])

    assert [w.text for w in reread.words][:2] == ["الفرع", "٢١٥"]
    assert ("10", "٢١٥") in [(before.text, after.text) for before, after in pairs]


@pytest.mark.parametrize("page_digits", ["indic", "european"])
def test_european_digits_after_a_unit_word_are_left_when_they_may_be_typed_so(
        amiri: Path, page_digits: str) -> None:
    from dossier.ingest.ocr_lines import OcrLine

    # "الفرع 251" typed in European digits is read right: as many digits as glyphs; and
    # on a page written in European digits a misread one is not read as Arabic-Indic
    written, read = ("251", "251") if page_digits == "indic" else ("٢١٥", "10")
    date = "٢٠١٢/٥/١" if page_digits == "indic" else "2012/5/1"
    image, (branch, number, when) = _drawn_row(
        amiri, [("الفرع", 640), (written, 590), (date, 400)])
    words = (_word_over("الفرع", branch), _word_over(read, number), _word_over(date, when))

    [reread], _ = reread_numbers(image, [OcrLine(0, words)])

    assert [w.text for w in reread.words][1] == read
