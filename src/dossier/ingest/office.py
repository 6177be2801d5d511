"""Word (DOCX) and Excel (XLSX) files.

DOCX: the body is walked in document order (paragraphs, tables, content controls, text
boxes) straight from its XML, so that merged table cells are not repeated and text boxes are
not lost. Pages are split at the page breaks the author put in (a page-break character, "page
break before" on a paragraph, a section starting on a new page), not at where Word's layout
happened to wrap: that layout depends on fonts and printer, and is not in the file. A document
without explicit breaks is one page. Header and footer text (the letterhead of an official
form: ministry, branch, reference number) is put once at the top of page 1 and once at the end
of the last page; tracked deletions and field codes are left out.

XLSX: one page per worksheet, in workbook order, rows as tab-separated lines (values as last
calculated by Excel, not formulas). Hidden sheets are read too, and named in the metadata.

Both are ZIP files: the ZIP-bomb checks run on the directory before any part is parsed. A
password-protected Office file is not a ZIP but an OLE container; it is reported as encrypted.
"""

from __future__ import annotations

import contextlib
import warnings
import zipfile
import zlib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import docx
import openpyxl
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from dossier.ingest.context import ExtractContext
from dossier.ingest.detect import MIME, has_encrypted_package
from dossier.ingest.model import (
    CorruptFile,
    EncryptedFile,
    Extraction,
    PageText,
    UnsupportedFile,
)
from dossier.ingest.ziplimits import check_zip_directory

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIPPED = {W + "pPr", W + "rPr", W + "tblPr", W + "trPr", W + "tcPr", W + "sectPr",
            _MC_FALLBACK, W + "delText", W + "instrText"}
_PAGE_BREAK = "\f"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

DOCX_TOOL = f"python-docx {getattr(docx, '__version__', '')}".strip()
XLSX_TOOL = f"openpyxl {openpyxl.__version__}"

_PARSE_ERRORS = (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, zlib.error,
                 etree.XMLSyntaxError, PackageNotFoundError, NotImplementedError)


def _refuse_ole(path: Path, what: str) -> None:
    with open(path, "rb") as stream:
        magic = stream.read(8)
    if magic != _OLE_MAGIC:
        return
    if has_encrypted_package(path):
        raise EncryptedFile(f"the {what} is protected by a password (an encrypted Office "
                            "package); it cannot be read without it")
    raise UnsupportedFile(f"this is an old-format (97-2003) Office file, not a {what}; "
                          "convert it to .docx/.xlsx first")


def _check_zip(path: Path, ctx: ExtractContext, what: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip_directory(archive, ctx.limits, f"the {what}")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise CorruptFile(f"the {what} is damaged: its ZIP container cannot be read "
                          f"({exc})") from exc


# -- DOCX ------------------------------------------------------------------------------------

def extract_docx(path: Path, ctx: ExtractContext) -> Extraction:
    """Text of a Word document, split at explicit page breaks, with its core properties."""
    _refuse_ole(path, "Word document")
    _check_zip(path, ctx, "Word document")
    try:
        document = docx.Document(str(path))
        blocks: list[str] = []
        _blocks(document.element.body, blocks)
        headers, footers = _headers_and_footers(document)
        properties = _docx_properties(document)
    except _PARSE_ERRORS as exc:
        raise CorruptFile(f"the Word document is damaged and cannot be parsed: {exc}") from exc
    texts = "\n".join(blocks).split(_PAGE_BREAK)
    while len(texts) > 1 and not texts[-1].strip():
        texts.pop()  # a break at the very end does not start a page
    if headers:
        texts[0] = "\n".join(headers) + "\n\n" + texts[0]
    if footers:
        texts[-1] = texts[-1] + "\n\n" + "\n".join(footers)
    pages = [PageText(number, _tidy(text), "text", DOCX_TOOL)
             for number, text in enumerate(texts, 1)]
    metadata: dict[str, Any] = {"properties": properties, "page_breaks": "explicit"}
    if headers:
        metadata["headers"] = headers
    if footers:
        metadata["footers"] = footers
    return Extraction(media_type="docx", mime=MIME["docx"], pages=pages, metadata=metadata)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)  # at most one blank line in a row
    return "\n".join(out).strip()


def _blocks(container: Any, out: list[str]) -> None:
    """Paragraphs and tables of a body, cell or content control, in order."""
    for child in container:
        tag = child.tag
        if tag == W + "p":
            out.append(_paragraph(child))
        elif tag == W + "tbl":
            out.append(_table(child))
        elif tag in (W + "sdt", W + "customXml", W + "ins", W + "smartTag"):
            content = child.find(W + "sdtContent")
            _blocks(content if content is not None else child, out)


