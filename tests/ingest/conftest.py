"""Fixtures for the extractor tests: a context over a fresh blob store, fonts, page images.

Every test file builds its own real inputs (PDFs with fpdf2, scans with Pillow, Office files
with python-docx and openpyxl) in tmp_path; nothing is read from disk fixtures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from dossier.blobs import BlobStore
from dossier.demo.fonts import FontNotFoundError, find_font
from dossier.ingest.context import ExtractContext
from dossier.ingest.model import Limits


def font_path(key: str) -> Path:
    """The system font `key` ("amiri", "naskh", "dejavu"); skips the test when missing."""
    try:
        return find_font(key)
    except FontNotFoundError as exc:
        pytest.skip(str(exc))


@pytest.fixture
def make_ctx(tmp_path: Path) -> Callable[..., ExtractContext]:
    """A context over a blob store in tmp_path; keyword arguments override Limits fields,
    and `ocr_languages`, `depth`, `ocr` override the context's own."""
    blobs = BlobStore(tmp_path / "blobs")

    def make(ocr_languages: str = "ara+eng+fra", depth: int = 0, ocr: bool = True,
             **limits: float) -> ExtractContext:
        return ExtractContext(blobs=blobs, limits=replace(Limits(), **limits),
                              ocr_languages=ocr_languages, depth=depth, name="test", ocr=ocr)

    return make


@pytest.fixture
def ctx(make_ctx: Callable[..., ExtractContext]) -> ExtractContext:
    return make_ctx()


@pytest.fixture
def amiri() -> Path:
    return font_path("amiri")


@pytest.fixture
def naskh() -> Path:
    return font_path("naskh")


@pytest.fixture
def dejavu() -> Path:
    return font_path("dejavu")


def _is_arabic(line: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in line)


@pytest.fixture
def render_page() -> Callable[..., Image.Image]:
    """Draw lines of text on a white greyscale page, Arabic lines right-aligned and shaped."""

    def render(lines: list[str], font: Path, size: int = 36, width: int = 1400) -> Image.Image:
        face = ImageFont.truetype(str(font), size)
        step = int(size * 1.9)
        image = Image.new("L", (width, 2 * size + step * len(lines)), 255)
        draw = ImageDraw.Draw(image)
        for index, line in enumerate(lines):
            y = size + index * step
            if _is_arabic(line):
                draw.text((width - size, y), line, font=face, fill=0, direction="rtl",
                          anchor="ra")
            else:
                draw.text((size, y), line, font=face, fill=0)
        return image

    return render
