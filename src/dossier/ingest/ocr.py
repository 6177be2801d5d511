"""Optical character recognition with the `tesseract` command.

The command line, not a Python binding: it is what the distribution packages, it needs no
compiler, and a crash or a hang in it costs one subprocess, not the worker. One run writes
hOCR with a box for every character (see `ocr_lines`, which puts words and digits in reading
order from those boxes) and the mean word confidence kept with every OCR page.
OMP_THREAD_LIMIT=1 because parallelism comes from Dossier's worker processes, and OpenMP
threads inside each of them only fight for the same cores.

Which model reads a page, measured on the demo leak's scans (150-200 dpi renders of Arabic
memos and forms, clean and degraded; character error rate against the truth; first on 16
Arabic pages while choosing, then on all 69 with bench/bench_ocr.py):

* "ara+eng+fra" in one pass (page segmentation 3): 22 % clean, 14 % degraded (bench: 24.7 %
  and 25.6 %); the Debian `ara` model cannot even emit the Arabic-Indic digits ٢ to ٩. The
  former scheme read Arabic pages a second time with `ara` alone and merged the lines: twice
  the time.
* The Arabic *script* model `Arabic` (tesseract-ocr-script-arab) alone: 19 % / 9 % with
  segmentation 3, and 12.6 % / 7.4 % with segmentation 4 (one column of lines of varying
  size), because mode 3 cut the forms into columns and read the table cells out of order.
  It knows all the Arabic-Indic digits (as their Persian forms, mapped back here) and reads
  the Latin lines of these pages as well: on scanned English and French pages 0.4-3.8 %,
  as good as eng+fra.
* "Arabic+eng" was worse than `Arabic` alone (23-31 %): Arabic words went to Latin garbage.
* Upscaling 150 dpi scans to 225 or 300 dpi made it worse (15.7 % and 19.2 % clean) and
  slower; so did blurring or a median filter. Images are read at their own resolution (and
  scanned PDF pages rendered at theirs, see `pdf`).
* Putting the words in reading order from the character boxes (`ocr_lines`) took the bench
  from 11.8 % / 16.0 % (Tesseract's own text, same run) to 6.4 % / 10.8 %.
* Telling Tesseract the page's resolution (`--dpi`, see `ocr_resolution`) instead of letting
  it estimate one from a file that does not say: 5.6 % / 10.2 % → 5.4 % / 7.2 % with all of
  the above, and English degraded scans 3.8 % → 0.9 %.
* Leaving out the words that are only vertical bars (`ocr_lines.without_rules`: Tesseract's
  reading of the ruled lines of tables and forms): 5.4 % / 7.2 % → 5.0 % / 6.9 %.

So when the configured languages include an Arabic-script one and the script model is
installed, the page is read once with `Arabic` (plus any configured language other than
those and eng/fra); otherwise once with the configured languages. The model misreads the
Arabic forms of the digits (about a third of the unit numbers right), so on Arabic pages the
numbers are read again from the page image, glyph by glyph (`ocr_numbers`): 69 of 91 unit
numbers right, CER 5.7 % clean and 10.4 % degraded (5.4 % and 7.2 %, 72 of 91, once told the
resolution; 4.7 % and 6.4 %, 75 of 91, with the rules left out and the Latin look-alikes of
digits read again, see `ocr_numbers`; 4.3 % and 5.9 %, 83 of 91, with the digits told
apart by a classifier, `ocr_glyphs`, and the numbers of right-to-left lines put in logical
order, `ocr_lines`). What is left is mostly the model's: meem
lost in the ligatures of Naskh faces (المخابرات read الخابرات), Arabic letters misread.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image

from dossier.ingest.model import OcrFailed
from dossier.ingest.ocr_dashes import em_dashes
from dossier.ingest.ocr_digits import DigitCorrection, correct_digits, persian_forms_to_arabic
from dossier.ingest.ocr_lines import (
    OcrLine,
    OcrWord,
    lines_text,
    lines_text_with_offsets,
    mean_confidence,
    parse_hocr,
    without_rules,
)
from dossier.ingest.ocr_numbers import number_reader, reread_numbers
from dossier.ingest.ocr_page import PageGrey
from dossier.ingest.ocr_resolution import page_resolution
from dossier.ingest.ocr_words import (
    arabic_commas,
    capital_i,
    restore_ligature_letters,
    shift_offsets,
)

ARABIC_SCRIPT_LANGUAGES = frozenset({"ara", "fas", "urd", "pus", "snd", "uig", "kur_ara"})
# Tesseract's script model for Arabic: all Arabic-Indic digits, and Latin letters too.
ARABIC_SCRIPT_MODEL = "Arabic"
# Latin-script languages the script model read well enough on its own (see above).
_READ_BY_SCRIPT_MODEL = ARABIC_SCRIPT_LANGUAGES | {"eng", "fra"}
# Languages that write Persian-form digits and letters; in any other Arabic text they are
# Arabic ones the script model wrote in their Persian forms (see `ocr_digits`).
_PERSIAN_DIGIT_LANGUAGES = frozenset({"fas", "urd", "pus", "snd", "uig", "kur_ara"})
# One column of text lines of varying size: the layout of memos, forms and lists.
PAGE_SEGMENTATION = "4"

# Above this many pixels an image is scaled down before OCR: Tesseract's time grows with the
# pixel count while text in a photograph of that size is already far above 300 dpi.
MAX_OCR_PIXELS = 40_000_000


@dataclass
class OcrText:
    """The recognised text of one image, ready to become a page."""

    text: str
    confidence: float
    languages: str
    tool: str
    corrections: list[DigitCorrection] = field(default_factory=list)


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


@cache
def tesseract_version() -> str:
    """The version of the installed Tesseract ("5.3.0"); raises OcrFailed when it is missing."""
    try:
        done = subprocess.run(["tesseract", "--version"], capture_output=True, text=True,
                              timeout=30, env=_environment(), check=False)
    except FileNotFoundError as exc:
        raise OcrFailed("Tesseract is not installed (the `tesseract` command was not found); "
                        "install the tesseract-ocr package to read scanned pages") from exc
    except subprocess.TimeoutExpired as exc:
        raise OcrFailed("`tesseract --version` did not answer within 30 s") from exc
    first = (done.stdout or done.stderr).strip().splitlines()
    return first[0].split()[-1] if first else "unknown"


@cache
def installed_languages() -> frozenset[str]:
    done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                          timeout=30, env=_environment(), check=False)
    lines = (done.stdout or done.stderr).strip().splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def tesseract_tool(languages: str) -> str:
    """The tool string kept with an OCR page, e.g. "tesseract 5.3.0 ara+eng+fra"."""
    return f"tesseract {tesseract_version()} {languages}"


def _check_languages(languages: str) -> None:
    tesseract_version()
    missing = [code for code in languages.split("+") if code not in installed_languages()]
    if missing:
        installed = ", ".join(sorted(installed_languages())) or "none"
        raise OcrFailed(f"Tesseract has no language data for {', '.join(missing)} "
                        f"(installed: {installed}); install tesseract-ocr-{missing[0]} "
                        "or change the OCR languages")


def prepare_for_ocr(image: Image.Image) -> Image.Image:
    """Greyscale or RGB on a white background, at most MAX_OCR_PIXELS.

    Transparent pixels are flattened onto white first: a PNG with black text on a transparent
    background would otherwise become black on black.
    """
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba).convert("RGB")
    elif image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    elif image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    pixels = image.width * image.height
    if pixels > MAX_OCR_PIXELS:
        ratio = (MAX_OCR_PIXELS / pixels) ** 0.5
        image = image.resize((max(1, int(image.width * ratio)), max(1, int(image.height * ratio))),
                             Image.Resampling.LANCZOS)
    return image


def _run(source: Path, languages: str, timeout: float, dpi: int | None = None) -> str:
    """One Tesseract run over an image file: its hOCR, with character boxes. ``dpi``, when
    known, is the image's resolution (see `ocr_resolution`)."""
    _check_languages(languages)
    with tempfile.TemporaryDirectory(prefix="dossier-ocr-") as folder:
        outbase = Path(folder) / "out"
        command = ["tesseract", str(source), str(outbase), "-l", languages,
                   "--psm", PAGE_SEGMENTATION, *(["--dpi", str(dpi)] if dpi else []),
                   "-c", "hocr_char_boxes=1", "hocr"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                  env=_environment(), check=False)
        except subprocess.TimeoutExpired as exc:
            raise OcrFailed(f"OCR took longer than {timeout:g} s on one page and was "
                            "stopped") from exc
        except OSError as exc:
            raise OcrFailed(f"Tesseract could not be started: {exc}") from exc
        hocr_file = outbase.with_suffix(".hocr")
        if done.returncode != 0 or not hocr_file.exists():
            detail = " ".join(done.stderr.split())[-300:] or f"exit status {done.returncode}"
            raise OcrFailed(f"Tesseract failed on the page image: {detail}")
        return hocr_file.read_text(encoding="utf-8", errors="replace")


