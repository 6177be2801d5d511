"""Optical character recognition with the `tesseract` command.

The command line, not a Python binding: it is what the distribution packages, it needs no
compiler, and a crash or a hang in it costs one subprocess, not the worker. One run writes the
text and the word table (TSV) together; the TSV gives the mean word confidence that is kept
with every OCR page. OMP_THREAD_LIMIT=1 because parallelism comes from Dossier's worker
processes, and OpenMP threads inside each of them only fight for the same cores.

Mixed language lists cost accuracy on Arabic: with "ara+eng+fra", Tesseract reads some
Arabic words in a calligraphic face (Amiri, close to the "Traditional Arabic" of Syrian
typewritten forms) as Latin garbage ("CB" for المخابرات). Reading with "ara" alone avoids that
but turns every English line into Arabic garbage. So a page with Arabic on it is read twice
and the readings are merged line by line (`ocr_lines`): Arabic lines from the Arabic-only
reading, the others from the better one. Measured on clean renders (six lines; Amiri, Noto
Naskh, DejaVu; 24-44 px), the mean character error rate went from 6.0 % (one pass with
ara+eng+fra) to 3.4 % (Amiri alone: 10.4 % to 2.9 %); on pages mixing Arabic and English
lines, where "ara" alone scored 36-38 %, it stayed at or below the single pass (3.6-6.8 %).
The second pass costs about half as much again (a 300 dpi A4 page of 30 lines: 1.4-2.0 s,
then 2.5-3.1 s in all). The page's `tool` says when lines were re-read.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image

from dossier.ingest.model import OcrFailed
from dossier.ingest.ocr_digits import DigitCorrection, correct_digits
from dossier.ingest.ocr_lines import merge_readings, parse_lines

ARABIC_SCRIPT_LANGUAGES = frozenset({"ara", "fas", "urd", "pus", "snd", "uig", "kur_ara"})
# A page needs this many Arabic letters in its first reading to be read again in Arabic.
MIN_ARABIC_LETTERS = 20

# Above this many pixels an image is scaled down before OCR: Tesseract's time grows with the
# pixel count while text in a photograph of that size is already far above 300 dpi.
MAX_OCR_PIXELS = 40_000_000

# Bidirectional control marks Tesseract puts around Latin runs inside Arabic lines; they are
# invisible and would split search tokens ("\u200e251\u200f").
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                                         "\u2066\u2067\u2068\u2069"))


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


def _mean_word_confidence(tsv: str) -> float:
    confidences = []
    for line in tsv.splitlines()[1:]:
        columns = line.split("\t")
        if len(columns) < 12 or columns[0] != "5" or not columns[11].strip():
            continue
        try:
            confidence = float(columns[10])
        except ValueError:
            continue
        if confidence >= 0:
            confidences.append(confidence)
    return sum(confidences) / len(confidences) if confidences else 0.0


def _run(source: Path, languages: str, timeout: float) -> tuple[str, str]:
    """One Tesseract run over an image file: (text, TSV word table)."""
    _check_languages(languages)
    with tempfile.TemporaryDirectory(prefix="dossier-ocr-") as folder:
        outbase = Path(folder) / "out"
        command = ["tesseract", str(source), str(outbase), "-l", languages, "--psm", "3",
                   "txt", "tsv"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                  env=_environment(), check=False)
        except subprocess.TimeoutExpired as exc:
            raise OcrFailed(f"OCR took longer than {timeout:g} s on one page and was "
                            "stopped") from exc
        except OSError as exc:
            raise OcrFailed(f"Tesseract could not be started: {exc}") from exc
        text_file, tsv_file = outbase.with_suffix(".txt"), outbase.with_suffix(".tsv")
        if done.returncode != 0 or not text_file.exists():
            detail = " ".join(done.stderr.split())[-300:] or f"exit status {done.returncode}"
            raise OcrFailed(f"Tesseract failed on the page image: {detail}")
        text = text_file.read_text(encoding="utf-8", errors="replace")
        tsv = tsv_file.read_text(encoding="utf-8", errors="replace") if tsv_file.exists() else ""
    return text.replace("\f", "").strip(), tsv


def ocr_image(image: Image.Image | Path, languages: str, timeout: float) -> tuple[str, float]:
    """Tesseract's text of an image and its mean word confidence (0-100), in one run.

    A Path must name a file Tesseract can read (PNG, JPEG, TIFF...); an Image is written to a
    temporary PNG. Raises OcrFailed when Tesseract fails, is missing, or exceeds `timeout`.
    """
    if not isinstance(image, Image.Image):
        text, tsv = _run(Path(image), languages, timeout)
        return text, _mean_word_confidence(tsv)
    with tempfile.TemporaryDirectory(prefix="dossier-page-") as folder:
        source = Path(folder) / "page.png"
        prepare_for_ocr(image).save(source, compress_level=1)
        text, tsv = _run(source, languages, timeout)
    return text, _mean_word_confidence(tsv)


def _arabic_letters(text: str) -> int:
    return sum(1 for ch in text if "\u0621" <= ch <= "\u064a" or "\u0671" <= ch <= "\u06d3")


def recognise(image: Image.Image, languages: str, timeout: float) -> OcrText:
    """OCR one page image the way Dossier keeps it (see the module docstring).

    A page with Arabic on it is read a second time with the Arabic-script languages alone and
    the two readings are merged line by line (`ocr_lines.merge_readings`); if the second run
    fails, the first reading stands. Bidirectional control marks are
    then removed and misread Arabic-Indic numbers repaired (`ocr_digits`); the repairs are
    returned so the caller can record them.
    """
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="dossier-page-") as folder:
        source = Path(folder) / "page.png"
        prepare_for_ocr(image).save(source, compress_level=1)
        text, tsv = _run(source, languages, timeout)
        confidence = _mean_word_confidence(tsv)
        tool = tesseract_tool(languages)
        arabic = "+".join(code for code in languages.split("+")
                          if code in ARABIC_SCRIPT_LANGUAGES)
        remaining = timeout - (time.monotonic() - started)
        if arabic and arabic != languages and _arabic_letters(text) >= MIN_ARABIC_LETTERS \
                and remaining > 1:
            try:
                _second_text, second_tsv = _run(source, arabic, remaining)
            except OcrFailed:
                second_tsv = ""  # the first reading stands
            if second_tsv:
                merged, merged_confidence, taken = merge_readings(parse_lines(tsv),
                                                                  parse_lines(second_tsv))
                if taken:
                    text, confidence = merged, merged_confidence
                    tool = f"{tool}, Arabic lines read again with {arabic}"
    text = text.translate(_BIDI_CONTROLS)
    text, corrections = correct_digits(text)
    return OcrText(text=text, confidence=round(confidence, 2), languages=languages,
                   tool=tool, corrections=corrections)