def _paragraph(paragraph: Any) -> str:
    parts: list[str] = []
    properties = paragraph.find(W + "pPr")
    if properties is not None:
        before = properties.find(W + "pageBreakBefore")
        if before is not None and before.get(W + "val") not in ("0", "false", "off"):
            parts.append(_PAGE_BREAK)
    _inline(paragraph, parts)
    if properties is not None:
        section = properties.find(W + "sectPr")
        if section is not None:
            kind = section.find(W + "type")
            if kind is None or kind.get(W + "val") in ("nextPage", "evenPage", "oddPage"):
                parts.append(_PAGE_BREAK)
    return "".join(parts)


def _inline(element: Any, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == W + "t":
            parts.append(child.text or "")
        elif tag in (W + "tab", W + "ptab"):
            parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            parts.append(_PAGE_BREAK if child.get(W + "type") == "page" else "\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        elif tag == W + "p":  # a paragraph inside a text box
            parts.append("\n" + _paragraph(child).replace(_PAGE_BREAK, "") + "\n")
        elif tag == W + "tbl":
            parts.append("\n" + _table(child).replace(_PAGE_BREAK, "") + "\n")
        else:
            _inline(child, parts)


def _table(table: Any) -> str:
    rows = []
    for row in table.iter(W + "tr"):
        if row.getparent() is not table:
            continue  # rows of nested tables are read with their cell
        cells = []
        for cell in row.findall(W + "tc"):
            blocks: list[str] = []
            _blocks(cell, blocks)
            cells.append(" ".join(" ".join(blocks).replace(_PAGE_BREAK, " ").split()))
        rows.append("\t".join(cells).rstrip("\t"))
    return "\n".join(row for row in rows if row)


def _headers_and_footers(document: Any) -> tuple[list[str], list[str]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    headers: list[str] = []
    footers: list[str] = []
    for relationship in document.part.rels.values():
        kind = relationship.reltype.rsplit("/", 1)[-1]
        if kind not in ("header", "footer") or relationship.is_external:
            continue
        root = etree.fromstring(relationship.target_part.blob, parser)
        blocks: list[str] = []
        _blocks(root, blocks)
        text = _tidy("\n".join(blocks).replace(_PAGE_BREAK, ""))
        target = headers if kind == "header" else footers
        if text and text not in target:
            target.append(text)
    return headers, footers


def _iso(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _docx_properties(document: Any) -> dict[str, Any]:
    core = document.core_properties
    names = ("title", "subject", "author", "last_modified_by", "created", "modified",
             "last_printed", "revision", "category", "keywords", "comments", "language",
             "identifier", "content_status", "version")
    properties = {name: _iso(getattr(core, name, None)) for name in names}
    return {name: value for name, value in properties.items() if value not in (None, "", 0)}


# -- XLSX ------------------------------------------------------------------------------------

def extract_xlsx(path: Path, ctx: ExtractContext) -> Extraction:
    """One page per worksheet, rows as tab-separated lines, with the sheet names."""
    _refuse_ole(path, "Excel workbook")
    _check_zip(path, ctx, "Excel workbook")
    pages: list[PageText] = []
    sheets: list[str] = []
    hidden: list[str] = []
    try:
        with contextlib.ExitStack() as stack, warnings.catch_warnings():
            # openpyxl warns about features it does not model (data validation, slicers...);
            # they do not change the cell values read here.
            warnings.simplefilter("ignore")
            # A file object, not the path: originals are stored under their hash, without the
            # ".xlsx" suffix that openpyxl insists on when given a file name.
            stream = stack.enter_context(open(path, "rb"))
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
            try:
                for number, sheet in enumerate(workbook.worksheets, 1):
                    sheets.append(sheet.title)
                    if sheet.sheet_state != "visible":
                        hidden.append(sheet.title)
                    lines = [line for row in sheet.iter_rows(values_only=True)
                             if (line := _row_line(row))]
                    pages.append(PageText(number, "\n".join(lines), "text", XLSX_TOOL))
                properties = _xlsx_properties(workbook)
            finally:
                workbook.close()
    except _PARSE_ERRORS as exc:
        raise CorruptFile(f"the Excel workbook is damaged and cannot be parsed: {exc}") from exc
    except Exception as exc:
        # openpyxl raises its own InvalidFileException and assorted TypeErrors on broken parts.
        if type(exc).__module__.startswith("openpyxl"):
            raise CorruptFile(f"the Excel workbook cannot be read: {exc}") from exc
        raise
    metadata: dict[str, Any] = {"sheets": sheets, "properties": properties}
    if hidden:
        metadata["hidden_sheets"] = hidden
    return Extraction(media_type="xlsx", mime=MIME["xlsx"], pages=pages, metadata=metadata)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return " ".join(str(value).split())


def _row_line(row: tuple[Any, ...]) -> str:
    return "\t".join(_cell_text(value) for value in row).rstrip("\t")


def _xlsx_properties(workbook: Any) -> dict[str, Any]:
    props = workbook.properties
    names = ("title", "subject", "creator", "lastModifiedBy", "created", "modified",
             "description", "keywords", "category", "language")
    properties = {name: _iso(getattr(props, name, None)) for name in names}
    return {name: value for name, value in properties.items() if value not in (None, "")}