def _read(source: Path, languages: str, timeout: float, dpi: int | None) -> list[OcrLine]:
    try:
        return without_rules(parse_hocr(_run(source, languages, timeout, dpi)))
    except ET.ParseError as exc:
        raise OcrFailed(f"Tesseract wrote hOCR that cannot be parsed: {exc}") from exc


def _page_lines(image: Image.Image | Path, languages: str, timeout: float) -> list[OcrLine]:
    dpi = page_resolution(image)
    if not isinstance(image, Image.Image):
        return _read(Path(image), languages, timeout, dpi)
    with tempfile.TemporaryDirectory(prefix="dossier-page-") as folder:
        source = Path(folder) / "page.png"
        prepared = prepare_for_ocr(image)
        if dpi and prepared.width != image.width:  # scaled down: so is its resolution
            dpi = max(1, round(dpi * prepared.width / image.width))
        prepared.save(source, compress_level=1)
        return _read(source, languages, timeout, dpi)


def ocr_image(image: Image.Image | Path, languages: str, timeout: float) -> tuple[str, float]:
    """Tesseract's text of an image, in reading order, and its mean word confidence (0-100),
    in one run with exactly `languages`.

    A Path must name a file Tesseract can read (PNG, JPEG, TIFF...); an Image is written to a
    temporary PNG. Raises OcrFailed when Tesseract fails, is missing, or exceeds `timeout`.
    """
    lines = _page_lines(image, languages, timeout)
    return lines_text(lines), mean_confidence(lines)


