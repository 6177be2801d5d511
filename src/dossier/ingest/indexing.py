"""Feeding extracted pages into the search index, and rebuilding it from the store."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, update

from dossier.search import PageDoc
from dossier.store.schema import collections, items, pages
from dossier.workspace import Workspace

MARK_BATCH = 2000


def _mark_indexed(workspace: Workspace, page_ids: list[int], item_ids: list[int]) -> None:
    """Record that these pages are in the committed index (their items too, once extracted)."""
    with workspace.engine.begin() as conn:
        for start in range(0, len(page_ids), MARK_BATCH):
            conn.execute(update(pages).where(pages.c.id.in_(page_ids[start:start + MARK_BATCH]))
                         .values(indexed=True))
        for start in range(0, len(item_ids), MARK_BATCH):
            conn.execute(update(items).where(items.c.id.in_(item_ids[start:start + MARK_BATCH]),
                                             items.c.stage == "extracted")
                         .values(stage="indexed"))


class IndexFeed:
    """Pages handed to the index as soon as the store holds them, marked indexed only once the
    index has committed them.

    The index does its work in its own threads while extraction goes on, instead of all at
    the end. A crash before `commit` leaves the pages unmarked, and `index_pending` adds them
    again; adding replaces by page id, so nothing is indexed twice.
    """

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._page_ids: list[int] = []
        self._item_ids: set[int] = set()

    @property
    def waiting(self) -> int:
        """Pages added but not yet committed."""
        return len(self._page_ids)

    def add(self, docs: list[PageDoc]) -> None:
        self.workspace.index.add(docs)
        self._page_ids += [doc.page_id for doc in docs]
        self._item_ids.update(doc.item_id for doc in docs)

    def commit(self) -> int:
        """Commit the index and mark what it now holds; returns how many pages."""
        if not self._page_ids:
            return 0
        self.workspace.index.commit()
        _mark_indexed(self.workspace, self._page_ids, sorted(self._item_ids))
        count = len(self._page_ids)
        self._page_ids, self._item_ids = [], set()
        return count


def index_pending(workspace: Workspace, batch: int = 2000,
                  on_batch: Callable[[int], None] | None = None) -> int:
    """Index every page not yet indexed; returns how many were indexed.

    Pages are added (replacing any copy with the same id), the index is committed, and only
    then are the pages marked indexed: a crash in between means they are indexed again, and
    replacing by id keeps the index free of duplicates.
    """
    index = workspace.index
    total = 0
    last_id = 0
    while True:
        with workspace.engine.connect() as conn:
            rows = conn.execute(
                select(pages.c.id, pages.c.item_id, pages.c.number, pages.c.text,
                       pages.c.language, items.c.path, items.c.media_type,
                       collections.c.name.label("collection"))
                .join(items, items.c.id == pages.c.item_id)
                .join(collections, collections.c.id == items.c.collection_id)
                .where(pages.c.indexed.is_(False), pages.c.id > last_id)
                .order_by(pages.c.id).limit(batch)).all()
        if not rows:
            break
        index.add(PageDoc(page_id=row.id, item_id=row.item_id, page=row.number,
                          collection=row.collection, path=row.path,
                          media_type=row.media_type or "unknown", language=row.language,
                          text=row.text) for row in rows)
        index.commit()
        _mark_indexed(workspace, [row.id for row in rows], sorted({row.item_id for row in rows}))
        total += len(rows)
        last_id = rows[-1].id
        if on_batch is not None:
            on_batch(len(rows))
    return total


def reindex(workspace: Workspace, on_batch: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the store."""
    workspace.index.clear()
    workspace.index.commit()
    with workspace.engine.begin() as conn:
        conn.execute(update(pages).values(indexed=False))
    return index_pending(workspace, on_batch=on_batch)
