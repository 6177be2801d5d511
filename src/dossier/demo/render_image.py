"""Scanned-looking images of laid-out documents: PNG, JPEG, TIFF and image-only PDFs.

Pages are drawn by the PDF writer (so Arabic is shaped exactly as in the born-digital
files) and rasterised with pdfium; a "degraded" scan then gets what photocopiers and
phone cameras add: a slight skew, uneven lighting, blur, sensor noise and JPEG
artefacts. All randomness comes from a seeded NumPy generator, so the bytes repeat.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

from dossier.demo.pdfwriter import A4, PdfWriter

__all__ = ["ScanResult", "encode", "images_to_pdf", "multipage_tiff", "rasterise", "scan_pages"]


@dataclass(frozen=True)
class ScanResult:
    """Page images and how they were degraded (for the truth)."""

    images: list[Image.Image]
    dpi: int
    quality: str  # clean | degraded
    skew_degrees: list[float]


def rasterise(pdf: bytes, dpi: int) -> list[Image.Image]:
    """Greyscale renderings of every page of ``pdf``."""
    document = pdfium.PdfDocument(pdf)
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            images.append(bitmap.to_pil().convert("L"))
            bitmap.close()
            page.close()
        return images
    finally:
        document.close()


def _degrade(image: Image.Image, rng: np.random.Generator) -> tuple[Image.Image, float]:
    skew = float(rng.uniform(-1.5, 1.5))
    image = image.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=255)
    pixels = np.asarray(image, dtype=np.float32)
    height, width = pixels.shape
    # Uneven lighting: a tilted plane of brightness (row and column gradients broadcast).
    across = 1.0 - float(rng.uniform(0.0, 0.12)) * np.linspace(0, 1, width, dtype=np.float32)
    down = -float(rng.uniform(0.0, 0.10)) * np.linspace(0, 1, height, dtype=np.float32)
    pixels = pixels * (across[None, :] + down[:, None]) + float(rng.uniform(-12, 6))
    sigma = float(rng.uniform(5, 12))
    pixels += rng.standard_normal(size=pixels.shape, dtype=np.float32) * sigma
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")
    image = image.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.4, 1.0))))
    # A round trip through a low-quality JPEG leaves its block artefacts in any format.
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=int(rng.integers(30, 60)))
    buffer.seek(0)
    return Image.open(buffer).convert("L"), skew


def scan_pages(pdf: bytes, *, seed: int, degraded: bool, dpi: int = 150) -> ScanResult:
    """Scan every page of ``pdf``; ``degraded`` adds skew, noise, blur and artefacts."""
    images = rasterise(pdf, dpi)
    skews: list[float] = []
    if degraded:
        rng = np.random.default_rng(seed)
        out = []
        for image in images:
            image, skew = _degrade(image, rng)
            out.append(image)
            skews.append(round(skew, 3))
        images = out
    else:
        skews = [0.0] * len(images)
    return ScanResult(images, dpi, "degraded" if degraded else "clean", skews)


def encode(image: Image.Image, fmt: str) -> bytes:
    """One page as PNG, JPEG or TIFF bytes (no timestamps, so reproducible)."""
    buffer = io.BytesIO()
    if fmt == "png":
        image.save(buffer, "PNG", optimize=False)
    elif fmt == "jpeg":
        image.save(buffer, "JPEG", quality=75)
    elif fmt == "tiff":
        image.save(buffer, "TIFF", compression="tiff_lzw")
    else:
        raise ValueError(f"unknown image format {fmt!r}")
    return buffer.getvalue()


def multipage_tiff(images: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, "TIFF", compression="tiff_lzw", save_all=True, append_images=images[1:])
    return buffer.getvalue()


def images_to_pdf(images: list[Image.Image], *, title: str, created: datetime) -> bytes:
    """An image-only PDF, as a scanner writes it: one JPEG per A4 page, no text layer."""
    writer = PdfWriter(title=title, created=created, producer="Synthetic Scanner 1.0")
    for image in images:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=70)
        page = writer.add_page()
        page.image(buffer.getvalue(), image.size, (0.0, 0.0, A4[0], A4[1]))
    return writer.output()
