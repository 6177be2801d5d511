"""The document reader: a page's picture beside its text, mentions linked to the registry, the
item's metadata, custody and near-duplicates, and "cite this"; the page picture as PNG and
the original's bytes.

In team mode an item of a collection the user may not read answers 404, as if it did not
exist, and every view (page, picture, original) is audited. A mention of a protected person
is shown, to a user who may not see protected persons, as an unlinked mention: neither linked
nor named as that person.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from pathlib import PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy import Connection

from dossier import catalogue
from dossier.custody.log import events
from dossier.page_images import PageImageError, has_page_images, page_image
from dossier.registry.entities import get_entities
from dossier.web.deps import User, WorkspaceDep, audit, may_see_entity, visible_collections
from dossier.web.errors import NotFound
from dossier.web.pages.auth import PageReadItems
from dossier.web.pages.render import render

router = APIRouter()

ItemId = Annotated[int, Path(ge=1)]
PageNumber = Annotated[int, Path(ge=1, le=1_000_000)]
UNIT_KINDS = frozenset({"unit", "facility"})
QUOTE_CHARS = 300
CUSTODY_SHOWN = 200


@dataclass(frozen=True)
class Segment:
    """A run of the page's text: plain, or one mention (linked when `href` is set)."""

    text: str
    kind: str | None = None  # the mention's kind (person, unit, date …)
    href: str | None = None
    title: str | None = None


@router.get("/items/{item_id}", response_class=HTMLResponse)
def reader(request: Request, workspace: WorkspaceDep, user: PageReadItems, item_id: ItemId,
           page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
           quote: Annotated[str, Query(max_length=2000)] = "") -> HTMLResponse:
    """Page `page` of the item, its picture beside its text."""
    with workspace.engine.connect() as conn:
        visible = visible_collections(conn, user)
        item = _visible_item(conn, visible, item_id)
        found = catalogue.get_page(conn, item_id, page)
        if found is None and (item["pages"] > 0 or page != 1):
            raise NotFound(f"item {item_id} has no page {page}")
        segments = _segments(conn, user, found) if found else []
        custody = list(islice(events(conn, item_id), CUSTODY_SHOWN + 1))
        near = [other for other in item["near_duplicates"]
                if visible is None or other["collection"] in visible]
        audit(conn, user, "view_item", f"item:{item_id}", {"page": page})
    first_line = _first_line(found["text"]) if found else ""
    shown_quote = " ".join(quote.split())[:QUOTE_CHARS] or first_line
    return render(request, user, "reader.html", item=item, page=found, number=page,
                  count=item["pages"], segments=segments, near=near,
                  custody=custody[:CUSTODY_SHOWN], more_custody=len(custody) > CUSTODY_SHOWN,
                  imaged=has_page_images(item["type"]) and found is not None,
                  quote=shown_quote, name=PurePosixPath(item["path"]).name)


@router.get("/items/{item_id}/pages/{number}/image", response_model=None)
def page_picture(workspace: WorkspaceDep, user: PageReadItems, item_id: ItemId,
                 number: PageNumber) -> Response:
    """The page as PNG, its longer side at most 1,400 pixels (404 for a text-only item)."""
    with workspace.engine.connect() as conn:
        item = _visible_item(conn, visible_collections(conn, user), item_id)
        try:
            png = page_image(workspace.blobs.path(item["sha256"]), item["sha256"],
                             item["type"], number)
        except PageImageError as exc:
            raise NotFound(f"no picture of page {number} of item {item_id}: {exc}") from exc
        audit(conn, user, "view_item", f"item:{item_id}", {"page": number, "image": True})
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.get("/items/{item_id}/original", response_model=None)
def original(workspace: WorkspaceDep, user: PageReadItems, item_id: ItemId) -> FileResponse:
    """The original's bytes, as received, as a download."""
    with workspace.engine.connect() as conn:
        item = _visible_item(conn, visible_collections(conn, user), item_id)
        stored = workspace.blobs.path(item["sha256"])
        if not stored.is_file():
            raise NotFound(f"the original of item {item_id} is missing from the blob store; "
                           "`dossier verify` reports what is missing")
        audit(conn, user, "view_item", f"item:{item_id}",
              {"original": True, "sha256": item["sha256"], "size": item["size"]})
    return FileResponse(stored, media_type="application/octet-stream",
                        filename=PurePosixPath(item["path"]).name or item["sha256"],
                        content_disposition_type="attachment",
                        headers={"Cache-Control": "no-store"})


def _visible_item(conn: Connection, visible: set[str] | None, item_id: int) -> dict[str, Any]:
    found = catalogue.get_item(conn, item_id)
    if found is None or (visible is not None and found["collection"] not in visible):
        raise NotFound(f"no item {item_id}")
    return found


def _segments(conn: Connection, user: User, page: dict[str, Any]) -> list[Segment]:
    """The page's text cut at its mentions (overlapping ones after the first are dropped)."""
    text: str = page["text"]
    linked = get_entities(conn, [m["entity"] for m in page["mentions"] if m["entity"]],
                          with_names=False)
    segments: list[Segment] = []
    position = 0
    for mention in page["mentions"]:
        start, end = int(mention["start"]), min(int(mention["end"]), len(text))
        if start < position or start >= end:
            continue
        if start > position:
            segments.append(Segment(text[position:start]))
        entity = linked.get(mention["entity"]) if mention["entity"] else None
        if entity is not None and may_see_entity(user, entity):
            base = "/units" if entity.kind in UNIT_KINDS else "/entities"
            segments.append(Segment(text[start:end], mention["kind"], f"{base}/{entity.id}",
                                    entity.name))
        else:
            segments.append(Segment(text[start:end], mention["kind"]))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split())[:QUOTE_CHARS]
    return ""
