"""Batch search of names in every spelling Dossier knows.

For each name of a list: the name as written, the spellings `dossier.text.name_variants`
makes of it (Latin and Arabic, with and without the article), and the names the registry
holds for the entities the name designates (decision "same"); all of them are searched at
once, each as a phrase, so that the counts are of pages and documents that contain the
person in any of their spellings. A name typed with query syntax ("quotes", OR, prefix*)
is searched as typed.

Entities a reader may not see (a protected witness) lend no spellings: otherwise the list
of spellings would name them.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from sqlalchemy import Connection

from dossier import spreadsheet
from dossier.registry.entities import Entity, get_entities
from dossier.registry.lookup import find_entities
from dossier.search.batch import as_query
from dossier.search.index import SearchIndex
from dossier.search.model import Hit
from dossier.search.query import QuerySyntaxError
from dossier.search.scoped import count_visible, search_visible
from dossier.text import name_variants

MAX_NAMES = 200
MAX_SPELLINGS = 30
SYNTAX = ('"', "*", " OR ", " -", "NOT ")
CSV_COLUMNS = ("name", "pages", "documents", "top_documents", "spellings", "error")


@dataclass
class NameHits:
    """What the search found for one name of the list."""

    name: str
    spellings: list[str] = field(default_factory=list)
    query: str = ""  # what was searched: the spellings, OR-ed
    pages: int = 0
    documents: int = 0
    top: list[Hit] = field(default_factory=list)  # the best page of each top document
    error: str | None = None


def spellings_of(conn: Connection, name: str, *, may_see: Callable[[Entity], bool],
                 limit: int = MAX_SPELLINGS) -> list[str]:
    """The name, its variants and its registry names (of entities `may_see` allows)."""
    if any(mark in name for mark in SYNTAX):
        return [name]
    found = [name, *name_variants(name, limit=limit)]
    same = [match.entity_id for match in find_entities(conn, name) if match.decision == "same"]
    for entity in get_entities(conn, same).values():
        if may_see(entity):
            found += [entity.name, *(known.name for known in entity.names)]
    unique: dict[str, str] = {}
    for spelling in found:
        unique.setdefault(" ".join(spelling.casefold().split()), spelling.strip())
    return [spelling for spelling in unique.values() if spelling][:limit]


def spellings_query(spellings: list[str]) -> str:
    """One query that finds any of the spellings (each several-word one as a phrase)."""
    if len(spellings) == 1:
        return as_query(spellings[0])
    return " OR ".join(as_query(spelling.replace('"', " ")) for spelling in spellings)


def search_names(conn: Connection, index: SearchIndex, names: list[str], *,
                 visible: Collection[str] | None, may_see: Callable[[Entity], bool],
                 collection: str | None = None, top: int = 5) -> list[NameHits]:
    """Each name's pages, documents and top documents, in the collections `visible`."""
    rows = []
    for name in names[:MAX_NAMES]:
        row = NameHits(name, spellings_of(conn, name, may_see=may_see))
        query = row.query = spellings_query(row.spellings)
        try:
            row.pages, row.documents = count_visible(index, query, visible=visible,
                                                     collection=collection)
            if row.pages:
                found = search_visible(index, query, visible=visible, collection=collection,
                                       limit=top * 4)
                best: dict[int, Hit] = {}
                for hit in found.hits:
                    best.setdefault(hit.item_id, hit)
                row.top = list(best.values())[:top]
        except QuerySyntaxError as exc:
            row.error = str(exc)
        rows.append(row)
    return rows


def read_names(text: str) -> list[str]:
    """The names of a list typed or pasted one per line (blank lines and # comments skipped)."""
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def names_csv(rows: list[NameHits]) -> str:
    """The rows as CSV, one line per name, under `CSV_COLUMNS`."""
    out = io.StringIO()
    writer = spreadsheet.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([row.name, row.pages, row.documents,
                         "; ".join(f"item {hit.item_id} {hit.path} p. {hit.page}"
                                   for hit in row.top),
                         " | ".join(row.spellings), row.error or ""])
    return out.getvalue()
