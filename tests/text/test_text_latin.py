"""Latin folding: case and accents never hide a word."""

from __future__ import annotations

import pytest

from dossier.text import fold_latin, index_text, normalize, strip_plural


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Sécurité", "securite"),
        ("ÉTÉ", "ete"),
        ("Straße", "strasse"),
        ("Œuvre", "oeuvre"),
        ("façade", "facade"),
        ("Jamīl Ḥasan", "jamil hasan"),
        ("ﬁchier", "fichier"),  # ligature from PDF extraction
        ("ＡＢＣ１２", "abc12"),  # full-width
        ("infor\u00admation", "information"),  # soft hyphen
    ],
)
def test_fold_latin(written: str, folded: str) -> None:
    assert fold_latin(written) == folded
    assert normalize(written) == folded


def test_fold_latin_keeps_arabic_letters() -> None:
    assert fold_latin("أحمد") == "أحمد"


def test_case_and_accents_give_the_same_index_terms() -> None:
    assert index_text("SÉCURITÉ MILITAIRE") == index_text("sécurité militaire")
    assert index_text("Sécurité") == "securite"


@pytest.mark.parametrize(
    ("word", "singular"),
    [
        ("detainees", "detainee"),
        ("prisons", "prison"),
        ("disparus", "disparu"),
        ("witness", "witness"),  # "ss" is not a plural
        ("bus", "bus"),  # too short to tell
        ("251", "251"),
    ],
)
def test_strip_plural(word: str, singular: str) -> None:
    assert strip_plural(word) == singular


def test_plural_and_singular_share_an_index_term() -> None:
    assert index_text("Detainees") == index_text("detainee")
