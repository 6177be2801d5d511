"""PDF: the text layer where it can be trusted, OCR where it cannot or where there is none.

Each page goes through the same steps (see `text_quality` and `visual_order` for why):

1. the text layer, read with PDFium and normalised with NFKC, which also turns Arabic
   presentation forms back into letters;
2. visual order: if the document's Arabic reads clearly better backwards, lines are put back
   into reading order (decided per page, pages without enough Arabic follow the document);
3. garbage (unreadable codes, symbol soup, Arabic legacy-font mojibake) → the page is OCRed;
4. no letters on a page that has ink, or a page covered by a picture with only a few words of
   text (a scan with a stamped reference number) → the page is OCRed, rendered at 300 dpi.

What was repaired, and on which pages, is listed in `metadata["text_repairs"]`, so that a
reader of the evidence can see why the stored text differs from a naive extraction.
The page count is checked against the limit before any page is touched.
"""

from __future__ import annotations

import codecs
import ctypes
import re
import unicodedata
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from dossier.ingest.context import ExtractContext
from dossier.ingest.detect import MIME
from dossier.ingest.model import (
    BombFile,
    CorruptFile,
    EncryptedFile,
    Extraction,
    OcrFailed,
    PageText,
)
from dossier.ingest.ocr import recognise
from dossier.ingest.text_quality import count_presentation_forms, garbage_reason, letter_count
from dossier.ingest.visual_order import has_arabic, looks_reversed, to_logical_order

OCR_DPI = 300
# A page that is one scanned picture is rendered at the picture's own resolution (between
# these two), not at OCR_DPI: enlarging 150-200 dpi scans to 300 dpi made Tesseract's Arabic
# worse (character error rate 12.6 % at 150 dpi, 19.2 % enlarged; see `ocr`) and slower.
MIN_SCAN_DPI = 150
FULL_PAGE_SCAN = 0.9
# A page rendered larger than this is rendered at a lower resolution instead (a poster-sized
# page at 300 dpi would need gigabytes).
MAX_RENDER_PIXELS = 60_000_000
# A page with fewer letters than this whose area is mostly one picture is a scan with a stamp.
SPARSE_TEXT_LETTERS = 200
SCAN_COVERAGE = 0.4

PDFIUM_TOOL = f"pypdfium2 {pdfium.PYPDFIUM_INFO} (pdfium {pdfium.PDFIUM_INFO.build})"

_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
                       r"(?:([+\-Z])(\d{2})?'?(\d{2})?'?)?")


def extract_pdf(path: Path, ctx: ExtractContext) -> Extraction:
    """Pages of text of a PDF, OCRing the pages that need it."""
    document = _open(path)
    try:
        count = len(document)
        if count > ctx.limits.max_pages:
            raise BombFile(f"the PDF declares {count:,} pages, more than the limit of "
                           f"{ctx.limits.max_pages:,}")
        if count == 0:
            raise CorruptFile("the PDF has no pages")
        metadata = _metadata(document, count)
        return _extract_pages(document, count, ctx, metadata)
    finally:
        document.close()


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedFile("the PDF is protected by a password; it cannot be read "
                                "without it") from exc
        if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedFile("the PDF is encrypted with a security handler PDFium does "
                                "not support") from exc
        if exc.err_code == pdfium_c.FPDF_ERR_FORMAT:
            raise CorruptFile("the PDF is damaged or not a PDF at all: its structure "
                              "cannot be parsed") from exc
        raise CorruptFile(f"the PDF cannot be opened: {exc}") from exc


def pdf_date(value: str) -> str:
    """A PDF date ("D:20120315093000+02'00'") as ISO 8601; the input when it does not parse."""
    match = _PDF_DATE.match(value.strip())
    if not match:
        return value
    year, month, day, hour, minute, second, sign, off_h, off_m = match.groups()
    iso = f"{year}-{month or '01'}-{day or '01'}"
    if hour:
        iso += f"T{hour}:{minute or '00'}:{second or '00'}"
        if sign == "Z":
            iso += "Z"
        elif sign:
            iso += f"{sign}{off_h or '00'}:{off_m or '00'}"
    return iso


