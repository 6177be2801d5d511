"""Guessing the character encoding of text files, with Arabic legacy encodings in mind.

Leaked Syrian material is full of files written on Arabic Windows: windows-1256, not UTF-8.
Read as latin-1 or cp1252 they turn into "ÇáÝÑÚ" mojibake that no search will ever match,
so the order of evidence matters: a byte-order mark is certain, valid UTF-8 is almost certain
(random high bytes are rarely valid UTF-8), and only then do we guess among a short list of
single-byte encodings that this project's languages (Arabic, French, English) actually use.

The guess combines charset-normalizer (restricted to those candidates) with a plain check of
the result: Arabic letters should form Arabic words, Latin letters Latin words. A decoding
that glues Latin letters into Arabic words ("انلرظ لê") is the wrong one, whatever a
statistical model says.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

# Single-byte encodings worth considering, most likely first for this project's material.
LEGACY_CANDIDATES = ("cp1256", "cp1252", "iso8859_6", "latin_1")

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_WORD = re.compile(r"[^\W\d_]+")


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces, and the mark's length; None without one."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text without a BOM shows as a NUL in every other byte of mostly-ASCII text."""
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _is_utf8(sample: bytes, complete: bool) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        decoder.decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def plausibility(text: str) -> int:
    """A score of how much a decoded text looks like real Arabic, French or English words.

    Only non-ASCII letters carry evidence (ASCII reads the same in every candidate). A word of
    Arabic letters only, or of Latin letters only, earns its length; a word mixing the two
    scripts, or a C1 control or stray symbol, costs twice its length.
    """
    score = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        arabic = sum("\u0600" <= ch <= "\u06ff" for ch in word)
        latin = sum(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in word)
        if arabic == len(word):
            score += len(word)
        elif latin == len(word):
            # Accented capitals inside lower-case words ("tÃ©moin") are mojibake, not French.
            inner_capitals = sum(ch.isupper() and not ch.isascii() for ch in word[1:])
            score += len(word) - 3 * inner_capitals
        else:
            score -= 2 * len(word)
    for ch in text:
        if ch.isascii():
            continue
        category = unicodedata.category(ch)
        if category == "Cc" or category.startswith("S") or category == "Co":
            score -= 2
    return score


def guess_legacy_encoding(sample: bytes) -> str:
    """Choose among LEGACY_CANDIDATES for bytes that are neither UTF-8 nor UTF-16."""
    decoded: dict[str, str] = {}
    for name in LEGACY_CANDIDATES:
        try:
            decoded[name] = sample.decode(name)
        except UnicodeDecodeError:
            continue
    preferred: list[str] = []
    best = from_bytes(sample, cp_isolation=list(LEGACY_CANDIDATES)).best()
    if best is not None and best.encoding in decoded:
        preferred.append(best.encoding)
    preferred += [name for name in LEGACY_CANDIDATES if name in decoded and name not in preferred]
    # max() keeps the first of equals, so charset-normalizer's choice wins ties.
    return max(preferred, key=lambda name: plausibility(decoded[name]))


def sniff_encoding(sample: bytes, complete: bool) -> tuple[str, int]:
    """The encoding of a file from its first bytes, and how many leading bytes to skip (a BOM).

    `complete` says whether the sample is the whole file (so a multi-byte character cut at
    its end is an error, not an artefact of sampling).
    """
    bom = bom_encoding(sample)
    if bom is not None:
        return bom
    if _is_utf8(sample, complete):
        return ("ascii" if sample.isascii() else "utf-8"), 0
    utf16 = _utf16_without_bom(sample)
    if utf16 is not None:
        return utf16, 0
    return guess_legacy_encoding(sample), 0


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a whole byte string; returns (text, encoding name). Never raises.

    Bytes invalid in the chosen encoding become U+FFFD, so nothing is silently dropped.
    """
    encoding, skip = sniff_encoding(data, complete=True)
    return data[skip:].decode(encoding, errors="replace"), encoding


def looks_binary(text: str) -> bool:
    """True when decoded text is mostly control characters: a binary file, not text."""
    if not text:
        return False
    controls = sum(1 for ch in text
                   if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v\x1a")
    return controls > 0.01 * len(text) + 1 or text.count("\ufffd") > 0.05 * len(text) + 2
