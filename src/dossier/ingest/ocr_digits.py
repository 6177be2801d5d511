"""Repairing the Arabic-Indic numbers Tesseract misreads, where that can be done safely.

Unit numbers are what investigators search for ("الفرع ٢٥١", Branch 251), and they are what
Tesseract's Arabic model reads worst: printed ٢٥١ comes back as "751١", "YO)" or "٢ه١",
because ٢ looks like a 7 or a Y, ٥ like an o or a heh, ١ like a bracket, ٠ like a dot.

The Arabic model installed with Debian's tesseract-ocr-ara (tessdata_fast, 2019) cannot emit
٢ to ٩ at all: its character set holds only ٠ and ١ among the Arabic-Indic digits. Rendering
each digit three times after "الفرع" in Amiri, Noto Naskh and DejaVu at 28-44 px and reading
it back gave a confusion table with many ambiguities: "1" comes from ١ and ٦, "4" from ٤ and
٩, "8" from ٨ and ٣, "V" from ٢ and ٧, "y" from ٣, "P" from ٢ and ٣. Only some errors can
therefore be undone without guessing:

* Anywhere in the text, a number mixing scripts ("٢5١") is re-written in Arabic-Indic digits
  with the values as read; Persian-range digits (۴۵۶) inside an Arabic-Indic number become
  their Arabic-Indic twins; a heh between two digits ("٢ه١") is a five. Nothing else is
  touched: a dot between digits may be a date separator, and a heh after a number is the
  Hijri-year abbreviation ("١٤٣٣ه"). ٠ read as a dot or a colon is not undone either: "١.٢"
  may be a section number and a dot after a number may end the sentence.
* Right after a unit word (الفرع، فرع، الشعبة، اللواء، الكتيبة، رقم ...), a short token that shows
  it came from Arabic-Indic glyphs (it holds an Arabic-Indic digit or a look-alike letter) is
  read through CONFUSIONS, which holds only the look-alikes that came from a single digit in
  the measurements; ASCII digits keep the value Tesseract gave them. A token with any other
  character is left whole: half a correction would look more certain than it is. A token of
  plain ASCII digits is left alone too: "الفرع 251" is often typed that way, and Tesseract
  reads ASCII digits correctly.

Where the Arabic script model (`Arabic`, tesseract-ocr-script-arab) is installed, `ocr` reads
with it instead: it knows every Arabic-Indic digit, writes them in their Persian forms
(`persian_forms_to_arabic` maps them back) and needs these repairs far less. It still misreads
the digits of 150-200 dpi scans often (٥ as ٠, ٣ as ٢, ٨ as ٢; bench/bench_ocr.py: about a
third of the unit numbers of the demo's scans came out right), so `ocr_numbers` reads the
numbers again from the page image, glyph by glyph, before these repairs run.

Every change is returned with its offset, so the extractor can record it and the OCR text as
recognised (less the invisible direction marks `ocr` removes) stays recoverable from the
item's metadata; re-running the same Tesseract version on the original also reproduces it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dossier.text.edits import edit_distance

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
_ASCII = "0123456789"
# The script model writes Arabic-Indic digits, yeh and kaf in their Persian forms; in Arabic
# text they are the Arabic ones. The Persian yeh is dotless only at the end of a word, where
# in Arabic it is an alef maksura ("إلى"); elsewhere it is a yeh.
_PERSIAN_FORMS = str.maketrans(PERSIAN + "\u06cc\u06a9", ARABIC_INDIC + "\u064a\u0643")
_FINAL_PERSIAN_YEH = re.compile(r"\u06cc(?![\u0600-\u06ff])")


def persian_forms_to_arabic(text: str) -> str:
    """Arabic text with the Persian forms of digits, yeh and kaf made Arabic."""
    return _FINAL_PERSIAN_YEH.sub("\u0649", text).translate(_PERSIAN_FORMS)

# How Tesseract renders Arabic-Indic glyphs it misreads (observed; see the module docstring).
CONFUSIONS = {
    "7": "٢", "Y": "٢", "0": "٥", "o": "٥", "O": "٥", "ه": "٥", "E": "٤", "e": "٤", "£": "٤",
    "W": "٧", "A": "٨", ")": "١",
}

_UNIT_STEMS = ("فرع", "فروع", "شعبة", "قسم", "لواء", "فرقة", "فوج", "كتيبة", "سرية", "مفرزة",
               "سجن", "رقم", "مهجع", "زنزانة", "منفردة", "جناح", "مكتب", "إدارة", "ادارة")
_UNIT_WORD = re.compile(r"^[وفبكل]?(?:ال|لل|ل)?(?:" + "|".join(_UNIT_STEMS) + r")[،:]?$")
_TOKEN = re.compile(r"\S+")
_ALL_DIGITS = ARABIC_INDIC + PERSIAN + _ASCII
_DIGITISH = set(_ALL_DIGITS) | set(CONFUSIONS)
_TRAILING = "،؛,.:"


BRANCH_WORD = "الفرع"
ADDRESS_WORDS = frozenset({"من:", "إلى:", "الى:", "إلي:"})  # "من: الفرع ٢١٥" in a cable


def is_misread_branch_word(token: str) -> bool:
    """Whether a word is "الفرع" as Tesseract reads it in bold letterheads ("الع", "افع",
    "الفيع"): three to five Arabic letters from alef to ain, within two edits of it. The
    caller asks only of the first word of a line that is that word and a number."""
    return (3 <= len(token) <= 5 and token != BRANCH_WORD and token[0] == "ا"
            and token[-1] == "ع" and all("\u0621" <= ch <= "\u064a" for ch in token)
            and edit_distance(token, BRANCH_WORD, 2) is not None)


def is_unit_word(token: str) -> bool:
    """Whether a token names a unit, cell or number ("الفرع", "للفرع،", "رقم:") so that
    the token after it is expected to be a number."""
    return bool(_UNIT_WORD.match(token))


@dataclass(frozen=True)
class DigitCorrection:
    """One change: `before` at `offset` in the raw text became `after`."""

    offset: int
    before: str
    after: str


def _to_arabic_indic(ch: str) -> str:
    if ch in _ASCII:
        return ARABIC_INDIC[_ASCII.index(ch)]
    if ch in PERSIAN:
        return ARABIC_INDIC[PERSIAN.index(ch)]
    return ch


def _anywhere(core: str) -> str:
    """Corrections that are safe without context (see the module docstring)."""
    if not any(ch in ARABIC_INDIC or ch in PERSIAN for ch in core):
        return core
    chars = list(core)
    if all(ch in _ALL_DIGITS or ch == "ه" for ch in chars):
        for i, ch in enumerate(chars):
            if ch == "ه" and 0 < i < len(chars) - 1 and chars[i - 1] in _ALL_DIGITS \
                    and chars[i + 1] in _ALL_DIGITS:
                chars[i] = "٥"
    if all(ch in _ALL_DIGITS for ch in chars):
        chars = [_to_arabic_indic(ch) for ch in chars]
    return "".join(chars)


def _after_unit_word(core: str) -> str:
    """The confusion table, for a number that follows a unit word."""
    if len(core) > 6 or not all(ch in _DIGITISH for ch in core):
        return core
    if all(ch in _ASCII for ch in core):
        return core
    has_arabic_digit = any(ch in ARABIC_INDIC or ch in PERSIAN for ch in core)
    if not has_arabic_digit and len(core) < 2:
        return core
    out = []
    for ch in core:
        if ch in ARABIC_INDIC:
            out.append(ch)
        elif ch in PERSIAN:
            out.append(_to_arabic_indic(ch))
        elif ch in CONFUSIONS:
            out.append(CONFUSIONS[ch])
        else:
            out.append(_to_arabic_indic(ch))
    return "".join(out)


def correct_digits(text: str) -> tuple[str, list[DigitCorrection]]:
    """The text with misread Arabic-Indic numbers repaired, and the list of repairs."""
    corrections: list[DigitCorrection] = []
    pieces: list[str] = []
    last_end = 0
    previous_token = ""
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        core = token.rstrip(_TRAILING)
        fixed = (_after_unit_word(core) if is_unit_word(previous_token) else core)
        if fixed == core:
            fixed = _anywhere(core)
        if fixed != core:
            corrections.append(DigitCorrection(match.start(), core, fixed))
            pieces.append(text[last_end:match.start()])
            pieces.append(fixed)
            last_end = match.start() + len(core)
        previous_token = token
    if not corrections:
        return text, []
    pieces.append(text[last_end:])
    return "".join(pieces), corrections