def _metadata(document: pdfium.PdfDocument, count: int) -> dict[str, Any]:
    metadata: dict[str, Any] = {"page_count": count}
    version = document.get_version()
    if version:
        metadata["pdf_version"] = f"{version // 10}.{version % 10}"
    security = pdfium_c.FPDF_GetSecurityHandlerRevision(document.raw)
    metadata["encrypted"] = security != -1
    info: dict[str, Any] = {}
    for key, value in document.get_metadata_dict(skip_empty=True).items():
        text = value.replace("\x00", "").strip()
        if text:
            info[key] = pdf_date(text) if key in ("CreationDate", "ModDate") else text
    if info:
        metadata["info"] = info
    return metadata


def _read_text_layer(document: pdfium.PdfDocument, index: int) -> tuple[str, int] | None:
    """(NFKC text of a page, presentation forms it held); None when PDFium cannot read it.

    PDFium's own calls, not pypdfium2's page and text-page objects: each of those registers a
    finalizer, which cost a tenth of the extraction of a leak of one-page PDFs. The text is
    the same: everything inside the page's bounding box (media box and crop box).
    """
    page = pdfium_c.FPDF_LoadPage(document.raw, index)
    if not page:
        return None
    try:
        textpage = pdfium_c.FPDFText_LoadPage(page)
        if not textpage:
            return None
        try:
            box = pdfium_c.FS_RECTF()
            if not pdfium_c.FPDF_GetPageBoundingBox(page, box):
                return None
            area = (textpage, box.left, box.top, box.right, box.bottom)
            count = pdfium_c.FPDFText_GetBoundedText(*area, None, 0)
            raw = ""
            if count > 0:
                buffer = (ctypes.c_ushort * count)()
                pdfium_c.FPDFText_GetBoundedText(*area, buffer, count)
                raw = codecs.decode(buffer, "utf-16-le", "ignore")  # type: ignore[call-overload]
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
    finally:
        pdfium_c.FPDF_ClosePage(page)
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFKC", raw), count_presentation_forms(raw)


def _extract_pages(document: pdfium.PdfDocument, count: int, ctx: ExtractContext,
                   metadata: dict[str, Any]) -> Extraction:
    layers = [_read_text_layer(document, index) for index in range(count)]
    if all(layer is None for layer in layers):
        raise CorruptFile("PDFium cannot read any page of this PDF")
    decisions = [looks_reversed(layer[0]) if layer else None for layer in layers]
    document_reversed = decisions.count(True) > decisions.count(False)
    repairs: dict[str, list[int]] = {"presentation_forms": [], "visual_order": [],
                                     "ocr_garbage": [], "ocr_no_text": [], "ocr_scan": [],
                                     "unreadable": [], "needs_ocr": []}
    ocr_corrections: list[dict[str, Any]] = []
    pages: list[PageText] = []
    for index, layer in enumerate(layers):
        number = index + 1
        if layer is None:
            repairs["unreadable"].append(number)
            pages.append(PageText(number, "", "text", PDFIUM_TOOL))
            continue
        text, presentation_forms = layer
        if presentation_forms:
            repairs["presentation_forms"].append(number)
        decision = decisions[index]
        if decision or (decision is None and document_reversed and has_arabic(text)):
            text = to_logical_order(text)
            repairs["visual_order"].append(number)
        reason = _ocr_reason(document, index, text)
        if reason is None:
            pages.append(PageText(number, text.strip(), "text", PDFIUM_TOOL))
            continue
        if not ctx.ocr:
            repairs["needs_ocr"].append(number)
            keep = "" if reason == "ocr_garbage" else text.strip()
            pages.append(PageText(number, keep, "text", PDFIUM_TOOL))
            continue
        repairs[reason].append(number)
        image = _render(document, index, _scan_dpi(document, index))
        try:
            result = recognise(image, ctx.ocr_languages, ctx.limits.ocr_timeout_seconds)
        except OcrFailed as exc:
            raise OcrFailed(f"page {number}: {exc.message}") from exc
        page_text, tool = result.text, result.tool
        if reason == "ocr_scan" and text.strip():
            page_text, tool = f"{page_text}\n\n{text.strip()}", f"{tool}; {PDFIUM_TOOL}"
        ocr_corrections += [{"page": number, "offset": c.offset, "ocr": c.before,
                             "corrected": c.after} for c in result.corrections]
        pages.append(PageText(number, page_text, "ocr", tool, confidence=result.confidence))
    used = {key: numbers for key, numbers in repairs.items() if numbers}
    if used:
        metadata["text_repairs"] = used
    if ocr_corrections:
        metadata["ocr_digit_corrections"] = ocr_corrections[:500]
    return Extraction(media_type="pdf", mime=MIME["pdf"], pages=pages, metadata=metadata)


