"""Items, their pages (text, method, confidence, mentions) and their custody history.

In team mode an item of a collection the user may not read answers 404, as if it did not
exist, and every view of an item or page is audited.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from sqlalchemy import Connection

from dossier import catalogue
from dossier.custody.log import events
from dossier.web.deps import ConnectionDep, PagingDep, ReadItems, User, audit, visible_collections
from dossier.web.errors import NotFound

router = APIRouter(tags=["items"])

ItemId = Annotated[int, Path(ge=1, description="The item's id.")]


@router.get("/items")
def list_items(
    conn: ConnectionDep,
    user: ReadItems,
    paging: PagingDep,
    collection: Annotated[str | None, Query(description="Only this collection.")] = None,
) -> dict[str, Any]:
    """Items in order of id, with their collection, type, stage and page count."""
    visible = visible_collections(conn, user)
    if visible is None:
        total, found = catalogue.list_items(conn, collection, paging.limit, paging.offset)
        return paging.page(total, found)
    wanted = sorted(visible if collection is None else visible & {collection})
    total, merged = 0, list[dict[str, Any]]()
    for name in wanted:  # each collection's first offset+limit items, merged in order of id
        count, found = catalogue.list_items(conn, name, paging.offset + paging.limit, 0)
        total, merged = total + count, merged + found
    merged.sort(key=lambda item: int(item["id"]))
    return paging.page(total, merged[paging.offset:paging.offset + paging.limit])


@router.get("/items/{item_id}")
def get_item(conn: ConnectionDep, user: ReadItems,
             item_id: ItemId) -> dict[str, Any]:
    """One item with its metadata, page count and near-duplicates (those the user may read)."""
    found = _visible_item(conn, user, item_id)
    visible = visible_collections(conn, user)
    if visible is not None:
        found["near_duplicates"] = [other for other in found["near_duplicates"]
                                    if other["collection"] in visible]
    audit(conn, user, "view_item", f"item:{item_id}")
    return found


@router.get("/items/{item_id}/pages/{number}")
def get_page(conn: ConnectionDep, user: ReadItems, item_id: ItemId,
             number: Annotated[int, Path(ge=1, description="The page number, from 1.")]
             ) -> dict[str, Any]:
    """A page's text, how it was read (text layer or OCR, with confidence) and its mentions."""
    _visible_item(conn, user, item_id)
    found = catalogue.get_page(conn, item_id, number)
    if found is None:
        raise NotFound(f"item {item_id} has no page {number}")
    audit(conn, user, "view_item", f"item:{item_id}", {"page": number})
    return found


@router.get("/items/{item_id}/custody")
def item_custody(conn: ConnectionDep, user: ReadItems,
                 item_id: ItemId) -> dict[str, Any]:
    """The item's custody events, oldest first, each chained to the one before."""
    _visible_item(conn, user, item_id)
    audit(conn, user, "view_item", f"item:{item_id}", {"custody": True})
    return {"item": item_id, "events": [event.as_dict() for event in events(conn, item_id)]}


def _visible_item(conn: Connection, user: User, item_id: int) -> dict[str, Any]:
    found = catalogue.get_item(conn, item_id)
    visible = visible_collections(conn, user)
    if found is None or (visible is not None and found["collection"] not in visible):
        raise NotFound(f"no item {item_id}")
    return found
