"""The on-disk Tantivy index: one document per page, rebuilt from the store at will.

Linguistic analysis happens in Python (``dossier.text``); Tantivy receives the terms already
normalised and stemmed, separated by spaces, in a field with the "whitespace" tokenizer and
positions (for phrases). The original page text is stored beside them, unindexed, for
snippets. Filters (collection, language, media type) are untokenised fields matched inside
the Tantivy query, so totals and ranking already account for them.

One IndexWriter is opened on the first write and kept until close(); Tantivy allows one
writer per index, so a second process writing the same index gets an error saying so.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from types import TracebackType

import tantivy

from dossier.search.highlight import make_snippet
from dossier.search.model import Hit, PageDoc, SearchResults
from dossier.search.query import ParsedQuery, QuerySyntaxError, parse_query
from dossier.search.tantivy_query import BODY, build_query
from dossier.text import index_text

__all__ = [
    "ANALYSIS_VERSION",
    "Hit",
    "PageDoc",
    "QuerySyntaxError",
    "SearchIndex",
    "SearchIndexError",
    "SearchResults",
]

ANALYSIS_VERSION = 2  # 2: bidirectional controls (U+061C, isolates) dropped
"""Bump when dossier.text changes what a word's term is: indexes built before need a rebuild."""

WRITER_HEAP_BYTES = 128_000_000
WRITER_THREADS = min(2, os.cpu_count() or 1)
ADD_BATCH = 1_000
_VERSION_FILE = "dossier-search.json"
_RACY_NS = 2_000_000_000  # a version file younger than this is read again each time

Query = tantivy.Query


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("page_id", stored=True, indexed=True, fast=True)
    builder.add_unsigned_field("item_id", stored=True, indexed=True, fast=True)
    builder.add_unsigned_field("page", stored=True)
    builder.add_text_field("collection", stored=True, tokenizer_name="raw")
    builder.add_text_field("media_type", stored=True, tokenizer_name="raw")
    builder.add_text_field("language", stored=True, tokenizer_name="raw")
    builder.add_text_field("path", stored=True, tokenizer_name="raw")
    builder.add_text_field(BODY, tokenizer_name="whitespace", index_option="position")
    builder.add_bytes_field("text", stored=True)
    return builder.build()


class SearchIndexError(RuntimeError):
    """The index cannot be opened or written (locked by another writer, other schema)."""


