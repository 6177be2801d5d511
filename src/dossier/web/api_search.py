"""GET /search: pages matching a query, best first, with highlighted snippets."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from dossier.web.deps import PagingDep, UserDep, WorkspaceDep

router = APIRouter(tags=["search"])


@router.get("/search")
def search(
    workspace: WorkspaceDep,
    _: UserDep,
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
    results = workspace.index.search(q, collection=collection, language=lang,
                                     media_type=media_type, limit=paging.limit,
                                     offset=paging.offset)
    page = paging.page(results.total, [{
        "item": hit.item_id, "path": hit.path, "page": hit.page, "score": round(hit.score, 4),
        "snippet": hit.marked(), "collection": hit.collection, "type": hit.media_type,
        "lang": hit.language} for hit in results.hits])
    return {"query": results.query, "stale_index": workspace.index.stale, **page}
