"""Text in reading order from Tesseract's hOCR, with every character's box.

Tesseract's own text output gets two things wrong on Arabic pages, both measured on the
demo's scans with the `Arabic` script model:

* the order of words in a right-to-left line that begins or ends with a number: the line
  is laid out left to right ("285 الفرع" for "الفرع 285", "٢٤/١٠/٢٠١٢ التاريخ:");
* the order of the digits inside a number, now and then (reference "ص/٤٢٧٥" came out as
  "ص/٥٢٧٤").

The hOCR output (`hocr_char_boxes=1`) gives the box of every word and every character, so
both can be undone from geometry rather than guessed: digits are always written left to
right, whatever the direction of the line, so a run of digits is put in the order of its
boxes; a line with more Arabic letters than other letters is read from right to left, word
by word, with each stretch of words without Arabic letters (numbers, Latin names) kept left
to right inside it — the word-level form of the Unicode bidirectional algorithm. A stretch
with no letters at all (a date and a time, a number and a dash) takes the direction of the
line instead, as that algorithm has it: "١٩٧٢ —" is printed "— ١٩٧٢".

Inside a right-to-left line, a word made only of digits, separators and brackets is put in
logical order by the same algorithm's rules for numbers (`logical_number`): a slash, colon,
dot or comma between two digits of one kind joins them into one number read left to right
("٢٠١٢/٥/١", "٢٢:٠٥"), and so does a hyphen between two European digits ("2013-4-10"); but a
hyphen between Arabic-Indic digits does not, so "٢٠١٣-٨-٢٧" is printed "٢٧-٨-٢٠١٣" and its
groups are read from right to left, as are the hyphen of a list number ("١-", printed "-١")
and brackets (Tesseract names a bracket by its meaning, "(" for the mirrored one on the right
of "(١)"). Tesseract gave these in the order of the page: on the 25 clean Arabic scans of
bench/bench_ocr.py every date written with hyphens came out backwards, and "(١)" as ")١("
one time in two. A reference number with a letter or two of code is ordered the same way
("ص/٥٧٩٦", which Tesseract gave as "٥٧٩٦/ص").
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from functools import cached_property

_XHTML = "{http://www.w3.org/1999/xhtml}"
_BBOX = re.compile(r"(?:bbox|x_bboxes) (-?\d+) (-?\d+) (-?\d+) (-?\d+)")
_WCONF = re.compile(r"x_wconf (-?[\d.]+)")
# Direction marks Tesseract puts around runs inside a line; invisible, and they would split
# search tokens ("\u200e251\u200f").
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                                        "\u2066\u2067\u2068\u2069"))
# Inside a number, between two digits: dates (٢٤/١٠/٢٠١٢), reference numbers, decimals.
_NUMBER_SEPARATORS = frozenset("/.-:,،٫٬")
# The bidirectional classes of the separators inside numbers: common separators join two
# digits of one kind, European separators only two European digits.
_COMMON_SEPARATORS = frozenset("/.:,،٫٬")
_EUROPEAN_SEPARATORS = frozenset("-+\u2212")
_BRACKETS = frozenset("()[]{}<>«»")
# A reference number may carry a letter or two of code ("٤٦٧٥/ص", "ص/٥٧٩٦"); a word with more
# letters is a word, whose letters' boxes overlap too much to be ordered by.
_CODE_LETTERS = 2


def is_digit(ch: str) -> bool:
    return ch.isdigit() and ch.isascii() or "\u0660" <= ch <= "\u0669" or "\u06f0" <= ch <= "\u06f9"


def is_arabic_letter(ch: str) -> bool:
    return ch.isalpha() and ("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f")


@dataclass(frozen=True)
class OcrChar:
    text: str
    left: int | None  # None when Tesseract gave no box
    right: int | None = None


@dataclass(frozen=True)
class OcrWord:
    chars: tuple[OcrChar, ...]
    left: int
    right: int
    confidence: float
    top: int = 0
    bottom: int = 0
    right_to_left: bool = False  # the word stands in a right-to-left line

    @cached_property  # asked for again and again while a page is read: computed once
    def text(self) -> str:
        if self.right_to_left:
            logical = logical_number(self.chars)
            if logical is not None:
                return "".join(char.text for char in logical)
        return "".join(char.text for char in ordered_digit_runs(self.chars))

    @property
    def position(self) -> int:
        """Where the word stands in its line, for ordering: the left edge of its rightmost
        letter. A word's own box, and the box of its first letter, are sometimes far wider
        than the letters (measured: "الفرع" given a box over the three words before it);
        the left edges of the letters were right."""
        lefts = [char.left for char in self.chars if char.left is not None]
        return max(lefts) if lefts else self.left

    def has_arabic(self) -> bool:
        return any(is_arabic_letter(ch) for char in self.chars for ch in char.text)


@dataclass(frozen=True)
class OcrLine:
    paragraph: int
    words: tuple[OcrWord, ...]

    def right_to_left(self) -> bool:
        arabic = other = 0
        for word in self.words:
            for char in word.chars:
                for ch in char.text:
                    if is_arabic_letter(ch):
                        arabic += 1
                    elif ch.isalpha():
                        other += 1
        return arabic > other

    @property
    def text(self) -> str:
        return " ".join(word.text for word in reading_order(self))


def ordered_digit_runs(chars: tuple[OcrChar, ...]) -> tuple[OcrChar, ...]:
    """The characters of a word with every run of digits (and separators between digits)
    put in the left-to-right order of their boxes."""
    out = list(chars)
    index = 0
    while index < len(out):
        if not is_digit(out[index].text[:1]):
            index += 1
            continue
        end = index + 1
        while end < len(out) and (is_digit(out[end].text[:1]) or (
                out[end].text in _NUMBER_SEPARATORS and end + 1 < len(out)
                and is_digit(out[end + 1].text[:1]))):
            end += 1
        run = out[index:end]
        if len(run) > 1 and all(char.left is not None for char in run):
            out[index:end] = sorted(run, key=lambda char: char.left or 0)
        index = end
    return tuple(out)


def logical_number(chars: tuple[OcrChar, ...]) -> tuple[OcrChar, ...] | None:
    """For a word of a right-to-left line made of digits, separators and brackets, and at
    most _CODE_LETTERS Arabic letters, its characters in logical order, worked out from their
    boxes (see the module docstring); None for any other word, or when a character has no
    box. A word with any Arabic-Indic digit is taken as written in them all: Tesseract reads
    some of its digits as European ones."""
    if not chars or any(char.left is None or len(char.text) != 1 for char in chars):
        return None
    if not any(is_digit(char.text) for char in chars) or not all(
            is_digit(char.text) or char.text in _NUMBER_SEPARATORS
            or char.text in _EUROPEAN_SEPARATORS or char.text in _BRACKETS
            or is_arabic_letter(char.text) for char in chars) \
            or sum(is_arabic_letter(char.text) for char in chars) > _CODE_LETTERS:
        return None
    european = all(char.text.isascii() for char in chars if is_digit(char.text))
    joining = _COMMON_SEPARATORS | _EUROPEAN_SEPARATORS if european else _COMMON_SEPARATORS
    visual = sorted(chars, key=lambda char: char.left or 0)
    units: list[list[OcrChar]] = []
    for index, char in enumerate(visual):
        if is_digit(char.text):
            if units and (is_digit(units[-1][-1].text) or units[-1][-1].text in joining
                          and len(units[-1]) > 1):
                units[-1].append(char)
            else:
                units.append([char])
        elif char.text in joining and units and is_digit(units[-1][-1].text) \
                and index + 1 < len(visual) and is_digit(visual[index + 1].text):
            units[-1].append(char)
        else:
            units.append([char])
    return tuple(char for unit in reversed(units) for char in unit)


def reading_order(line: OcrLine) -> list[OcrWord]:
    """The words of a line in logical (reading) order; see the module docstring."""
    if not line.right_to_left():
        return list(line.words)
    by_position = sorted(line.words, key=lambda word: -word.position)
    ordered: list[OcrWord] = []
    stretch: list[OcrWord] = []
    for word in by_position + [None]:
        if word is not None and not word.has_arabic():
            stretch.append(word)
            continue
        # a stretch with Latin words reads left to right; numbers and signs alone take
        # the direction of the line
        latin = any(ch.isalpha() for other in stretch for ch in other.text)
        ordered += reversed(stretch) if latin else stretch
        stretch = []
        if word is not None:
            ordered.append(word)
    return ordered


def _box(title: str, pattern: re.Pattern[str] = _BBOX) -> tuple[int, int, int, int] | None:
    found = pattern.search(title)
    return tuple(int(value) for value in found.groups()) if found else None  # type: ignore[return-value]


def _word(element: ET.Element) -> OcrWord | None:
    title = element.get("title", "")
    box = _box(title)
    found = _WCONF.search(title)
    confidence = max(float(found.group(1)), 0.0) if found else 0.0
    chars: list[OcrChar] = []
    for char in element.iter(f"{_XHTML}span"):
        if char.get("class") == "ocrx_cinfo":
            text = "".join(char.itertext()).translate(BIDI_CONTROLS)
            char_box = _box(char.get("title", ""))
            if text:
                chars.append(OcrChar(text, *((char_box[0], char_box[2]) if char_box
                                             else (None, None))))
    if not chars:
        text = "".join(element.itertext()).translate(BIDI_CONTROLS).strip()
        chars = [OcrChar(ch, None) for ch in text]
    if not "".join(char.text for char in chars).strip() or box is None:
        return None
    return OcrWord(tuple(chars), box[0], box[2], confidence, box[1], box[3])


def parse_hocr(hocr: str) -> list[OcrLine]:
    """The non-empty lines of a Tesseract hOCR page, in the order Tesseract found them."""
    root = ET.fromstring(hocr.encode("utf-8"))
    lines: list[OcrLine] = []
    for number, paragraph in enumerate(root.iter(f"{_XHTML}p")):
        for line in paragraph.iter(f"{_XHTML}span"):
            if line.get("class") not in ("ocr_line", "ocr_caption", "ocr_header",
                                         "ocr_textfloat"):
                continue
            words = [_word(word) for word in line.iter(f"{_XHTML}span")
                     if word.get("class") == "ocrx_word"]
            kept = tuple(word for word in words if word is not None)
            if kept:
                parsed = OcrLine(number, kept)
                if parsed.right_to_left():
                    parsed = OcrLine(number, tuple(replace(word, right_to_left=True)
                                                   for word in kept))
                lines.append(parsed)
    return lines


def lines_text(lines: list[OcrLine]) -> str:
    """Plain text from lines: a line per line, a blank line between paragraphs."""
    return lines_text_with_offsets(lines)[0]


def lines_text_with_offsets(lines: list[OcrLine]) -> tuple[str, dict[int, int]]:
    """`lines_text`, and where each word starts in it (by the word's id())."""
    pieces: list[str] = []
    offsets: dict[int, int] = {}
    length = 0
    previous: int | None = None
    for line in lines:
        if previous is not None:
            separator = "\n\n" if line.paragraph != previous else "\n"
            pieces.append(separator)
            length += len(separator)
        for number, word in enumerate(reading_order(line)):
            if number:
                pieces.append(" ")
                length += 1
            offsets[id(word)] = length
            text = word.text
            pieces.append(text)
            length += len(text)
        previous = line.paragraph
    return "".join(pieces), offsets


# What Tesseract writes for the vertical rules of a table or a form, where the documents have
# no such character: leaving these words out took the 69 Arabic scans of bench/bench_ocr.py
# from 5.4 % to 5.0 % CER clean and from 7.2 % to 6.9 % degraded (bench/RESULTS.md).
RULE_CHARACTERS = frozenset("|¦│┃")


def without_rules(lines: list[OcrLine]) -> list[OcrLine]:
    """The lines less the words that are only vertical bars: the ruled lines of tables and
    forms, not text. A bar inside a word or next to one ("A|B", "|x") is kept."""
    kept = []
    for line in lines:
        words = tuple(word for word in line.words
                      if not word.text or not set(word.text) <= RULE_CHARACTERS)
        if words:
            kept.append(OcrLine(line.paragraph, words) if len(words) != len(line.words)
                        else line)
    return kept


def mean_confidence(lines: list[OcrLine]) -> float:
    values = [word.confidence for line in lines for word in line.words]
    return sum(values) / len(values) if values else 0.0
