"""Images: EXIF metadata kept, text read by OCR, each TIFF frame a page.

Photographs are evidence in themselves (where and when were they taken?), so EXIF goes into
the metadata with readable tag names, GPS as decimal degrees and the original capture time
in ISO 8601. Pixel counts are checked from the header, before a single pixel is decoded:
a 50,000 × 50,000 PNG is a few kilobytes on disk and ten gigabytes in memory.

Multi-page TIFFs (the usual output of office scanners) give one page per frame. Animated GIF
and WebP give only their first frame: their frames are animation, not pages.
"""

from __future__ import annotations

import contextlib
import warnings
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import ExifTags, Image, ImageFile, ImageOps, UnidentifiedImageError

from dossier.ingest.context import ExtractContext
from dossier.ingest.model import BombFile, CorruptFile, Extraction, OcrFailed, PageText
from dossier.ingest.ocr import MAX_OCR_PIXELS, recognise

_MULTI_PAGE_FORMATS = {"TIFF"}
_SKIPPED_TAGS = {"MakerNote", "UserComment", "PrintImageMatching", "ComponentsConfiguration",
                 "StripOffsets", "StripByteCounts", "JPEGInterchangeFormat", "ExifOffset",
                 "GPSInfo", "InterColorProfile", "XMLPacket", "ImageResources", "IPTCNAA"}
_EXIF_DATETIMES = {"DateTime", "DateTimeOriginal", "DateTimeDigitized"}
# Files Tesseract may read as they are, when upright, greyscale or RGB, and not too large:
# writing them again as PNG for it cost about 5 % of the OCR time of a 150 dpi page.
_READ_AS_IS_FORMATS = {"PNG", "JPEG"}
_ORIENTATION = 0x0112


