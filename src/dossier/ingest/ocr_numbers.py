"""Reading Arabic-Indic numbers again from the page image, one glyph at a time.

Tesseract's Arabic script model reads the Arabic forms of the digits badly: it was trained
mostly on their Persian forms, and ٥ (a small circle) and ٦ differ from ۵ and ۶. Measured on
the demo's 150-200 dpi scans (bench/bench_ocr.py), about a third of the numbers after unit
words came out right ("الفرع ٢١٥" read ٢٠٠١, ٢٨٥ read ٠٨١). Cropping the number, enlarging it
three times and reading it again with Tesseract (psm 7, a whitelist of the digits) did not
help: out of the context of Arabic words the model reads ١٩٦٣ as "14۹۹۳" and a row of
٠١٢٣٤٥٦٧٨٩ as Latin garbage, even at 48 px; 21 of 47 numbers right instead of 16, and the
second Tesseract run per page cost 50 % more time.

The digits themselves are easy to read by their shape: each Arabic-Indic digit is one
connected stroke, printed faces draw them much alike, and there are only ten. So a word that
Tesseract read as a number (or as anything short right after a unit word) is cut out of the
page at the box Tesseract gave its characters, split into glyphs (connected components,
with strokes that blur and low resolution joined cut apart again at the thinnest column),
and each glyph is compared with the digits drawn in the Arabic fonts installed on the
machine (`ocr_glyphs`), by its normalised shape, its height and width against the tallest
glyph of the number, and its vertical position (٠ is a small dot at mid-height): the drawn
templates say whether it is a digit at all, a classifier fitted on the same digits drawn
blurred says which. The new reading replaces Tesseract's only when every glyph is close to
some digit; otherwise the word is left as Tesseract read it.

Dates and reference numbers ("٢٠١٢/٥/١" read "٢٠١٢/٠/١", "٢٣-٦-٢٠١٤" read "٢٣-٩-٢٠١٤",
"٧١١٢/٢٤٨") are digit groups with separators between them. Tesseract reads the separators
right, but the boxes it gives them are often too wide and take in the digit next to them,
so a word of digit groups is split into glyphs as a whole; as many glyphs as Tesseract read
separators are taken as the separators — each the one most like the separator drawn in the
installed faces and least like any digit, never at either end nor two side by side — and the
other glyphs are read as digits against the tallest of them. Such a word is read again when
it holds an Arabic-Indic digit, or when it follows a date word (تاريخ، التاريخ، بتاريخ; the
model often loses its last letters: "تار:", "التارج:"), as is a lone number after a date word
("١٢" of "١٢ تشرين الأول"). A word with letters ("٤٢٧٥/ص") and plain ASCII digits
("2013/4/13", read right) are left alone. Developed on the 41 Arabic scanned pages of the
`bench_extract --with-scans` leak (seed 7: full dates read right 26/93 → 38/93, for about
10 ms more per page), measured on those of `bench_ocr` (seed 11).

Measured on the 69 Arabic scans of the bench: numbers after unit words 32/91 → 68/91 right.
A word of an Arabic line made only of the Latin look-alikes of the digits ("YII’", "ro",
"FWY/Y": what the model writes for a number it cannot read on a degraded scan) is read again
as well, as a number or as digit groups: 72/91 → 75/91 unit numbers and 75/183 → 77/183 full
dates on bench_ocr's scans (seed 11, where the look-alikes were collected), and on the scans
of `bench_extract --with-scans` (seed 7, not looked at) date mentions 0.72/0.38 → 0.74/0.40.
The templates generalise across faces: drawn from Noto Sans Arabic alone (a face the demo
never uses) they read as many numbers right as from Amiri and Noto Naskh, the demo's own.
The cost is a few milliseconds per page (decoding the page image again when it came as a
file, and the matching).

Choosing the digit with the classifier instead of the nearest template, and counting "P" a
look-alike (٣ and ٢; with dots for ٠ after it: "Pee", "P.." for ٣٠٠), took the unit numbers
of bench_ocr's scans from 75/91 to 83/91 and its full dates from 84/183 to 93/183; on 73
scans of another leak (seed 7, never looked at while choosing) 79/104 → 85/104 and 97/202 →
108/202. A date whose reading holds one slash where it has two ("٢٠١٣١٢/١٣": the model, or
the look-alike reading, took the other slash for a ١) is read again with two slashes sought
among its glyphs: full dates 90 → 97 of 183, and 108 → 110 of 202 on the other leak.

The dates of table cells often come out as Latin letters and signs that are no look-alike
reading ("Y/N" for ٢٠١٣/٣/١١ on a clean scan, "VENI", "YeVEIVUYY"): a word of an Arabic line
with no Arabic letter and some Latin letter (`is_unread`), or a look-alike word that could
not be read as one, is read again too, its separators told by their size (a slash is taller
than the digits, a hyphen a short bar) and their shape, since Tesseract's reading says
nothing of them; the م after a Gregorian year ("٢٠١٢م"), which the misread word takes in, is
told by its shape. It is replaced only when every other glyph is a digit and they make a
number or digit groups. Three changes for every number: two glyphs run together are cut
against the height of the digits rather than of the tallest glyph (a date's slash, which a
digit touching it makes one glyph with); ٠ drawn three or four pixels across, whose shape
is too coarse for the templates, passes for a digit by its size and place (`_dots`). Full
dates 97 → 134 of 183 and Arabic CER 4.2/5.8 → 3.4/4.9 % (clean/degraded) on bench_ocr's
scans; on the other leak (seed 7) 110 → 146 of 202 and 5.1/6.1 → 4.3/5.3 %. A glyph that
Tesseract's boxes cut through is taken in whole (`_crop`): 134 → 140 and 146 → 147 full
dates. Taking in as well a digit-sized glyph just beyond the boxes (a digit Tesseract lost)
made 6 dates of each leak worse, for no number better: it is the next word's letter as
often as a lost digit. Every number or date read again is also measured for slashes Tesseract
read as a ١ ("٢٠١٢/٨١١١", "٣١٩١٢٠١٢"), a glyph 1.3 times taller than the digits being a slash
whatever its shape: 140 → 144 and 147 → 151 full dates, for about 7 ms more a page.

Three more ways a date comes apart in table cells. Tesseract cuts a date in two words
("١٣/٧/٥ ٢٠" for ٢٠١٣/٧/٥, "٠/٢٠١٣ ٣٠/١" for ٣٠/١٠/٢٠١٣, "٥/٨/٢٠١٢ ١م"): two side by side
words of digits, separators or look-alikes, two separators between them (or none, both
unread), no further apart than a digit is high, are read again as one and kept as one when
that makes a whole date (`is_plausible_date`). It puts the day before a month name in no word
("أيلول ٢٠١٢" for ١٦ أيلول ٢٠١٢, beside the cell's rule): the digit-high glyphs right of the
month name, up to the next word, are read as a day (`_lost_day`). And it drops the first digit
of such a day ("٩ حزيران" for ٢٩): a day before a month name is read with the digits beside it
that lie in no word, like a unit number. Full dates 145 → 153 of 183 on bench_ocr's scans
(seed 11) and 153 → 161 of 202 on the other leak (seed 7); no date or number read worse.

European digits after a unit word are left as read (typed "الفرع 251" is read right), unless
the page is written in Arabic-Indic digits (Tesseract read more of them than European ones)
and the word has more glyphs than Tesseract read digits ("الفرع 10" over the three glyphs of
٢١٥): then it is read again like any number. Unit numbers 92 → 94 of 104 on the seed-7 leak,
88 of 91 unchanged on bench_ocr's.

The dates around a month name come apart in more ways. A year whose last digits Tesseract put
in the month name's box ("٤ تموز ٢٠" for ٤ تموز ٢٠١٣) is read with the glyphs right of it
that stand on its digits' line and are as tall (a letter of the month name stands lower),
and kept only as a year of four digits (`_year_rest`). European digits before a month name on
a page of Arabic-Indic ones ("1 كانون الأول" for ٦), and the letter ه that Tesseract makes of
a ٥ there, are read again and kept only as a day; أيار read without its alef ("ه يار ٢٠١٣")
before a year is made أيار again. A date cut in two words of which one is Latin
letters and the other digits or look-alikes ("FAA ٠١٣" for ٢٨/٩/٢٠١٣, "P/V \\4" for
٣٠/٧/٢٠١٤) is read as one, a day in no word is read before a year Tesseract read with digits
too many ("حزيران ٢٠١٣٢٤٣"), and a date whose year was read with five digits ("٢١/٧/٢٠١٣٢")
is read again. And a word's box that reaches a table's rule above or below its cell no
longer takes the rule in as a glyph (`_is_table_rule`), which merged with every digit and
widened the crop over the next word; the rows and columns of a rule that crosses a number's
crop whole are whitened (`_without_rules`). On a page of Arabic-Indic digits, European digit
groups that make no date ("1/0/0" over the nine glyphs of ٢٠١٣/٧/٢٥) are read again when the
word has more glyphs than Tesseract read signs, and kept only as a date. Flat dots beside two
slashes are ٠, not hyphens ("YAFINY-" for ٢٠١٣/١١/٣٠). Full dates on bench_ocr's scans 153 →
165 of 183 (seed 11), 162 → 175 of 202 (seed 7) and 204 → 215 of 247 on a leak never looked at
(seed 13); unit numbers 88 of 91 unchanged, 94 → 95 of 104 and 105 → 106 of 113; no date or
number read worse on any file.

A number that starts a line follows the last word of the line before it in the same
paragraph ("... واحتجز في الفرع" / "٢٩١ حيث"), and may take in up to two digits Tesseract put in
no word ("١" read for ٢٩١); a head a blurred scan broke off a digit (the hook of a ٢, cut
from the ٧ it ran into) is put back on its stem (`_with_broken_heads`). Unit numbers 98 → 99
of 104 (seed 7), 88 → 89 of 91 (seed 11) and 106 → 108 of 113 (seed 13); full dates 222 →
223 of 247 on seed 13; none read worse.

Four more ways a date comes apart. Digits and separators that make no digit groups
("٢٠--٢٣" for ٢٣-٦-٢٠١٤), and digit groups with the م of the year glued to them, are read
again like an unread word (`is_malformed_groups`). After a date word, the words without
letters up to the next word (Tesseract kept "٣" of ١٨/٧/٢٠١٢, or "١٢" and "A" of ٩/١٢/٢٠١٢م
with the middle in neither) give way to everything between the date word and the next word,
read whole and kept only as a date (`_date_span`). A year whose box Tesseract stretched over
the month name before it is read without the month name's letters (`_left_of`). Full dates
166 → 176 of 183, 177 → 187 of 202 and 223 → 229 of 247 (seeds 11, 7, 13); none read worse.
A date word misread past `is_date_word` ("پارخ" for بتاريخ) may start such a span
(`is_misread_date_word`), and تشرين read with a noon or a beh is still a month name: 229 →
231 of 247 on seed 13.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image
from scipy import ndimage

from dossier.ingest.ocr_digits import (
    ADDRESS_WORDS,
    ARABIC_INDIC,
    BRANCH_WORD,
    CONFUSIONS,
    is_misread_branch_word,
    is_unit_word,
    persian_forms_to_arabic,
)
from dossier.ingest.ocr_glyphs import (
    TEMPLATE_SHAPE,
    YEAR_MARK,
    digit_classifier,
    digit_templates,
    geometry,
    ink_box,
    otsu,
    shape,
)
from dossier.ingest.ocr_lines import OcrChar, OcrLine, OcrWord, reading_order
from dossier.ingest.ocr_page import PageGrey
from dossier.text.edits import edit_distance

# A glyph wider than this many times the height of the digits of its number (`digit_height`)
# is two digits run together (the widest single digit, ٧ or ٨, is 0.78 of the tallest). The
# height of the digits, not of the tallest glyph: a date's slashes are taller, and a digit
# that touches a slash makes one glyph with it, as tall as the slash.
_JOINED_WIDTH = 0.95
# A reading is accepted when every glyph is at most this far from a template (mean absolute
# difference of the shapes, plus the differences of the geometry); chosen on the bench.
_MAX_DISTANCE = 0.30
_MAX_LENGTH = 8
_EIGHT_CONNECTED = np.ones((3, 3), bool)
# A word's crop: where it starts on the page, the crop, and its glyphs (see `_word_glyphs`).
_Glyphs = tuple[int, np.ndarray, list[tuple[int, int, int, int]]]
# A glyph that crosses an edge of a word's boxes with at least this share of its width inside
# is taken in whole (see `_crop`); less is a neighbour's letter the box grazes.
_CUT_GLYPH = 0.2
_LOST_GLYPH_HEIGHT = 0.6  # of the word's height: a glyph outside every word, not a speck
_LOST_DIGITS = 2  # digits of a number that Tesseract may put in no word
_MAX_GROUPED = 12  # glyphs of a date or reference number: ٢٠١٢/١٢/٣١
_PAD = 2  # pixels around the characters' boxes
_ASCII_DIGITS = "0123456789"
_NUMBERISH = set(ARABIC_INDIC + _ASCII_DIGITS) | set(CONFUSIONS)
# Between the digit groups of a date or a reference number ("٢٠١٢/٥/١", "٢٣-٦-٢٠١٤", "٧١١٢/٢٤٨").
# Tesseract reads these strokes right where it misreads the digits around them.
SEPARATORS = "/-."


def _digit_groups(characters: set[str] | frozenset[str]) -> re.Pattern[str]:
    """Two or three groups of one to four of ``characters``, SEPARATORS between them."""
    group = "[" + re.escape("".join(sorted(characters))) + "]{1,4}"
    return re.compile(f"{group}(?:[{re.escape(SEPARATORS)}]{group}){{1,2}}")


_GROUPED = _digit_groups(_NUMBERISH)
_DIGITS_AND_SEPARATORS = frozenset(ARABIC_INDIC + _ASCII_DIGITS + SEPARATORS)
# A date whose year Tesseract read with a digit too many ("٢١/٧/٢٠١٣٢" over the glyphs of
# ٢١/٧/٢٠١٣: the boxes of its last digits overlap), read again glyph by glyph like any other
_YEAR_DIGIT_TOO_MANY = re.compile(
    f"[{ARABIC_INDIC}]{{1,2}}([{re.escape(SEPARATORS)}])[{ARABIC_INDIC}]{{1,2}}\\1"
    f"[{ARABIC_INDIC}]{{5}}|[{ARABIC_INDIC}]{{5}}([{re.escape(SEPARATORS)}])"
    f"[{ARABIC_INDIC}]{{1,2}}\\2[{ARABIC_INDIC}]{{1,2}}")
# A date of Arabic-Indic digits with one of its slashes read as a ١: one group of five to
# seven digits beside one of one to four ("٢٠١٣١٢/١٣" for ٢٠١٣/٢/١٣, "٢٠١٣/١٢١٢٥" for
# ٢٠١٣/١٢/٢٥), as the script model reads the dates of table cells. It is read again as a
# date, two slashes sought among its glyphs.
_SLASH_READ_AS_DIGIT = re.compile(f"[{ARABIC_INDIC}]{{5,7}}/[{ARABIC_INDIC}]{{1,4}}"
                                  f"|[{ARABIC_INDIC}]{{1,4}}/[{ARABIC_INDIC}]{{5,7}}")
# A word that says a date follows: تاريخ, التاريخ, بتاريخ, وتاريخ. The script model often loses
# or misreads the last letters of the word (read "تار:", "التارج:", "بتار"), so its first
# three letters and at most two more are enough: what follows is read again only if it is
# written with digits, and replaced only if every glyph is a digit.
_DATE_WORD = re.compile(r"[وب]?(?:ال)?تار[\u0621-\u064a]{0,2}[:：]?")
# What the script model writes, in Latin letters and signs, for Arabic-Indic digits it cannot
# read on a degraded scan ("YII’" for ٢٠١٢/٧/٣٠, "FWY/Y" for ٢٠١١/١٢/٢, "Yr/of\\r" for ٢٠١٢/٥/١٣,
# "ro" for ٢٣٥), seen on the bench's Arabic scans. On an Arabic line a word made of these
# alone is read again like a number; it is replaced only when every glyph is a digit. A lone
# quotation mark is one of them: leaving it out lost a date of the held-out scans (seed 7) and
# a few characters of the bench's, for no word wrongly made a digit. Curly ones too: "“٠١"
# for ٦٠١ (bench_extract's scans, seed 11). A backslash is a slanted ١ ("\\4" for ١٤).
_LOOKALIKES = frozenset("YyrIlVvFEe£€AoO°tWP'’“”\\")
_NUMBERISH_OR_LOOKALIKE = _NUMBERISH | _LOOKALIKES
_LOOKALIKE_GROUPED = _digit_groups(_NUMBERISH_OR_LOOKALIKE)
# A word of an Arabic line with none of these is not Arabic text.
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
# The first word of an Arabic month name, Levantine or Egyptian (آب left out: one letter from
# أب, father), and the second word of the two-word names; a day stands before the first
_MONTH_WORD = re.compile("كانون|شباط|[اأآإ]ذار|نيسان|[اأإ]يار|حزيران|تموز|[اأإ]يلول|[تنثب]شرين"
                         "|يناير|فبراير|مارس|[اأإ]بريل|مايو|يوني[وه]|يولي[وه]|[اأإ]غسطس"
                         "|سبتمبر|[اأإ]كتوبر|نوفمبر|ديسمبر")
_MAY, _MAY_WITHOUT_ALEF = "أيار", "يار"
_HEH = "ه"  # what Tesseract makes of a ٥ before a month name
_MONTH_SECOND_WORD = re.compile("(?:ال)?(?:[اأإ]ول|ثان[يى])")
_YEAR = re.compile(f"[{ARABIC_INDIC}0-9]{{4}}م?")
# Separators told by their size, against the median height of a number's glyphs: a slash
# this many times taller, a hyphen this many times wider than high.
_SLASH_HEIGHT = 1.15
_HYPHEN_WIDTH = 1.3
# A glyph this many times taller than the digits is a slash by its height alone (١, the
# tallest digit, is at most 1.05 times the others in the installed faces; a slash 1.2 to 2).
_SURE_SLASH_HEIGHT = 1.3
# a digit of a year: its top and bottom within this share of the digits' height of theirs
_YEAR_ALIGNED = 0.25


def number_reader() -> str:
    """How numbers were read again, for the tool kept with an OCR page."""
    templates = digit_templates()
    fonts = ", ".join(templates.fonts) if templates else "no face"
    return f"dossier digit classifier and templates ({fonts})"


def _components(ink: np.ndarray, min_pixels: int = 3) -> list[tuple[int, int, int, int]]:
    """Bounding boxes of the 8-connected blobs of ink, specks left out."""
    labels, count = ndimage.label(ink, structure=_EIGHT_CONNECTED)
    if not count:
        return []
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    return [(rows_cols[1].start, rows_cols[0].start, rows_cols[1].stop, rows_cols[0].stop)
            for label, rows_cols in enumerate(ndimage.find_objects(labels), 1)
            if rows_cols is not None and sizes[label] >= min_pixels]


def _glyph_boxes(ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The glyphs of a number, left to right: blobs one above the other merged (a broken
    stroke), blobs too wide for one digit cut at their thinnest column."""
    merged: list[tuple[int, int, int, int]] = []
    for box in sorted(_components(ink)):
        if _is_table_rule(box, ink.shape):
            continue
        if merged:
            last = merged[-1]
            overlap = min(last[2], box[2]) - max(last[0], box[0])
            if overlap > 0.5 * min(last[2] - last[0], box[2] - box[0]):
                merged[-1] = (min(last[0], box[0]), min(last[1], box[1]),
                              max(last[2], box[2]), max(last[3], box[3]))
                continue
        merged.append(box)
    if not merged:
        return []
    height = digit_height(merged)
    return _with_broken_heads([piece for box in merged
                               for piece in _cut_joined(ink, box, height)], height)


