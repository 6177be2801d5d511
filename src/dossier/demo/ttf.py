"""TrueType fonts for the fast PDF writer: shaping with HarfBuzz and per-document subsets.

fpdf2 with text shaping costs about 0.2 s per Arabic page, most of it in re-parsing the
font and running fontTools' subsetter for every document. The benchmark needs 134,000
PDFs, so this module parses each font once, shapes words through a cache, and builds the
embedded font of a document by copying the raw ``glyf`` records it uses (glyph ids are
kept, so composite glyphs need no rewriting and unused slots compress to nothing).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import uharfbuzz as hb

from dossier.demo.fonts import find_font

__all__ = ["ShapedGlyph", "TrueTypeFont", "load_font"]

# Composite glyph flags (OpenType spec, 'glyf' table).
_ARG_1_AND_2_ARE_WORDS = 0x0001
_WE_HAVE_A_SCALE = 0x0008
_MORE_COMPONENTS = 0x0020
_WE_HAVE_AN_X_AND_Y_SCALE = 0x0040
_WE_HAVE_A_TWO_BY_TWO = 0x0080

# Bracket pairs HarfBuzz mirrors in right-to-left runs. The glyph then shows the mirrored
# shape, and the text layer records that shape: extractors that rebuild logical order from
# positions (pdfium) mirror such characters back while reversing the run.
_MIRRORED = dict(zip("()[]{}<>«»", ")(][}{><»«", strict=True))

# Tables copied as they are into every subset; hinting programs are kept so that
# rasterisers that run them (FreeType in pdfium) see what the designer intended.
_COPIED_TABLES = ("OS/2", "cvt ", "fpgm", "prep")


class ShapedGlyph(NamedTuple):
    """One glyph out of HarfBuzz, in visual order; lengths in 1/1000 em."""

    gid: int
    text: str  # the characters this glyph stands for ("" for the extra glyphs of a cluster)
    advance: float
    x_offset: float
    y_offset: float
    font: TrueTypeFont


@dataclass(frozen=True)
class FontMetrics:
    """Vertical metrics in 1/1000 em, for line spacing and the PDF font descriptor."""

    ascent: float
    descent: float
    cap_height: float
    bbox: tuple[int, int, int, int]


def _table_checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return int(np.frombuffer(padded, dtype=">u4").sum(dtype=np.uint64)) & 0xFFFFFFFF


class TrueTypeFont:
    """A TrueType font parsed once, able to shape text and to write subsets of itself."""

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name = name
        self.data = path.read_bytes()
        self.tables = self._read_directory()
        head = self.tables["head"]
        self.upem: int = struct.unpack(">H", head[18:20])[0]
        self._long_loca = struct.unpack(">h", head[50:52])[0] == 1
        self.num_glyphs: int = struct.unpack(">H", self.tables["maxp"][4:6])[0]
        hhea = self.tables["hhea"]
        ascender, descender = struct.unpack(">hh", hhea[4:8])
        num_hmetrics = struct.unpack(">H", hhea[34:36])[0]
        self._hmtx = self._read_hmtx(num_hmetrics)
        self._hmtx_array = np.asarray([(a, lsb & 0xFFFF) for a, lsb in self._hmtx], dtype=">u2")
        self._advances = [round(adv * 1000 / self.upem) for adv, _ in self._hmtx]
        self._loca = self._read_loca()
        xmin, ymin, xmax, ymax = struct.unpack(">hhhh", head[36:44])
        scale = 1000 / self.upem
        os2 = self.tables.get("OS/2", b"")
        cap = struct.unpack(">h", os2[88:90])[0] if len(os2) >= 90 else ascender
        self.metrics = FontMetrics(
            ascent=ascender * scale,
            descent=descender * scale,
            cap_height=cap * scale,
            bbox=(
                round(xmin * scale),
                round(ymin * scale),
                round(xmax * scale),
                round(ymax * scale),
            ),
        )
        self._hb_font = hb.Font(hb.Face(hb.Blob(self.data)))
        self._shape_cache: dict[tuple[str, bool], tuple[ShapedGlyph, ...]] = {}
        self._components: dict[int, tuple[int, ...]] = {}
        self._coverage: dict[str, bool] = {}

    # -- parsing ---------------------------------------------------------------------------

    def _read_directory(self) -> dict[str, bytes]:
        num_tables = struct.unpack(">H", self.data[4:6])[0]
        tables: dict[str, bytes] = {}
        for i in range(num_tables):
            entry = self.data[12 + 16 * i : 28 + 16 * i]
            tag = entry[:4].decode("latin-1")
            _, offset, length = struct.unpack(">III", entry[4:])
            tables[tag] = self.data[offset : offset + length]
        missing = {"head", "hhea", "hmtx", "loca", "glyf", "maxp"} - tables.keys()
        if missing:
            raise ValueError(f"{self.path} is not a TrueType-outline font (lacks {missing})")
        return tables

    def _read_hmtx(self, num_hmetrics: int) -> list[tuple[int, int]]:
        raw = self.tables["hmtx"]
        metrics = [struct.unpack(">Hh", raw[4 * i : 4 * i + 4]) for i in range(num_hmetrics)]
        last_advance = metrics[-1][0]
        base = 4 * num_hmetrics
        for i in range(self.num_glyphs - num_hmetrics):
            lsb = struct.unpack(">h", raw[base + 2 * i : base + 2 * i + 2])[0]
            metrics.append((last_advance, lsb))
        return metrics

    def _read_loca(self) -> list[int]:
        raw = self.tables["loca"]
        count = self.num_glyphs + 1
        if self._long_loca:
            return list(struct.unpack(f">{count}I", raw[: 4 * count]))
        return [2 * v for v in struct.unpack(f">{count}H", raw[: 2 * count])]

    def glyph_record(self, gid: int) -> bytes:
        return self.tables["glyf"][self._loca[gid] : self._loca[gid + 1]]

    def components(self, gid: int) -> tuple[int, ...]:
        """Glyph ids a composite glyph is built from (recursively), cached."""
        found = self._components.get(gid)
        if found is not None:
            return found
        record = self.glyph_record(gid)
        direct: list[int] = []
        if len(record) >= 10 and struct.unpack(">h", record[:2])[0] < 0:
            pos = 10
            while True:
                flags, component = struct.unpack(">HH", record[pos : pos + 4])
                direct.append(component)
                pos += 4 + (4 if flags & _ARG_1_AND_2_ARE_WORDS else 2)
                if flags & _WE_HAVE_A_SCALE:
                    pos += 2
                elif flags & _WE_HAVE_AN_X_AND_Y_SCALE:
                    pos += 4
                elif flags & _WE_HAVE_A_TWO_BY_TWO:
                    pos += 8
                if not flags & _MORE_COMPONENTS:
                    break
        closure: list[int] = []
        for component in direct:
            closure.append(component)
            closure.extend(self.components(component))
        result = tuple(dict.fromkeys(closure))
        self._components[gid] = result
        return result

    def advance(self, gid: int) -> int:
        """Advance width from ``hmtx`` in 1/1000 em, rounded: what the PDF /W array says."""
        return self._advances[gid]

    # -- shaping ---------------------------------------------------------------------------

    def shape(self, text: str, rtl: bool) -> tuple[ShapedGlyph, ...]:
        """Shape one directional run; glyphs come back in visual (left-to-right) order.

        Every glyph carries the characters it stands for, so the PDF text layer can map it
        back. Two adjustments keep pdfium's position-based reordering exact: a ligature in
        a right-to-left run lists its characters right to left (pdfium reverses them, as
        it reverses the run), and when contextual alternates insert a glyph with no
        character of its own (Amiri adds a kashida between lam and kaf) the run is shaped
        again without them, since pdfium would invent a character for such a glyph.
        """
        key = (text, rtl)
        cached = self._shape_cache.get(key)
        if cached is not None:
            return cached
        if not text:
            return ()
        result = self._shape(text, rtl, {})
        if any(not g.text for g in result):
            result = self._shape(text, rtl, {"calt": False})
        if len(self._shape_cache) > 50_000:
            self._shape_cache.clear()
        self._shape_cache[key] = result
        return result

    def _shape(self, text: str, rtl: bool, features: dict[str, bool]) -> tuple[ShapedGlyph, ...]:
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        buf.direction = "rtl" if rtl else "ltr"
        buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
        hb.shape(self._hb_font, buf, features)
        infos, positions = buf.glyph_infos, buf.glyph_positions
        scale = 1000 / self.upem
        boundaries = sorted({info.cluster for info in infos}) + [len(text)]
        next_boundary = dict(zip(boundaries, boundaries[1:], strict=False))
        texts: dict[int, str] = {}
        seen: set[int] = set()
        # A cluster's characters go to its logically first glyph, so that extraction
        # yields each character exactly once.
        for i in reversed(range(len(infos))) if rtl else range(len(infos)):
            cluster = infos[i].cluster
            if cluster not in seen:
                seen.add(cluster)
                chars = text[cluster : next_boundary[cluster]]
                if rtl:
                    chars = _MIRRORED.get(chars, chars[::-1])
                texts[i] = chars
        return tuple(
            ShapedGlyph(
                gid=info.codepoint,
                text=texts.get(i, ""),
                advance=pos.x_advance * scale,
                x_offset=pos.x_offset * scale,
                y_offset=pos.y_offset * scale,
                font=self,
            )
            for i, (info, pos) in enumerate(zip(infos, positions, strict=True))
        )

    def covers(self, char: str) -> bool:
        """Whether the font has a glyph for ``char`` (Noto Naskh Arabic lacks "/" and "—")."""
        found = self._coverage.get(char)
        if found is None:
            found = self._hb_font.get_nominal_glyph(ord(char)) is not None
            self._coverage[char] = found
        return found

    def width(self, text: str, rtl: bool) -> float:
        """Width of a run in 1/1000 em."""
        return sum(g.advance for g in self.shape(text, rtl))

    # -- subsetting ------------------------------------------------------------------------

    def subset(self, gids: set[int]) -> bytes:
        """A TrueType program holding only ``gids`` (and their components), ids unchanged."""
        keep = {0}
        for gid in gids:
            keep.add(gid)
            keep.update(self.components(gid))
        kept = sorted(keep)
        records = [self.glyph_record(gid) for gid in kept]
        padded = [r + b"\0" * (-len(r) % 4) for r in records]
        lengths = np.zeros(self.num_glyphs + 1, dtype=np.int64)
        lengths[np.asarray(kept) + 1] = [len(r) for r in padded]
        loca = np.cumsum(lengths).astype(">u4")
        hmtx = np.zeros((self.num_glyphs, 2), dtype=">u2")
        hmtx[kept] = self._hmtx_array[kept]
        head = bytearray(self.tables["head"])
        head[8:12] = b"\0\0\0\0"  # checkSumAdjustment, fixed below
        head[50:52] = struct.pack(">h", 1)  # long loca offsets
        hhea = bytearray(self.tables["hhea"])
        hhea[34:36] = struct.pack(">H", self.num_glyphs)
        tables: dict[str, bytes] = {
            "glyf": b"".join(padded),
            "head": bytes(head),
            "hhea": bytes(hhea),
            "hmtx": hmtx.tobytes(),
            "loca": loca.tobytes(),
            "maxp": self.tables["maxp"],
            "post": struct.pack(">IIhhIIIII", 0x00030000, 0, 0, 0, 0, 0, 0, 0, 0),
        }
        for tag in _COPIED_TABLES:
            if tag in self.tables:
                tables[tag] = self.tables[tag]
        return _assemble(tables)


def _assemble(tables: dict[str, bytes]) -> bytes:
    tags = sorted(tables)
    count = len(tags)
    entry_selector = max(count.bit_length() - 1, 0)
    search_range = (1 << entry_selector) * 16
    header = struct.pack(
        ">IHHHH", 0x00010000, count, search_range, entry_selector, count * 16 - search_range
    )
    offset = 12 + 16 * count
    directory = bytearray()
    body = bytearray()
    for tag in tags:
        data = tables[tag]
        directory += struct.pack(
            ">4sIII", tag.encode("latin-1"), _table_checksum(data), offset + len(body), len(data)
        )
        body += data + b"\0" * (-len(data) % 4)
    font = bytearray(header + directory + body)
    adjustment = (0xB1B0AFBA - _table_checksum(bytes(font))) & 0xFFFFFFFF
    head_offset = (
        12
        + 16 * count
        + sum(len(tables[t]) + (-len(tables[t]) % 4) for t in tags[: tags.index("head")])
    )
    font[head_offset + 8 : head_offset + 12] = struct.pack(">I", adjustment)
    return bytes(font)


@cache
def load_font(key: str) -> TrueTypeFont:
    """The font ``key`` (see :mod:`dossier.demo.fonts`), parsed once per process."""
    return TrueTypeFont(find_font(key), key)


def deflate(data: bytes, level: int = 6) -> bytes:
    """zlib at a fixed level, so the same input always gives the same bytes."""
    return zlib.compress(data, level)
