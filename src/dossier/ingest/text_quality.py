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

import re
import unicodedata

# At least this many non-space characters before a page's text is judged at all.
MIN_CHARACTERS = 12

# Counting by regex substitution instead of per-character Python loops: these run on every
# page of every PDF.
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
_NOT_LETTER = re.compile(r"[\W\d_]+")
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")
_ACCENTED_LATIN = re.compile("[\u00c0-\u024f]")


def is_presentation_form(ch: str) -> bool:
    return "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff"


def count_presentation_forms(text: str) -> int:
    return len(_PRESENTATION_FORMS.findall(text))


def letter_count(text: str) -> int:
    return len(_NOT_LETTER.sub("", text))


def garbage_reason(text: str) -> str | None:
    """Why a page's extracted text is unusable, or None when it looks like real text.

    Call it on the NFKC-normalised text (presentation forms already turned into letters).
    """
    compact = _SPACES.sub("", text)
    if len(compact) < MIN_CHARACTERS:
        return None
    total = len(compact)
    # Fast path for ordinary text: at least 80% letters and digits leaves at most 20% for
    # unreadable codes and keeps symbols under the limit, so only the legacy-font test remains.
    letters_and_digits = len(_NOT_LETTER_OR_DIGIT.sub("", compact))
    if letters_and_digits >= 0.8 * total:
        letter_total = letter_count(compact)
        if not letter_total or len(_ACCENTED_LATIN.findall(compact)) <= 0.4 * letter_total:
            return None
    visible = list(compact)
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
