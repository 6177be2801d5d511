"""GET /search: pages matching a query, best first, with highlighted snippets.

In team mode only the collections the user may read are searched, and the search is audited.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from dossier.search.model import SearchResults
from dossier.search.scoped import search_visible
from dossier.web.deps import (
    Paging,
    PagingDep,
    Search,
    User,
    WorkspaceDep,
    audit,
    visible_collections,
)

router = APIRouter(tags=["search"])


@router.get("/search")
async def search(
    workspace: WorkspaceDep,
    user: Search,
    paging: PagingDep,
    q: Annotated[str, Query(min_length=1, description=(
        'Words (all must match), "exact phrases", OR, -exclusion, prefix*.'))],
    collection: Annotated[str | None, Query(description="Only this collection.")] = None,
    lang: Annotated[str | None, Query(description="Only pages in this language: ar, en, fr.")]
        = None,
    media_type: Annotated[str | None, Query(alias="type", description=(
        "Only this type: pdf, image, docx, xlsx, csv, html, text, email."))] = None,
) -> dict[str, Any]:
    """Pages matching `q` (BM25); `snippet` is HTML-escaped with matches in <mark>."""
    filters: dict[str, Any] = {"language": lang, "media_type": media_type}
    if user.account is None:
        # The local user reads every collection and is not audited: the search (a few ms of
        # CPU) runs here, without a hop to the thread pool and back.
        results = _search(workspace, q, collection, None, paging, filters)
    else:  # the grants and the audit entry wait on the store: in the thread pool
        results = await run_in_threadpool(_team_search, workspace, user, q, collection, paging,
                                          filters)
    page = paging.page(results.total, [{
        "item": hit.item_id, "path": hit.path, "page": hit.page, "score": round(hit.score, 4),
        "snippet": hit.marked(), "collection": hit.collection, "type": hit.media_type,
        "lang": hit.language} for hit in results.hits])
    return {"query": results.query, "stale_index": workspace.index.stale, **page}


def _team_search(workspace: WorkspaceDep, user: User, q: str, collection: str | None,
                 paging: Paging, filters: dict[str, Any]) -> SearchResults:
    """The collections `user` may read searched, and the search audited."""
    with workspace.engine.connect() as conn:
        results = _search(workspace, q, collection, visible_collections(conn, user), paging,
                          filters)
        audit(conn, user, "search", None, {"query": q, "collection": collection,
                                           "total": results.total})
    return results


def _search(workspace: WorkspaceDep, q: str, collection: str | None, visible: set[str] | None,
            paging: Paging, filters: dict[str, Any]) -> SearchResults:
    return search_visible(workspace.index, q, visible=visible, collection=collection,
                          limit=paging.limit, offset=paging.offset, **filters)
