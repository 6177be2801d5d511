"""The resolution of a page image, told to Tesseract rather than left for it to guess.

Tesseract sizes its layout analysis by the resolution of the image. A file that does not
say it (most PNG and JPEG scans, and TIFFs that say 1 dpi) leaves it to estimate one from the
text, and on the demo's scans of Arabic memos and forms it estimated badly: told the real
resolution, Dossier's character error rate on the 69 Arabic scans of `bench/bench_ocr.py`
went from 5.6 % to 5.4 % on clean scans and from 10.2 % to 7.2 % on degraded ones, and on
English degraded scans from 3.8 % to 0.9 % (bench/RESULTS.md, 2026-11-24).

The resolution, in order:
1. the one a rendered PDF page was rendered at (`pdf` stores it in the image's ``dpi``);
2. the one the file declares, when it is plausible for a scan (70 to 2,400 dpi, the same
   across and down);
3. for a picture whose shape is that of a whole A4, Letter or Legal page (within 1.5 %),
   its pixels across divided by the paper's width: the usual output of a document scanner;
4. none: Tesseract estimates it, as before (a photograph of a page, a cropped scan).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError

MIN_DPI = 70
MAX_DPI = 2400
# Paper formats as (short side, long side) in inches.
PAPER_INCHES = {"A4": (8.27, 11.69), "Letter": (8.5, 11.0), "Legal": (8.5, 14.0)}
SHAPE_TOLERANCE = 0.015
# An inferred resolution outside this range is more likely a picture that happens to have a
# page's shape than a scan.
INFERRED_RANGE = (100, 600)


def page_resolution(image: Image.Image | Path) -> int | None:
    """The resolution (dots per inch) to tell Tesseract for this page image, or None."""
    if isinstance(image, Image.Image):
        return _resolution(image)
    try:
        with Image.open(image) as opened:  # reads the header only
            return _resolution(opened)
    except (OSError, UnidentifiedImageError, ValueError):
        return None


def _resolution(image: Image.Image) -> int | None:
    declared = image.info.get("dpi")
    if declared:
        try:
            across, down = (float(value) for value in declared)
        except (TypeError, ValueError):
            across = down = 0.0
        if MIN_DPI <= across <= MAX_DPI and abs(across - down) <= 0.02 * across:
            return round(across)
    return inferred_from_paper(image.width, image.height)


def inferred_from_paper(width: int, height: int) -> int | None:
    """The resolution of a scan of a whole page of a common paper format, or None."""
    short, long = sorted((width, height))
    if short <= 0:
        return None
    for paper_short, paper_long in PAPER_INCHES.values():
        if abs(long / short - paper_long / paper_short) <= SHAPE_TOLERANCE * paper_long \
                / paper_short:
            dpi = round(short / paper_short)
            if INFERRED_RANGE[0] <= dpi <= INFERRED_RANGE[1]:
                return dpi
    return None
