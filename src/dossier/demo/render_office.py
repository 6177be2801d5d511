"""Word and Excel files of synthetic documents (python-docx, openpyxl), reproducibly.

Office files are ZIP packages stamped with the time they were saved, in the ZIP entries
and in ``docProps/core.xml``; :func:`reproducible_zip` rewrites both from the document's
own date, so the same seed gives the same bytes. Arabic paragraphs and tables are marked
right-to-left (``w:bidi``, ``w:rtl``, ``w:bidiVisual``, a right-to-left sheet view), as an
Arabic Word or Excel would save them.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from openpyxl import Workbook

from dossier.demo.spec import (
    SYNTHETIC_AR,
    SYNTHETIC_EN,
    SYNTHETIC_FR,
    DocumentSpec,
    Paragraph,
    Spacer,
    Table,
)

__all__ = ["docx_text", "render_docx", "render_xlsx", "reproducible_zip", "xlsx_text"]

_CORE_DATE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def reproducible_zip(data: bytes, when: datetime) -> bytes:
    """The same package with every entry dated ``when`` and core properties set to it."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATE.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


def _banner(spec: DocumentSpec) -> list[str]:
    latin = SYNTHETIC_FR if spec.language == "fr" else SYNTHETIC_EN
    return [latin, SYNTHETIC_AR] if spec.rtl else [latin]


def _rtl_paragraph(paragraph: DocxParagraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(OxmlElement("w:bidi"))
    for run in paragraph.runs:
        rpr = run._r.get_or_add_rPr()
        rpr.append(OxmlElement("w:rtl"))


def docx_text(spec: DocumentSpec) -> str:
    """The text a reader of the DOCX sees, in reading order: the truth of its one page."""
    lines = list(_banner(spec))
    for block in spec.blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend(" ".join(c for c in row if c) for row in block.rows)
    return "\n".join(lines)


def render_docx(spec: DocumentSpec, created: datetime) -> bytes:
    document = docx.Document()
    props = document.core_properties
    props.author = "SYNTHETIC"
    props.title = spec.title
    props.comments = "Synthetic document generated for Dossier tests"
    props.created = props.modified = props.last_printed = created
    props.last_modified_by = "SYNTHETIC"
    props.revision = 1
    sizes = {"title": 16, "heading": 13, "small": 9, "signature": 12, "body": 12, "banner": 9}
    for line in _banner(spec):
        p = document.add_paragraph(line)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if spec.rtl and line == SYNTHETIC_AR:
            _rtl_paragraph(p)
    for block in spec.blocks:
        if isinstance(block, Spacer):
            continue
        if isinstance(block, Table):
            _docx_table(document, block, spec.rtl)
            continue
        p = document.add_paragraph()
        run = p.add_run(block.text)
        run.font.size = Pt(sizes[block.style])
        run.bold = block.style in ("title", "heading", "signature")
        if block.align == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.align == "end":
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if spec.rtl else WD_ALIGN_PARAGRAPH.RIGHT
        if spec.rtl:
            _rtl_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue(), created)


def _docx_table(document: docx.document.Document, table: Table, rtl: bool) -> None:
    ncols = max(len(r) for r in table.rows)
    grid = document.add_table(rows=len(table.rows), cols=ncols)
    grid.style = "Table Grid"
    if rtl:
        tblpr = grid._tbl.tblPr
        tblpr.append(OxmlElement("w:bidiVisual"))
    for row, grid_row in zip(table.rows, grid.rows, strict=True):
        for value, cell in zip(row, grid_row.cells, strict=False):
            cell.text = value
            if rtl:
                _rtl_paragraph(cell.paragraphs[0])


def xlsx_text(spec: DocumentSpec) -> str:
    """Cell values row by row (tab-separated): the truth of the sheet."""
    return "\n".join("\t".join(row) for row in _xlsx_rows(spec))


def _xlsx_rows(spec: DocumentSpec) -> list[list[str]]:
    rows: list[list[str]] = [[line] for line in _banner(spec)]
    for block in spec.blocks:
        if isinstance(block, Paragraph):
            rows.append([block.text])
        elif isinstance(block, Table):
            rows.extend(list(r) for r in block.rows)
    return rows


def render_xlsx(spec: DocumentSpec, created: datetime) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "الموقوفون" if spec.rtl else "detainees"
    if spec.rtl:
        sheet.sheet_view.rightToLeft = True
    for row in _xlsx_rows(spec):
        sheet.append(row)
    workbook.properties.creator = "SYNTHETIC"
    workbook.properties.title = spec.title
    workbook.properties.created = created
    buffer = io.BytesIO()
    workbook.save(buffer)
    return reproducible_zip(buffer.getvalue(), created)
