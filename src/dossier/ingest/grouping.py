"""Grouping near-duplicate texts (the same order re-typed or re-scanned) as they arrive."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection, bindparam, insert, select, update

from dossier.store.schema import item_signatures, items, neardup_keys


@dataclass(frozen=True)
class Fingerprint:
    item_id: int
    signature: bytes
    keys: list[str]


def assign_near_duplicate_groups(conn: Connection, prints: list[Fingerprint]) -> dict[int, int]:
    """Give each item the group of its most similar earlier item, or a group of its own.

    Candidates are items sharing an LSH band key, in the store or earlier in this batch; they
    join a group only when their estimated similarity reaches the threshold. A group is named
    by the id of its first item. Returns item id -> group id.
    """
    from dossier.ingest.neardup import NEAR_DUPLICATE_THRESHOLD, similarity_to_many

    if not prints:
        return {}
    all_keys = sorted({key for fingerprint in prints for key in fingerprint.keys})
    holders: dict[str, set[int]] = {}
    for row in conn.execute(select(neardup_keys.c.key, neardup_keys.c.item_id)
                            .where(neardup_keys.c.key.in_(all_keys))):
        holders.setdefault(row.key, set()).add(int(row.item_id))
    candidate_ids = set().union(*holders.values()) if holders else set()
    signatures: dict[int, bytes] = {}
    groups: dict[int, int] = {}
    if candidate_ids:
        for known in conn.execute(select(item_signatures.c.item_id, item_signatures.c.signature,
                                       items.c.near_dup_group)
                                .join(items, items.c.id == item_signatures.c.item_id)
                                .where(item_signatures.c.item_id.in_(candidate_ids))):
            signatures[int(known.item_id)] = bytes(known.signature)
            groups[int(known.item_id)] = int(known.near_dup_group or known.item_id)
    assigned: dict[int, int] = {}
    new_signatures, new_keys = [], []
    for fingerprint in prints:
        if fingerprint.item_id in signatures:  # fingerprinted by an interrupted earlier run
            assigned[fingerprint.item_id] = groups[fingerprint.item_id]
            continue
        candidates = sorted(set().union(*(holders.get(key, set()) for key in fingerprint.keys))
                            - {fingerprint.item_id})
        group = fingerprint.item_id
        if candidates:
            similarities = similarity_to_many(fingerprint.signature,
                                              [signatures[candidate] for candidate in candidates])
            best = int(np.argmax(similarities))  # the first of equals: the earliest item
            if similarities[best] >= NEAR_DUPLICATE_THRESHOLD:
                group = groups[candidates[best]]
        assigned[fingerprint.item_id] = group
        signatures[fingerprint.item_id] = fingerprint.signature
        groups[fingerprint.item_id] = group
        for key in set(fingerprint.keys):
            holders.setdefault(key, set()).add(fingerprint.item_id)
            new_keys.append({"key": key, "item_id": fingerprint.item_id})
        new_signatures.append({"item_id": fingerprint.item_id,
                               "signature": fingerprint.signature})
    if new_signatures:
        conn.execute(insert(item_signatures), new_signatures)
        conn.execute(insert(neardup_keys), new_keys)
    conn.execute(update(items).where(items.c.id == bindparam("b_id"))
                 .values(near_dup_group=bindparam("b_group")),
                 [{"b_id": item_id, "b_group": group} for item_id, group in assigned.items()])
    return assigned
