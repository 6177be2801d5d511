"""Grouping near-duplicate texts (the same order re-typed or re-scanned) as they arrive."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection, bindparam, select, update

from dossier.ingest.neardup import NEAR_DUPLICATE_THRESHOLD, NUM_HASHES, signature_values
from dossier.store.bulk import insert_rows
from dossier.store.schema import item_signatures, items, neardup_keys


@dataclass(frozen=True)
class Fingerprint:
    item_id: int
    signature: bytes
    keys: list[str]


class KnownSignatures:
    """Signatures and groups of items already fingerprinted, kept for the length of a run.

    In a leak full of forms, an item's LSH keys are shared by many earlier items filled in
    on the same form (siblings, not copies), and the number of such candidates grows with the
    leak. Reading their signatures back from the store for every batch made grouping the
    largest cost of an ingest; kept here, in one array, they are compared in one operation.
    """

    def __init__(self) -> None:
        self._row: dict[int, int] = {}
        self._values = np.zeros((1024, NUM_HASHES), dtype=np.uint32)
        self._comparable = np.zeros(1024, dtype=bool)
        self._group: list[int] = []

    def __contains__(self, item_id: int) -> bool:
        return item_id in self._row

    def unknown(self, item_ids: set[int]) -> set[int]:
        return {item_id for item_id in item_ids if item_id not in self._row}

    def group(self, item_id: int) -> int:
        return self._group[self._row[item_id]]

    def add(self, item_id: int, sig: bytes, group: int) -> None:
        if item_id in self._row:
            return
        row = len(self._group)
        if row == len(self._values):
            self._values = np.resize(self._values, (2 * row, NUM_HASHES))
            self._comparable = np.resize(self._comparable, 2 * row)
        values = signature_values(sig)
        self._comparable[row] = values is not None
        if values is not None:
            self._values[row] = values
        self._row[item_id] = row
        self._group.append(group)

    def similarities(self, sig: bytes, item_ids: list[int]) -> np.ndarray:
        """The estimated similarity of a signature to each of these items' (0 for a signature
        of another version)."""
        values = signature_values(sig)
        if values is None or not item_ids:
            return np.zeros(len(item_ids))
        rows = np.fromiter((self._row[item_id] for item_id in item_ids), dtype=np.intp,
                           count=len(item_ids))
        equal = np.count_nonzero(self._values[rows] == values, axis=1) / NUM_HASHES
        return np.where(self._comparable[rows], equal, 0.0)


def assign_near_duplicate_groups(conn: Connection, prints: list[Fingerprint],
                                 known: KnownSignatures | None = None) -> dict[int, int]:
    """Give each item the group of its most similar earlier item, or a group of its own.

    Candidates are items sharing an LSH band key, in the store or earlier in this batch; they
    join a group only when their estimated similarity reaches the threshold. A group is named
    by the id of its first item. `known` keeps signatures between the batches of one run.
    Returns item id -> group id.
    """
    if not prints:
        return {}
    known = known if known is not None else KnownSignatures()
    all_keys = sorted({key for fingerprint in prints for key in fingerprint.keys})
    holders: dict[str, set[int]] = {}
    for key, holder in conn.execute(select(neardup_keys.c.key, neardup_keys.c.item_id)
                                    .where(neardup_keys.c.key.in_(all_keys))):
        holders.setdefault(key, set()).add(holder)
    missing = known.unknown({item_id for found in holders.values() for item_id in found})
    if missing:
        for stored in conn.execute(select(item_signatures.c.item_id, item_signatures.c.signature,
                                        items.c.near_dup_group)
                                 .join(items, items.c.id == item_signatures.c.item_id)
                                 .where(item_signatures.c.item_id.in_(sorted(missing)))):
            known.add(int(stored.item_id), bytes(stored.signature),
                      int(stored.near_dup_group or stored.item_id))
    assigned: dict[int, int] = {}
    new_signatures: list[tuple[int, bytes]] = []
    new_keys: list[tuple[str, int]] = []
    for fingerprint in prints:
        if fingerprint.item_id in known:  # fingerprinted by an interrupted earlier run
            assigned[fingerprint.item_id] = known.group(fingerprint.item_id)
            continue
        candidates = sorted(set().union(*(holders.get(key, set()) for key in fingerprint.keys))
                            - {fingerprint.item_id})
        group = fingerprint.item_id
        if candidates:
            similarities = known.similarities(fingerprint.signature, candidates)
            best = int(np.argmax(similarities))  # the first of equals: the earliest item
            if similarities[best] >= NEAR_DUPLICATE_THRESHOLD:
                group = known.group(candidates[best])
        assigned[fingerprint.item_id] = group
        known.add(fingerprint.item_id, fingerprint.signature, group)
        for key in set(fingerprint.keys):
            holders.setdefault(key, set()).add(fingerprint.item_id)
            new_keys.append((key, fingerprint.item_id))
        new_signatures.append((fingerprint.item_id, fingerprint.signature))
    insert_rows(conn, item_signatures, ("item_id", "signature"), new_signatures)
    insert_rows(conn, neardup_keys, ("key", "item_id"), new_keys)
    conn.execute(update(items).where(items.c.id == bindparam("b_id"))
                 .values(near_dup_group=bindparam("b_group")),
                 [{"b_id": item_id, "b_group": group} for item_id, group in assigned.items()])
    return assigned
