"""Pages reach the index while the ingest goes on, and count as indexed only once committed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, update

from dossier.ingest.indexing import IndexFeed, index_pending
from dossier.ingest.pipeline import IngestOptions, ingest
from dossier.search import PageDoc
from dossier.store.schema import items, pages

from .files import REPORT_EN


def _ingested_page(workspace, tmp_path: Path) -> PageDoc:
    leak = tmp_path / "leak"
    leak.mkdir()
    (leak / "report.txt").write_text(REPORT_EN, encoding="utf-8")
    ingest(workspace, IngestOptions(collection="leak", paths=[leak], workers=1))
    with workspace.engine.begin() as conn:
        row = conn.execute(select(pages.c.id, pages.c.item_id, pages.c.number, pages.c.text,
                                  items.c.path)
                           .join(items, items.c.id == pages.c.item_id)).one()
        # As if the run had died after writing the page and before the index held it.
        conn.execute(update(pages).values(indexed=False))
        conn.execute(update(items).values(stage="extracted"))
    workspace.index.clear()
    workspace.index.commit()
    return PageDoc(page_id=row.id, item_id=row.item_id, page=row.number, collection="leak",
                   path=row.path, media_type="text", language="en", text=row.text)


def _marked(workspace) -> tuple[bool, str]:
    with workspace.engine.connect() as conn:
        row = conn.execute(select(pages.c.indexed, items.c.stage)
                           .join(items, items.c.id == pages.c.item_id)).one()
    return bool(row.indexed), str(row.stage)


def test_a_page_fed_to_the_index_is_marked_only_after_the_commit(workspace,
                                                                 tmp_path: Path) -> None:
    doc = _ingested_page(workspace, tmp_path)
    feed = IndexFeed(workspace)
    feed.add([doc])
    assert feed.waiting == 1
    assert _marked(workspace) == (False, "extracted")

    assert feed.commit() == 1
    assert _marked(workspace) == (True, "indexed")
    assert [hit.page_id for hit in workspace.index.search("Saydnaya").hits] == [doc.page_id]
    assert feed.waiting == 0 and feed.commit() == 0


def test_the_terms_a_worker_computed_are_what_the_index_holds(workspace,
                                                             tmp_path: Path) -> None:
    doc = _ingested_page(workspace, tmp_path)
    feed = IndexFeed(workspace)
    feed.add([PageDoc(**{**doc.__dict__, "terms": "precomputed"})])
    feed.commit()
    assert workspace.index.search("precomputed").total == 1
    assert workspace.index.search("Saydnaya").total == 0


def test_a_page_fed_but_never_committed_is_indexed_once_by_the_next_run(workspace,
                                                                         tmp_path: Path
                                                                         ) -> None:
    doc = _ingested_page(workspace, tmp_path)
    feed = IndexFeed(workspace)
    feed.add([doc])
    workspace.index.commit()  # what closing the workspace after a failure does; no marking

    assert index_pending(workspace) == 1
    assert _marked(workspace) == (True, "indexed")
    assert workspace.index.count() == 1
    assert workspace.index.search("Saydnaya").total == 1