def reading_languages(languages: str) -> str:
    """The Tesseract models that read a page for the configured `languages`: the Arabic
    script model in place of the languages it covers, when it is installed and needed."""
    codes = languages.split("+")
    if not any(code in ARABIC_SCRIPT_LANGUAGES for code in codes) \
            or ARABIC_SCRIPT_MODEL not in installed_languages():
        return languages
    rest = [code for code in codes if code not in _READ_BY_SCRIPT_MODEL]
    return "+".join([ARABIC_SCRIPT_MODEL, *rest])


def recognise(image: Image.Image | Path, languages: str, timeout: float) -> OcrText:
    """OCR one page image the way Dossier keeps it (see the module docstring).

    `image` may be the path of a file Tesseract reads as it is (see `ocr_image`), which spares
    writing it again. One Tesseract run with `reading_languages(languages)`; the text comes in
    reading order (`ocr_lines`); dashes as long as an em dash are written as one (`ocr_dashes`);
    on Arabic pages the numbers are read again from the image (`ocr_numbers`); Persian-form
    digits, yeh and kaf become Arabic ones unless a configured language writes them; misread
    Arabic-Indic numbers are repaired (`ocr_digits`); letters lost in ligatures are put back in
    the words of official letters, and a Latin word's capital I read as l (`ocr_words`). The
    re-readings and repairs are returned, so the caller can record them.
    """
    models = reading_languages(languages)
    lines = _page_lines(image, models, timeout)
    confidence = mean_confidence(lines)
    codes = set(languages.split("+"))
    arabic_digits = bool(codes & ARABIC_SCRIPT_LANGUAGES and not codes & _PERSIAN_DIGIT_LANGUAGES)
    reread: list[tuple[OcrWord, OcrWord]] = []
    numbers: list[tuple[OcrWord, OcrWord]] = []
    if codes & ARABIC_SCRIPT_LANGUAGES:
        page = PageGrey((lambda: prepare_for_ocr(image)) if isinstance(image, Image.Image)
                        else Path(image))
        lines, reread = em_dashes(lines, page)
        if arabic_digits:
            lines, numbers = reread_numbers(page, lines)
            reread += numbers
    text, offsets = lines_text_with_offsets(lines)
    # the re-read words, recorded like the repairs: Tesseract's word, where the new one stands
    corrections = [DigitCorrection(offsets[id(after)], persian_forms_to_arabic(before.text),
                                   after.text) for before, after in reread]
    if arabic_digits:
        text = persian_forms_to_arabic(text)
    text, repairs = correct_digits(text)
    corrections += repairs
    if arabic_digits:
        text, restored = restore_ligature_letters(text)
        text, commas = arabic_commas(text)  # one sign for one: no offset moves
        corrections = sorted(shift_offsets(corrections, restored) + restored + commas,
                             key=lambda correction: correction.offset)
    text, capitals = capital_i(text)  # one letter for one, as the commas
    if capitals:
        corrections = sorted(corrections + capitals, key=lambda correction: correction.offset)
    tool = tesseract_tool(models)
    if models != languages:
        tool = f"{tool} (for {languages})"
    tool = f"{tool}, psm {PAGE_SEGMENTATION}"
    if numbers:
        tool = f"{tool}; numbers re-read by {number_reader()}"
    return OcrText(text=text, confidence=round(confidence, 2), languages=languages,
                   tool=tool, corrections=corrections)
