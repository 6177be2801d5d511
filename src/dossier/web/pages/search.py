"""The search page and the batch search of a list of names.

Both search only the collections the user may read and are audited in team mode, as the
search API is; hits link to the reader at their page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection

from dossier import catalogue
from dossier.registry.entities import Entity
from dossier.registry.name_search import names_csv, read_names, search_names
from dossier.search import QuerySyntaxError
from dossier.search.scoped import search_visible
from dossier.web.deps import WorkspaceDep, audit, may_see_entity, visible_collections
from dossier.web.pages.auth import PageSearch
from dossier.web.pages.render import render

router = APIRouter()

PER_PAGE = 20
LANGUAGES = ("ar", "en", "fr")
TYPES = ("pdf", "image", "docx", "xlsx", "csv", "html", "text", "email")
MAX_BATCH_CHARS = 20_000
TOP_DOCUMENTS = 5


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, workspace: WorkspaceDep, user: PageSearch,
    q: Annotated[str, Query(max_length=1000)] = "",
    collection: Annotated[str, Query(max_length=200)] = "",
    lang: Annotated[str, Query(max_length=8)] = "",
    media_type: Annotated[str, Query(alias="type", max_length=20)] = "",
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> HTMLResponse:
    """The form; with a query, the matching pages best first with their snippets."""
    form = {"q": q.strip(), "collection": collection or None, "lang": lang or None,
            "type": media_type or None}
    with workspace.engine.connect() as conn:
        visible = visible_collections(conn, user)
        context: dict[str, Any] = {"form": form, "collections": _readable(conn, visible),
                                   "languages": LANGUAGES, "types": TYPES, "results": None,
                                   "error": None, "offset": offset, "limit": PER_PAGE,
                                   "stale": workspace.index.stale}
        if not form["q"]:
            return render(request, user, "search.html", **context)
        try:
            context["results"] = search_visible(
                workspace.index, form["q"], visible=visible, collection=form["collection"],
                language=form["lang"], media_type=form["type"], limit=PER_PAGE, offset=offset)
        except QuerySyntaxError as exc:
            context["error"] = str(exc)
            return render(request, user, "search.html", status_code=400, **context)
        audit(conn, user, "search", None, {"query": form["q"], "collection": form["collection"],
                                           "lang": form["lang"], "type": form["type"],
                                           "total": context["results"].total})
    return render(request, user, "search.html", **context)


@router.get("/search/batch", response_class=HTMLResponse)
def batch_form(request: Request, workspace: WorkspaceDep, user: PageSearch) -> HTMLResponse:
    """The form: a list of names, one per line."""
    with workspace.engine.connect() as conn:
        choices = _readable(conn, visible_collections(conn, user))
    return render(request, user, "batch.html", names="", collection=None,
                  collections=choices, rows=None, error=None)


@router.post("/search/batch", response_class=HTMLResponse, response_model=None)
def batch_search(
    request: Request, workspace: WorkspaceDep, user: PageSearch,
    names: Annotated[str, Form(max_length=MAX_BATCH_CHARS)] = "",
    collection: Annotated[str, Form(max_length=200)] = "",
    format: Annotated[str, Form(pattern="^(html|csv)$")] = "html",
) -> Response:
    """Each name's pages and documents in any spelling, and its top documents; as CSV with
    format=csv."""
    wanted = read_names(names)
    with workspace.engine.connect() as conn:
        visible = visible_collections(conn, user)
        choices = _readable(conn, visible)
        if not wanted:
            return render(request, user, "batch.html", status_code=400, names=names,
                          collection=collection or None, collections=choices, rows=None,
                          error="searchpage.batch.no_names")

        def may_see(entity: Entity) -> bool:
            return may_see_entity(user, entity)

        rows = search_names(conn, workspace.index, wanted, visible=visible,
                            may_see=may_see, collection=collection or None,
                            top=TOP_DOCUMENTS)
        audit(conn, user, "search", None, {"batch": wanted[:len(rows)],
                                           "collection": collection or None,
                                           "format": format})
    if format == "csv":
        return Response(names_csv(rows), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": 'attachment; filename="batch-search.csv"',
            "Cache-Control": "no-store"})
    return render(request, user, "batch.html", names=names, collection=collection or None,
                  collections=choices, rows=rows, error=None)


def _readable(conn: Connection, visible: set[str] | None) -> list[str]:
    """The collections the user may choose from."""
    names = catalogue.collection_names(conn)
    return names if visible is None else [name for name in names if name in visible]
