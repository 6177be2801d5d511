"""Turn one logical line of mixed Arabic/Latin/digit text into glyphs in visual order.

The Unicode bidirectional algorithm decides which runs read right-to-left (Arabic letters)
and which left-to-right (Latin words, and numbers, including Arabic-Indic ones such as the
٢٥١ of a branch). fpdf2's implementation of the algorithm is used for the levels; each run
is then shaped on its own by HarfBuzz, which does not reorder runs itself.

Text extractors rebuild logical order from glyph positions. pdfium does it with a
simplified algorithm that glues punctuation such as ``/ - , .`` to an adjacent number, so
"٢٣٤٥/ص" would come back as "/٢٣٤٥ص". Word processors meet the same problem and insert
invisible bidi marks; :func:`mark_numbers` does the same with U+061C ARABIC LETTER MARK,
which changes nothing on the page and makes pdfium return the logical text (plus the
invisible marks, which consumers drop as they drop every Unicode format character).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from fpdf.bidi import BidiParagraph
from fpdf.enums import TextDirection

from dossier.demo.ttf import ShapedGlyph, TrueTypeFont

__all__ = ["ARABIC_LETTER_MARK", "level_runs", "mark_numbers", "shape_line"]

ARABIC_LETTER_MARK = "\u061c"

# Shaped lines by (font, text, direction, fallbacks): headers and formulae repeat a lot.
_LINES: dict[tuple[str, str, bool, tuple[str, ...]], tuple[ShapedGlyph, ...]] = {}

# Classes pdfium groups with digits although the bidi algorithm may not.
_WEAK = frozenset({"CS", "ES", "ET", "NSM", "BN"})
_DIGITS = frozenset({"EN", "AN"})

# Bidi classes that can make a line anything but one right-to-left run.
_NOT_PLAIN_RTL = frozenset({"L", "EN", "AN", "LRE", "LRO", "LRI", "RLE", "RLO", "FSI"})
_LTR_CLASSES = frozenset({"L"})


@lru_cache(maxsize=65536)
def _class(char: str) -> str:
    return unicodedata.bidirectional(char)


@lru_cache(maxsize=16384)
def level_runs(text: str, rtl: bool) -> tuple[tuple[str, int], ...]:
    """Split a line into (run text, embedding level) in *visual* order (rule L2 applied)."""
    if not text:
        return ()
    classes = {_class(c) for c in text}
    if rtl and not classes & _NOT_PLAIN_RTL:
        return ((text, 1),)
    if not rtl and classes <= _LTR_CLASSES | {"WS", "ON", "CS", "ES", "ET", "EN", "B", "S"}:
        return ((text, 0),)
    paragraph = BidiParagraph(text, TextDirection.RTL if rtl else TextDirection.LTR)
    chars, _ = paragraph.get_all()  # get_all applies rule L1 to the levels in place
    runs: list[tuple[str, int]] = []
    current: list[str] = []
    level = chars[0].embedding_level
    for char in chars:
        if char.embedding_level != level:
            runs.append(("".join(current), level))
            current = []
            level = char.embedding_level
        current.append(char.character)
    runs.append(("".join(current), level))
    return tuple(_reorder(runs))


def _reorder(runs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Rule L2 on whole runs: reverse every sequence at or above each odd-or-higher level."""
    highest = max(level for _, level in runs)
    lowest_odd = min((level for _, level in runs if level % 2), default=highest + 1)
    order = list(runs)
    for level in range(highest, lowest_odd - 1, -1):
        result: list[tuple[str, int]] = []
        pending: list[tuple[str, int]] = []
        for run in order:
            if run[1] >= level:
                pending.append(run)
            else:
                result.extend(reversed(pending))
                pending = []
                result.append(run)
        result.extend(reversed(pending))
        order = result
    return order


def _resolved_classes(text: str) -> list[str]:
    """Bidi classes after rule W2: European digits after Arabic letters act as Arabic ones."""
    classes: list[str] = []
    last_strong = ""
    for char in text:
        cls = _class(char)
        if cls in ("L", "R", "AL"):
            last_strong = cls
        elif cls == "EN" and last_strong == "AL":
            cls = "AN"
        classes.append(cls)
    return classes


def _joins_number(classes: list[str], i: int) -> bool:
    """Whether the separator at ``i`` belongs to the number around it (rules W4/W5)."""
    before = classes[i - 1] if i > 0 else ""
    after = classes[i + 1] if i + 1 < len(classes) else ""
    if classes[i] == "CS":
        return before == after and before in _DIGITS
    if classes[i] == "ES":
        return before == after == "EN"
    if classes[i] == "ET":
        return "EN" in (before, after)
    return False


@lru_cache(maxsize=16384)
def mark_numbers(text: str) -> str:
    """Put an Arabic letter mark between a number and punctuation that is not part of it."""
    classes = _resolved_classes(text)
    if not _DIGITS & set(classes):
        return text
    out: list[str] = []
    for i, char in enumerate(text):
        if i > 0:
            left, right = classes[i - 1], classes[i]
            weak_after_number = left in _DIGITS and right in _WEAK and not _joins_number(classes, i)
            weak_before_number = (
                right in _DIGITS and left in _WEAK and not _joins_number(classes, i - 1)
            )
            if weak_after_number or weak_before_number:
                out.append(ARABIC_LETTER_MARK)
        out.append(char)
    return "".join(out)


def _font_runs(
    font: TrueTypeFont, fallbacks: tuple[TrueTypeFont, ...], text: str
) -> list[tuple[TrueTypeFont, str]]:
    """Split ``text`` where a character is missing from ``font`` and a fallback has it.

    Invisible characters (the letter marks above, combining marks) stay with their
    neighbour: drawn alone in another font they would form a zero-width text object,
    which pdfium skips, losing the mark.
    """
    runs: list[tuple[TrueTypeFont, str]] = []
    for char in text:
        chosen = font
        if unicodedata.category(char) in ("Cf", "Mn"):
            chosen = runs[-1][0] if runs else font
        elif not font.covers(char):
            chosen = next((f for f in fallbacks if f.covers(char)), font)
        if runs and runs[-1][0] is chosen:
            runs[-1] = (chosen, runs[-1][1] + char)
        else:
            runs.append((chosen, char))
    return runs


def shape_line(
    font: TrueTypeFont, text: str, rtl: bool, fallbacks: tuple[TrueTypeFont, ...] = ()
) -> list[ShapedGlyph]:
    """Glyphs of a whole line, left to right as they appear on the page.

    Characters ``font`` lacks are drawn with the first of ``fallbacks`` that has them;
    each glyph carries its font.
    """
    key = (font.name, text, rtl, tuple(f.name for f in fallbacks))
    cached = _LINES.get(key)
    if cached is not None:
        return list(cached)
    if rtl:
        text = mark_numbers(text)
    glyphs: list[ShapedGlyph] = []
    for run, level in level_runs(text, rtl):
        odd = bool(level % 2)
        pieces = _font_runs(font, fallbacks, run) if fallbacks else [(font, run)]
        if odd:
            pieces.reverse()  # right-to-left run: its first characters are drawn rightmost
        for piece_font, piece in pieces:
            glyphs.extend(piece_font.shape(piece, odd))
    if len(_LINES) > 20_000:
        _LINES.clear()
    _LINES[key] = tuple(glyphs)
    return glyphs
