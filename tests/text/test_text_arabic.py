"""Arabic spelling variants must become one form, and light stemming must join word forms."""

from __future__ import annotations

import pytest

from dossier.text import fold_latin, index_text, normalize, normalize_arabic, stem_arabic

SAME_WORD = [
    pytest.param("مُحَمَّد", "محمد", id="harakat"),
    pytest.param("سُجِنَ", "سجن", id="harakat-short"),
    pytest.param("الرَّحْمٰن", "الرحمن", id="superscript-alef"),
    pytest.param("حـــسن", "حسن", id="tatweel"),
    pytest.param("أحمد", "احمد", id="alef-hamza-above"),
    pytest.param("إبراهيم", "ابراهيم", id="alef-hamza-below"),
    pytest.param("آمنة", "امنه", id="alef-madda"),
    pytest.param("ٱلفرع", "الفرع", id="alef-wasla"),
    pytest.param("مسؤول", "مسوول", id="waw-hamza"),
    pytest.param("رئيس", "رييس", id="yeh-hamza"),
    pytest.param("على", "علي", id="alef-maqsura"),
    pytest.param("مدرسة", "مدرسه", id="teh-marbuta"),
    pytest.param("٢٥١", "251", id="arabic-indic-digits"),
    pytest.param("۲۵۱", "251", id="persian-digits"),
    pytest.param("کریم", "كريم", id="persian-keheh-yeh"),
    pytest.param("\ufe8d\ufedf\ufed4\ufeae\ufecb", "الفرع", id="presentation-forms"),
    pytest.param("\ufefb", "لا", id="lam-alef-ligature"),
    pytest.param("\ufdf2", "الله", id="allah-ligature"),
    pytest.param("الفرع\u200c", "الفرع", id="zero-width-non-joiner"),
]


@pytest.mark.parametrize(("variant", "plain"), SAME_WORD)
def test_variants_normalise_to_the_same_form(variant: str, plain: str) -> None:
    assert normalize_arabic(variant) == normalize_arabic(plain)
    assert normalize(variant) == normalize(plain)


@pytest.mark.parametrize(("variant", "plain"), SAME_WORD)
def test_variants_are_the_same_index_term(variant: str, plain: str) -> None:
    assert index_text(variant) == index_text(plain)


def test_branch_number_in_either_digits_analyses_the_same() -> None:
    assert index_text("الفرع ٢٥١") == index_text("الفرع 251") == "فرع 251"


def test_standalone_hamza_is_kept_so_different_names_stay_apart() -> None:
    assert normalize("علاء") != normalize("علا")
    assert normalize("ء") == "ء"


def test_arabic_punctuation_becomes_ascii() -> None:
    assert normalize_arabic("نعم، لا؛ لماذا؟ ٥٪") == "نعم, لا; لماذا? 5%"


def test_normalize_arabic_leaves_latin_case_and_accents_to_fold_latin() -> None:
    assert normalize_arabic("Sécurité 251") == "Sécurité 251"


def test_normalize_agrees_with_both_normalisers_applied_in_turn() -> None:
    text = "قال أحمد إنّ الفرع ٢٥١ التابع للـمخابرات — La Sécurité militaire, ÉTÉ 2012"
    assert normalize(text) == fold_latin(normalize_arabic(text))


@pytest.mark.parametrize(
    "forms",
    [
        pytest.param(
            ["والمعتقلين", "المعتقلين", "معتقلين", "معتقلون", "للمعتقلين"], id="detainees"
        ),
        pytest.param(["بالفرع", "الفرع", "فرع", "والفرع", "فالفرع"], id="branch"),
        pytest.param(["بتعذيب", "التعذيب", "تعذيب", "وبالتعذيب"], id="torture"),
        pytest.param(["العسكرية", "عسكرية", "عسكري", "العسكريين"], id="military"),
        pytest.param(["مدرسة", "المدرسة", "بمدرسة"], id="school"),
        pytest.param(["كبيرة", "كبير"], id="feminine-keeps-initial-kaf"),
        pytest.param(["الوزير", "وزير", "والوزير"], id="waw-is-stripped-consistently"),
    ],
)
def test_word_forms_share_a_stem(forms: list[str]) -> None:
    stems = {stem_arabic(form) for form in forms}
    assert len(stems) == 1, dict(zip(forms, map(stem_arabic, forms), strict=True))


def test_stemming_normalises_its_input() -> None:
    assert stem_arabic("المُعْتَقَلِين") == stem_arabic("المعتقلين") == "معتقل"


@pytest.mark.parametrize(
    "word",
    ["251", "٢٥١", "علي", "فرع", "فروع", "سجن", "حسن", "قسم", "امن", "Branch", "torture"],
)
def test_short_words_and_numbers_are_not_stemmed(word: str) -> None:
    assert stem_arabic(word) == normalize_arabic(word)


def test_words_starting_with_a_preposition_letter_keep_it_when_short() -> None:
    # "فرقة" (division) must not become "رقة" (as in Raqqa), nor "فرع" (branch) "رع".
    assert stem_arabic("الفرقة") == stem_arabic("فرقة") != stem_arabic("الرقة")
    assert stem_arabic("بطاقة") != stem_arabic("طاقة")
