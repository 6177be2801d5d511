"""Detecting Arabic extracted in visual (reversed) order, and putting it back in reading order.

Some PDF producers store Arabic in logical order but place each glyph to the left of the one
before; text extractors, expecting left-to-right placement, then return every line reversed:
"قشمد يف 251 عرفلا" for "الفرع 251 في دمشق". Search for الفرع finds nothing.

Detection counts the positional habits of Arabic words, which are strongly asymmetric and so
say which way a text runs without any dictionary or trained model:

* the article: a word of four letters or more begins with "ال" (also "وال", "بال", "فال",
  "كال") very often; read backwards it ends with "لا", which few real words do;
* teh marbuta (ة) and alef maksura (ى) occur only at the end of a word; backwards they start it;
* the most frequent short words (في، من، على، إلى، عن، أن، التي ...) read backwards are rarely
  words at all.

Each sign found in the text as it is counts for logical order, each found in the reversed
words for visual order. A page is reversed only when the reversed reading wins clearly (at
least twice the evidence plus two), so mixed or short pages are left alone; pages without
enough evidence follow the decision taken for the rest of the document.

Repair works line by line, with a simplified form of the Unicode bidirectional algorithm
run backwards. In a line that is mostly Arabic the whole line is reversed, except the runs
that are displayed left to right inside it (Latin words with what follows them, and numbers
with their separators: "2012/03/15"), which are restored; brackets in the reversed parts are
mirrored. In a line that is mostly Latin, only the Arabic runs are reversed.
"""

from __future__ import annotations

import re

_AR = "\u0621-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f"  # Arabic letters
_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
_LATIN = "A-Za-z\u00c0-\u024f"

_ARABIC_WORD = re.compile(f"[{_AR}]+")
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, superscript alef, tatweel
_LATIN_RUN = re.compile(f"[{_LATIN}](?:[^{_AR}\\n]*[{_LATIN}{_DIGIT}])?")
_NUMBER_RUN = re.compile(f"[%\u066a]?[{_DIGIT}]+(?:[.,/:\\-\u066b\u066c][{_DIGIT}]+)*[%\u066a]?")
_ARABIC_RUN = re.compile(f"[{_AR}](?:[^{_LATIN}{_DIGIT}\\n]*[{_AR}])?")
_ARTICLE = re.compile("^[وفبك]?ال")
_ARTICLE_REVERSED = re.compile("لا[وفبك]?$")
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")

COMMON_WORDS = frozenset({
    "في", "من", "على", "إلى", "الى", "عن", "أن", "ان", "التي", "الذي", "هذا", "هذه", "كان",
    "قد", "تم", "بعد", "قبل", "حتى", "عند", "ذلك", "بين", "كما", "لم", "لن", "وفي", "ومن",
    "إن", "أو", "ثم", "هو", "هي", "غير", "منذ", "خلال", "حول", "ضد",
})  # not "كل" or "مع": read backwards they are the common words "لك" and "عم"
_COMMON_REVERSED = frozenset(word[::-1] for word in COMMON_WORDS) - COMMON_WORDS


def has_arabic(text: str) -> bool:
    return _ARABIC_WORD.search(text) is not None


def order_evidence(text: str) -> tuple[int, int]:
    """(signs of logical order, signs of visual order) in the Arabic words of a text."""
    logical = reversed_ = 0
    for word in _ARABIC_WORD.findall(_DIACRITICS.sub("", text)):
        if word in COMMON_WORDS:
            logical += 1
        elif word in _COMMON_REVERSED:
            reversed_ += 1
        if len(word) >= 4:
            if _ARTICLE.match(word):
                logical += 1
            elif _ARTICLE_REVERSED.search(word):
                reversed_ += 1
        if len(word) >= 2:
            if word[-1] in "ةى":
                logical += 1
            if word[0] in "ةى":
                reversed_ += 1
    return logical, reversed_


def looks_reversed(text: str) -> bool | None:
    """True when the text reads clearly better backwards, False when clearly forwards,
    None when there is too little Arabic to tell."""
    logical, reversed_ = order_evidence(text)
    if reversed_ >= 2 * logical + 2:
        return True
    if logical >= 2 * reversed_ + 2:
        return False
    return None


def _reverse_rtl_line(line: str) -> str:
    """Undo the display of a right-to-left line: reverse it, keep left-to-right runs intact."""
    keep: list[tuple[int, int]] = []
    for match in _LATIN_RUN.finditer(line):
        keep.append(match.span())
    taken = [False] * len(line)
    for start, end in keep:
        for i in range(start, end):
            taken[i] = True
    for match in _NUMBER_RUN.finditer(line):
        if not any(taken[match.start():match.end()]):
            keep.append(match.span())
    keep.sort()
    pieces: list[str] = []
    position = 0
    for start, end in keep:
        pieces.append(line[position:start][::-1].translate(_MIRROR))
        pieces.append(line[start:end])
        position = end
    pieces.append(line[position:][::-1].translate(_MIRROR))
    # The pieces are in visual order; reading order is the reverse of the pieces.
    return "".join(reversed(pieces))


def _reverse_arabic_runs(line: str) -> str:
    return _ARABIC_RUN.sub(lambda match: match.group(0)[::-1].translate(_MIRROR), line)


def to_logical_order(text: str) -> str:
    """Put text extracted in visual order back into reading order, line by line."""
    lines = []
    for line in text.split("\n"):
        arabic = len(re.findall(f"[{_AR}]", line))
        latin = len(re.findall(f"[{_LATIN}]", line))
        if arabic == 0:
            lines.append(line)
        elif arabic >= latin:
            lines.append(_reverse_rtl_line(line))
        else:
            lines.append(_reverse_arabic_runs(line))
    return "\n".join(lines)
