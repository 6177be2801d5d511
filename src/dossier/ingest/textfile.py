"""Plain text, CSV and HTML files.

The encoding is found by `encoding.sniff_encoding` on the first 256 KB and reported in the
metadata; the file is then read as a stream, so a large file never sits in memory whole.
Long texts are cut into pages of about WORDS_PER_PAGE words, at line ends, or at form feeds
where the file has them (printouts of old systems often do): a hit on "page 41" of a 5 MB
log is something an investigator can open and cite, a single 5 MB page is not.

CSV is kept as text, one row per line with the fields separated by tabs whatever the
original delimiter, so that rows stay readable and search hits show their row.
HTML keeps only what a reader sees: scripts, styles and the head are dropped, block elements
become line breaks, table cells tabs; the title goes into the metadata.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from dossier.ingest.context import ExtractContext
from dossier.ingest.detect import MIME
from dossier.ingest.encoding import bom_encoding, decode_text, sniff_encoding
from dossier.ingest.model import CorruptFile, Extraction, OversizedFile, PageText

WORDS_PER_PAGE = 3000
SAMPLE_BYTES = 256 * 1024
TOOL = "dossier text reader"
HTML_TOOL = f"lxml {'.'.join(map(str, etree.LXML_VERSION[:3]))}"

csv.field_size_limit(16 * 1024 * 1024)

_DROPPED = ("script", "style", "noscript", "template", "head", "iframe", "object", "embed")
_BLOCKS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody",
    "thead", "tfoot", "tr", "ul", "body", "html", "option", "label", "legend", "summary",
    "details",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Control characters no XML tree can hold (lxml refuses them); browsers do not show them.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# WHATWG: browsers read pages labelled latin-1 or ASCII as windows-1252.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
                    "ascii": "cp1252", "iso8859-1": "cp1252"}


def paginate(lines: Iterable[str], words_per_page: int = WORDS_PER_PAGE) -> Iterator[str]:
    """Group lines into pages of about `words_per_page` words; a form feed starts a page."""
    page: list[str] = []
    words = 0
    for line in lines:
        for index, segment in enumerate(line.split("\f")):
            if index > 0:
                yield "\n".join(page)
                page, words = [], 0
            count = len(segment.split())
            if page and words + count > words_per_page:
                yield "\n".join(page)
                page, words = [], 0
            if count > words_per_page:  # one enormous line: cut it between words
                tokens = segment.split()
                while len(tokens) > words_per_page:
                    yield " ".join(tokens[:words_per_page])
                    tokens = tokens[words_per_page:]
                segment, count = " ".join(tokens), len(tokens)
            page.append(segment)
            words += count
    if page:
        yield "\n".join(page)


def _pages(texts: Iterable[str], tool: str, ctx: ExtractContext) -> list[PageText]:
    pages: list[PageText] = []
    for text in texts:
        if len(pages) >= ctx.limits.max_pages:
            raise OversizedFile(f"the text runs to more than {ctx.limits.max_pages:,} pages of "
                                f"{WORDS_PER_PAGE:,} words, the limit for one file")
        pages.append(PageText(len(pages) + 1, text.strip("\n"), "text", tool))
    while len(pages) > 1 and not pages[-1].text.strip():
        pages.pop()
    return pages or [PageText(1, "", "text", tool)]


def _sniff(path: Path) -> tuple[str, int, str]:
    """(encoding, BOM length, decoded sample) from the first SAMPLE_BYTES of a file."""
    with open(path, "rb") as probe:
        sample = probe.read(SAMPLE_BYTES)
    encoding, skip = sniff_encoding(sample, complete=len(sample) < SAMPLE_BYTES)
    return encoding, skip, sample[skip:].decode(encoding, errors="ignore")


def _open_text(path: Path, encoding: str, skip: int, newline: str | None) -> io.TextIOWrapper:
    raw = open(path, "rb")  # noqa: SIM115 - closed with the wrapper, which the caller closes
    raw.seek(skip)
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=newline)


def extract_text(path: Path, ctx: ExtractContext) -> Extraction:
    """A plain text file, in pages of about WORDS_PER_PAGE words, with its encoding."""
    encoding, skip, _sample = _sniff(path)
    with _open_text(path, encoding, skip, newline=None) as stream:
        pages = _pages(paginate(line.rstrip("\n") for line in stream), TOOL, ctx)
    return Extraction(media_type="text", mime=MIME["text"], pages=pages,
                      metadata={"encoding": encoding})


def extract_csv(path: Path, ctx: ExtractContext) -> Extraction:
    """A CSV file as text: one row per line, fields separated by tabs."""
    encoding, skip, sample = _sniff(path)
    try:
        dialect: Any = csv.Sniffer().sniff(sample[:64 * 1024], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    with _open_text(path, encoding, skip, newline="") as stream:
        reader = csv.reader(stream, dialect)
        rows = 0
        header: list[str] = []

        def lines() -> Iterator[str]:
            nonlocal rows, header
            for row in reader:
                fields = [" ".join(field.split()) for field in row]
                if not rows:
                    header = fields
                rows += 1
                yield "\t".join(fields).rstrip("\t")

        try:
            pages = _pages(paginate(lines()), TOOL, ctx)
        except csv.Error as exc:
            raise CorruptFile(f"the CSV file cannot be parsed at row {rows + 1}: {exc}") from exc
    metadata = {"encoding": encoding, "delimiter": dialect.delimiter, "rows": rows,
                "columns": header[:200]}
    return Extraction(media_type="csv", mime=MIME["csv"], pages=pages, metadata=metadata)


def _html_encoding(data: bytes) -> tuple[str, str]:
    """(text, encoding) of an HTML file: BOM, then the meta charset, then the sniffer."""
    bom = bom_encoding(data)
    if bom is not None:
        encoding, skip = bom
        return data[skip:].decode(encoding, errors="replace"), encoding
    match = _META_CHARSET.search(data[:4096])
    if match:
        declared = match.group(1).decode("ascii").lower()
        declared = _CHARSET_ALIASES.get(declared, declared)
        try:
            codecs.lookup(declared)
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; let the content decide
    return decode_text(data)


def html_to_text(markup: str) -> tuple[str, dict[str, Any]]:
    """The visible text of an HTML document and its title and meta fields."""
    markup = _CONTROLS.sub("", _XML_DECLARATION.sub("", markup, count=1))
    if not markup.strip():
        return "", {}
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as exc:
        raise CorruptFile(f"the HTML cannot be parsed: {exc}") from exc
    info: dict[str, Any] = {}
    title = root.findtext(".//title")
    if title and title.strip():
        info["title"] = " ".join(title.split())
    meta = {}
    for element in root.iter("meta"):
        name = (element.get("name") or "").lower()
        if name in ("author", "description", "keywords", "generator", "date") \
                and element.get("content"):
            meta[name] = element.get("content").strip()
    if meta:
        info["meta"] = meta
    if root.get("lang"):
        info["lang"] = root.get("lang")
    for element in list(root.iter(*_DROPPED, etree.Comment, etree.ProcessingInstruction)):
        if element.getparent() is not None:
            element.drop_tree()
    parts: list[str] = []
    preformatted = 0

    def add(text: str | None) -> None:
        if text:
            parts.append(text if preformatted else re.sub(r"\s+", " ", text))

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag == "pre":
                preformatted += 1
            if tag in _BLOCKS or tag == "br":
                parts.append("\n")
            elif tag in ("td", "th"):
                parts.append("\t")
            add(element.text)
        else:
            if tag in _BLOCKS:
                parts.append("\n")
            if tag == "pre":
                preformatted -= 1
            add(element.tail)
    lines = [line.strip(" ") for line in "".join(parts).split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text, info


def extract_html(path: Path, ctx: ExtractContext) -> Extraction:
    """The visible text of an HTML page, its title and its character set."""
    size = path.stat().st_size
    if size > 256 * 1024 * 1024:
        raise OversizedFile(f"the HTML file is {size:,} bytes; pages over 256 MB are not "
                            "parsed")
    markup, encoding = _html_encoding(path.read_bytes())
    text, info = html_to_text(markup)
    pages = _pages(paginate(text.split("\n")), HTML_TOOL, ctx)
    return Extraction(media_type="html", mime=MIME["html"], pages=pages,
                      metadata={"encoding": encoding, **info})
