"""Batch search: a list of names or terms, each with its number of documents and top hits.

Each line (or CSV cell) is searched as a phrase when it has several words, so that a list of
suspects' names finds the names and not every page with a common given name.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dossier.search.index import Hit, QuerySyntaxError, SearchIndex


class BatchInputError(ValueError):
    """The list cannot be read; the message names the file and what is wrong."""


@dataclass
class BatchRow:
    term: str
    documents: int = 0
    pages: int = 0
    hits: list[Hit] = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"term": self.term, "documents": self.documents, "pages": self.pages,
                "error": self.error,
                "hits": [{"item": hit.item_id, "path": hit.path, "page": hit.page,
                          "score": round(hit.score, 4), "snippet": hit.marked()}
                         for hit in self.hits]}


def read_terms(path: Path, column: str | None = None) -> list[str]:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise BatchInputError(f"{path}: cannot be read: {exc.strerror}") from exc
    for encoding in ("utf-8-sig", "utf-16", "cp1256"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1256 decodes almost anything
        raise BatchInputError(f"{path}: not a text file")
    is_csv = column is not None or Path(path).suffix.lower() == ".csv"
    if not is_csv:
        terms = [line.strip() for line in text.splitlines()]
    else:
        reader = csv.reader(io.StringIO(text))
        rows = list(reader)
        if not rows:
            raise BatchInputError(f"{path}: the CSV file is empty")
        index = 0
        if column is not None:
            if column not in rows[0]:
                raise BatchInputError(f"{path}: no column {column!r} (columns: "
                                      f"{', '.join(rows[0])})")
            index = rows[0].index(column)
            rows = rows[1:]
        terms = [row[index].strip() for row in rows if len(row) > index]
    terms = [term for term in terms if term and not term.startswith("#")]
    if not terms:
        raise BatchInputError(f"{path}: no names or terms in it")
    return terms


def as_query(term: str) -> str:
    """A multi-word name becomes a phrase; a term with query syntax is kept as written."""
    if any(mark in term for mark in ('"', "*", " OR ", " -")) or " " not in term.strip():
        return term
    return '"' + term.replace('"', " ") + '"'


def batch_search(index: SearchIndex, terms: list[str], *, collection: str | None = None,
                 top: int = 3) -> list[BatchRow]:
    rows = []
    for term in terms:
        row = BatchRow(term)
        query = as_query(term)
        try:
            results = index.search(query, collection=collection, limit=top)
            row.pages = results.total
            row.hits = results.hits[:top]
            row.documents = index.count_items(query, collection=collection) if row.pages else 0
        except QuerySyntaxError as exc:
            row.error = str(exc)
        rows.append(row)
    return rows