_HEAD = 0.55  # of the digits' height, from their top: where a broken-off head ends, at most


def _with_broken_heads(boxes: list[tuple[int, int, int, int]], height: float
                       ) -> list[tuple[int, int, int, int]]:
    """The glyphs with the head a blurred scan broke off a digit put back on it: the hook of
    a ٢ or the teeth of a ٣, a small blob in the top half of the digits' line touching the
    stem on its left (the hook of a ٦, on its right), alone or cut from the next digit it
    ran into (`_cut_joined`). A ٠ stands at mid-height, apart."""
    tops = sorted(y0 for _, y0, _, y1 in boxes if y1 - y0 >= 0.5 * max(
        b[3] - b[1] for b in boxes))
    line_top = tops[len(tops) // 2]
    out = list(boxes)
    index = 0
    while index < len(out):
        x0, y0, x1, y1 = out[index]
        head = y1 - y0 <= height / 2 and y1 <= line_top + _HEAD * height \
            and len(out) > 1
        stem = None
        if head and index > 0 and x0 - out[index - 1][2] <= 1 \
                and out[index - 1][3] - out[index - 1][1] >= 0.8 * height:
            stem = index - 1
        elif head and index + 1 < len(out) and out[index + 1][0] - x1 <= 1 \
                and out[index + 1][3] - out[index + 1][1] >= 0.8 * height:
            stem = index + 1
        if stem is None:
            index += 1
            continue
        sx0, sy0, sx1, sy1 = out[stem]
        out[stem] = (min(x0, sx0), min(y0, sy0), max(x1, sx1), max(y1, sy1))
        del out[index]
    return out


def _is_table_rule(box: tuple[int, int, int, int], shape: tuple[int, ...]) -> bool:
    """Whether a blob is a table's rule that a word's box took in: flat, in the top or the
    bottom quarter of the crop, across half of it or more (a word's box sometimes reaches the
    rules above and below its cell, which would be merged with every digit; a hyphen is
    short and at mid-height). `_without_rules` whitens those it finds whole first."""
    left, top, right, bottom = box
    height, width = shape[0], shape[1]
    return (bottom <= height / 4 or top >= height * 3 / 4) \
        and bottom - top <= max(3, height // 6) and right - left >= width // 2


def digit_height(boxes: list[tuple[int, int, int, int]]) -> float:
    """The height of the digits among the glyphs of a number: the median of those at least
    half as high as the highest (slashes, taller than the digits, are few; ٠ is a dot)."""
    heights = [y1 - y0 for _, y0, _, y1 in boxes]
    return float(np.median([h for h in heights if h >= 0.5 * max(heights)]))


def _cut_joined(ink: np.ndarray, box: tuple[int, int, int, int],
                height: float) -> Iterator[tuple[int, int, int, int]]:
    x0, y0, x1, y1 = box
    width = x1 - x0
    if width <= _JOINED_WIDTH * height or width < 4:
        yield box
        return
    profile = ink[y0:y1, x0:x1].sum(axis=0)
    low, high = int(width * 0.25), int(width * 0.75) + 1
    cut = x0 + low + int(np.argmin(profile[low:high]))
    for part in ((x0, y0, cut, y1), (cut, y0, x1, y1)):
        piece = ink_box(ink, part)
        if piece is not None:
            yield from _cut_joined(ink, piece, height)


def read_digits(grey: np.ndarray) -> list[tuple[str, int, int]] | None:
    """The digits of the Arabic-Indic number in a greyscale crop (dark ink on light paper),
    left to right, each with the left and right edge of its glyph; None when a glyph is like
    no digit."""
    if digit_templates() is None or grey.size == 0:
        return None
    ink = grey <= otsu(grey)
    boxes = _glyph_boxes(ink)
    if not boxes or len(boxes) > _MAX_LENGTH:
        return None
    return _match_digits(grey, boxes, boxes)


def _match_digits(grey: np.ndarray, boxes: list[tuple[int, int, int, int]],
                  frame: list[tuple[int, int, int, int]]) -> list[tuple[str, int, int]] | None:
    """Each glyph of `boxes` as the digit the classifier says, its geometry taken against the
    glyphs of `frame` (the whole number); None when a glyph is far from every template."""
    templates, classifier = digit_templates(), digit_classifier()
    if templates is None or classifier is None:
        return None
    where = geometry(boxes, frame)
    coarse = np.stack([shape(grey, box, TEMPLATE_SHAPE) for box in boxes])
    far = templates.distances(coarse, where).min(axis=1) > _MAX_DISTANCE
    if (far & ~_dots(where)).any():
        return None
    fine = np.stack([shape(grey, box) for box in boxes])
    return [(digit, box[0], box[2])
            for digit, box in zip(classifier.digits(fine, where), boxes, strict=True)]


def _dots(where: np.ndarray) -> np.ndarray:
    """Which glyphs are small blobs at mid-height (geometry rows of `geometry`): ٠ as a scan
    at 150 dpi draws it, three or four pixels across, too few for its shape to be told; such
    a glyph between digits is taken for a digit whatever its shape (the classifier says
    which)."""
    height, width, centre = where[:, 0], where[:, 1], where[:, 2]
    return (height <= _DOT_SIZE) & (width <= _DOT_SIZE) & (centre >= _DOT_CENTRE[0]) \
        & (centre <= _DOT_CENTRE[1])


_DOT_SIZE = 0.6  # of the digits' height, at most, across and high
_DOT_CENTRE = (0.3, 0.75)  # where its middle stands, from the digits' top


def _separator_glyphs(grey: np.ndarray, boxes: list[tuple[int, int, int, int]],
                      separators: str) -> list[int] | None:
    """Which glyphs of a grouped number are its separators: as many as Tesseract read
    (`separators`, left to right), each the glyph most like that separator and least like a
    digit, never the first or the last glyph nor two side by side; None when a chosen glyph
    is more like a digit than like the separator."""
    templates = digit_templates()
    if templates is None or templates.separator_shapes is None:
        return None
    shapes = np.stack([shape(grey, box, TEMPLATE_SHAPE) for box in boxes])
    to_digit = templates.shape_distances(shapes).min(axis=1)
    chosen: list[int] = []
    for separator in sorted(set(separators)):
        to_separator = templates.sign_distances(shapes, separator)
        if to_separator is None:
            return None
        margin = to_separator - to_digit
        wanted = separators.count(separator)
        for index in [int(i) for i in np.argsort(margin)]:
            if wanted == 0:
                break
            if index in (0, len(boxes) - 1) or any(abs(index - c) < 2 for c in chosen):
                continue
            if margin[index] >= 0:
                return None
            chosen.append(index)
            wanted -= 1
        if wanted:
            return None
    chosen.sort()
    return chosen


def _guessed_separators(grey: np.ndarray, boxes: list[tuple[int, int, int, int]]
                        ) -> dict[int, str] | None:
    """The separators among the glyphs of a number Tesseract did not read, told without its
    reading: a slash is taller than the digits (1.2 to 2 times in the installed faces), a
    hyphen a short bar no higher than half a digit; either must be more like that separator
    than like any digit, and stand neither at an end nor beside another. Glyph index ->
    separator ({} for a plain number); None when they could not be told apart."""
    templates = digit_templates()
    if templates is None or templates.separator_shapes is None:
        return None
    height_of_digits = digit_height(boxes)
    wanted: dict[int, str] = {}
    for index, (x0, y0, x1, y1) in enumerate(boxes):
        height, width = y1 - y0, x1 - x0
        if height >= _SLASH_HEIGHT * height_of_digits and width < height:
            wanted[index] = "/"
        elif height <= 0.5 * height_of_digits and width >= _HYPHEN_WIDTH * height and width >= 3:
            wanted[index] = "-"
    if "/" in wanted.values():  # then the flat ones are ٠ drawn small: a date has one kind
        wanted = {index: sign for index, sign in wanted.items() if sign == "/"}
    if not wanted:
        return {}
    if len(wanted) > 2 or len(set(wanted.values())) > 1 or {0, len(boxes) - 1} & set(wanted) \
            or any(abs(one - two) < 2 for one in wanted for two in wanted if one != two):
        return None
    indices = sorted(wanted)
    [separator] = set(wanted.values())
    shapes = np.stack([shape(grey, boxes[index], TEMPLATE_SHAPE) for index in indices])
    to_digit = templates.shape_distances(shapes).min(axis=1)
    to_separator = templates.sign_distances(shapes, separator)
    if to_separator is None:
        return None
    for row, index in enumerate(indices):
        _, y0, _, y1 = boxes[index]
        if separator == "/" and y1 - y0 >= _SURE_SLASH_HEIGHT * height_of_digits:
            continue
        if to_separator[row] >= to_digit[row]:
            return None
    return wanted


def letterhead_branch(line: OcrLine) -> tuple[OcrWord, OcrWord, OcrWord] | None:
    """A line that is only a branch and its number ("الفرع ٢٣٥", perhaps after "من:") whose
    first word Tesseract misread, as it often does in bold letterheads ("الع ٢٣٥", "افع 227",
    "الفيع 1\\0"): that word, the word "الفرع" in its place, and the number's word (up to
    four signs without a letter, which the caller reads again). None for any other line."""
    words = reading_order(line)
    texts = [persian_forms_to_arabic(word.text) for word in words]
    if len(texts) == 3 and texts[0] in ADDRESS_WORDS:
        words, texts = words[1:], texts[1:]
    if len(texts) != 2 or not is_misread_branch_word(texts[0]) or len(texts[1]) > 4 \
            or any(ch.isalpha() and not ch.isascii() for ch in texts[1]):
        return None
    word = words[0]
    return word, OcrWord((OcrChar(BRANCH_WORD, word.position, word.right),), word.left,
                         word.right, word.confidence, word.top, word.bottom,
                         word.right_to_left), words[1]


def _separator_count(text: str) -> int:
    return sum(ch in SEPARATORS for ch in text)


def is_unread(text: str) -> bool:
    """Whether a word of an Arabic line is Latin letters and signs Tesseract made of
    something it could not read ("Y/N" for ٢٠١٣/٣/١١, "VENI", "YeVEIVUYY"), to be read again
    as a number or a date: no Arabic letter, at least one Latin letter or look-alike, short
    enough for a date."""
    return (2 <= len(text) <= _MAX_GROUPED and not _ARABIC_LETTER.search(text)
            and any(ch.isalpha() or ch in _LOOKALIKES for ch in text))


_DATE_WORDS = ("تاريخ", "بتاريخ", "التاريخ")
_DATE_WORD_EDITS = 3  # a date word misread further still, for a date span (`_date_span`)


def is_misread_date_word(token: str) -> bool:
    """Whether a word may be a date word the script model misread beyond `is_date_word`
    ("پارخ", "پعارخ" for بتاريخ): "ار" in it, and within three edits of one. Only a date
    read whole after it is taken (`_date_span`), which a stray word seldom has."""
    core = token.rstrip(":：")
    return 4 <= len(core) <= 8 and "ار" in core and any(
        edit_distance(persian_forms_to_arabic(core).replace("پ", "ب"), word,
                      _DATE_WORD_EDITS) is not None for word in _DATE_WORDS)


def is_malformed_groups(text: str) -> bool:
    """Whether a word is digits and separators that make no digit groups ("٢٠--٢٣" for
    ٢٣-٦-٢٠١٤), or digit groups with the م of a Gregorian year glued to them
    ("١١/١١/٢٠١٢م", which the checks of digit groups never see): Tesseract read digits as
    separators or lost some, and the word is read again like an unread one, its separators
    and the م told by their size and shape."""
    number = text.removesuffix(YEAR_MARK)
    return (3 <= len(number) <= _MAX_GROUPED and _DIGITS_AND_SEPARATORS.issuperset(number)
            and any(ch in ARABIC_INDIC for ch in number)
            and any(ch in SEPARATORS for ch in number)
            and (number != text or not _GROUPED.fullmatch(number)))


def is_date_word(token: str) -> bool:
    """Whether a word Tesseract read says that a date follows ("التاريخ:", "بتاريخ")."""
    return bool(_DATE_WORD.fullmatch(token))


def is_number_candidate(text: str, previous: str) -> bool:
    """Whether a word Tesseract read (Persian forms made Arabic) should be read again: an
    Arabic-Indic number, perhaps with misread look-alikes, or anything number-like right
    after a unit word or a date word that is not plain ASCII digits (typed "الفرع 251" is
    read right)."""
    if not text or len(text) > _MAX_LENGTH or not all(ch in _NUMBERISH for ch in text):
        return False
    if any(ch in ARABIC_INDIC for ch in text):
        return True
    return (is_unit_word(previous) or is_date_word(previous)) \
        and not all(ch in _ASCII_DIGITS for ch in text)


def is_grouped_candidate(text: str, previous: str) -> bool:
    """Whether a word is digit groups with separators between them — a date ("٢٠١٢/٥/١") or a
    reference number ("٧١١٢/٢٤٨") — to be read again: one that holds an Arabic-Indic digit,
    or follows a date word and is not plain ASCII digits; or a date of Arabic-Indic digits
    whose year has five (`_YEAR_DIGIT_TOO_MANY`)."""
    if _YEAR_DIGIT_TOO_MANY.fullmatch(text):
        return True
    if not _GROUPED.fullmatch(text) or all(ch in _ASCII_DIGITS + SEPARATORS for ch in text):
        return False
    return any(ch in ARABIC_INDIC for ch in text) or is_date_word(previous)


def lookalike_kind(text: str) -> str | None:
    """For a word of an Arabic line: "number" or "grouped" when it is made of the Latin
    look-alikes of Arabic-Indic digits (and digits), at least one of them a look-alike, so
    that it is read again like a number or like digit groups; None otherwise."""
    if _LOOKALIKES.isdisjoint(text):
        return None
    if len(text) <= _MAX_GROUPED and _LOOKALIKE_GROUPED.fullmatch(text):
        return "grouped"
    if len(text) <= _MAX_LENGTH and _NUMBERISH_OR_LOOKALIKE.issuperset(text.replace(".", "")) \
            and not text.startswith("."):
        return "number"
    return None


def _crop(grey: np.ndarray, word: OcrWord, fence: tuple[int, int] | None = None
          ) -> tuple[int, np.ndarray]:
    """Where the crop of the word's characters starts on the page, and the crop: the span of
    their boxes, widened to take in whole the glyphs it cuts through (Tesseract's box for the
    first or last digit sometimes stops inside it: a ٢ whose left half is cut off is read as
    a ١). A glyph beyond the span is not taken in, however near: that is the next word's.

    With a `fence` (the nearest edges of the other words of the line, left and right), a
    glyph of the digits' height wholly outside the span but inside the fence, within a
    glyph's height of the span, is taken in too: one that Tesseract put in no word at all
    (the ٢ of ٢١٥ dropped, "١٥" read). The caller keeps such a reading only if it is digits.
    """
    lefts = [char.left for char in word.chars if char.left is not None]
    rights = [char.right for char in word.chars if char.right is not None]
    left, right = (min(lefts), max(rights)) if lefts and rights else (word.left, word.right)
    top, bottom = max(0, word.top - _PAD), min(grey.shape[0], word.bottom + _PAD)
    left, right = max(0, left - _PAD), min(grey.shape[1], right + _PAD)
    reach = bottom - top
    glyphs = _glyphs_in(grey, top, bottom, max(0, left - reach), right + reach)
    if glyphs:
        # (left, right, height) of each glyph; the height of one the window cuts (a table's
        # rule, a letter of the next line) counted as unknown: 0
        found_all = [(start, stop, lower - upper if top < upper and lower < bottom else 0)
                     for start, stop, upper, lower in glyphs]
        for (start, stop, _height), (_, _, upper, lower) in zip(found_all, glyphs, strict=True):
            if lower - upper <= max(3, reach // 6) and stop - start > 2 * reach:
                continue  # a table's rule the word's box reaches: no glyph of the word
            inside = min(stop, right) - max(start, left)
            if inside >= _CUT_GLYPH * (stop - start) and (start < left or stop > right):
                left, right = min(left, start - _PAD), max(right, stop + _PAD)
        if fence is not None:
            # a glyph's height each way beyond the span, as many times as digits may be lost
            # (`_LOST_DIGITS`: "١" read for ٢٩١)
            beyond = _glyphs_in(grey, top, bottom, max(fence[0], left - _LOST_DIGITS * reach),
                                min(fence[1], right + _LOST_DIGITS * reach))
            tall = [(start, stop) for start, stop, upper, lower in beyond
                    if top < upper and lower < bottom and _LOST_GLYPH_HEIGHT
                    <= (lower - upper) / max(1, word.bottom - word.top) <= _SURE_SLASH_HEIGHT]
            # (wholly outside the span: beyond its padding, touching it at most)
            for start, stop in sorted(tall, key=lambda glyph: -glyph[1]):  # nearest first
                if fence[0] <= start and stop <= left + _PAD and left - stop <= reach:
                    left = start - _PAD
            for start, stop in sorted(tall):
                if right - _PAD <= start and stop <= fence[1] and start - right <= reach:
                    right = stop + _PAD
    left = max(0, left)
    return left, grey[top:bottom, left:min(grey.shape[1], right)]


def _glyphs_in(grey: np.ndarray, top: int, bottom: int, left: int, right: int
               ) -> list[tuple[int, int, int, int]]:
    """The glyphs (connected ink) of a window of the page, each as (left, right, top, bottom)
    on the page, in the order `ndimage.find_objects` gives them."""
    window = grey[top:bottom, left:min(grey.shape[1], right)]
    if window.size == 0:
        return []
    labels, _ = ndimage.label(window <= otsu(window), structure=_EIGHT_CONNECTED)
    return [(left + found[1].start, left + found[1].stop, top + found[0].start,
             top + found[0].stop) for found in ndimage.find_objects(labels) if found is not None]


def _reread_number(word: OcrWord, glyphs: _Glyphs) -> OcrWord | None:
    """A number read again, every glyph a digit; None when a glyph is like no digit."""
    offset, crop, boxes = glyphs
    if not boxes or len(boxes) > _MAX_LENGTH:
        return None
    return _read_between(crop, word, offset, boxes, {})


def _reread_groups(word: OcrWord, glyphs: _Glyphs, separators: str = "") -> OcrWord | None:
    """A date or reference number read again: the separators Tesseract read (or
    `separators`, in the order of the page) are found among the glyphs of the word (its boxes
    for them are often too wide and take in a digit), and the digits between them are read
    glyph by glyph, their geometry taken against all the digits of the word; None when a
    glyph is like no digit."""
    # the separators in the order they stand on the page, like the glyphs
    separators = separators or "".join(char.text for char in sorted(
        word.chars, key=lambda char: char.left or 0) if char.text in SEPARATORS)
    offset, crop, boxes = glyphs
    if len(boxes) > _MAX_GROUPED or len(boxes) < 2 * len(separators) + 1:
        return None
    at = _separator_glyphs(crop, boxes, separators)
    if at is None:
        return None
    return _read_between(crop, word, offset, boxes, dict(zip(at, separators, strict=True)))


def _reread_unread(word: OcrWord, glyphs: _Glyphs) -> OcrWord | None:
    """A word of an Arabic line that Tesseract could make nothing of (`is_unread`) read again
    as a number or as digit groups, its separators told by their size and shape alone; None
    when a glyph is like no digit or the digits do not make a number or a date."""
    offset, crop, boxes = glyphs
    mark = len(boxes) > 2 and _is_year_mark(crop, boxes[0])
    number = boxes[1:] if mark else boxes  # the glyphs of the number itself
    if not 2 <= len(number) <= _MAX_GROUPED:
        return None
    at = _guessed_separators(crop, number)
    if at is None or (not at and len(number) > _MAX_LENGTH):
        return None
    new = _read_between(crop, word, offset, number, at)
    if new is None or not (new.text.isdigit() or _GROUPED.fullmatch(new.text)):
        return None
    if mark:  # after the year in reading order, on its left on the page
        new = replace(new, chars=(OcrChar(YEAR_MARK, offset + boxes[0][0],
                                          offset + boxes[0][2]), *new.chars))
    return None if new.text == persian_forms_to_arabic(word.text) else new


def _is_year_mark(grey: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Whether a glyph is more like the م written after a Gregorian year than like any
    digit."""
    templates = digit_templates()
    if templates is None:
        return False
    glyph = shape(grey, box, TEMPLATE_SHAPE)[None, :]
    to_mark = templates.sign_distances(glyph, YEAR_MARK)
    return to_mark is not None and bool(to_mark[0] < templates.shape_distances(glyph).min())


def _word_glyphs(grey: np.ndarray, word: OcrWord, fence: tuple[int, int] | None = None
                 ) -> _Glyphs:
    """Where the word's crop starts on the page, the crop, and its glyphs left to right (what
    each way of reading the word again starts from)."""
    offset, crop = _crop(grey, word, fence)
    if crop.size == 0:
        return offset, crop, []
    crop = _without_rules(crop)
    return offset, crop, _glyph_boxes(crop <= otsu(crop))


# how the kinds of `reread_numbers` that say why a word is read again are read
_READ_AS = {"european": "number", "european date": "grouped", "day": "number"}
_RULE_ROW = 0.8  # of the crop's width inked: a table's rule, not a stroke of a digit
_RULE_COLUMN = 0.9  # of the crop's height inked: a rule (a digit has the padding's margin)


def _without_rules(crop: np.ndarray) -> np.ndarray:
    """The crop with a table's rules whitened: the rows of one that runs across its top or
    bottom quarter (digits that stand on it would be one glyph with it), and the columns of
    one that runs from its top to its bottom, through the padding around the word's box (the
    rule between two cells; a digit stands within the box)."""
    height, width = crop.shape
    if width < 1.5 * height:
        return crop  # one or two digits: a full row may be a stroke of one
    ink = crop <= otsu(crop)
    rows = np.flatnonzero(ink.mean(axis=1) >= _RULE_ROW)
    rows = rows[(rows < height / 4) | (rows >= height * 3 / 4)]
    # a rule runs on through the padding above and below the word's box, which a digit as
    # tall as the box does not reach
    columns = np.flatnonzero((ink.mean(axis=0) >= _RULE_COLUMN) & ink[:_PAD].any(axis=0)
                             & ink[-_PAD:].any(axis=0))
    if rows.size == 0 and columns.size == 0:
        return crop
    clean = crop.copy()
    clean[rows] = 255
    clean[:, columns] = 255
    return clean


def _read_between(crop: np.ndarray, word: OcrWord, offset: int,
                  boxes: list[tuple[int, int, int, int]], at: dict[int, str]) -> OcrWord | None:
    """The word made of the glyphs `boxes` of its crop: the separators `at` (glyph index ->
    separator) and the others read as digits against all the digits; None when a glyph is
    like no digit or the reading is Tesseract's."""
    digit_boxes = [box for index, box in enumerate(boxes) if index not in at]
    digits = _match_digits(crop, digit_boxes, digit_boxes)
    if digits is None:
        return None
    read = iter(digits)
    chars = []
    for index, box in enumerate(boxes):
        if index in at:
            chars.append(OcrChar(at[index], offset + box[0], offset + box[2]))
        else:
            digit, left, right = next(read)
            chars.append(OcrChar(digit, offset + left, offset + right))
    new = OcrWord(tuple(chars), word.left, word.right, word.confidence, word.top, word.bottom,
                  word.right_to_left)
    return None if new.text == persian_forms_to_arabic(word.text) else new


def _fence(line: OcrLine, word: OcrWord) -> tuple[int, int]:
    """The nearest edges of the line's other words to the left and right of a word."""
    others = [other for other in line.words if other is not word]
    return (max((other.right for other in others if other.right <= word.left), default=0),
            min((other.left for other in others if other.left >= word.right),
                default=1 << 30))


def reread_numbers(page: Image.Image | Path | PageGrey, lines: list[OcrLine],
                   ) -> tuple[list[OcrLine], list[tuple[OcrWord, OcrWord]]]:
    """The lines with the numbers, dates and reference numbers read again from the page
    image, and each (before, after) pair of words that changed. `page` is the image
    Tesseract read (or its file, or a `PageGrey` of it)."""
    page_grey = page if isinstance(page, PageGrey) else PageGrey(page)
    if digit_templates() is None:
        return lines, []
    # each word to read again: how ("number", "grouped", or "unread": see `is_unread`), the
    # separators to seek ("" for those Tesseract read), and whether Tesseract's reading was
    # Latin look-alikes or signs on an Arabic line (then read again as unread if need be)
    wanted: list[tuple[OcrWord, str, str, bool]] = []
    fences: dict[int, tuple[int, int]] = {}  # of the numbers after unit words: see `_crop`
    changed: dict[int, OcrWord] = {}
    pairs: list[tuple[OcrWord, OcrWord]] = []
    days: list[tuple[OcrWord, OcrWord, tuple[int, int]]] = []  # see `_lost_day`
    month_of: dict[int, OcrWord] = {}  # the word after a month name -> the month name
    indic_page = _writes_indic_digits(lines)
    joined: set[int] = set()  # words read as part of the word on their left (`_split_dates`)
    # a date word, the words without letters after it, and the word after those (`_date_span`)
    date_spans: list[tuple[OcrWord, list[OcrWord], OcrWord | None]] = []
    for line in lines:
        if not line.right_to_left():
            continue
        for left_word, right_word in _split_date_candidates(line):
            if id(left_word) in joined:  # already the right half of a date on its left
                continue
            whole = _read_split_date(page_grey(), left_word, right_word)
            if whole is not None:
                before, date = whole
                changed[id(left_word)] = date
                joined.add(id(right_word))  # left out of the line below
                pairs.append((before, date))
    last_line: OcrLine | None = None
    for line in lines:
        # a number that starts a line follows the last word of the line before it, in the
        # same paragraph ("... واحتجز في الفرع" / "٢١٥ حيث ...")
        previous = _last_word(last_line, changed) if last_line is not None \
            and last_line.paragraph == line.paragraph else ""
        last_line = line
        previous_word: OcrWord | None = None
        arabic_line = line.right_to_left()
        branch_number = None
        if arabic_line and (letterhead := letterhead_branch(line)) is not None:
            misread, branch, branch_number = letterhead
            changed[id(misread)] = branch
            pairs.append((misread, branch))
        ordered = [word for word in reading_order(line) if id(word) not in joined]
        if arabic_line:
            for month, named in _months_without_alef(ordered):
                changed[id(month)] = named
                pairs.append((month, named))
        for index, word in enumerate(ordered):
            text = persian_forms_to_arabic(changed.get(id(word), word).text)
            following = persian_forms_to_arabic(changed.get(
                id(ordered[index + 1]), ordered[index + 1]).text) if index + 1 < len(ordered) \
                else ""
            if arabic_line and _MONTH_WORD.fullmatch(text):
                if wanted and wanted[-1][0] is previous_word \
                        and wanted[-1][1] in ("number", "day"):
                    fences[id(previous_word)] = _fence(line, previous_word)  # the day
                elif not any(ch.isdigit() for ch in previous) \
                        and (year := _year_after(ordered, index)) is not None:
                    days.append((word, year, _fence(line, word)))
                if (after := _after_month(ordered, index)) is not None:
                    month_of[id(after)] = word  # the year, perhaps cut short: `_year_rest`
            if arabic_line and (is_date_word(text) or is_misread_date_word(text)):
                # the words without letters after it, judged as read again where they were;
                # the span keeps Tesseract's words
                count = sum(1 for _ in itertools.takewhile(_undated, (
                    changed.get(id(other), other) for other in ordered[index + 1:])))
                if count:
                    end = index + 1 + count
                    unlettered = ordered[index + 1:end]
                    date_spans.append((word, unlettered,
                                       ordered[end] if end < len(ordered) else None))
            if id(word) in changed:
                pass  # the branch word of a letterhead: the number after it follows a unit word
            elif is_number_candidate(text, previous):
                wanted.append((word, "number", "", False))
            elif is_grouped_candidate(text, previous):
                wanted.append((word, "grouped", "", False))
            elif _SLASH_READ_AS_DIGIT.fullmatch(text):
                wanted.append((word, "grouped", "//", False))
            elif arabic_line and (kind := lookalike_kind(text)) is not None:
                wanted.append((word, kind, "", True))
            elif arabic_line and (is_unread(text) or is_malformed_groups(text)):
                wanted.append((word, "unread", "", True))
            elif word is branch_number and not (text.isascii() and text.isdigit()):
                wanted.append((word, "number", "", True))  # "1\\0" for ٢١٥
            elif arabic_line and indic_page and (is_unit_word(previous) or word is branch_number) \
                    and text.isascii() and text.isdigit() and len(text) <= _MAX_LENGTH:
                wanted.append((word, "european", "", False))  # "10" for ٢١٥: see below
            elif arabic_line and indic_page and text.isascii() and _GROUPED.fullmatch(text) \
                    and not is_plausible_date(text):
                wanted.append((word, "european date", "", False))  # "1/0/0" for ٢٠١٣/٧/٢٥
            elif arabic_line and _MONTH_WORD.fullmatch(following) and (
                    indic_page and text.isascii() and text.isdigit() and len(text) <= 2
                    or text == _HEH):
                # "1 كانون الأول" for ٦ on a page of Arabic-Indic digits, "ه" for ٥: see below
                wanted.append((word, "day", "", False))
            if wanted and wanted[-1][0] is word and wanted[-1][1] in ("number", "european") \
                    and is_unit_word(previous):
                fences[id(word)] = _fence(line, word)
            previous, previous_word = text, word
    if not wanted and not changed and not days and not date_spans:
        return lines, []
    grey = page_grey() if wanted or days or date_spans else np.zeros((0, 0), np.uint8)
    for word, how, separators, unread in wanted:
        glyphs = _word_glyphs(grey, word)
        if id(word) in month_of:
            glyphs = _left_of(glyphs, month_of[id(word)].left)
        if how in ("european", "european date") and len(glyphs[2]) <= len(word.text):
            # European digits on a page of Arabic-Indic ones, after a unit word or in groups
            # that make no date, are read again only when the word has more glyphs than
            # Tesseract read signs ("10" over the three glyphs of ٢١٥, "1/0/0" over the nine
            # of ٢٠١٣/٧/٢٥): typed "الفرع 251" is read right
            continue
        # European digits before a month name ("1 كانون الأول" for ٦) are read again whatever
        # their glyphs; such a day, and such a date, are kept only if they make one
        as_date, as_day = how == "european date", how == "day"
        how = _READ_AS.get(how, how)
        read_wider = None  # the number with a digit Tesseract left out of every word
        if id(word) in fences:
            wider = _word_glyphs(grey, word, fences[id(word)])
            if wider[1].shape[1] > glyphs[1].shape[1]:  # (a sliver of it may be in both)
                read_wider = _reread_number(word, wider)
                glyphs = wider if read_wider is not None else glyphs
        if how == "unread":
            new = _reread_unread(word, glyphs)
        elif how == "grouped":
            new = _reread_groups(word, glyphs, separators)
        else:
            new = read_wider or _reread_number(word, glyphs)
        if new is not None and not separators and _SLASH_READ_AS_DIGIT.fullmatch(new.text):
            new = _reread_groups(word, glyphs, "//") or new
        if how != "unread":
            # Latin look-alikes that could not be read as such; or a slash read as a ١
            # ("٢٠١٢/٨١١١", "٣١٩١٢٠١٢"), which the glyphs' sizes tell
            guessed = _reread_unread(word, glyphs)
            if guessed is not None and (new is None and unread or _separator_count(
                    guessed.text) > _separator_count((new or word).text)):
                new = guessed
        if id(word) in month_of and not _YEAR.fullmatch(persian_forms_to_arabic(
                (new or word).text)):
            new = _year_rest(grey, word, glyphs, month_of[id(word)]) or new
        if as_day and new is not None and not (new.text.isdigit() and 1 <= int(new.text) <= 31):
            new = None
        if as_date and new is not None and not is_plausible_date(new.text):
            new = None
        if how == "unread" and new is not None and is_plausible_date(
                persian_forms_to_arabic(word.text).removesuffix(YEAR_MARK)) \
                and not is_plausible_date(new.text.removesuffix(YEAR_MARK)):
            new = None  # a date Tesseract read with its م is replaced only by a date
        if new is None:
            continue
        changed[id(word)] = new
        pairs.append((word, new))
    for date_word, unlettered, next_word in date_spans:
        read = [changed.get(id(other), other) for other in unlettered]
        if any(is_plausible_date(persian_forms_to_arabic(other.text).removesuffix(YEAR_MARK))
               for other in read):
            continue  # a date read already stands
        span = _date_span(grey, date_word, unlettered, next_word)
        if span is None:
            continue
        superseded = {id(other) for other in read}  # the words' own readings again
        pairs[:] = [pair for pair in pairs if id(pair[1]) not in superseded]
        changed[id(unlettered[0])] = span
        joined.update(id(other) for other in unlettered[1:])
        text = " ".join(persian_forms_to_arabic(other.text) for other in unlettered)
        pairs.append((OcrWord((OcrChar(text, span.left, span.right),), span.left, span.right,
                              span.confidence, span.top, span.bottom, True), span))
    found_days: dict[int, OcrWord] = {}  # month word -> the day found before it
    for month, year, fence in days:
        day = _lost_day(grey, month, year, fence)
        if day is not None:
            found_days[id(month)] = day
            pairs.append((replace(day, chars=()), day))
    if not changed and not found_days:
        return lines, []
    return [OcrLine(line.paragraph, tuple(
        new for word in line.words if id(word) not in joined
        for new in (changed.get(id(word), word), *_also(found_days, word))))
            for line in lines], pairs


def _undated(word: OcrWord) -> bool:
    """Whether a word after a date word may be a piece of its date: no Arabic letter (but
    the م of a year), and a digit, a look-alike of one or a Latin letter (a dash is none)."""
    text = persian_forms_to_arabic(word.text).removesuffix(YEAR_MARK)
    return not _ARABIC_LETTER.search(text) and any(
        ch in _NUMBERISH_OR_LOOKALIKE or ch.isalpha() for ch in text)


def _date_span(grey: np.ndarray, date_word: OcrWord, after: list[OcrWord],
               beyond: OcrWord | None) -> OcrWord | None:
    """A date Tesseract broke up or lost after a date word, read again whole: everything
    between the date word and the next word with letters (or, at the end of the line, as far
    again as two digits' height beyond the last word), read like an unread word, its
    separators told by their size and shape ("بتار ۳ ... من" for بتاريخ ١٨/٧/٢٠١٢ من; "التارج:
    ۱۲ A" for ٩/١٢/٢٠١٢م); None unless that makes a date (`is_plausible_date`)."""
    top, bottom = min(word.top for word in after), max(word.bottom for word in after)
    height = bottom - top
    right = date_word.left - _PAD - 1
    # the next word's box often reaches over the date's first glyph ("من" over the ١ of
    # ١٨/٧/٢٠١٢): reaching half a digit's height into it is tried first, a letter taken in
    # being like no digit, or making no date (but the alef of a word after a date whose
    # first group is one digit, "٧/١١/٢٠١٤ الساعة", would make it ١٧: this is tried only
    # where Tesseract's own words made no date)
    lefts = [beyond.right - height // 2, beyond.right + _PAD + 1] if beyond is not None \
        else [max(0, min(word.left for word in after) - 2 * height)]
    for left in lefts:
        if right - left < height:
            continue
        span = OcrWord((OcrChar("", left, right),), left, right,
                       min(word.confidence for word in after), top, bottom, True)
        new = _reread_unread(span, _word_glyphs(grey, span))
        if new is not None and beyond is not None and new.chars[0].text == YEAR_MARK \
                and (new.chars[0].left or 0) < lefts[-1]:
            new = replace(new, chars=new.chars[1:])  # a letter of the next word ("تم")
        if new is not None and is_plausible_date(new.text.removesuffix(YEAR_MARK)):
            return new
    return None


def _last_word(line: OcrLine, changed: dict[int, OcrWord]) -> str:
    """The text of the last word of a right-to-left line in reading order ("" for another
    line), as read again when it was."""
    if not line.right_to_left() or not line.words:
        return ""
    word = reading_order(line)[-1]
    return persian_forms_to_arabic(changed.get(id(word), word).text)


def _split_date_candidates(line: OcrLine) -> Iterator[tuple[OcrWord, OcrWord]]:
    """Side by side words of a right-to-left line that may be one date Tesseract cut in two
    ("١٣/٧/٥ ٢٠" for ٢٠١٣/٧/٥, "٠/٢٠١٣ ٣٠/١" for ٣٠/١٠/٢٠١٣), left one first: no Arabic
    letter in either (but the م of a year ending the left one), a digit or a look-alike of
    one in each, two separators between them (or fewer, one word Latin signs Tesseract made
    of what it could not read, `is_unread`, and the other too, or look-alikes, or digits and
    separators: "FAA ٠١٣" for ٢٨/٩/٢٠١٣, "P/V \\4" for ٣٠/٧/٢٠١٤, "TAG ١/م" for
    ٢٩/١١/٢٠١٤م), no wider apart than a digit is high."""
    words = sorted(line.words, key=lambda word: word.left)
    for left_word, right_word in zip(words, words[1:], strict=False):
        texts = [persian_forms_to_arabic(word.text) for word in (left_word, right_word)]
        if texts[0].endswith(YEAR_MARK):
            texts[0] = texts[0][:-1]
        if not all(texts) or any(len(text) > _MAX_GROUPED or _ARABIC_LETTER.search(text)
                                 or _NUMBERISH_OR_LOOKALIKE.isdisjoint(text) for text in texts):
            continue
        height = max(left_word.bottom - left_word.top, right_word.bottom - right_word.top)
        separators = _separator_count(texts[0] + texts[1])
        if (separators == 2 or separators < 2 and any(map(is_unread, texts)) and all(
                is_unread(text) or lookalike_kind(text) or _DIGITS_AND_SEPARATORS.issuperset(text)
                for text in texts)) \
                and 0 <= right_word.left - left_word.right <= height:
            yield left_word, right_word


def _read_split_date(grey: np.ndarray, left_word: OcrWord, right_word: OcrWord
                     ) -> tuple[OcrWord, OcrWord] | None:
    """The two words of `_split_date_candidates` read again from the glyphs as one: (what
    Tesseract read, in reading order, as one word; the date), or None unless every glyph is a
    digit or a separator and they make a date (`is_plausible_date`). Never when either word
    is, or reads again as, a date of its own: a date beside a number ("٢ ١/٥/٢٠١٣") is two
    words; unless the number ends in the م of a Gregorian year ("٥/٨/٢٠١٢ ١م" for
    ١٥/٨/٢٠١٢م), which only a date's year takes: then the number is the date's first digit."""
    marked = persian_forms_to_arabic(left_word.text).endswith(YEAR_MARK)
    if not marked and any(_reads_as_date(grey, half) for half in (left_word, right_word)):
        return None
    chars = tuple(sorted(left_word.chars + right_word.chars, key=lambda char: char.left or 0))
    whole = OcrWord(chars, left_word.left, right_word.right,
                    min(left_word.confidence, right_word.confidence),
                    min(left_word.top, right_word.top), max(left_word.bottom, right_word.bottom),
                    True)
    new = _date_reading(grey, whole)
    if new is None and is_plausible_date(persian_forms_to_arabic(whole.text)):
        new = whole  # both halves read right: only the space between them was wrong
    if new is None:
        return None
    read = f"{persian_forms_to_arabic(right_word.text)} {persian_forms_to_arabic(left_word.text)}"
    before = OcrWord((OcrChar(read, whole.left, whole.right),), whole.left, whole.right,
                     whole.confidence, whole.top, whole.bottom, True)
    return before, new


def _date_reading(grey: np.ndarray, word: OcrWord) -> OcrWord | None:
    """The word read again as digit groups, or as an unread word, when that makes a date."""
    glyphs = _word_glyphs(grey, word)
    return next((reading for reading in (_reread_groups(word, glyphs),
                                         _reread_unread(word, glyphs))
                 if reading is not None and is_plausible_date(reading.text)), None)


def _reads_as_date(grey: np.ndarray, word: OcrWord) -> bool:
    return is_plausible_date(persian_forms_to_arabic(word.text)) \
        or _date_reading(grey, word) is not None


_DATE_GROUPS = re.compile(f"([{ARABIC_INDIC}0-9]{{1,4}})([/.-])([{ARABIC_INDIC}0-9]{{1,2}})\\2"
                          f"([{ARABIC_INDIC}0-9]{{1,4}}){YEAR_MARK}?")


def is_plausible_date(text: str) -> bool:
    """Whether a reading is a whole numeric date: a year of four digits (1900-2099) at
    either end, a month and a day of one or two digits."""
    found = _DATE_GROUPS.fullmatch(text)
    if found is None:
        return False
    first, month, last = (int(group) for group in found.group(1, 3, 4))
    year, day = (first, last) if len(found.group(1)) == 4 else (last, first)
    if len(found.group(1)) == len(found.group(4)) or min(len(found.group(1)),
                                                          len(found.group(4))) > 2:
        return False
    return 1900 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= 31


def _writes_indic_digits(lines: list[OcrLine]) -> bool:
    """Whether Tesseract read more Arabic-Indic (or Persian) digits on the page than
    European ones."""
    indic = european = 0
    for line in lines:
        for word in line.words:
            for char in word.chars:
                for ch in char.text:
                    if "0" <= ch <= "9":
                        european += 1
                    elif ch.isdigit():
                        indic += 1
    return indic > european


def _also(found: dict[int, OcrWord], word: OcrWord) -> tuple[OcrWord, ...]:
    day = found.get(id(word))
    return () if day is None else (day,)


def _months_without_alef(ordered: list[OcrWord]) -> Iterator[tuple[OcrWord, OcrWord]]:
    """The month name أيار that Tesseract read without its alef ("ه يار ٢٠١٣" for ٥ أيار
    ٢٠١٣, "يار ٢٠١٤" for ٢٩ أيار ٢٠١٤, its day in no word), before a year (digits, as
    Tesseract read them), with the word أيار in its place."""
    texts = [persian_forms_to_arabic(word.text) for word in ordered]
    for index in range(len(ordered) - 1):
        if texts[index] == _MAY_WITHOUT_ALEF and 2 <= len(texts[index + 1]) <= _MAX_LENGTH \
                and any(ch.isdigit() for ch in texts[index + 1]) \
                and all(ch in _NUMBERISH for ch in texts[index + 1]):
            word = ordered[index]
            yield word, OcrWord((OcrChar(_MAY, word.position, word.right),), word.left,
                                word.right, word.confidence, word.top, word.bottom,
                                word.right_to_left)


def _after_month(ordered: list[OcrWord], index: int) -> OcrWord | None:
    """The word after the month name that starts at ``ordered[index]``."""
    at = index + 1
    if at < len(ordered) and _MONTH_SECOND_WORD.fullmatch(persian_forms_to_arabic(
            ordered[at].text)):
        at += 1  # تشرين الأول, كانون الثاني
    return ordered[at] if at < len(ordered) else None


def _year_after(ordered: list[OcrWord], index: int) -> OcrWord | None:
    """The year after the month name that starts at ``ordered[index]``, when Tesseract read
    one: four digits, perhaps with the م of a Gregorian year, or more digits, some of them
    misread ("٢٠١٣٢٤٣" over the four glyphs of ٢٠١٣: it is read again)."""
    word = _after_month(ordered, index)
    if word is None:
        return None
    text = persian_forms_to_arabic(word.text)
    if _YEAR.fullmatch(text) or text.isdigit() and 4 <= len(text) <= _MAX_LENGTH:
        return word
    return None


def _left_of(glyphs: _Glyphs, edge: int) -> _Glyphs:
    """The glyphs of a word that end left of `edge` on the page: a year's box that Tesseract
    stretched over the month name before it ("١٣ أيار ٢٠١٤", the year's box over the letters
    of أيار, which no digit is like) is read without the month name's letters."""
    offset, crop, boxes = glyphs
    kept = [box for box in boxes if offset + box[2] <= edge + _PAD]
    return glyphs if len(kept) == len(boxes) else (offset, crop, kept)


def _year_rest(grey: np.ndarray, year: OcrWord, glyphs: _Glyphs, month: OcrWord
               ) -> OcrWord | None:
    """A year after a month name read again with the digits Tesseract put in the month
    name's box ("٤ تموز ٢٠" for ٤ تموز ٢٠١٣: the ١ and ٣ right of the ٢٠, under the box of
    the ز): the glyphs right of the year's, up to the month name, standing on the year's
    digits' line and as tall (a letter of the month name stands lower), each within a
    digit's height of the one before, read with them; None unless that makes a year of four
    digits (1900-2099)."""
    offset, crop, boxes = glyphs
    tall = [box for box in boxes if box[3] - box[1] >= _LOST_GLYPH_HEIGHT * max(
        b[3] - b[1] for b in boxes)] if boxes else []
    if not tall or len(boxes) >= 4:
        return None
    crop_top = max(0, year.top - _PAD)
    upper_edge = crop_top + int(np.median([box[1] for box in tall]))
    lower_edge = crop_top + int(np.median([box[3] for box in tall]))
    height = lower_edge - upper_edge
    if height <= 0:
        return None
    top, bottom = max(0, upper_edge - height // 2), min(grey.shape[0], lower_edge + height // 2)
    edge = offset + max(box[2] for box in boxes)
    right = min(grey.shape[1], month.right, edge + 4 * height)
    taken = _digits_beside(
        grey, (top, bottom, edge, right), height, upper_edge,
        lambda upper, lower: max(abs(upper - upper_edge), abs(lower - lower_edge))
        <= _YEAR_ALIGNED * height)  # a letter of the month name stands lower
    if not taken or len(boxes) + len(taken) > 4:
        return None
    top = min(crop_top, min(g[2] for g in taken) - _PAD)
    bottom = max(min(grey.shape[0], year.bottom + _PAD), max(g[3] for g in taken) + _PAD)
    wider = grey[max(0, top):min(grey.shape[0], bottom), offset:min(grey.shape[1],
                                                                    taken[-1][1] + _PAD)]
    wider = _without_rules(wider)
    new = _reread_number(year, (offset, wider, _glyph_boxes(wider <= otsu(wider))))
    if new is None or not (len(new.text) == 4 and new.text.isdigit()
                           and 1900 <= int(new.text) <= 2099):
        return None
    return new


def _digits_beside(grey: np.ndarray, window: tuple[int, int, int, int], height: int,
                   line_top: int, is_digit: Callable[[int, int], bool]
                   ) -> list[tuple[int, int, int, int]]:
    """The glyphs that Tesseract put in no word right of ``edge``, within ``window`` (top,
    bottom, edge, right on the page), nearest first: each within a digit's ``height`` of the
    one before, one that ``is_digit`` takes by its top and bottom, or a ٠ (a dot at mid-height
    of the digits, whose top is ``line_top``) after one. They end at a glyph the window cuts
    (a rule, a letter of the next word) or at a letter; specks are passed. Each glyph as
    (left, right, top, bottom) on the page."""
    top, bottom, edge, right = window
    taken: list[tuple[int, int, int, int]] = []
    for start, stop, upper, lower in sorted(_glyphs_in(grey, top, bottom, edge + 1, right)):
        if start - edge > height:
            break
        if upper == top or lower == bottom or stop == right:
            break  # cut by the window
        size = lower - upper
        if not is_digit(upper, lower):
            centre = ((upper + lower) / 2 - line_top) / height
            if not (taken and max(size, stop - start) <= _DOT_SIZE * height
                    and _DOT_CENTRE[0] <= centre <= _DOT_CENTRE[1]):  # ٠ after a digit
                if size > height * _LOST_GLYPH_HEIGHT / 2:
                    break  # a letter
                continue  # a speck
        taken.append((start, stop, upper, lower))
        edge = stop
    return taken


def _lost_day(grey: np.ndarray, month: OcrWord, year: OcrWord, fence: tuple[int, int]
              ) -> OcrWord | None:
    """The day of a date whose month name and year Tesseract read but whose day it put in no
    word ("١٦ أيلول ٢٠١٢" read "أيلول ٢٠١٢", the day in a table cell beside the rule): one or
    two glyphs of the year's height right of the month name (before it in reading order),
    each within a digit's height of the one before, up to the next word, read as digits; None
    unless they make a day of the month."""
    height = year.bottom - year.top
    if height <= 0:
        return None
    top, bottom = max(0, year.top - height // 2), min(grey.shape[0], year.bottom + height // 2)
    right = min(grey.shape[1], fence[1], month.right + 4 * height)
    taken = _digits_beside(
        grey, (top, bottom, month.right, right), height, year.top,
        lambda upper, lower: _LOST_GLYPH_HEIGHT <= (lower - upper) / height <= _SURE_SLASH_HEIGHT)
    if not 1 <= len(taken) <= 2:
        return None
    offset = max(0, taken[0][0] - _PAD)
    crop = grey[max(0, min(g[2] for g in taken) - _PAD):
                min(grey.shape[0], max(g[3] for g in taken) + _PAD),
                offset:min(grey.shape[1], taken[-1][1] + _PAD)]
    probe = OcrWord((), taken[0][0], taken[-1][1], month.confidence, year.top, year.bottom,
                    True)
    day = _reread_number(probe, (offset, crop, _glyph_boxes(crop <= otsu(crop))))
    if day is None or not day.text.isdigit() or not 1 <= int(day.text) <= 31:
        return None
    return day
