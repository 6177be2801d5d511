"""The picture of one page of an original, as PNG, for a reader to see beside its text.

A PDF page is rendered by pdfium; an image is decoded by Pillow (frame N of a multi-page TIFF),
turned upright by its EXIF orientation. Either is scaled so that its longer side is at most
`MAX_SIDE` pixels: the reader shows a page, it does not print it. Nothing is written to disk;
the few last pictures are kept in memory, keyed by the original's sha256, which never changes.
Other types (text, office files, e-mail) have text only.
"""

from __future__ import annotations

import io
import threading
import warnings
from collections import OrderedDict
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from dossier.ingest.model import Limits

MAX_SIDE = 1400
"""The longer side of a page picture, in pixels."""
MAX_PDF_SCALE = 200 / 72  # a small page is not enlarged past 200 dpi
IMAGED_TYPES = frozenset({"pdf", "image"})
CACHED = 48

_pdfium = threading.Lock()  # pdfium is not thread-safe; the server renders from a thread pool
_cache: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()
_cache_lock = threading.Lock()


class PageImageError(Exception):
    """There is no picture of this page: a text-only type, no such page, or an original that
    cannot be decoded. The message says which."""


def has_page_images(media_type: str | None) -> bool:
    """Whether items of this type have a picture of each page."""
    return media_type in IMAGED_TYPES


def page_image(original: Path, sha256: str, media_type: str | None, number: int,
               max_side: int = MAX_SIDE) -> bytes:
    """PNG bytes of page `number` (from 1) of the original at `original`."""
    if not has_page_images(media_type):
        raise PageImageError(f"a {media_type or 'file of unknown type'} has no page images, "
                             "only text")
    if number < 1:
        raise PageImageError("pages are numbered from 1")
    key = (sha256, number, max_side)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    picture = _pdf_page(original, number, max_side) if media_type == "pdf" else \
        _image_frame(original, number, max_side)
    png = _png(picture)
    with _cache_lock:
        _cache[key] = png
        while len(_cache) > CACHED:
            _cache.popitem(last=False)
    return png


def _pdf_page(original: Path, number: int, max_side: int) -> Image.Image:
    with _pdfium:
        try:
            document = pdfium.PdfDocument(original)
        except pdfium.PdfiumError as exc:
            raise PageImageError(f"the PDF cannot be opened: {exc}") from exc
        try:
            if number > len(document):
                raise PageImageError(f"the PDF has {len(document)} pages, not {number}")
            page = document[number - 1]
            try:
                width, height = page.get_size()
                scale = min(MAX_PDF_SCALE, max_side / max(width, height, 1.0))
                bitmap = page.render(scale=scale)
                try:
                    return bitmap.to_pil().copy()
                finally:
                    bitmap.close()
            finally:
                page.close()
        except pdfium.PdfiumError as exc:
            raise PageImageError(f"page {number} of the PDF cannot be rendered: {exc}") from exc
        finally:
            document.close()


def _image_frame(original: Path, number: int, max_side: int) -> Image.Image:
    # A truncated file is damaged evidence, whatever Pillow's process-wide tolerance says;
    # Pillow's own bomb warning is silenced: the ingest limit decides, as at ingest.
    tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            frame = _decode_frame(original, number, max_side)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError,
            Image.DecompressionBombError) as exc:
        raise PageImageError(f"the image cannot be decoded: {exc}") from exc
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    if frame.mode not in ("1", "L", "RGB", "RGBA"):
        frame = frame.convert("RGBA" if "A" in frame.getbands() else "RGB")
    frame.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return frame


def _decode_frame(original: Path, number: int, max_side: int) -> Image.Image:
    with Image.open(original) as image:
        frames = getattr(image, "n_frames", 1) if image.format == "TIFF" else 1
        if number > frames:
            raise PageImageError(f"the image has {frames} page(s), not {number}")
        image.seek(number - 1)
        if image.width * image.height > Limits().max_image_pixels:  # from the header
            raise PageImageError(f"the image is {image.width:,} × {image.height:,} pixels, "
                                 "too large to show")
        if image.format == "JPEG":
            image.draft("RGB", (max_side, max_side))  # decoded at a reduced size directly
        image.load()
        upright = ImageOps.exif_transpose(image) or image
        return upright.copy()


def _png(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, format="PNG", compress_level=1)  # scans barely compress further, slower
    return out.getvalue()
