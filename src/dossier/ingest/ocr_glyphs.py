"""The Arabic-Indic digits of the installed faces, drawn, and told apart on a page.

`ocr_numbers` cuts a number Tesseract misread into glyphs; this module says which digit each
glyph is. Two things are drawn from the Arabic faces installed on the machine (`DIGIT_FONTS`),
at the sizes of the digits of 9-14 pt text scanned at 150-300 dpi:

* templates (`digit_templates`): each digit once per face and size, as a normalised shape
  and its geometry (height, width and vertical centre against the tallest digit of the
  number: ٠ is a small dot at mid-height). A glyph far from every template is not a digit,
  and the number is then left as Tesseract read it: this is the guard that keeps letters
  from being made digits.
* a classifier (`digit_classifier`): least squares with a small ridge over random Fourier
  features of the glyph (`random_features`), fitted when first needed on the digits drawn
  again blurred (scans blur strokes, filling the notches that tell ٢ from ٣) and with their
  boxes a pixel off (as the boxes cut from a page are). It chooses the digit of a glyph the
  templates accept.

The nearest template alone confused blurred digits: on the 69 Arabic scans of
bench/bench_ocr.py (seed 11) the classifier took the numbers after unit words read right
from 75 to 81 of 91 and full dates from 84 to 93 of 183; on the 73 of another leak, never
looked at while choosing (seed 7), 79 → 84 of 104 and 97 → 108 of 202. The bold faces are
drawn too: the demo's headers, like many real ones, are bold.

A linear fit over the glyphs themselves read a blurred ٣ as ٢ most of all: 21 of the 67
digits it misread among 10,635 glyphs of the scans of three bench leaks (seeds 7, 11, 13),
labelled by their reference text. Over random features it misread 60, 3 of them ٣ as ٢;
unit numbers and dates read right rose on each leak, none read worse (seed 7's unit
numbers 95 → 98 of 104; full dates 165 → 166, 175 → 177 and 215 → 222 of 183, 202 and
247). Fitting takes about two seconds; the weights are kept in the user's cache folder, so
that it is done once per machine rather than once per worker process.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from threadpoolctl import ThreadpoolController

from dossier.fonts import font_dirs, installed_font
from dossier.ingest.ocr_digits import ARABIC_INDIC

# Faces whose Arabic-Indic digits are drawn, by file name; those not installed are skipped.
# Kufi and Sans are not used by the demo's documents, which keeps the measurement of how the
# templates generalise honest (see `ocr_numbers`). The templates are drawn in the regular
# faces (TEMPLATE_FONTS), the classifier's glyphs in the bold ones too.
TEMPLATE_FONTS = ("NotoSansArabic-Regular.ttf", "NotoKufiArabic-Regular.ttf",
                  "Amiri-Regular.ttf", "NotoNaskhArabic-Regular.ttf", "DejaVuSans.ttf")
DIGIT_FONTS = (*TEMPLATE_FONTS, "NotoSansArabic-Bold.ttf", "NotoKufiArabic-Bold.ttf",
               "Amiri-Bold.ttf", "NotoNaskhArabic-Bold.ttf", "DejaVuSans-Bold.ttf")
# Pixel sizes the digits are drawn at: the digits of 9-14 pt text scanned at 150-300 dpi.
_TEMPLATE_SIZES = (20, 24, 28, 34, 40)
# Glyphs are compared with the templates as TEMPLATE_SHAPE² images, and classified as
# SHAPE² ones: finer, for the notches of ٢ and ٣; the templates' coarser shapes keep the
# comparison with every template of every face cheap.
TEMPLATE_SHAPE = 16
SHAPE = 24
# The classifier's training glyphs: blurs as a fraction of the type size, and box offsets
# (left, top, right, bottom) in pixels.
_TRAINING_BLURS = (0.0, 0.04, 0.08)
_TRAINING_OFFSETS = ((0, 0, 0, 0), (-1, -1, 1, 1), (1, 0, -1, 0), (0, 1, 0, -1))
_RIDGE = 0.1
# Random Fourier features the classifier is fitted over (`random_features`), and the seed
# of their directions.
_RANDOM_FEATURES = 2000
_PROJECTION_SEED = 20261125
# Changed whenever the way the classifier is fitted changes, so that a kept one is not used.
_CLASSIFIER_VERSION = 2

Box = tuple[int, int, int, int]
# Signs written beside digits whose shapes are drawn too (see `_separator_templates`).
YEAR_MARK = "م"
BESIDE_DIGITS = "/-" + YEAR_MARK


@dataclass(frozen=True)
class DigitTemplates:
    """The digits of the installed faces: one row per template."""

    labels: tuple[str, ...]
    shapes: np.ndarray  # (templates, TEMPLATE_SHAPE²), ink 0..1
    geometry: np.ndarray  # (templates, 3): height, width, centre against the tallest digit
    fonts: tuple[str, ...]
    separator_labels: tuple[str, ...] = ()
    separator_shapes: np.ndarray | None = None  # BESIDE_DIGITS of the faces that have them

    def shape_distances(self, shapes: np.ndarray) -> np.ndarray:
        """(glyphs, templates): the mean difference of the shapes (TEMPLATE_SHAPE² each)."""
        return np.abs(shapes[:, None, :] - self.shapes[None, :, :]).mean(axis=2)

    def sign_distances(self, shapes: np.ndarray, sign: str) -> np.ndarray | None:
        """(glyphs,): the mean difference of the shapes from the nearest drawn `sign` (one of
        BESIDE_DIGITS); None when no installed face draws it."""
        if self.separator_shapes is None or sign not in self.separator_labels:
            return None
        drawn = self.separator_shapes[np.array(self.separator_labels) == sign]
        return np.abs(shapes[:, None, :] - drawn[None, :, :]).mean(axis=2).min(axis=1)

    def distances(self, shapes: np.ndarray, geometry: np.ndarray) -> np.ndarray:
        """(glyphs, templates): the mean difference of the shapes plus that of the geometry."""
        return (self.shape_distances(shapes)
                + np.abs(geometry[:, None, :] - self.geometry[None, :, :]).mean(axis=2))


@dataclass(frozen=True)
class DigitClassifier:
    """A classifier of the ten digits (see the module docstring)."""

    weights: np.ndarray  # (_RANDOM_FEATURES, 10)

    def digits(self, shapes: np.ndarray, geometry: np.ndarray) -> list[str]:
        scores = random_features(features(shapes, geometry)) @ self.weights
        return [ARABIC_INDIC[int(index)] for index in scores.argmax(axis=1)]


def features(shapes: np.ndarray, geometry: np.ndarray) -> np.ndarray:
    """What the classifier weighs: each shape less its mean and scaled to unit length (so
    that faint and dark ink compare alike), its geometry, and a constant."""
    centred = shapes - shapes.mean(axis=1, keepdims=True)
    centred /= np.linalg.norm(centred, axis=1, keepdims=True) + 1e-6
    return np.hstack([centred, geometry, np.ones((len(shapes), 1), np.float32)]).astype(
        np.float32)


@cache
def _projection() -> tuple[np.ndarray, np.ndarray]:
    """The random directions and phases of `random_features`, the same in every process."""
    generator = np.random.default_rng(_PROJECTION_SEED)
    directions = generator.normal(0.0, 1.0, (SHAPE * SHAPE + 4, _RANDOM_FEATURES))
    phases = generator.uniform(0.0, 2 * np.pi, _RANDOM_FEATURES)
    return directions.astype(np.float32), phases.astype(np.float32)


@cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def random_features(x: np.ndarray) -> np.ndarray:
    """`features` mapped to random Fourier features (the cosines of random projections,
    which make a linear fit over them behave like one with a Gaussian kernel): a linear
    fit on the features themselves cannot tell a blurred ٣, whose two notches have filled,
    from a ٢.

    The projection runs on one thread: OpenBLAS would share a product this size among
    threads that then spin, taking the cores from the Tesseract processes beside them (the
    OCR path of bench/bench_ocr.py took 1.34 times Tesseract's time with its threads, 1.09
    without)."""
    directions, phases = _projection()
    with _blas().limit(limits=1, user_api="blas"):
        projected = x @ directions
    return np.cos(projected + phases) * np.float32(np.sqrt(2.0 / _RANDOM_FEATURES))


def font_files(names: tuple[str, ...] = DIGIT_FONTS) -> list[Path]:
    """The installed faces of `names` (see `dossier.fonts`), in order."""
    folders = font_dirs()
    return [path for path in (installed_font(name, folders) for name in names)
            if path is not None]


def shape(grey: np.ndarray, box: Box, side: int = SHAPE) -> np.ndarray:
    """The glyph in `box`, centred in a square (its proportions kept), as side² ink values."""
    x0, y0, x1, y1 = box
    glyph = grey[y0:y1, x0:x1]
    height, width = glyph.shape
    edge = max(height, width)
    square = np.full((edge, edge), 255, np.uint8)
    top, left = (edge - height) // 2, (edge - width) // 2
    square[top:top + height, left:left + width] = glyph
    small = Image.fromarray(square).resize((side, side), Image.Resampling.BILINEAR)
    return (1.0 - np.asarray(small, np.float32) / 255.0).ravel()


def geometry(boxes: list[Box], frame: list[Box] | None = None) -> np.ndarray:
    """Height, width and centre of each box against the tallest box of `frame` (the boxes
    themselves when None) and the top of the highest."""
    frame = frame or boxes
    tallest = max(box[3] - box[1] for box in frame)
    top = min(box[1] for box in frame)
    return np.array([[(y1 - y0) / tallest, (x1 - x0) / tallest, ((y0 + y1) / 2 - top) / tallest]
                     for x0, y0, x1, y1 in boxes], np.float32)


def ink_box(ink: np.ndarray, box: Box) -> Box | None:
    """The bounding box of the ink inside `box`, or None when there is none."""
    x0, y0, x1, y1 = box
    x0, y0 = max(0, x0), max(0, y0)
    region = ink[y0:y1, x0:x1]
    rows = np.flatnonzero(region.any(axis=1))
    columns = np.flatnonzero(region.any(axis=0))
    if not len(rows) or not len(columns):
        return None
    return (x0 + int(columns[0]), y0 + int(rows[0]), x0 + int(columns[-1]) + 1,
            y0 + int(rows[-1]) + 1)


def otsu(grey: np.ndarray) -> int:
    """The grey level that best splits ink from paper (Otsu's threshold)."""
    counts = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    below = np.cumsum(counts)
    weighted = np.cumsum(counts * np.arange(256))
    above = grey.size - below
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (weighted[-1] * below - weighted * grey.size) ** 2 / (below * above)
    return int(np.argmax(np.nan_to_num(between, nan=0.0, posinf=0.0)))


def _drawn_digits(path: Path, size: int) -> tuple[Image.Image, list[tuple[int, int]]]:
    """The ten digits of a face drawn in a row on white, and the columns of each."""
    face = ImageFont.truetype(str(path), size)
    canvas = Image.new("L", (size * 16, size * 3), 255)
    draw = ImageDraw.Draw(canvas)
    spans = []
    x = size
    for digit in ARABIC_INDIC:
        draw.text((x, size), digit, font=face, fill=0)
        left, _, right, _ = draw.textbbox((x, size), digit, font=face)
        spans.append((int(left), int(right)))
        x = int(right) + size // 2
    return canvas, spans


def _digit_boxes(grey: np.ndarray, spans: list[tuple[int, int]], margin: int = 0,
                 threshold: int | None = 127) -> list[Box] | None:
    """The box of the ink of each digit drawn (darker than `threshold`, or than Otsu's
    threshold when None), searched `margin` pixels beyond its columns; None when a digit
    left no ink."""
    ink = grey <= (max(otsu(grey), 1) if threshold is None else threshold)
    boxes = [ink_box(ink, (left - margin, 0, right + margin, grey.shape[0]))
             for left, right in spans]
    return None if any(box is None for box in boxes) else boxes  # type: ignore[return-value]


@cache
def digit_templates() -> DigitTemplates | None:
    """The ten digits drawn in every installed face of TEMPLATE_FONTS; None when none is."""
    labels: list[str] = []
    shapes: list[np.ndarray] = []
    geometries: list[np.ndarray] = []
    fonts = font_files(TEMPLATE_FONTS)
    for path in fonts:
        for size in _TEMPLATE_SIZES:
            canvas, spans = _drawn_digits(path, size)
            grey = np.asarray(canvas)
            boxes = _digit_boxes(grey, spans)
            if boxes is None:
                continue
            labels += ARABIC_INDIC
            shapes += [shape(grey, box, TEMPLATE_SHAPE) for box in boxes]
            geometries.append(geometry(boxes))
    if not labels:
        return None
    separator_labels, separator_shapes = _separator_templates(fonts)
    return DigitTemplates(tuple(labels), np.stack(shapes), np.concatenate(geometries),
                          tuple(path.name for path in fonts), separator_labels,
                          np.stack(separator_shapes) if separator_shapes else None)


def _separator_templates(fonts: list[Path]) -> tuple[tuple[str, ...], list[np.ndarray]]:
    """The signs written beside digits, drawn in the faces that have them (a face without
    the glyph draws the same box as for a character no face has): "/" and "-" between the
    groups of a date, and the م after a Gregorian year ("٢٠١٢م")."""
    labels: list[str] = []
    shapes: list[np.ndarray] = []
    for path in fonts:
        for size in _TEMPLATE_SIZES:
            face = ImageFont.truetype(str(path), size)
            missing = bytes(face.getmask("\ue000"))
            for separator in BESIDE_DIGITS:
                if bytes(face.getmask(separator)) == missing:
                    continue
                canvas = Image.new("L", (size * 3, size * 3), 255)
                ImageDraw.Draw(canvas).text((size, size), separator, font=face, fill=0)
                grey = np.asarray(canvas)
                box = ink_box(grey < 128, (0, 0, grey.shape[1], grey.shape[0]))
                if box is not None:
                    labels.append(separator)
                    shapes.append(shape(grey, box, TEMPLATE_SHAPE))
    return tuple(labels), shapes


@cache
def digit_classifier() -> DigitClassifier | None:
    """The classifier of the digits of the installed faces (see `_fit`), kept in the user's
    cache folder once fitted, keyed by the faces and the way it is fitted; None when no face
    is installed."""
    fonts = font_files()
    if not fonts:
        return None
    cached = _cache_file(fonts)
    if cached is not None and cached.is_file():
        try:
            weights = np.load(cached, allow_pickle=False)
            if weights.shape == (_RANDOM_FEATURES, 10):
                return DigitClassifier(weights)
        except (OSError, ValueError):
            pass  # unreadable: fitted again and written over
    classifier = _fit(fonts)
    if classifier is not None and cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
            with partial.open("wb") as handle:
                np.save(handle, classifier.weights, allow_pickle=False)
            os.replace(partial, cached)
        except OSError:
            pass  # a read-only home: fitted in each process instead
    return classifier


def _cache_file(fonts: list[Path]) -> Path | None:
    """Where the classifier fitted on `fonts` is kept: under $XDG_CACHE_HOME or ~/.cache."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    if base.startswith("~"):
        return None
    key = hashlib.sha256(repr((
        _CLASSIFIER_VERSION, SHAPE, _TEMPLATE_SIZES, _TRAINING_BLURS, _TRAINING_OFFSETS, _RIDGE,
        _RANDOM_FEATURES, _PROJECTION_SEED,
        [(str(path), path.stat().st_size, path.stat().st_mtime_ns) for path in fonts],
    )).encode()).hexdigest()[:16]
    return Path(base) / "dossier" / f"digit-classifier-{key}.npy"


def _fit(fonts: list[Path]) -> DigitClassifier | None:
    """The classifier fitted on the digits of `fonts`, drawn sharp and blurred, their boxes
    as found and a pixel off (about a second)."""
    shapes: list[np.ndarray] = []
    geometries: list[np.ndarray] = []
    for path in fonts:
        for size in _TEMPLATE_SIZES:
            canvas, spans = _drawn_digits(path, size)
            for blur in _TRAINING_BLURS:
                grey = np.asarray(canvas.filter(ImageFilter.GaussianBlur(blur * size))
                                  if blur else canvas)
                boxes = _digit_boxes(grey, spans, margin=2, threshold=None)
                if boxes is None:
                    continue
                for dx0, dy0, dx1, dy1 in _TRAINING_OFFSETS:
                    moved = [(x0 + dx0, y0 + dy0, x1 + dx1, y1 + dy1)
                             for x0, y0, x1, y1 in boxes]
                    shapes += [shape(grey, box) for box in moved]
                    geometries.append(geometry(moved))
    if not shapes:
        return None
    x = random_features(features(np.stack(shapes), np.concatenate(geometries))
                        ).astype(np.float64)
    y = np.tile(np.eye(10), (len(shapes) // 10, 1))
    weights = np.linalg.solve(x.T @ x + _RIDGE * np.eye(x.shape[1]), x.T @ y)
    return DigitClassifier(weights.astype(np.float32))
