"""Images: OCR of scans and photos, one page per TIFF frame, EXIF kept, bombs refused."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from dossier.ingest.extract import extract
from dossier.ingest.image import extract_image
from dossier.ingest.model import BombFile, CorruptFile


def _exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "EOS 5D"  # Model
    exif[0x0132] = "2013:08:21 06:15:00"  # DateTime
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = "2013:08:21 06:12:34"  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (33.0, 31.0, 12.6)
    gps[3] = "E"
    gps[4] = (36.0, 18.0, 36.0)
    return exif


def test_png_scan_is_ocred(tmp_path: Path, make_ctx, render_page, dejavu: Path) -> None:
    path = tmp_path / "scan.png"
    render_page(["Interrogation record of Branch 227"], dejavu).save(path)

    result = extract(path, make_ctx(ocr_languages="eng"))

    assert (result.media_type, result.mime) == ("image", "image/png")
    [page] = result.pages
    assert page.method == "ocr" and "Interrogation record" in page.text and "227" in page.text
    assert page.confidence is not None and page.confidence > 50
    assert result.metadata["width"] == 1400 and result.metadata["format"] == "PNG"


def test_jpeg_photo_keeps_exif_and_gps_and_reads_arabic(tmp_path: Path, make_ctx, render_page,
                                                        naskh: Path) -> None:
    path = tmp_path / "photo.jpg"
    render_page(["شعبة المخابرات العسكرية"], naskh, size=40).convert("RGB").save(
        path, quality=95, exif=_exif_with_gps())

    result = extract_image(path, make_ctx(ocr_languages="ara"))

    assert "المخابرات" in result.pages[0].text
    metadata = result.metadata
    assert metadata["exif"]["Make"] == "Canon" and metadata["exif"]["Model"] == "EOS 5D"
    assert metadata["datetime_original"] == "2013-08-21T06:12:34"
    assert metadata["gps"]["latitude"] == pytest.approx(33.52017, abs=1e-4)
    assert metadata["gps"]["longitude"] == pytest.approx(36.31, abs=1e-4)


def test_each_tiff_frame_is_a_page(tmp_path: Path, make_ctx, render_page,
                                   dejavu: Path) -> None:
    first = render_page(["First page of the file"], dejavu, width=900)
    second = render_page(["Second page names Branch 235"], dejavu, width=900)
    path = tmp_path / "scan.tif"
    first.save(path, save_all=True, append_images=[second], compression="tiff_deflate")

    result = extract(path, make_ctx(ocr_languages="eng"))

    assert [page.number for page in result.pages] == [1, 2]
    assert "First page" in result.pages[0].text
    assert "Branch 235" in result.pages[1].text
    assert result.metadata["frames"] == 2


def test_without_ocr_an_image_has_metadata_and_no_pages(tmp_path: Path, make_ctx) -> None:
    path = tmp_path / "photo.webp"
    Image.new("RGB", (64, 48), (200, 10, 10)).save(path)

    result = extract(path, make_ctx(ocr=False))

    assert result.mime == "image/webp" and result.pages == []
    assert result.metadata["ocr"] == "skipped" and result.metadata["height"] == 48


@pytest.mark.parametrize("fmt", ["GIF", "BMP"])
def test_other_formats_are_read(tmp_path: Path, make_ctx, fmt: str) -> None:
    path = tmp_path / f"blank.{fmt.lower()}"
    Image.new("L", (32, 32), 255).save(path, format=fmt)

    result = extract(path, make_ctx(ocr_languages="eng"))

    assert result.media_type == "image" and result.metadata["format"] == fmt
    assert result.pages[0].text == ""


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares its size honestly but holds almost no pixel data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def test_image_over_the_pixel_limit_is_a_bomb(tmp_path: Path, make_ctx) -> None:
    path = tmp_path / "huge.png"
    path.write_bytes(_png_header(3000, 2000))

    with pytest.raises(BombFile, match=r"3,000 × 2,000 pixels \(6 megapixels\).*limit of 1"):
        extract(path, make_ctx(max_image_pixels=1_000_000))


def test_absurd_dimensions_are_a_bomb_even_with_default_limits(tmp_path: Path, ctx) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header(100_000, 100_000))

    with pytest.raises(BombFile, match="pixels"):
        extract(path, ctx)


def test_truncated_image_is_corrupt(tmp_path: Path, make_ctx, render_page,
                                    dejavu: Path) -> None:
    whole = tmp_path / "whole.jpg"
    render_page(["Cut short"], dejavu).save(whole, quality=90)
    path = tmp_path / "cut.jpg"
    path.write_bytes(whole.read_bytes()[:1500])

    with pytest.raises(CorruptFile, match="truncated or damaged"):
        extract(path, make_ctx(ocr_languages="eng"))


def test_a_truncated_image_stays_corrupt_after_weasyprint_is_imported(
        tmp_path: Path, make_ctx, render_page, dejavu: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # WeasyPrint (the case reports) makes Pillow tolerate truncated files process-wide
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    whole = tmp_path / "whole.jpg"
    render_page(["Cut short"], dejavu).save(whole, quality=90)
    path = tmp_path / "cut.jpg"
    path.write_bytes(whole.read_bytes()[:1500])

    with pytest.raises(CorruptFile, match="truncated or damaged"):
        extract(path, make_ctx(ocr_languages="eng"))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # what it was set to is given back


def test_a_photo_stored_upside_down_is_read_upright(tmp_path: Path, make_ctx, render_page,
                                                    dejavu: Path) -> None:
    # A camera held upside down stores the pixels rotated and says so in EXIF (orientation
    # 3); the file cannot then be handed to Tesseract as it is.
    path = tmp_path / "upside-down.jpg"
    exif = Image.Exif()
    exif[0x0112] = 3
    render_page(["Transferred to Branch 227"], dejavu).rotate(180).save(path, quality=95,
                                                                        exif=exif)

    result = extract(path, make_ctx(ocr_languages="eng"))

    assert "Transferred to Branch 227" in result.pages[0].text