def extract_image(path: Path, ctx: ExtractContext) -> Extraction:
    """OCR text (one page per frame of a multi-page TIFF) and EXIF metadata of an image.

    Pillow warns about damage it can read around (a truncated tag, corrupt EXIF); those
    warnings are kept in `metadata["decoder_warnings"]`, where a reader of the evidence
    sees them. Its decompression-bomb warning is left out: our own limit decides.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        extraction = _extract_image(path, ctx)
    notes = sorted({str(warning.message) for warning in caught})
    if notes:
        extraction.metadata["decoder_warnings"] = notes[:20]
    return extraction


def _extract_image(path: Path, ctx: ExtractContext) -> Extraction:
    limit = ctx.limits.max_image_pixels
    try:
        image = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise BombFile(f"the image declares more pixels than can be decoded safely ({exc})") \
            from exc
    except UnidentifiedImageError as exc:
        raise CorruptFile("the image cannot be read: its header is damaged or the format "
                          "is not one Pillow knows") from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise CorruptFile(f"the image cannot be read: {exc}") from exc
    with image:
        _check_pixels(image.width, image.height, limit, "the image")
        frames = getattr(image, "n_frames", 1) if image.format in _MULTI_PAGE_FORMATS else 1
        if frames > ctx.limits.max_pages:
            raise BombFile(f"the image has {frames:,} frames, more than the limit of "
                           f"{ctx.limits.max_pages:,} pages")
        metadata = _metadata(image, frames)
        mime = Image.MIME.get(image.format or "", "application/octet-stream")
        pages: list[PageText] = []
        corrections: list[dict[str, Any]] = []
        for index in range(frames):
            frame = _load_frame(image, index, limit)
            if not ctx.ocr:
                continue
            try:
                source = path if _readable_as_is(image, frames) else frame
                result = recognise(source, ctx.ocr_languages, ctx.limits.ocr_timeout_seconds)
            except OcrFailed as exc:
                raise OcrFailed(f"page {index + 1}: {exc.message}") from exc
            corrections += [{"page": index + 1, "offset": c.offset, "ocr": c.before,
                             "corrected": c.after} for c in result.corrections]
            pages.append(PageText(index + 1, result.text, "ocr", result.tool,
                                  confidence=result.confidence))
    if not ctx.ocr:
        metadata["ocr"] = "skipped"
    if corrections:
        metadata["ocr_digit_corrections"] = corrections[:500]
    return Extraction(media_type="image", mime=mime, pages=pages, metadata=metadata)


def _readable_as_is(image: Image.Image, frames: int) -> bool:
    """Whether Tesseract reads the file itself as `ocr.prepare_for_ocr` would give it."""
    try:
        upright = image.getexif().get(_ORIENTATION, 1) == 1
    except (OSError, ValueError, SyntaxError):
        upright = False
    return (image.format in _READ_AS_IS_FORMATS and frames == 1 and upright
            and image.mode in ("L", "RGB") and image.width * image.height <= MAX_OCR_PIXELS)


def _check_pixels(width: int, height: int, limit: int, what: str) -> None:
    if width * height > limit:
        raise BombFile(f"{what} is {width:,} × {height:,} pixels "
                       f"({width * height / 1e6:,.0f} megapixels), more than the limit of "
                       f"{limit / 1e6:,.0f} megapixels: a decompression bomb, or a scan too "
                       "large to read safely")


def _load_frame(image: Image.Image, index: int, limit: int) -> Image.Image:
    """Decode one frame, upright (EXIF orientation applied), as an independent image.

    A truncated file is corrupt evidence, whatever Pillow's process-wide tolerance says:
    WeasyPrint, imported to render reports, turns ImageFile.LOAD_TRUNCATED_IMAGES on.
    """
    tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.seek(index)
        _check_pixels(image.width, image.height, limit, f"frame {index + 1}")
        image.load()
        frame = ImageOps.exif_transpose(image) or image
        return frame.copy()
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise CorruptFile(f"the image is truncated or damaged (frame {index + 1}): {exc}") \
            from exc
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def _metadata(image: Image.Image, frames: int) -> dict[str, Any]:
    metadata: dict[str, Any] = {"format": image.format, "width": image.width,
                                "height": image.height, "mode": image.mode, "frames": frames}
    dpi = image.info.get("dpi")
    if dpi:
        metadata["dpi"] = [round(float(value), 2) for value in dpi]
    total_frames = getattr(image, "n_frames", 1)
    if total_frames != frames:
        metadata["animation_frames"] = total_frames
    try:
        exif = image.getexif()
    except (OSError, ValueError, SyntaxError):
        return metadata  # damaged EXIF must not cost us the picture
    readable = _readable_exif(exif)
    if readable:
        metadata["exif"] = readable
        original = readable.get("DateTimeOriginal") or readable.get("DateTime")
        if original:
            offset = readable.get("OffsetTimeOriginal") or ""
            metadata["datetime_original"] = f"{original}{offset}"
    gps = _gps(exif)
    if gps:
        metadata["gps"] = gps
    return metadata


def _plain(value: Any) -> Any:
    """An EXIF value as JSON-friendly data (rationals to floats, bytes to text)."""
    if isinstance(value, bytes):
        text = value.rstrip(b"\x00").decode("utf-8", errors="replace")
        return text if text.isprintable() and len(text) <= 1000 else None
    if isinstance(value, str):
        return value.replace("\x00", "").strip()
    if isinstance(value, tuple | list):
        items = [_plain(item) for item in value]
        return items if len(items) <= 64 else None
    if isinstance(value, int | bool):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return str(value)
    return number if number == number else None  # a 0/0 rational is NaN: drop it


def _exif_datetime(value: str) -> str:
    try:
        return datetime.strptime(value.strip(), "%Y:%m:%d %H:%M:%S").isoformat()
    except ValueError:
        return value


def _readable_exif(exif: Image.Exif) -> dict[str, Any]:
    tags: dict[str, Any] = {}
    entries = dict(exif.items())
    with contextlib.suppress(KeyError, OSError, ValueError, SyntaxError):  # no or bad sub-IFD
        entries.update(exif.get_ifd(ExifTags.IFD.Exif))
    for tag, value in entries.items():
        name = ExifTags.TAGS.get(tag, f"Tag{tag:#06x}")
        if name in _SKIPPED_TAGS:
            continue
        plain = _plain(value)
        if plain is None or plain == "":
            continue
        if name in _EXIF_DATETIMES and isinstance(plain, str):
            plain = _exif_datetime(plain)
        tags[name] = plain
    return tags


def _degrees(value: Any, reference: Any) -> float | None:
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if str(reference).strip().upper() in ("S", "W"):
        result = -result
    return round(result, 7)


def _gps(exif: Image.Exif) -> dict[str, Any]:
    try:
        info = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except (KeyError, OSError, ValueError, SyntaxError):
        return {}
    named = {ExifTags.GPSTAGS.get(tag, str(tag)): value for tag, value in info.items()}
    gps: dict[str, Any] = {}
    latitude = _degrees(named.get("GPSLatitude"), named.get("GPSLatitudeRef"))
    longitude = _degrees(named.get("GPSLongitude"), named.get("GPSLongitudeRef"))
    if latitude is not None and longitude is not None:
        gps["latitude"], gps["longitude"] = latitude, longitude
    if "GPSAltitude" in named:
        try:
            altitude = float(named["GPSAltitude"])
            if named.get("GPSAltitudeRef") in (1, b"\x01"):
                altitude = -altitude
            gps["altitude"] = round(altitude, 2)
        except (TypeError, ValueError, ZeroDivisionError):
            pass
    for key in ("GPSDateStamp", "GPSMapDatum"):
        if key in named:
            gps[key[3:].lower()] = _plain(named[key])
    return gps
