"""Latin-script folding: case, accents and the few letters Unicode does not decompose.

French and English documents spell the same name "Sécurité", "SECURITE" or "securite"; a
transliterated Arabic name is written "Jamil Hasan", "JAMIL HASAN" or "Jamīl Ḥasan". Folding
removes exactly those differences and keeps everything else.
"""

from __future__ import annotations

import re
import unicodedata

# Combining marks removed after decomposition (accents, cedillas, macrons, dots below...)
# and the soft hyphen that PDF extraction leaves inside words.
LATIN_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u00ad"

LATIN_MAP: dict[str, str] = {
    "œ": "oe",
    "æ": "ae",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ł": "l",
    "ħ": "h",
    "ı": "i",
    "þ": "th",
}
"""Letters that are not "letter + accent" for Unicode, so decomposition leaves them alone."""

_LATIN_MARKS_RE = re.compile(f"[{LATIN_MARKS}]+")
_LATIN_TABLE = str.maketrans(LATIN_MAP)


def fold_latin(text: str) -> str:
    """Casefold and strip accents: "Sécurité" → "securite", "Straße" → "strasse", "Œuvre" →
    "oeuvre". Compatibility forms (ligatures "ﬁ", full-width letters) become plain letters.

    Arabic text passes through with only the NFKC step; see :func:`normalize_arabic`.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold()).casefold()
    folded = _LATIN_MARKS_RE.sub("", decomposed).translate(_LATIN_TABLE)
    return unicodedata.normalize("NFKC", folded)


MIN_PLURAL_WORD = 4


def strip_plural(word: str) -> str:
    """Drop one final "s" from a folded Latin word of 4+ letters not ending in "ss".

    One rule for English and French alike ("detainees" → "detainee", "disparus" →
    "disparu", "prisons" → "prison"); it merges a few unrelated words ("homs" → "hom"),
    which costs little because queries go through the same rule. Irregular plurals
    ("branches"/"branch", "bureaux") are not handled.
    """
    if len(word) >= MIN_PLURAL_WORD and word[-1] == "s" and word[-2] != "s":
        return word[:-1]
    return word
