"""A minimal, fast and deterministic PDF writer for pre-shaped text, lines and images.

Why not fpdf2 for everything: with text shaping it re-shapes each character while breaking
lines and subsets the font with fontTools on output (~0.2 s per page), which cannot make
134,000 benchmark PDFs. Here text arrives already shaped (see :mod:`dossier.demo.ttf`),
glyphs are written as CIDs with a ToUnicode map (so extractors get the characters back)
and every byte depends only on the input: no clock, no random ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from dossier.demo.ttf import ShapedGlyph, TrueTypeFont, deflate

__all__ = ["A4", "PageCanvas", "PdfWriter", "pdf_date"]

A4 = (595.28, 841.89)


def pdf_date(moment: datetime) -> str:
    """A PDF date string (``D:YYYYMMDDHHmmSSZ``) for a fixed, reproducible moment."""
    return "D:" + moment.strftime("%Y%m%d%H%M%S") + "Z"


def _pdf_string(text: str) -> bytes:
    """A PDF text string: UTF-16BE with BOM, hex-encoded, so any script survives."""
    return b"<" + ("\ufeff" + text).encode("utf-16-be").hex().upper().encode() + b">"


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass
class _FontUse:
    """What one document uses of one font: CIDs handed out per (glyph id, text)."""

    font: TrueTypeFont
    resource: str
    cids: dict[tuple[int, str], int] = field(default_factory=dict)

    def cid(self, glyph: ShapedGlyph) -> int:
        key = (glyph.gid, glyph.text)
        found = self.cids.get(key)
        if found is None:
            found = len(self.cids) + 1  # CID 0 stays .notdef
            self.cids[key] = found
        return found


@dataclass
class _Image:
    resource: str
    data: bytes
    width: int
    height: int
    color_space: str
    filter: str


class PageCanvas:
    """Drawing operations of one page, in PDF user space (points, origin bottom-left)."""

    def __init__(self, writer: PdfWriter, width: float, height: float) -> None:
        self._writer = writer
        self.width = width
        self.height = height
        self._ops: list[str] = []
        self._fonts: set[str] = set()
        self._images: list[str] = []

    def glyphs(self, size: float, x: float, y: float, run: Sequence[ShapedGlyph]) -> None:
        """Draw shaped glyphs (visual order) with the pen starting at ``x`` on baseline ``y``.

        Each glyph names its font; a change of font or of vertical offset (Arabic cursive
        attachment) starts a new positioned segment, within which TJ adjustments place
        every glyph where HarfBuzz put it.
        """
        if not run:
            return
        ops = self._ops
        ops.append("BT")
        scale = size / 1000
        pen = 0.0
        current_font = ""
        i = 0
        while i < len(run):
            first = run[i]
            use = self._writer._font_use(first.font)
            if use.resource != current_font:
                self._fonts.add(use.resource)
                ops.append(f"/{use.resource} {_num(size)} Tf")
                current_font = use.resource
            y_offset = first.y_offset
            start_x = x + (pen + first.x_offset) * scale
            parts: list[str] = []
            while i < len(run) and run[i].y_offset == y_offset and run[i].font is first.font:
                glyph = run[i]
                parts.append(f"<{use.cid(glyph):04X}>")
                nxt = run[i + 1] if i + 1 < len(run) else None
                if nxt is not None and nxt.y_offset == y_offset and nxt.font is first.font:
                    shift = (
                        glyph.x_offset
                        + first.font.advance(glyph.gid)
                        - glyph.advance
                        - nxt.x_offset
                    )
                    if abs(shift) > 0.005:
                        parts.append(_num(shift))
                pen += glyph.advance
                i += 1
            ops.append(
                f"1 0 0 1 {_num(start_x)} {_num(y + y_offset * scale)} Tm [{' '.join(parts)}] TJ"
            )
        ops.append("ET")

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.6) -> None:
        self._ops.append(f"{_num(width)} w {_num(x1)} {_num(y1)} m {_num(x2)} {_num(y2)} l S")

    def rect(self, x: float, y: float, w: float, h: float, width: float = 0.6) -> None:
        self._ops.append(f"{_num(width)} w {_num(x)} {_num(y)} {_num(w)} {_num(h)} re S")

    def image(
        self,
        data: bytes,
        pixel_size: tuple[int, int],
        box: tuple[float, float, float, float],
        *,
        color_space: str = "DeviceGray",
        filter: str = "DCTDecode",
    ) -> None:
        """Place an encoded image (JPEG for ``DCTDecode``, raw zlib for ``FlateDecode``)."""
        resource = self._writer._add_image(data, pixel_size, color_space, filter)
        self._images.append(resource)
        x, y, w, h = box
        self._ops.append(f"q {_num(w)} 0 0 {_num(h)} {_num(x)} {_num(y)} cm /{resource} Do Q")

    def content(self) -> bytes:
        return "\n".join(self._ops).encode("ascii")


class PdfWriter:
    """Collects pages and writes one PDF file; output depends only on what was drawn."""

    def __init__(
        self,
        *,
        title: str,
        created: datetime,
        author: str = "",
        producer: str = "Dossier synthetic document generator",
        page_size: tuple[float, float] = A4,
        compress: bool = True,
    ) -> None:
        self.title = title
        self.created = created
        self.author = author
        self.producer = producer
        self.page_size = page_size
        self.compress = compress
        self.pages: list[PageCanvas] = []
        self._fonts: dict[str, _FontUse] = {}
        self._images: list[_Image] = []

    def add_page(self) -> PageCanvas:
        page = PageCanvas(self, *self.page_size)
        self.pages.append(page)
        return page

    def _font_use(self, font: TrueTypeFont) -> _FontUse:
        use = self._fonts.get(font.name)
        if use is None:
            use = _FontUse(font, f"F{len(self._fonts) + 1}")
            self._fonts[font.name] = use
        return use

    def _add_image(self, data: bytes, size: tuple[int, int], color_space: str, filter: str) -> str:
        resource = f"Im{len(self._images) + 1}"
        self._images.append(_Image(resource, data, size[0], size[1], color_space, filter))
        return resource

    # -- serialisation ---------------------------------------------------------------------

    def output(self) -> bytes:
        objects: list[bytes] = []

        def reserve() -> int:
            objects.append(b"")
            return len(objects)

        def stream(
            number: int, dictionary: str, data: bytes, *, compress: bool, level: int = 6
        ) -> None:
            if compress:
                data = deflate(data, level)
                dictionary += " /Filter /FlateDecode"
            objects[number - 1] = (
                f"<< {dictionary} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"
            )

        catalog, pages_obj, info = reserve(), reserve(), reserve()
        font_refs = {
            use.resource: self._write_font(use, reserve, stream, objects)
            for use in self._fonts.values()
        }
        image_refs: dict[str, int] = {}
        for image in self._images:
            number = reserve()
            stream(
                number,
                f"/Type /XObject /Subtype /Image /Width {image.width} /Height {image.height} "
                f"/ColorSpace /{image.color_space} /BitsPerComponent 8 /Filter /{image.filter}",
                image.data,
                compress=False,
            )
            image_refs[image.resource] = number
        kids: list[int] = []
        for page in self.pages:
            content, page_obj = reserve(), reserve()
            stream(content, "", page.content(), compress=self.compress)
            fonts = " ".join(f"/{r} {font_refs[r]} 0 R" for r in sorted(page._fonts))
            images = " ".join(f"/{r} {image_refs[r]} 0 R" for r in page._images)
            objects[page_obj - 1] = (
                f"<< /Type /Page /Parent {pages_obj} 0 R "
                f"/MediaBox [0 0 {_num(page.width)} {_num(page.height)}] "
                f"/Resources << /Font << {fonts} >> /XObject << {images} >> >> "
                f"/Contents {content} 0 R >>"
            ).encode()
            kids.append(page_obj)
        objects[pages_obj - 1] = (
            f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
        ).encode()
        objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode()
        date = pdf_date(self.created).encode()
        objects[info - 1] = (
            b"<< /Title "
            + _pdf_string(self.title)
            + b" /Author "
            + _pdf_string(self.author)
            + b" /Producer "
            + _pdf_string(self.producer)
            + b" /CreationDate ("
            + date
            + b") /ModDate ("
            + date
            + b") >>"
        )
        return _serialise(objects, catalog, info)

    def _write_font(
        self,
        use: _FontUse,
        reserve: Callable[[], int],
        stream: Callable[..., None],
        objects: list[bytes],
    ) -> int:
        font = use.font
        by_cid = sorted((cid, gid, text) for (gid, text), cid in use.cids.items())
        program = font.subset({gid for _, gid, _ in by_cid})
        type0, cidfont, descriptor, file_obj, tounicode, cidmap = (reserve() for _ in range(6))
        # A subset's name starts with six capital letters that identify the subset.
        digest = hashlib.md5(repr(by_cid).encode(), usedforsecurity=False).digest()
        tag = "".join(chr(65 + b % 26) for b in digest[:6])
        base = f"{tag}+{font.name.replace('-', '')}"
        # Level 1: font programs are the bulk of the work, and only 7 % larger so.
        stream(file_obj, f"/Length1 {len(program)}", program, compress=True, level=1)
        m = font.metrics
        objects[descriptor - 1] = (
            f"<< /Type /FontDescriptor /FontName /{base} /Flags 4 "
            f"/FontBBox [{' '.join(str(v) for v in m.bbox)}] /ItalicAngle 0 "
            f"/Ascent {round(m.ascent)} /Descent {round(m.descent)} "
            f"/CapHeight {round(m.cap_height)} /StemV 80 /FontFile2 {file_obj} 0 R >>"
        ).encode()
        widths = " ".join(f"{cid} [{font.advance(gid)}]" for cid, gid, _ in by_cid)
        objects[cidfont - 1] = (
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{base} "
            f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            f"/FontDescriptor {descriptor} 0 R /DW 0 /W [{widths}] "
            f"/CIDToGIDMap {cidmap} 0 R >>"
        ).encode()
        cid_to_gid = bytearray(2 * (len(by_cid) + 1))
        for cid, gid, _ in by_cid:
            cid_to_gid[2 * cid : 2 * cid + 2] = gid.to_bytes(2, "big")
        stream(cidmap, "", bytes(cid_to_gid), compress=True)
        stream(tounicode, "", _tounicode(by_cid), compress=True)
        objects[type0 - 1] = (
            f"<< /Type /Font /Subtype /Type0 /BaseFont /{base} /Encoding /Identity-H "
            f"/DescendantFonts [{cidfont} 0 R] /ToUnicode {tounicode} 0 R >>"
        ).encode()
        return type0


def _tounicode(by_cid: list[tuple[int, int, str]]) -> bytes:
    """A ToUnicode CMap; glyphs that carry no text of their own are left unmapped."""
    mapped = [(cid, text) for cid, _, text in by_cid if text]
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for start in range(0, len(mapped), 100):
        chunk = mapped[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        for cid, text in chunk:
            lines.append(f"<{cid:04X}> <{text.encode('utf-16-be').hex().upper()}>")
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def _serialise(objects: list[bytes], catalog: int, info: int) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    # A document id derived from the content keeps files reproducible yet distinct.
    doc_id = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().upper()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info} 0 R "
        f"/ID [<{doc_id}> <{doc_id}>] >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
