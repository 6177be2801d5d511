"""Invisible bidirectional controls that PDF producers insert never change what is indexed."""

from dossier.text import analyze, normalize


def test_arabic_letter_mark_and_isolates_are_dropped() -> None:
    assert normalize("رقم\u061c ٢٣٤٥/ص") == normalize("رقم ٢٣٤٥/ص")
    assert normalize("\u2067الفرع ٢٥١\u2069") == normalize("الفرع ٢٥١")
    marked = "الفرع \u061c٢٥١\u061c"
    terms = [token.term for token in analyze(marked)]
    assert terms == [token.term for token in analyze("الفرع ٢٥١")]
    assert "251" in terms
