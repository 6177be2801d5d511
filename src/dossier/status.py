"""`dossier status`: what the workspace holds, what is still to do, and what failed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, Integer, and_, func, select, true

from dossier.custody import log as custody
from dossier.custody.seal import latest_seal
from dossier.store.schema import collections, failures, items, pages, sightings
from dossier.workspace import Workspace


@dataclass
class Status:
    workspace: str
    database: str
    collections: list[dict[str, Any]] = field(default_factory=list)
    items: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)
    by_stage: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    ocr_pages: int = 0
    indexed_pages: int = 0
    sightings: int = 0
    duplicate_sightings: int = 0
    near_duplicate_groups: int = 0
    near_duplicate_items: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    custody_head: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _grouped(conn: Connection, column, condition) -> dict[str, int]:  # type: ignore[no-untyped-def]
    query = select(column, func.count()).select_from(items).where(condition).group_by(column)
    counts: dict[str, int] = {}
    for key, count in conn.execute(query):
        name = str(key) if key is not None else "unknown"
        counts[name] = counts.get(name, 0) + int(count)
    return counts


def workspace_status(workspace: Workspace, collection: str | None = None) -> Status:
    status = Status(str(workspace.root), _redacted(workspace.database_url))
    with workspace.engine.connect() as conn:
        # Every query below is scoped by this: all items, or those of one collection.
        condition: ColumnElement[bool] = true()
        if collection is not None:
            coll = conn.execute(select(collections.c.id)
                                .where(collections.c.name == collection)).first()
            condition = items.c.collection_id == (coll.id if coll else -1)
        status.collections = [
            {"name": row.name, "items": int(row.item_count)} for row in conn.execute(
                select(collections.c.name, func.count(items.c.id).label("item_count"))
                .select_from(collections.outerjoin(
                    items, items.c.collection_id == collections.c.id))
                .group_by(collections.c.name).order_by(collections.c.name))]
        status.by_type = _grouped(conn, items.c.media_type, condition)
        status.by_language = _grouped(conn, items.c.language, condition)
        stage = func.coalesce(items.c.status, "") + ":" + items.c.stage
        raw_stages = _grouped(conn, stage, condition)
        status.by_stage = {_stage_name(key): value for key, value in raw_stages.items()}
        item_query = select(func.count()).select_from(items)
        item_query = item_query.where(condition)
        status.items = int(conn.execute(item_query).scalar_one())
        page_query = select(func.count(), func.sum(func.cast(pages.c.method == "ocr", Integer)),
                            func.sum(func.cast(pages.c.indexed, Integer))).select_from(
            pages.join(items, items.c.id == pages.c.item_id))
        page_query = page_query.where(condition)
        total, ocr, indexed = conn.execute(page_query).one()
        status.pages, status.ocr_pages, status.indexed_pages = (int(total or 0), int(ocr or 0),
                                                                int(indexed or 0))
        sighting_query = select(func.count()).select_from(
            sightings.join(items, items.c.id == sightings.c.item_id))
        sighting_query = sighting_query.where(condition)
        status.sightings = int(conn.execute(sighting_query).scalar_one())
        status.duplicate_sightings = max(0, status.sightings - status.items)
        group_query = select(items.c.near_dup_group, func.count()).where(
            items.c.near_dup_group.is_not(None)).group_by(items.c.near_dup_group).having(
            func.count() > 1)
        group_query = group_query.where(condition)
        groups = conn.execute(group_query).all()
        status.near_duplicate_groups = len(groups)
        status.near_duplicate_items = sum(int(count) for _, count in groups)
        failure_query = select(failures).where(failures.c.resolved_at.is_(None)).order_by(
            failures.c.path, failures.c.id)
        if collection is not None:
            failure_query = failure_query.where(and_(
                failures.c.collection_id == collections.c.id, collections.c.name == collection))
        status.failures = [{
            "item": row.item_id, "path": row.path, "stage": row.stage, "kind": row.kind,
            "message": row.message, "attempts": row.attempts,
            "last_failed_at": row.last_failed_at.isoformat() if row.last_failed_at else None,
        } for row in conn.execute(failure_query)]
        seq, head_hash = custody.head(conn)
        signed = latest_seal(conn)
        status.custody_head = {
            "seq": seq, "hash": head_hash,
            "signed_seq": signed.seq if signed else None,
            "signed_at": signed.signed_at if signed else None,
            "public_key": workspace.signer.public_key_hex,
        }
    return status


def _stage_name(key: str) -> str:
    status, _, stage = key.partition(":")
    if status == "failed":
        return "failed"
    if status == "pending":
        return "queued"
    return stage


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
