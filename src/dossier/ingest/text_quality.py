"""Judging whether text pulled out of a PDF can be trusted, or the page must be OCRed.

A PDF's text layer is only as good as the fonts' maps from glyphs to characters. Arabic PDFs
made by older tools fail in three recognisable ways:

* presentation forms: the text is in the contextual-form code points (U+FB50-FDFF,
  U+FE70-FEFF) instead of plain letters; NFKC maps them back, so they are fixed, not OCRed;
* visual order: the letters come out reversed (see `visual_order`);
* garbage: fonts without a usable map give replacement characters, private-use code points,
  control characters, or letters from the wrong alphabet (windows-1256 glyph codes read as
  latin-1: "ÇáÝÑÚ" for "الفرع"). Such a page is OCRed instead.

The thresholds are deliberately blunt: a real page of text is overwhelmingly letters,
digits, spaces and ordinary punctuation, and a broken one is not close.
"""

from __future__ import annotations

import unicodedata

# At least this many non-space characters before a page's text is judged at all.
MIN_CHARACTERS = 12


def is_presentation_form(ch: str) -> bool:
    return "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff"


def count_presentation_forms(text: str) -> int:
    return sum(1 for ch in text if is_presentation_form(ch))


def letter_count(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def garbage_reason(text: str) -> str | None:
    """Why a page's extracted text is unusable, or None when it looks like real text.

    Call it on the NFKC-normalised text (presentation forms already turned into letters).
    """
    visible = [ch for ch in text if not ch.isspace()]
    if len(visible) < MIN_CHARACTERS:
        return None
    total = len(visible)
    replacement = sum(ch == "\ufffd" for ch in visible)
    private = sum(unicodedata.category(ch) in ("Co", "Cn", "Cs") for ch in visible)
    control = sum(unicodedata.category(ch) == "Cc" for ch in visible)
    if replacement + private + control > 0.2 * total:
        return "most characters are unreadable (replacement, private-use or control codes)"
    letters = [ch for ch in visible if ch.isalpha()]
    digits = sum(ch.isdigit() for ch in visible)
    if len(letters) + digits < 0.3 * total:
        return "the text is mostly symbols, not letters or digits"
    if letters:
        # Latin-1 accented letters standing in for Arabic: a legacy font encoding.
        accented = sum("\u00c0" <= ch <= "\u024f" for ch in letters)
        if accented > 0.4 * len(letters):
            return ("the letters are mostly accented Latin ones, the mark of an Arabic "
                    "legacy font read with the wrong encoding")
    return None
