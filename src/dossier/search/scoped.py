"""Searching only the collections a reader may see.

The index filters on one collection at a time, so a reader granted some collections is
answered by searching each of them for its best offset+limit pages and merging by score;
totals are the sums (a page belongs to one collection). `visible=None` means every collection.
"""

from __future__ import annotations

from collections.abc import Collection

from dossier.search.index import SearchIndex
from dossier.search.model import Hit, SearchResults
from dossier.search.query import parse_query


def wanted_collections(visible: Collection[str] | None, collection: str | None
                       ) -> list[str] | None:
    """The collections to search: None for every one, else the readable ones asked for."""
    if visible is None:
        return None
    return sorted(set(visible) if collection is None else set(visible) & {collection})


def search_visible(index: SearchIndex, query: str, *, visible: Collection[str] | None,
                   collection: str | None = None, language: str | None = None,
                   media_type: str | None = None, limit: int = 20, offset: int = 0
                   ) -> SearchResults:
    """Pages matching `query` in the collections `visible` (None: all), best first.

    Raises QuerySyntaxError for a query that cannot be searched, even where there is no
    collection to search.
    """
    wanted = wanted_collections(visible, collection)
    if wanted is None:
        return index.search(query, collection=collection, language=language,
                            media_type=media_type, limit=limit, offset=offset)
    parse_query(query)
    total, hits = 0, list[Hit]()
    for name in wanted:
        found = index.search(query, collection=name, language=language, media_type=media_type,
                             limit=offset + limit)
        total, hits = total + found.total, hits + list(found.hits)
    hits.sort(key=lambda hit: -hit.score)
    return SearchResults(query=query, total=total, hits=hits[offset:offset + limit])


def count_visible(index: SearchIndex, query: str, *, visible: Collection[str] | None,
                  collection: str | None = None) -> tuple[int, int]:
    """(pages, documents) matching `query` in the collections `visible` (None: all)."""
    wanted = wanted_collections(visible, collection)
    scopes: list[str | None] = [collection] if wanted is None else list(wanted)
    if not scopes:
        parse_query(query)
    pages = documents = 0
    for scope in scopes:
        found = index.count_matches(query, collection=scope)
        if found:
            pages += found
            documents += index.count_items(query, collection=scope)
    return pages, documents
