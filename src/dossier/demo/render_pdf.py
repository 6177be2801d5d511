"""Born-digital PDFs of a laid-out document, by two different producers.

Most PDFs come from the fast writer in :mod:`dossier.demo.pdfwriter`; its text layer gives
the logical text back through pdfium. A few come from fpdf2 (with HarfBuzz shaping), as a
second producer with its own structure and its own extraction quirks: pdfium mis-orders
punctuation next to numbers in its Arabic lines, as it does in many real PDFs. fpdf2 also
writes the password-protected PDF of the broken-file set.
"""

from __future__ import annotations

from datetime import datetime

from fpdf import FPDF

from dossier.demo.fonts import find_font
from dossier.demo.layout import LaidOutPage
from dossier.demo.pdfwriter import PdfWriter
from dossier.demo.spec import DocumentSpec

__all__ = ["render_pdf", "render_pdf_fpdf2"]


def render_pdf(spec: DocumentSpec, pages: list[LaidOutPage], created: datetime) -> bytes:
    """A born-digital PDF from the fast writer: fast, reproducible, logical text layer."""
    writer = PdfWriter(title=spec.title, created=created, author="SYNTHETIC")
    for page in pages:
        canvas = writer.add_page()
        for line in page.lines:
            for item in line.items:
                canvas.glyphs(item.size, item.x, item.baseline, item.glyphs)
            for x, y, w, h in line.rules:
                canvas.rect(x, y, w, h, width=0.5)
    return writer.output()


def render_pdf_fpdf2(
    spec: DocumentSpec,
    pages: list[LaidOutPage],
    created: datetime,
    *,
    password: str | None = None,
) -> bytes:
    """The same pages drawn by fpdf2, which shapes and reorders the text itself."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_creation_date(created)
    pdf.set_title(spec.title)
    pdf.set_author("SYNTHETIC")
    pdf.set_producer("fpdf2 (Dossier synthetic)")
    pdf.set_auto_page_break(False)
    for key in ("amiri", "dejavu"):
        pdf.add_font(key, "", str(find_font(key)))
    pdf.set_fallback_fonts(["amiri", "dejavu"])
    loaded: set[str] = {"amiri", "dejavu"}
    for page in pages:
        pdf.add_page()
        for line in page.lines:
            for x, y, w, h in line.rules:
                pdf.set_line_width(0.5)
                pdf.rect(x, pdf.h - y - h, w, h)
            for item in line.items:
                if item.font.name not in loaded:
                    pdf.add_font(item.font.name, "", str(find_font(item.font.name)))
                    loaded.add(item.font.name)
                pdf.set_font(item.font.name, size=item.size)
                pdf.set_text_shaping(True)
                pdf.set_xy(item.x - 1, pdf.h - item.baseline - item.size * 0.75)
                pdf.cell(item.width + 2, item.size, item.text, align="R" if spec.rtl else "L")
    if password is not None:
        pdf.set_encryption(owner_password=password + "-owner", user_password=password)
    return bytes(pdf.output())
