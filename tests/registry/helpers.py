"""Small registries and pages made by the tests themselves, straight into the store."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Connection, insert, select

from dossier.registry.claims import ClaimDraft, Source, add_claims
from dossier.store.schema import acquisitions, collections, items, mentions, pages
from dossier.workspace import utcnow


def add_item(conn: Connection, path: str, texts: list[str], metadata: str | None = None, *,
             collection_name: str = "leak") -> int:
    """An item with its pages (no original bytes: enough for claims, mentions and profiles)."""
    now = utcnow()
    collection = conn.scalar(select(collections.c.id).where(
        collections.c.name == collection_name))
    if collection is None:
        collection = conn.execute(insert(collections).values(
            name=collection_name, created_at=now)).inserted_primary_key[0]
        conn.execute(insert(acquisitions).values(
            id=collection, collection_id=collection, acquired_by="test", sources="[]",
            resume_key="k", started_at=now))
    digest = hashlib.sha256(path.encode()).hexdigest()
    item = conn.execute(insert(items).values(
        collection_id=collection, sha256=digest, size=1, media_type="text", path=path,
        acquisition_id=collection, depth=0, stage="indexed", status="ok",
        page_count=len(texts), metadata=metadata, created_at=now,
        updated_at=now)).inserted_primary_key[0]
    for number, text in enumerate(texts, start=1):
        conn.execute(insert(pages).values(
            item_id=item, number=number, text=text, text_sha256=hashlib.sha256(
                text.encode()).hexdigest(), method="text", tool="test", indexed=False))
    return int(item)


def add_mention(conn: Connection, item_id: int, page: int, text: str, kind: str, *,
                value: str | None = None, entity_id: int | None = None) -> int:
    page_row = conn.execute(select(pages.c.id, pages.c.text).where(
        pages.c.item_id == item_id, pages.c.number == page)).one()
    used = set(conn.scalars(select(mentions.c.char_start).where(
        mentions.c.page_id == page_row.id, mentions.c.kind == kind)))
    start = page_row.text.find(text)
    while start in used and start >= 0:  # the next occurrence of the same words
        start = page_row.text.find(text, start + 1)
    start = start if start >= 0 else max(used, default=0) + 1000
    return int(conn.execute(insert(mentions).values(
        page_id=page_row.id, item_id=item_id, page_number=page, char_start=start,
        char_end=start + len(text), text=text, kind=kind, value=value, extractor="test",
        score=1.0, entity_id=entity_id)).inserted_primary_key[0])


def post(conn: Connection, person: int, unit: int, role: str = "head", *,
         valid_from: str | None = None, valid_to: str | None = None,
         precision: str = "exact", status: str = "proposed", item_id: int | None = None,
         page: int | None = None, quote: str | None = None, **extra: Any) -> int:
    source = Source(item_id, page, quote, None if item_id else f"report on {person}/{unit}")
    draft = ClaimDraft(person, "holds_post", (source,), object_id=unit, role=role,
                       valid_from=valid_from, valid_to=valid_to, time_precision=precision,
                       status=status, author="test", **extra)
    return add_claims(conn, [draft])[0].claim_id
