"""Lay a :class:`DocumentSpec` out on A4 pages: wrapped, shaped, positioned lines.

The layout decides what text ends up on which page, so it also produces the page texts of
the ground truth: each rendered line in logical (reading) order, table cells joined by a
space. Renderers only draw what the layout placed, which keeps truth and pixels in step.

Each line holds text of one script direction. Extractors that rebuild reading order from
glyph positions (pdfium) mis-order a line that mixes several Latin words into Arabic text,
and real documents of the services this imitates rarely do that either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dossier.demo.bidi import shape_line
from dossier.demo.pdfwriter import A4
from dossier.demo.spec import (
    SYNTHETIC_AR,
    SYNTHETIC_EN,
    SYNTHETIC_FR,
    DocumentSpec,
    Paragraph,
    Spacer,
    Table,
)
from dossier.demo.ttf import ShapedGlyph, TrueTypeFont, load_font

__all__ = ["LaidOutPage", "Line", "Placed", "layout"]

MARGIN_X = 56.0
MARGIN_TOP = 42.0
MARGIN_BOTTOM = 56.0
# Fonts that stand in for characters the chosen font lacks, in order of preference.
_FALLBACKS = ("amiri", "dejavu")
AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# style -> (bold, size, leading factor)
_STYLES: dict[str, tuple[bool, float, float]] = {
    "banner": (False, 9.0, 1.5),
    "title": (True, 16.0, 1.6),
    "heading": (True, 13.0, 1.6),
    "body": (False, 12.0, 1.7),
    "small": (False, 9.0, 1.6),
    "signature": (True, 12.0, 1.7),
}


@dataclass(frozen=True)
class Placed:
    """Glyphs of one run of text placed on the page (``x`` is the left edge)."""

    font: TrueTypeFont
    size: float
    x: float
    baseline: float
    glyphs: tuple[ShapedGlyph, ...]
    width: float
    text: str


@dataclass
class Line:
    """One visual line: its pieces, and its text in reading order for the truth."""

    text: str
    items: list[Placed] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)


@dataclass
class LaidOutPage:
    number: int
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def _fonts(spec: DocumentSpec, bold: bool) -> TrueTypeFont:
    if spec.rtl:
        return load_font(spec.arabic_font + ("-bold" if bold else ""))
    return load_font("dejavu-bold" if bold else "dejavu")


def _place(
    font: TrueTypeFont, size: float, text: str, rtl: bool
) -> tuple[tuple[ShapedGlyph, ...], float]:
    fallbacks = tuple(load_font(key) for key in _FALLBACKS if key != font.name)
    glyphs = tuple(shape_line(font, text, rtl, fallbacks))
    return glyphs, sum(g.advance for g in glyphs) * size / 1000


def _wrap(font: TrueTypeFont, size: float, text: str, rtl: bool, width: float) -> list[str]:
    """Greedy word wrap; a word longer than the line stays whole on its own line."""
    space = font.width(" ", rtl) * size / 1000
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split(" "):
        if not word:
            continue
        w = font.width(word, rtl) * size / 1000
        if current and used + space + w > width:
            lines.append(" ".join(current))
            current, used = [], 0.0
        used += (space if current else 0.0) + w
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines or [""]


class _Pager:
    """Stacks lines top-down and starts a new page when the current one is full."""

    def __init__(self, spec: DocumentSpec) -> None:
        self.spec = spec
        self.width, self.height = A4
        self.pages: list[LaidOutPage] = []
        self.y = 0.0
        self._new_page()

    def _new_page(self) -> None:
        self.pages.append(LaidOutPage(len(self.pages) + 1))
        self.y = self.height - MARGIN_TOP
        latin = load_font("dejavu")
        banner = SYNTHETIC_FR if self.spec.language == "fr" else SYNTHETIC_EN
        self.add_text(banner, latin, 9.0, 1.5, rtl=False, align="center")
        if self.spec.rtl:
            self.add_text(
                SYNTHETIC_AR, _fonts(self.spec, False), 9.0, 1.8, rtl=True, align="center"
            )

    def ensure(self, height: float) -> None:
        if self.y - height < MARGIN_BOTTOM:
            self._new_page()

    def add_text(
        self, text: str, font: TrueTypeFont, size: float, leading: float, *, rtl: bool, align: str
    ) -> None:
        self.ensure(size * leading)
        self.y -= size * leading
        glyphs, width = _place(font, size, text, rtl)
        inner = self.width - 2 * MARGIN_X
        if align == "center":
            x = MARGIN_X + (inner - width) / 2
        elif (align == "start") == rtl:
            x = self.width - MARGIN_X - width
        else:
            x = MARGIN_X
        line = Line(text, [Placed(font, size, x, self.y, glyphs, width, text)])
        self.pages[-1].lines.append(line)

    def add_table(self, table: Table) -> None:
        spec = self.spec
        inner = self.width - 2 * MARGIN_X
        regular, bold = _fonts(spec, False), _fonts(spec, True)
        ncols = max(len(r) for r in table.rows)
        size = 10.0
        # Column widths follow the widest cell; shrink the type until the row fits.
        while True:
            widths = [0.0] * ncols
            for r, row in enumerate(table.rows):
                font = bold if table.header and r == 0 else regular
                for c, cell in enumerate(row):
                    w = font.width(cell, spec.rtl) * size / 1000 + 12
                    widths[c] = max(widths[c], w)
            if sum(widths) <= inner or size <= 6:
                break
            size -= 0.5
        extra = (inner - sum(widths)) / ncols if sum(widths) < inner else 0.0
        widths = [w + extra for w in widths]
        row_height = size * 1.9
        self.y -= size * 0.8  # clear the descenders of the line above
        for r, row in enumerate(table.rows):
            self.ensure(row_height)
            top = self.y
            self.y -= row_height
            baseline = self.y + size * 0.6
            font = bold if table.header and r == 0 else regular
            line = Line(" ".join(c for c in row if c))
            x_edge = self.width - MARGIN_X if spec.rtl else MARGIN_X
            for c in range(ncols):
                cell = row[c] if c < len(row) else ""
                left = x_edge - widths[c] if spec.rtl else x_edge
                if cell:
                    glyphs, width = _place(font, size, cell, spec.rtl)
                    x = left + widths[c] - 6 - width if spec.rtl else left + 6
                    line.items.append(Placed(font, size, x, baseline, glyphs, width, cell))
                line.rules.append((left, self.y, widths[c], top - self.y))
                x_edge = left if spec.rtl else left + widths[c]
            self.pages[-1].lines.append(line)
        self.y -= 6


def layout(spec: DocumentSpec) -> list[LaidOutPage]:
    """Pages of ``spec`` with every line shaped and positioned, plus a page-number footer."""
    pager = _Pager(spec)
    inner = pager.width - 2 * MARGIN_X
    for block in spec.blocks:
        if isinstance(block, Spacer):
            pager.y -= block.height
        elif isinstance(block, Table):
            pager.add_table(block)
        elif isinstance(block, Paragraph):
            bold, size, leading = _STYLES[block.style]
            font = _fonts(spec, bold)
            for text in _wrap(font, size, block.text, spec.rtl, inner):
                pager.add_text(text, font, size, leading, rtl=spec.rtl, align=block.align)
    total = len(pager.pages)
    for page in pager.pages:
        footer = _footer(spec, page.number, total)
        font = _fonts(spec, False)
        glyphs, width = _place(font, 9.0, footer, spec.rtl)
        x = (pager.width - width) / 2
        page.lines.append(
            Line(footer, [Placed(font, 9.0, x, MARGIN_BOTTOM - 24, glyphs, width, footer)])
        )
    return pager.pages


def _footer(spec: DocumentSpec, number: int, total: int) -> str:
    if spec.language == "ar":
        return f"صفحة {number} من {total}".translate(AR_DIGITS)
    if spec.language == "fr":
        return f"Page {number} sur {total}"
    return f"Page {number} of {total}"
