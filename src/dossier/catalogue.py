"""What the store holds, item by item: the reads behind listing and opening items and pages.

The web API and, later, other readers list items, open one with its near-duplicates, and
open a page with its mentions; they ask here, so that no layer above the library knows SQL.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, func, select

from dossier.store.schema import collections, items, mentions, pages
from dossier.workspace import utc_iso


def _items_query(collection: str | None) -> Any:
    query = (select(items, collections.c.name.label("collection_name"))
             .join(collections, collections.c.id == items.c.collection_id))
    if collection is not None:
        query = query.where(collections.c.name == collection)
    return query


def _item(row: Any) -> dict[str, Any]:
    return {"id": row.id, "path": row.path, "collection": row.collection_name,
            "sha256": row.sha256, "size": row.size, "type": row.media_type, "mime": row.mime,
            "lang": row.language, "pages": row.page_count or 0, "parent": row.parent_id,
            "stage": row.stage, "status": row.status, "created_at": utc_iso(row.created_at)}


def list_items(conn: Connection, collection: str | None, limit: int, offset: int
               ) -> tuple[int, list[dict[str, Any]]]:
    """The total, and one page of items in order of id with their collection and page count."""
    query = _items_query(collection)
    total = int(conn.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = conn.execute(query.order_by(items.c.id).limit(limit).offset(offset)).all()
    return total, [_item(row) for row in rows]


def get_item(conn: Connection, item_id: int) -> dict[str, Any] | None:
    """One item with its metadata and its near-duplicates; None when there is no such item."""
    row = conn.execute(_items_query(None).where(items.c.id == item_id)).first()
    if row is None:
        return None
    found = _item(row)
    found["metadata"] = json.loads(row.metadata) if row.metadata else {}
    found["near_duplicates"] = _near_duplicates(conn, item_id, row.near_dup_group)
    return found


def get_page(conn: Connection, item_id: int, number: int) -> dict[str, Any] | None:
    """A page's text, how it was read, and its mentions in order; None when there is none."""
    row = conn.execute(select(pages).where(pages.c.item_id == item_id,
                                           pages.c.number == number)).first()
    if row is None:
        return None
    found = conn.execute(select(mentions).where(mentions.c.page_id == row.id)
                         .order_by(mentions.c.char_start, mentions.c.id)).all()
    return {"item": item_id, "page": row.number, "text": row.text, "sha256": row.text_sha256,
            "method": row.method, "tool": row.tool, "confidence": row.confidence,
            "lang": row.language, "mentions": [{
                "id": m.id, "start": m.char_start, "end": m.char_end, "text": m.text,
                "kind": m.kind, "value": m.value, "entity": m.entity_id,
                "score": m.score} for m in found]}


def collection_names(conn: Connection) -> list[str]:
    """The names of every collection, in alphabetical order."""
    return [str(name) for name in conn.scalars(select(collections.c.name)
                                               .order_by(collections.c.name))]


def _near_duplicates(conn: Connection, item_id: int, group: int | None) -> list[dict[str, Any]]:
    """The other items of the near-duplicate group, with their collection (a reader may be
    allowed to see some collections only)."""
    if group is None:
        return []
    rows = conn.execute(select(items.c.id, items.c.path, collections.c.name)
                        .join(collections, collections.c.id == items.c.collection_id)
                        .where(items.c.near_dup_group == group, items.c.id != item_id)
                        .order_by(items.c.id)).all()
    return [{"id": row.id, "path": row.path, "collection": row.name} for row in rows]
