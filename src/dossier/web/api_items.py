"""Items, their pages (text, method, confidence, mentions) and their custody history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from dossier import catalogue
from dossier.custody.log import events
from dossier.web.deps import ConnectionDep, PagingDep
from dossier.web.errors import NotFound

router = APIRouter(tags=["items"])

ItemId = Annotated[int, Path(ge=1, description="The item's id.")]


@router.get("/items")
def list_items(
    conn: ConnectionDep,
    paging: PagingDep,
    collection: Annotated[str | None, Query(description="Only this collection.")] = None,
) -> dict[str, Any]:
    """Items in order of id, with their collection, type, stage and page count."""
    total, found = catalogue.list_items(conn, collection, paging.limit, paging.offset)
    return paging.page(total, found)


@router.get("/items/{item_id}")
def get_item(conn: ConnectionDep, item_id: ItemId) -> dict[str, Any]:
    """One item with its metadata, page count and near-duplicates."""
    found = catalogue.get_item(conn, item_id)
    if found is None:
        raise NotFound(f"no item {item_id}")
    return found


@router.get("/items/{item_id}/pages/{number}")
def get_page(conn: ConnectionDep, item_id: ItemId,
             number: Annotated[int, Path(ge=1, description="The page number, from 1.")]
             ) -> dict[str, Any]:
    """A page's text, how it was read (text layer or OCR, with confidence) and its mentions."""
    get_item(conn, item_id)
    found = catalogue.get_page(conn, item_id, number)
    if found is None:
        raise NotFound(f"item {item_id} has no page {number}")
    return found


@router.get("/items/{item_id}/custody")
def item_custody(conn: ConnectionDep, item_id: ItemId) -> dict[str, Any]:
    """The item's custody events, oldest first, each chained to the one before."""
    get_item(conn, item_id)
    return {"item": item_id, "events": [event.as_dict() for event in events(conn, item_id)]}
