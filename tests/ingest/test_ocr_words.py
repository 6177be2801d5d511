"""Letters lost in Naskh ligatures put back in the words of official letters (no OCR needed)."""

from __future__ import annotations

import pytest

from dossier.ingest.ocr_digits import correct_digits
from dossier.ingest.ocr_words import (
    arabic_commas,
    capital_i,
    restore_ligature_letters,
    shift_offsets,
)


def _raw(text: str, corrections) -> str:  # type: ignore[no-untyped-def]
    """The text before the corrections, undone from the last to the first."""
    for correction in sorted(corrections, key=lambda c: c.offset, reverse=True):
        start = correction.offset
        assert text[start:start + len(correction.after)] == correction.after
        text = text[:start] + correction.before + text[start + len(correction.after):]
    return text


@pytest.mark.parametrize(("ocr", "expected"), [
    ("الجهورية العربية السورية", "الجمهورية العربية السورية"),
    ("شعبة الخابرات العسكرية", "شعبة المخابرات العسكرية"),
    ("إلى: السيد رئيس الفرع ٢١٥ الحترم", "إلى: السيد رئيس الفرع ٢١٥ المحترم"),
    ("التارج: ٣ تشرين الأول ٢٠١١", "التاريخ: ٣ تشرين الأول ٢٠١١"),  # yeh-khah read as jeem
    ("الجهة الحيلة: الفرع ٢٢٧", "الجهة الحيلة: الفرع ٢٢٧"),  # "the trick": a word itself
    ("لدى الحافظة، العلومات.", "لدى الحافظة، المعلومات."),  # the punctuation after it kept
])
def test_words_of_official_letters_get_their_lost_letter_back(ocr: str, expected: str) -> None:
    fixed, corrections = restore_ligature_letters(ocr)
    assert fixed == expected
    assert _raw(fixed, corrections) == ocr


@pytest.mark.parametrize("text", [
    "الوحدات التابعة للفرع",  # the affiliated units: a word itself, not المتابعة
    "بمناسبة العيد",  # the feast, not العميد
    "القدم في دمشق",  # Qadam, a quarter of Damascus
    "سام كال",  # names are never corrected, whatever they lost
    "الطبية",  # one letter from الطبيب, but no meem or jeem: left alone
    "المخابرات الجمهورية",  # read right
])
def test_words_themselves_and_names_are_left_alone(text: str) -> None:
    assert restore_ligature_letters(text) == (text, [])


@pytest.mark.parametrize(("ocr", "expected"), [
    ("اعتقل بتار ٢٠١٣/١/٢ من قبل", "اعتقل بتاريخ ٢٠١٣/١/٢ من قبل"),  # before a number
    ("التار: ١٧/١/٢٠١٤", "التاريخ: ١٧/١/٢٠١٤"),  # a form's label
    ("تارج الإفادة: ٢٠١٦/٦/٢٣", "تاريخ الإفادة: ٢٠١٦/٦/٢٣"),  # before a form's word
    ("توفي بتارځغ 9/4/2015 م.", "توفي بتاريخ 9/4/2015 م."),  # a Pashto letter made of it
])
def test_the_date_word_that_lost_its_yeh_khah_is_put_right(ocr: str, expected: str) -> None:
    fixed, corrections = restore_ligature_letters(ocr)
    assert fixed == expected
    assert _raw(fixed, corrections) == ocr


@pytest.mark.parametrize("text", [
    "تارة أخرى",  # at times
    "تارك ٣ أولاد",  # one who leaves: a word, whatever follows it
    "بتار قاطع",  # a sharp (sword): no date after it
])
def test_words_like_the_date_word_are_left_alone(text: str) -> None:
    assert restore_ligature_letters(text) == (text, [])


@pytest.mark.parametrize(("ocr", "expected"), [
    ("مطلوبين لهذا الفرع» وقد أنكر", "مطلوبين لهذا الفرع، وقد أنكر"),
    ("من أهالي محافظة طرطوس»\nوسوقه", "من أهالي محافظة طرطوس،\nوسوقه"),
    # a quotation closed, then a comma read as its sign
    ("قال «لا علم لي» ثم أحيل إلى الفرع» وقد", "قال «لا علم لي» ثم أحيل إلى الفرع، وقد"),
])
def test_commas_read_as_closing_guillemets_are_put_back(ocr: str, expected: str) -> None:
    fixed, corrections = arabic_commas(ocr)
    assert fixed == expected
    assert _raw(fixed, corrections) == ocr


@pytest.mark.parametrize("text", [
    "قال «لا علم لي» ثم",  # a quotation's own closing sign
    "«الفرع» و«الشعبة»",
    "SYNTHETIC» test",  # after a Latin letter: no Arabic comma
    # a stray » after a digit closes nothing: the quotation opened after it still closes
    "بتاريخ ٢٠١٣/٣/١٥» وورد «المدعو أحمد» في",
])
def test_closing_guillemets_of_quotations_stay(text: str) -> None:
    assert arabic_commas(text) == (text, [])


def test_earlier_repairs_keep_their_places_after_letters_are_put_back() -> None:
    ocr = "الخابرات الفرع YO) الحترم الفرع 75١"
    repaired, digit_repairs = correct_digits(ocr)
    fixed, restored = restore_ligature_letters(repaired)
    everything = shift_offsets(digit_repairs, restored) + restored
    assert fixed == "المخابرات الفرع ٢٥١ المحترم الفرع ٢٥١"
    assert _raw(fixed, everything) == ocr


def test_a_capital_i_read_as_a_small_l_is_put_back_at_the_start_of_latin_words() -> None:
    fixed, corrections = capital_i("Major General Suleiman al-lssa, from ldlib; lbrahim")
    assert fixed == "Major General Suleiman al-Issa, from Idlib; Ibrahim"
    assert [(c.offset, c.before, c.after) for c in corrections] == [
        (26, "l", "I"), (37, "l", "I"), (44, "l", "I")]
    # words that begin so, and l inside a word, are left as they are
    text = "the lbs and ltd of the last list, llama, Ali, all"
    assert capital_i(text) == (text, [])
