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
and each glyph is matched against the digits drawn in the Arabic fonts installed on the
machine (`DIGIT_FONTS`), by its normalised shape, its height and width against the tallest
glyph of the number, and its vertical position (٠ is a small dot at mid-height). Where the
word has as many glyphs as Tesseract read digits and Tesseract's digit is almost as close
as the best match, Tesseract's is kept. The new reading replaces Tesseract's only when every
glyph is close to some digit; otherwise the word is left as Tesseract read it.

Measured on the 69 Arabic scans of the bench: numbers after unit words 32/91 → 68/91 right.
The templates generalise across faces: drawn from Noto Sans Arabic alone (a face the demo
never uses) they read as many numbers right as from Amiri and Noto Naskh, the demo's own.
The cost is a few milliseconds per page (decoding the page image again when it came as a
file, and the matching).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from dossier.ingest.ocr_digits import (
    ARABIC_INDIC,
    CONFUSIONS,
    is_unit_word,
    persian_forms_to_arabic,
)
from dossier.ingest.ocr_lines import OcrChar, OcrLine, OcrWord, reading_order

# Faces whose Arabic-Indic digits are the templates, by file name; those not installed are
# skipped. Kufi and Sans are not used by the demo's documents, which keeps the measurement
# of how the templates generalise honest (see the module docstring).
DIGIT_FONTS = ("NotoSansArabic-Regular.ttf", "NotoKufiArabic-Regular.ttf", "Amiri-Regular.ttf",
               "NotoNaskhArabic-Regular.ttf", "DejaVuSans.ttf")
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
             "/Library/Fonts", "~/Library/Fonts", "C:/Windows/Fonts")
# Pixel sizes the templates are drawn at: the digits of 9-14 pt text scanned at 150-300 dpi.
_TEMPLATE_SIZES = (20, 24, 28, 34, 40)
_SHAPE = 16  # glyphs are compared as _SHAPE x _SHAPE images
# A glyph wider than this many times the number's tallest glyph is two digits run together
# (the widest single digit, ٧ or ٨, is 0.78).
_JOINED_WIDTH = 0.95
# A reading is accepted when every glyph is at most this far from a template (mean absolute
# difference of the shapes, plus the differences of the geometry); and Tesseract's digit is
# kept when it is within _TESSERACT_MARGIN of the best match. Both chosen on the bench.
_MAX_DISTANCE = 0.30
_TESSERACT_MARGIN = 0.02
_MAX_LENGTH = 8
_PAD = 2  # pixels around the characters' boxes
_ASCII_DIGITS = "0123456789"
_NUMBERISH = set(ARABIC_INDIC + _ASCII_DIGITS) | set(CONFUSIONS)


@dataclass(frozen=True)
class DigitTemplates:
    """The digits of the installed faces: one row per template."""

    labels: tuple[str, ...]
    shapes: np.ndarray  # (templates, _SHAPE * _SHAPE), ink 0..1
    geometry: np.ndarray  # (templates, 3): height, width, centre against the tallest digit
    fonts: tuple[str, ...]


def number_reader() -> str:
    """How numbers were read again, for the tool kept with an OCR page."""
    templates = digit_templates()
    fonts = ", ".join(templates.fonts) if templates else "no face"
    return f"dossier digit templates ({fonts})"


def _font_files() -> list[Path]:
    extra = [d for d in os.environ.get("DOSSIER_FONT_DIRS", "").split(os.pathsep) if d]
    found: dict[str, Path] = {}
    for folder in (Path(d).expanduser() for d in (*extra, *FONT_DIRS)):
        if not folder.is_dir():
            continue
        for name in DIGIT_FONTS:
            if name not in found:
                match = next(iter(sorted(folder.rglob(name))), None)
                if match is not None:
                    found[name] = match
    return [found[name] for name in DIGIT_FONTS if name in found]


