"""Grouping near-duplicate texts (the same order re-typed or re-scanned) as they arrive."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select, update

from dossier.store.schema import item_signatures, items, neardup_keys


def assign_near_duplicate_group(conn: Connection, item_id: int, signature: bytes,
                                keys: list[str]) -> int:
    """Find earlier items sharing an LSH band and similar enough; join the best one's group.

    Returns the group id (the id of the first item of the group; the item's own id if alone).
    """
    from dossier.ingest.neardup import NEAR_DUPLICATE_THRESHOLD, estimate_similarity

    candidates = {row.item_id for row in conn.execute(
        select(neardup_keys.c.item_id).where(neardup_keys.c.key.in_(keys)))}
    candidates.discard(item_id)
    group = item_id
    best = 0.0
    if candidates:
        rows = conn.execute(select(item_signatures.c.item_id, item_signatures.c.signature,
                                   items.c.near_dup_group)
                            .join(items, items.c.id == item_signatures.c.item_id)
                            .where(item_signatures.c.item_id.in_(candidates)))
        for row in rows:
            similarity = estimate_similarity(signature, bytes(row.signature))
            if similarity >= NEAR_DUPLICATE_THRESHOLD and similarity > best:
                best = similarity
                group = int(row.near_dup_group or row.item_id)
    existing = conn.execute(select(item_signatures.c.item_id)
                            .where(item_signatures.c.item_id == item_id)).first()
    if existing is None:
        conn.execute(insert(item_signatures).values(item_id=item_id, signature=signature))
        conn.execute(insert(neardup_keys), [{"key": key, "item_id": item_id}
                                            for key in sorted(set(keys))])
    conn.execute(update(items).where(items.c.id == item_id).values(near_dup_group=group))
    return group
