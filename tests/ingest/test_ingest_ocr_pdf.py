"""Scanned PDF pages are rendered for OCR at the resolution of their scan."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from dossier.demo.render_image import images_to_pdf
from dossier.ingest.extract import extract
from dossier.ingest.pdf import OCR_DPI, _scan_dpi


def _a4(dpi: int) -> Image.Image:
    return Image.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 255)


def test_a_scanned_page_is_rendered_at_the_scans_resolution() -> None:
    pdf = images_to_pdf([_a4(150), _a4(200), _a4(600)], title="scan",
                        created=datetime(2013, 1, 30))
    document = pdfium.PdfDocument(pdf)
    try:
        # enlarging a 150 dpi scan to 300 dpi made Tesseract's Arabic worse; a 600 dpi scan
        # is read at OCR_DPI
        assert [_scan_dpi(document, index) for index in range(3)] == [150, 200, OCR_DPI]
    finally:
        document.close()


def test_an_image_only_pdf_is_read(tmp_path: Path, make_ctx, render_page,
                                   dejavu: Path) -> None:
    page = _a4(150)
    page.paste(render_page(["Detained at Branch 227"], dejavu, size=24, width=1200), (0, 100))
    path = tmp_path / "scan.pdf"
    path.write_bytes(images_to_pdf([page], title="scan", created=datetime(2013, 1, 30)))

    result = extract(path, make_ctx(ocr_languages="eng"))

    assert "Detained at Branch 227" in result.pages[0].text
    assert result.pages[0].method == "ocr"
