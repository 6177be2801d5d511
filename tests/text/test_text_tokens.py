"""Tokens: index terms with the offsets of the words as written in the original text."""

from __future__ import annotations

import random

from dossier.text import Token, analyze, fold_latin, index_text, normalize, normalize_arabic


def words_as_written(text: str) -> list[str]:
    return [text[token.start : token.end] for token in analyze(text)]


def test_offsets_point_at_the_original_words() -> None:
    text = "نُقِلَ المعتقلون إلى الفرع ٢٥١، ثم إلى Sécurité militaire (Damas)."
    assert words_as_written(text) == [
        "نُقِلَ", "المعتقلون", "إلى", "الفرع", "٢٥١", "ثم", "إلى", "Sécurité", "militaire",
        "Damas",
    ]  # fmt: skip
    assert [token.term for token in analyze(text)][3:5] == ["فرع", "251"]


def test_offsets_cover_tatweel_and_marks() -> None:
    text = "السيد حـــسن مُحَمَّد"
    tokens = analyze(text)
    assert [text[t.start : t.end] for t in tokens] == ["السيد", "حـــسن", "مُحَمَّد"]
    assert [t.term for t in tokens][1:] == ["حسن", "محمد"]


def test_offsets_of_presentation_forms() -> None:
    text = "في \ufe8d\ufedf\ufed4\ufeae\ufecb اليوم"
    token = analyze(text)[1]
    assert token == Token("فرع", 3, 8)


def test_arabic_letters_and_digits_are_separate_tokens() -> None:
    text = "الفرع٢٥١ و B12"
    assert [(t.term, text[t.start : t.end]) for t in analyze(text)] == [
        ("فرع", "الفرع"),
        ("251", "٢٥١"),
        ("و", "و"),
        ("b", "B"),
        ("12", "12"),
    ]


def test_a_ligature_of_several_words_gives_several_tokens_on_the_same_span() -> None:
    text = "النبي \ufdfa قال"
    tokens = analyze(text)
    inside = [t for t in tokens if text[t.start : t.end] == "\ufdfa"]
    assert len(inside) == 4
    assert index_text(text).split() == [t.term for t in tokens]


def test_punctuation_and_empty_text_give_no_tokens() -> None:
    assert analyze("") == []
    assert analyze(" ... — ، ؟ ") == []
    assert index_text("ـــ") == ""


def test_overlong_noise_is_not_a_term() -> None:
    noise = "a" * 500
    assert index_text(f"torture {noise} branch") == "torture branch"


def test_index_text_is_the_terms_of_analyze() -> None:
    text = "Les détenus du Fرع ٢٥١ x² ½ ﷲ حـسن Straße 3e étage"
    assert index_text(text) == " ".join(token.term for token in analyze(text))


def _random_texts(count: int) -> list[str]:
    """Random strings over Arabic, Latin, digits, marks, presentation forms and symbols."""
    rng = random.Random(251)
    pool = [
        *map(chr, range(0x20, 0x180)),
        *map(chr, range(0x0600, 0x0700)),
        *map(chr, range(0xFE70, 0xFEFD)),
        *map(chr, range(0x2070, 0x2190)),
        *"\ufdf2\ufdfa\u200c\u200b\u00ad\u0301\u0640ßŒﬁ①\n\t",
    ]
    return ["".join(rng.choices(pool, k=rng.randint(0, 40))) for _ in range(count)]


def test_analyze_and_index_text_agree_on_arbitrary_text() -> None:
    for text in _random_texts(3000):
        tokens = analyze(text)
        assert index_text(text) == " ".join(t.term for t in tokens), repr(text)
        for token in tokens:
            assert 0 <= token.start < token.end <= len(text)
            assert token.term and " " not in token.term


def test_normalisers_are_idempotent() -> None:
    for text in _random_texts(3000):
        for normaliser in (normalize, normalize_arabic, fold_latin):
            once = normaliser(text)
            assert normaliser(once) == once, (normaliser.__name__, repr(text))
