"""Many rows through the driver's executemany, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dossier.store.bulk import insert_rows
from dossier.store.schema import item_signatures, items, neardup_keys, pages


def _item(workspace) -> int:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from dossier.ingest.pipeline import IngestOptions, ingest

    leak = Path(workspace.root).parent / "leak"
    leak.mkdir(exist_ok=True)
    (leak / "a.txt").write_text("a short note", encoding="utf-8")
    ingest(workspace, IngestOptions(collection="c", paths=[leak], workers=1))
    with workspace.engine.connect() as conn:
        return int(conn.execute(select(items.c.id)).scalar_one())


def test_rows_of_text_bytes_and_booleans_go_in_as_given(workspace) -> None:  # type: ignore[no-untyped-def]
    item_id = _item(workspace)
    with workspace.engine.begin() as conn:
        insert_rows(conn, neardup_keys, ("key", "item_id"),
                    [("m1:00:aa", item_id), ("m1:01:bb", item_id)])
        insert_rows(conn, pages, ("item_id", "number", "text", "text_sha256", "method", "tool",
                                  "confidence", "language", "indexed"),
                    [(item_id, 7, "الفرع ٢٥١", "0" * 64, "ocr", "tesseract", 91.5, "ar", False)])
        insert_rows(conn, neardup_keys, ("key", "item_id"), [])  # nothing to do
    with workspace.engine.connect() as conn:
        keys = conn.execute(select(neardup_keys.c.key).where(neardup_keys.c.key.like("m1:0%"))
                            .order_by(neardup_keys.c.key)).scalars().all()
        page = conn.execute(select(pages).where(pages.c.number == 7)).one()
    assert keys == ["m1:00:aa", "m1:01:bb"]
    assert (page.text, page.confidence, page.indexed) == ("الفرع ٢٥١", 91.5, False)


def test_a_wrong_or_missing_column_is_refused(workspace) -> None:  # type: ignore[no-untyped-def]
    with workspace.engine.begin() as conn:
        with pytest.raises(ValueError, match="no column sig"):
            insert_rows(conn, item_signatures, ("item_id", "sig"), [(1, b"x")])
        with pytest.raises(ValueError, match="indexed"):  # it has a default only SQLAlchemy fills
            insert_rows(conn, pages, ("item_id", "number", "text", "text_sha256", "method",
                                      "tool"), [(1, 1, "t", "0" * 64, "text", "x")])
