"""Em dashes that Tesseract's Arabic script model read as hyphens.

The script model has no em dash: it reads the one of "وثيقة اصطناعية — بيانات اختبار" as
"-". On the clean Arabic scans of the bench leaks (bench/bench_ocr.py) that was the
commonest character error of all, after the digits: 63 of the 559 of one leak. The dash's
length tells them apart. The em dash of the Arabic faces is 0.87-0.99 of the height of their
words, the en dash 0.57-0.62 and the hyphen 0.33-0.38 (Amiri, Noto Sans Arabic, DejaVu
Sans), so a dash that stands alone as a word and whose ink is as long as EM_DASH_WIDTH times
the height of its line's words is written "—". The ink is measured on the page: Tesseract's
box for a dash is often shorter than the dash (9 pixels of 17).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from dossier.ingest.ocr_glyphs import otsu
from dossier.ingest.ocr_lines import OcrChar, OcrLine, OcrWord
from dossier.ingest.ocr_page import PageGrey

EM_DASH = "—"
EM_DASH_WIDTH = 0.7  # of the height of the line's words
_DASHES = frozenset("-–")
_BAND = 2  # pixels above and below the box of a dash, which is a pixel or two high


def em_dashes(lines: list[OcrLine], page: PageGrey
              ) -> tuple[list[OcrLine], list[tuple[OcrWord, OcrWord]]]:
    """The right-to-left lines with their em dashes read as such (the Latin models read
    theirs, and their en dashes), and each (before, after) pair of words changed. The page
    is decoded only when such a line has a dash alone."""
    out: list[OcrLine] = []
    pairs: list[tuple[OcrWord, OcrWord]] = []
    for line in lines:
        heights = sorted(word.bottom - word.top for word in line.words
                         if any(ch.isalpha() for ch in word.text))
        if not heights or not line.right_to_left() \
                or not any(word.text in _DASHES for word in line.words):
            out.append(line)
            continue
        height = heights[len(heights) // 2]
        words = []
        for word in line.words:
            if word.text in _DASHES \
                    and _ink_length(page(), word, line) >= EM_DASH_WIDTH * height:
                dash = replace(word, chars=(OcrChar(EM_DASH, word.left, word.right),))
                pairs.append((word, dash))
                word = dash
            words.append(word)
        out.append(OcrLine(line.paragraph, tuple(words)))
    return out, pairs


def _ink_length(grey: np.ndarray, dash: OcrWord, line: OcrLine) -> int:
    """How long the ink of a dash runs, in pixels: the inked columns of the rows of its box
    (and a band around them) that run on from its box, up to the next words' boxes."""
    left = max((word.right for word in line.words
                if word is not dash and word.right <= dash.left), default=0)
    right = min((word.left for word in line.words
                 if word is not dash and word.left >= dash.right), default=grey.shape[1])
    top, bottom = max(0, dash.top - _BAND), min(grey.shape[0], dash.bottom + 1 + _BAND)
    band = grey[top:bottom, left:right]
    if band.size == 0 or dash.right <= dash.left:
        return dash.right - dash.left
    inked: np.ndarray = np.asarray((band <= otsu(band)).any(axis=0))
    start, stop = dash.left - left, dash.right - left
    columns = np.flatnonzero(inked[start:stop])
    if not len(columns):
        return dash.right - dash.left
    first, last = start + int(columns[0]), start + int(columns[-1])
    while first > 0 and inked[first - 1]:
        first -= 1
    while last + 1 < len(inked) and inked[last + 1]:
        last += 1
    return last - first + 1