class SearchIndex:
    """Full-text search over pages: add, delete, commit, search."""

    def __init__(self, path: Path) -> None:
        """Open the index at path, creating it (and the folder) if there is none."""
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._schema = _schema()
        is_new = not tantivy.Index.exists(str(self.path))
        try:
            self._index = tantivy.Index(self._schema, path=str(self.path), reuse=True)
        except ValueError as error:
            raise SearchIndexError(
                f"Cannot open the search index at {self.path} ({error}). It was probably "
                "made by another version of Dossier; the index is derived data: remove that "
                "folder and rebuild it from the store (dossier reindex)."
            ) from error
        if is_new:
            self._write_version()
        self._writer: tantivy.IndexWriter | None = None
        self._pending = False
        self._lock = threading.Lock()
        self._stale_seen: tuple[tuple[int, int, int], bool] | None = None

    # --- writing ---------------------------------------------------------------------------

    def add(self, docs: Iterable[PageDoc]) -> int:
        """Queue pages for indexing, replacing any page with the same page_id; returns how
        many were queued. Searches see them after commit()."""
        added = 0
        with self._lock:
            writer = self._open_writer()
            for batch in _batches(docs, ADD_BATCH):
                latest = {doc.page_id: doc for doc in batch}  # last one wins
                # Deleting first is what makes re-adding idempotent: a delete applies to
                # every document queued before it, committed or not.
                writer.delete_documents_by_query(
                    Query.term_set_query(self._schema, "page_id", list(latest))
                )
                for doc in latest.values():
                    writer.add_document(self._document(doc))
                added += len(latest)
            self._pending = self._pending or added > 0
        return added

    def delete_items(self, item_ids: Iterable[int]) -> None:
        """Queue the removal of every page of these items (visible after commit())."""
        ids = list(item_ids)
        if not ids:
            return
        with self._lock:
            self._open_writer().delete_documents_by_query(
                Query.term_set_query(self._schema, "item_id", ids)
            )
            self._pending = True

    def commit(self) -> None:
        """Make queued changes durable and visible to searches."""
        with self._lock:
            if self._writer is not None and self._pending:
                self._writer.commit()
                self._pending = False
            self._index.reload()

    def clear(self) -> None:
        """Remove every page, at once and durably (for a full reindex)."""
        with self._lock:
            writer = self._open_writer()
            writer.delete_all_documents()
            writer.commit()
            self._pending = False
            self._write_version()
            self._index.reload()

    def close(self) -> None:
        """Commit what is queued and release the writer (and its lock on the index)."""
        self.commit()
        with self._lock:
            if self._writer is not None:
                self._writer.wait_merging_threads()
                self._writer = None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if error is not None and self._writer is not None:
            with self._lock:
                self._writer.rollback()
                self._pending = False
        self.close()

    # --- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        """Pages in the index (as of the last commit)."""
        return int(self._index.searcher().num_docs)

    def page_ids(self) -> set[int]:
        """Every page_id in the index, to find what an interrupted run already indexed."""
        searcher = self._index.searcher()
        total = searcher.num_docs
        if total == 0:
            return set()
        hits = searcher.search(Query.all_query(), limit=total, count=False).hits
        return _ints(searcher.fast_field_values("page_id", [address for _, address in hits]))

    @property
    def stale(self) -> bool:
        """True when the index was built with other analysis rules: rebuild it.

        A server asks on every search, and another process may rebuild the index meanwhile:
        the version file is read again when its size, inode or time changes, and always while
        it is younger than the file system's time stamps can tell apart (as git does)."""
        version_file = self.path / _VERSION_FILE
        try:
            status = version_file.stat()
        except OSError:
            return True
        stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
        if self._stale_seen is not None and self._stale_seen[0] == stamp:
            return self._stale_seen[1]
        try:
            stored = json.loads(version_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return True
        stale = bool(stored.get("analysis") != ANALYSIS_VERSION)
        if time.time_ns() - status.st_mtime_ns > _RACY_NS:
            self._stale_seen = (stamp, stale)
        return stale

    def search(
        self,
        query: str,
        *,
        collection: str | None = None,
        language: str | None = None,
        media_type: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchResults:
        """Pages matching query, best first (BM25), with snippets; total counts them all.

        Raises QuerySyntaxError for a query that cannot be searched.
        """
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset cannot be negative")
        parsed = parse_query(query)
        tantivy_query = self._query(parsed, collection, language, media_type)
        searcher = self._index.searcher()
        # Tantivy refuses a limit of 0; ask for one hit and drop it.
        found = searcher.search(tantivy_query, limit=max(limit, 1), count=True, offset=offset)
        hits = [
            self._hit(searcher.doc(address), score, parsed) for score, address in found.hits[:limit]
        ]
        return SearchResults(query=query, total=_count(found), hits=hits)

    def count_matches(
        self,
        query: str,
        *,
        collection: str | None = None,
        language: str | None = None,
        media_type: str | None = None,
    ) -> int:
        """How many pages match query, without fetching or highlighting any."""
        parsed = parse_query(query)
        tantivy_query = self._query(parsed, collection, language, media_type)
        found = self._index.searcher().search(tantivy_query, limit=1, count=True)
        return _count(found)

    def count_items(
        self,
        query: str,
        *,
        collection: str | None = None,
        language: str | None = None,
        media_type: str | None = None,
    ) -> int:
        """How many distinct items (documents) have a matching page, read from a fast field
        without fetching or highlighting pages."""
        parsed = parse_query(query)
        tantivy_query = self._query(parsed, collection, language, media_type)
        searcher = self._index.searcher()
        total = _count(searcher.search(tantivy_query, limit=1, count=True))
        if total == 0:
            return 0
        hits = searcher.search(tantivy_query, limit=total, count=False).hits
        return len(_ints(searcher.fast_field_values("item_id", [address for _, address in hits])))

    # --- internals -------------------------------------------------------------------------

    def _query(
        self,
        parsed: ParsedQuery,
        collection: str | None,
        language: str | None,
        media_type: str | None,
    ) -> tantivy.Query:
        filters = {"collection": collection, "language": language, "media_type": media_type}
        return build_query(self._schema, parsed, filters)

    def lock_for_writing(self) -> None:
        """Take the index's writer lock now, so that a second writer fails at its start."""
        self._open_writer()

    def _open_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            try:
                self._writer = self._index.writer(
                    heap_size=WRITER_HEAP_BYTES, num_threads=WRITER_THREADS
                )
            except ValueError as error:
                raise SearchIndexError(
                    f"Cannot write to the search index at {self.path}: another process is "
                    f"writing to it ({error})."
                ) from error
        return self._writer

    def _document(self, doc: PageDoc) -> tantivy.Document:
        document = tantivy.Document()
        document.add_unsigned("page_id", doc.page_id)
        document.add_unsigned("item_id", doc.item_id)
        document.add_unsigned("page", doc.page)
        document.add_text("collection", doc.collection)
        document.add_text("media_type", doc.media_type)
        if doc.language is not None:
            document.add_text("language", doc.language)
        document.add_text("path", doc.path)
        document.add_text(BODY, doc.terms if doc.terms is not None else index_text(doc.text))
        document.add_bytes("text", doc.text.encode("utf-8"))
        return document

    def _hit(self, document: tantivy.Document, score: float, parsed: ParsedQuery) -> Hit:
        text = bytes(document.get_first("text") or b"").decode("utf-8")
        snippet, highlights = make_snippet(text, parsed.positive_patterns)
        return Hit(
            page_id=int(document["page_id"][0]),
            item_id=int(document["item_id"][0]),
            path=str(document.get_first("path")),
            page=int(document["page"][0]),
            score=float(score),
            collection=str(document.get_first("collection")),
            media_type=str(document.get_first("media_type")),
            language=document.get_first("language"),
            snippet=snippet,
            highlights=highlights,
        )

    def _write_version(self) -> None:
        content = json.dumps({"analysis": ANALYSIS_VERSION})
        (self.path / _VERSION_FILE).write_text(content, encoding="utf-8")


def _batches(docs: Iterable[PageDoc], size: int) -> Iterator[list[PageDoc]]:
    iterator = iter(docs)
    while batch := list(islice(iterator, size)):
        yield batch


def _count(result: tantivy.SearchResult) -> int:
    """The match count of a search made with count=True (missing from tantivy's stubs)."""
    return int(getattr(result, "count", 0) or 0)


def _ints(values: Iterable[int | float | bool | None]) -> set[int]:
    return {int(value) for value in values if value is not None}