def _shape(grey: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """The glyph in `box`, centred in a square (its proportions kept), as _SHAPE² ink values."""
    x0, y0, x1, y1 = box
    glyph = grey[y0:y1, x0:x1]
    height, width = glyph.shape
    side = max(height, width)
    square = np.full((side, side), 255, np.uint8)
    top, left = (side - height) // 2, (side - width) // 2
    square[top:top + height, left:left + width] = glyph
    small = Image.fromarray(square).resize((_SHAPE, _SHAPE), Image.Resampling.BILINEAR)
    return (1.0 - np.asarray(small, np.float32) / 255.0).ravel()


def _geometry(boxes: list[tuple[int, int, int, int]]) -> np.ndarray:
    tallest = max(box[3] - box[1] for box in boxes)
    top = min(box[1] for box in boxes)
    return np.array([[(y1 - y0) / tallest, (x1 - x0) / tallest, ((y0 + y1) / 2 - top) / tallest]
                     for x0, y0, x1, y1 in boxes], np.float32)


@cache
def digit_templates() -> DigitTemplates | None:
    """The ten digits drawn in every installed face of DIGIT_FONTS; None when none is."""
    labels: list[str] = []
    shapes: list[np.ndarray] = []
    geometry: list[np.ndarray] = []
    fonts = _font_files()
    for path in fonts:
        for size in _TEMPLATE_SIZES:
            face = ImageFont.truetype(str(path), size)
            canvas = Image.new("L", (size * 16, size * 3), 255)
            draw = ImageDraw.Draw(canvas)
            spans = []
            x = size
            for digit in ARABIC_INDIC:
                draw.text((x, size), digit, font=face, fill=0)
                spans.append(draw.textbbox((x, size), digit, font=face))
                x = int(spans[-1][2]) + size // 2
            grey = np.asarray(canvas)
            boxes = [_ink_box(grey < 128, (int(left), 0, int(right), grey.shape[0]))
                     for left, _, right, _ in spans]
            if any(box is None for box in boxes):
                continue
            kept = [box for box in boxes if box is not None]
            labels += ARABIC_INDIC
            shapes += [_shape(grey, box) for box in kept]
            geometry.append(_geometry(kept))
    if not labels:
        return None
    return DigitTemplates(tuple(labels), np.stack(shapes), np.concatenate(geometry),
                          tuple(path.name for path in fonts))


def _ink_box(ink: np.ndarray, box: tuple[int, int, int, int],
             ) -> tuple[int, int, int, int] | None:
    """The bounding box of the ink inside `box`, or None when there is none."""
    x0, y0, x1, y1 = box
    region = ink[y0:y1, x0:x1]
    rows = np.flatnonzero(region.any(axis=1))
    columns = np.flatnonzero(region.any(axis=0))
    if not len(rows) or not len(columns):
        return None
    return (x0 + int(columns[0]), y0 + int(rows[0]), x0 + int(columns[-1]) + 1,
            y0 + int(rows[-1]) + 1)


def _otsu(grey: np.ndarray) -> int:
    counts = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    below = np.cumsum(counts)
    weighted = np.cumsum(counts * np.arange(256))
    above = grey.size - below
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (weighted[-1] * below - weighted * grey.size) ** 2 / (below * above)
    return int(np.argmax(np.nan_to_num(between, nan=0.0, posinf=0.0)))


def _components(ink: np.ndarray, min_pixels: int = 3) -> list[tuple[int, int, int, int]]:
    """Bounding boxes of the 8-connected blobs of ink, specks left out."""
    height, width = ink.shape
    seen = np.zeros_like(ink)
    boxes = []
    for y_start, x_start in zip(*(axis.tolist() for axis in np.nonzero(ink)), strict=True):
        if seen[y_start, x_start]:
            continue
        seen[y_start, x_start] = True
        stack = [(y_start, x_start)]
        x0, y0, x1, y1, pixels = x_start, y_start, x_start, y_start, 0
        while stack:
            y, x = stack.pop()
            pixels += 1
            x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
            for ny in (y - 1, y, y + 1):
                for nx in (x - 1, x, x + 1):
                    if 0 <= ny < height and 0 <= nx < width and ink[ny, nx] \
                            and not seen[ny, nx]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
        if pixels >= min_pixels:
            boxes.append((x0, y0, x1 + 1, y1 + 1))
    return boxes


def _glyph_boxes(ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The glyphs of a number, left to right: blobs one above the other merged (a broken
    stroke), blobs too wide for one digit cut at their thinnest column."""
    merged: list[tuple[int, int, int, int]] = []
    for box in sorted(_components(ink)):
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
    tallest = max(box[3] - box[1] for box in merged)
    return [piece for box in merged for piece in _cut_joined(ink, box, tallest)]


def _cut_joined(ink: np.ndarray, box: tuple[int, int, int, int],
                tallest: int) -> Iterator[tuple[int, int, int, int]]:
    x0, y0, x1, y1 = box
    width = x1 - x0
    if width <= _JOINED_WIDTH * tallest or width < 4:
        yield box
        return
    profile = ink[y0:y1, x0:x1].sum(axis=0)
    low, high = int(width * 0.25), int(width * 0.75) + 1
    cut = x0 + low + int(np.argmin(profile[low:high]))
    for part in ((x0, y0, cut, y1), (cut, y0, x1, y1)):
        piece = _ink_box(ink, part)
        if piece is not None:
            yield from _cut_joined(ink, piece, tallest)


def read_digits(grey: np.ndarray, tesseract_digits: str = "",
                ) -> list[tuple[str, int, int]] | None:
    """The digits of the Arabic-Indic number in a greyscale crop (dark ink on light paper),
    left to right, each with the left and right edge of its glyph; None when a glyph is like
    no digit. `tesseract_digits`, Tesseract's digits for the crop in their left-to-right
    order, settle near ties (see the module docstring)."""
    templates = digit_templates()
    if templates is None or grey.size == 0:
        return None
    ink = grey <= _otsu(grey)
    boxes = _glyph_boxes(ink)
    if not boxes or len(boxes) > _MAX_LENGTH:
        return None
    shapes = np.stack([_shape(grey, box) for box in boxes])
    geometry = _geometry(boxes)
    # distance of every glyph to every template: mean shape difference + mean geometry one
    distances = (np.abs(shapes[:, None, :] - templates.shapes[None, :, :]).mean(axis=2)
                 + np.abs(geometry[:, None, :] - templates.geometry[None, :, :]).mean(axis=2))
    labels = np.array(templates.labels)
    aligned = len(tesseract_digits) == len(boxes)
    out = []
    for index, row in enumerate(distances):
        best = {digit: float(row[labels == digit].min()) for digit in ARABIC_INDIC}
        digit = min(best, key=best.__getitem__)
        if aligned and best.get(tesseract_digits[index], 9.0) <= best[digit] + _TESSERACT_MARGIN:
            digit = tesseract_digits[index]
        if best[digit] > _MAX_DISTANCE:
            return None
        out.append((digit, boxes[index][0], boxes[index][2]))
    return out


def is_number_candidate(text: str, previous: str) -> bool:
    """Whether a word Tesseract read (Persian forms made Arabic) should be read again: an
    Arabic-Indic number, perhaps with misread look-alikes, or anything number-like right
    after a unit word that is not plain ASCII digits (typed "الفرع 251" is read right)."""
    if not text or len(text) > _MAX_LENGTH or not all(ch in _NUMBERISH for ch in text):
        return False
    if any(ch in ARABIC_INDIC for ch in text):
        return True
    return is_unit_word(previous) and not all(ch in _ASCII_DIGITS for ch in text)


def _crop(grey: np.ndarray, word: OcrWord) -> tuple[int, np.ndarray]:
    """Where the crop of the word's characters starts on the page, and the crop."""
    lefts = [char.left for char in word.chars if char.left is not None]
    rights = [char.right for char in word.chars if char.right is not None]
    left, right = (min(lefts), max(rights)) if lefts and rights else (word.left, word.right)
    left = max(0, left - _PAD)
    return left, grey[max(0, word.top - _PAD):min(grey.shape[0], word.bottom + _PAD),
                      left:min(grey.shape[1], right + _PAD)]


def reread_numbers(page: Image.Image | Path, lines: list[OcrLine],
                   ) -> tuple[list[OcrLine], list[tuple[OcrWord, OcrWord]]]:
    """The lines with the numbers read again from the page image, and each (before, after)
    pair of words that changed. `page` is the image Tesseract read (or its file)."""
    if digit_templates() is None:
        return lines, []
    wanted: list[OcrWord] = []
    for line in lines:
        previous = ""
        for word in reading_order(line):
            text = persian_forms_to_arabic(word.text)
            if is_number_candidate(text, previous):
                wanted.append(word)
            previous = text
    if not wanted:
        return lines, []
    if isinstance(page, Image.Image):
        grey = np.asarray(page.convert("L"))
    else:
        with Image.open(page) as image:
            grey = np.asarray(image.convert("L"))
    changed: dict[int, OcrWord] = {}
    pairs: list[tuple[OcrWord, OcrWord]] = []
    for word in wanted:
        before = persian_forms_to_arabic(word.text)
        offset, crop = _crop(grey, word)
        digits = read_digits(crop, "".join(ch for ch in before if ch in ARABIC_INDIC))
        if digits is None or "".join(digit for digit, _, _ in digits) == before:
            continue
        new = OcrWord(tuple(OcrChar(digit, offset + left, offset + right)
                            for digit, left, right in digits),
                      word.left, word.right, word.confidence, word.top, word.bottom)
        changed[id(word)] = new
        pairs.append((word, new))
    if not changed:
        return lines, []
    return [OcrLine(line.paragraph, tuple(changed.get(id(word), word) for word in line.words))
            for line in lines], pairs
