"""The resolution Dossier tells Tesseract for a page image (`ingest.ocr_resolution`)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from PIL import Image

from dossier.ingest.ocr_resolution import inferred_from_paper, page_resolution
from dossier.ingest.pdf import _render


@pytest.mark.parametrize(("size", "dpi"), [
    ((1241, 1754), 150),  # A4 at 150 dpi, upright
    ((1754, 1241), 150),  # and turned
    ((1654, 2339), 200),  # A4 at 200 dpi
    ((2550, 3300), 300),  # Letter at 300 dpi
    ((1275, 2100), 150),  # Legal at 150 dpi
])
def test_a_whole_page_scan_without_a_resolution_gets_its_papers(size: tuple[int, int],
                                                               dpi: int, tmp_path: Path) -> None:
    target = tmp_path / "scan.png"
    Image.new("L", size, 255).save(target)
    assert Image.open(target).info.get("dpi") is None
    assert page_resolution(target) == dpi


@pytest.mark.parametrize("size", [(4032, 3024), (800, 800), (300, 424), (9000, 12727)])
def test_a_picture_of_no_page_shape_or_an_unlikely_resolution_is_left_to_tesseract(
        size: tuple[int, int]) -> None:
    assert inferred_from_paper(*size) is None


def test_a_declared_resolution_is_used_and_a_bogus_one_ignored(tmp_path: Path) -> None:
    declared = tmp_path / "declared.jpg"
    Image.new("L", (1000, 1000), 255).save(declared, dpi=(240, 240))
    assert page_resolution(declared) == 240
    bogus = tmp_path / "bogus.tif"  # office scanners that write 1 dpi
    Image.new("L", (1241, 1754), 255).save(bogus, dpi=(1, 1))
    assert page_resolution(bogus) == 150
    assert page_resolution(tmp_path / "missing.png") is None


def test_a_rendered_pdf_page_carries_the_resolution_it_was_rendered_at(tmp_path: Path) -> None:
    document = pypdfium2.PdfDocument.new()
    document.new_page(595, 842)  # A4 in points
    image = _render(document, 0, dpi=150)
    assert image.width == round(595 * 150 / 72)
    assert page_resolution(image) == 150
