"""What goes into the search index (one PageDoc per page) and what comes out (Hits)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageDoc:
    """One page of one item, as the pipeline hands it to the index."""

    page_id: int  # unique key in the store
    item_id: int
    page: int  # 1-based page number
    collection: str
    path: str  # path as received, shown in hits
    media_type: str  # pdf, image, docx, xlsx, csv, html, text, email, zip, tar
    language: str | None  # "ar", "en", "fr" or None
    text: str  # the original page text
    # The analysed text (`dossier.text.index_text(text)`) when the caller already has it:
    # ingest workers compute it beside the extraction, off the process that writes the index.
    terms: str | None = None


@dataclass(frozen=True)
class Hit:
    """One matching page with a snippet of its original text around the best match."""

    page_id: int
    item_id: int
    path: str
    page: int
    score: float
    collection: str
    media_type: str
    language: str | None
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)
    """[start, end) offsets of the matched words inside ``snippet``, sorted, disjoint."""

    def marked(self, open: str = "<mark>", close: str = "</mark>", escape_html: bool = True) -> str:
        """The snippet with every highlight wrapped in open/close.

        With escape_html the snippet text is HTML-escaped (the markers are not), so a page
        containing "<script>" cannot inject markup into the results page.
        """
        escape = html.escape if escape_html else str
        parts: list[str] = []
        position = 0
        for start, end in self.highlights:
            parts.append(escape(self.snippet[position:start]))
            parts.append(open + escape(self.snippet[start:end]) + close)
            position = end
        parts.append(escape(self.snippet[position:]))
        return "".join(parts)


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int  # pages matching, not only those in hits
    hits: list[Hit]