def _ocr_reason(document: pdfium.PdfDocument, index: int, text: str) -> str | None:
    """Why this page must be OCRed ("ocr_garbage", "ocr_no_text", "ocr_scan"), or None.

    A page of digits only (a table of numbers) keeps its text layer; a page whose only text
    is a few characters over a picture covering most of it is a scan and is OCRed, the text
    layer being kept beside the OCR text.
    """
    if garbage_reason(text) is not None:
        return "ocr_garbage"
    if letter_count(text) >= SPARSE_TEXT_LETTERS:
        return None
    page = document[index]
    try:
        width, height = page.get_size()
        area = max(width * height, 1.0)
        covered = 0.0
        has_objects = False
        for obj in page.get_objects(max_depth=4):
            has_objects = True
            if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                left, bottom, right, top = obj.get_bounds()
                covered = max(covered, (right - left) * (top - bottom) / area)
    finally:
        page.close()
    if covered >= SCAN_COVERAGE:
        return "ocr_scan" if text.strip() else "ocr_no_text"
    readable = any(ch.isalnum() for ch in text)
    if not readable and has_objects and _has_ink(document, index):
        return "ocr_no_text"  # e.g. text drawn as vector outlines
    return None


def _scan_dpi(document: pdfium.PdfDocument, index: int) -> int:
    """The resolution to render a page at for OCR: the resolution of the picture that covers
    it when it is a full-page scan, OCR_DPI otherwise."""
    page = document[index]
    try:
        width, height = page.get_size()
        for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
            left, bottom, right, top = obj.get_bounds()
            if (right - left) * (top - bottom) < FULL_PAGE_SCAN * max(width * height, 1.0):
                continue
            pixels_wide, _pixels_high = obj.get_px_size()
            scan_dpi = pixels_wide / max((right - left) / 72, 1e-6)
            return int(min(OCR_DPI, max(MIN_SCAN_DPI, round(scan_dpi))))
    except pdfium.PdfiumError:
        pass  # no size to read: render as any other page
    finally:
        page.close()
    return OCR_DPI


def _render(document: pdfium.PdfDocument, index: int, dpi: int = OCR_DPI) -> Image.Image:
    page = document[index]
    try:
        width, height = page.get_size()
        scale = dpi / 72
        pixels = width * height * scale * scale
        if pixels > MAX_RENDER_PIXELS:
            scale *= (MAX_RENDER_PIXELS / pixels) ** 0.5
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            image = bitmap.to_pil().copy()
        finally:
            bitmap.close()
        image.info["dpi"] = (scale * 72, scale * 72)  # what OCR tells Tesseract
        return image
    finally:
        page.close()


def _has_ink(document: pdfium.PdfDocument, index: int) -> bool:
    """Whether a page shows anything at all, judged on a quick low-resolution render."""
    image = _render(document, index, dpi=50)
    histogram = image.convert("L").histogram()
    dark = sum(histogram[:200])
    return dark > 0.0005 * image.width * image.height
