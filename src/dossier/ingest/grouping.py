"""Grouping near-duplicate texts (the same order re-typed or re-scanned) as they arrive."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection, bindparam, exists, select, update

from dossier.ingest.neardup import (
    NEAR_DUPLICATE_THRESHOLD,
    NUM_HASHES,
    item_fingerprint,
    signature_values,
)
from dossier.store.bulk import insert_rows
from dossier.store.schema import item_signatures, items, neardup_keys, pages

MERGE_EVERY = 65_536  # band keys held in the dict before they join the sorted arrays
WRITE_EVERY = 16_384  # items whose signatures and band keys wait in memory before the store
KEEP_AT_MOST = 196_608  # items a run keeps in memory (about 170 MB); then it asks the store


@dataclass(frozen=True)
class Fingerprint:
    item_id: int
    signature: bytes
    keys: list[str]


def band_number(key: str) -> int:
    """An LSH key ("m1:07:<24 hex>") as a 64-bit number: the band, then 56 bits of its digest.
    Two keys that end up equal only make a candidate more, whose similarity is measured."""
    _version, band, digest = key.split(":")
    return int(band) << 56 | int(digest[:14], 16)


class BandIndex:
    """The LSH keys of a run's items and the items that hold each, in memory.

    Keys are kept as 64-bit numbers in a sorted array beside the ids of their items (12 bytes
    a key: 16 keys an item make two million at 134,000 items); the latest keys wait in a dict
    and are merged into the arrays in one operation every MERGE_EVERY keys.
    """

    def __init__(self) -> None:
        self._keys = np.empty(0, dtype=np.uint64)
        self._items = np.empty(0, dtype=np.int64)
        self._recent: dict[int, list[int]] = {}
        self._recent_count = 0

    def holders(self, keys: list[int]) -> set[int]:
        found: set[int] = set()
        for key in keys:
            found.update(self._recent.get(key, ()))
        if self._keys.size:
            wanted = np.asarray(keys, dtype=np.uint64)
            starts = np.searchsorted(self._keys, wanted, side="left")
            ends = np.searchsorted(self._keys, wanted, side="right")
            for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
                if end > start:
                    found.update(self._items[start:end].tolist())
        return found

    def add(self, item_id: int, keys: list[int]) -> None:
        for key in keys:
            self._recent.setdefault(key, []).append(item_id)
        self._recent_count += len(keys)
        if self._recent_count >= MERGE_EVERY:
            self._merge()

    def _merge(self) -> None:
        pairs = [(key, item_id) for key, holders in self._recent.items() for item_id in holders]
        new_keys = np.fromiter((key for key, _ in pairs), dtype=np.uint64, count=len(pairs))
        new_items = np.fromiter((item_id for _, item_id in pairs), dtype=np.int64,
                                count=len(pairs))
        order = np.argsort(new_keys, kind="stable")
        at = np.searchsorted(self._keys, new_keys[order], side="right")
        self._keys = np.insert(self._keys, at, new_keys[order])
        self._items = np.insert(self._items, at, new_items[order])
        self._recent = {}
        self._recent_count = 0


class KnownSignatures:
    """Signatures and groups of items already fingerprinted, kept for the length of a run.

    In a leak full of forms, an item's LSH keys are shared by many earlier items filled in
    on the same form (siblings, not copies), and the number of such candidates grows with the
    leak. Reading their signatures back from the store for every batch made grouping the
    largest cost of an ingest; kept here, in one array, they are compared in one operation.

    The signatures and band keys of the run's items are written to the store WRITE_EVERY
    items at a time, sorted (`write`): written with each small batch of results, the band keys
    of a batch fell on a thousand scattered pages of their index, and each commit rewrote
    them all. Items whose fingerprints a killed run never wrote are fingerprinted again from
    their stored text by the next run (`restore_lost_fingerprints`).

    A run keeps at most KEEP_AT_MOST items in memory: past them, everything written is
    forgotten and the store is asked for candidates, as for the items of earlier runs, so
    that the memory of an ingest stays bounded whatever the size of the archive.
    """

    def __init__(self) -> None:
        self._store_checked = False
        self._store_had_signatures = False
        self._unwritten: list[Fingerprint] = []
        self._hold_nothing()

    def _hold_nothing(self) -> None:
        self.bands = BandIndex()
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
            # Zeroed memory the system lends page by page: the rows not yet used stay out of
            # the process's resident memory (np.resize would fill them with copies).
            used, comparable = self._values, self._comparable
            self._values = np.zeros((2 * row, NUM_HASHES), dtype=np.uint32)
            self._values[:row] = used
            self._comparable = np.zeros(2 * row, dtype=bool)
            self._comparable[:row] = comparable
        values = signature_values(sig)
        self._comparable[row] = values is not None
        if values is not None:
            self._values[row] = values
        self._row[item_id] = row
        self._group.append(group)

    def store_had_signatures(self, conn: Connection) -> bool:
        """Whether the store held signatures of items when this run first asked: if not, every
        candidate of the run is in `bands`, and the store need not be searched for any."""
        if not self._store_checked:
            self._store_had_signatures = conn.execute(
                select(item_signatures.c.item_id).limit(1)).first() is not None
            self._store_checked = True
        return self._store_had_signatures

    def hold(self, fingerprint: Fingerprint) -> None:
        self._unwritten.append(fingerprint)

    @property
    def unwritten(self) -> int:
        return len(self._unwritten)

    def write(self, conn: Connection) -> None:
        """Write the signatures and band keys held back, sorted as their indexes are."""
        if not self._unwritten:
            return
        write_fingerprints(conn, self._unwritten)
        self._unwritten = []
        if len(self._group) >= KEEP_AT_MOST:
            self._forget()

    def _forget(self) -> None:
        """Drop everything held (all of it written): from now on the store is asked."""
        self._hold_nothing()
        self._store_checked = self._store_had_signatures = True

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

    Candidates are items sharing an LSH band key, in the store or earlier in this run; they
    join a group only when their estimated similarity reaches the threshold. A group is named
    by the id of its first item. `known` keeps signatures and band keys between the batches
    of one run: the store is searched only for the items of earlier runs, if it has any, and
    the fingerprints are written when `known` holds WRITE_EVERY of them (and by the caller at
    the end of the run: `known.write`). Without `known` they are written at once.
    Returns item id -> group id.
    """
    if not prints:
        return {}
    run_wide = known is not None
    known = known if known is not None else KnownSignatures()
    holders: dict[str, set[int]] = {}
    if known.store_had_signatures(conn):
        all_keys = sorted({key for fingerprint in prints for key in fingerprint.keys})
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
    for fingerprint in prints:
        if fingerprint.item_id in known:  # fingerprinted by an interrupted earlier run
            assigned[fingerprint.item_id] = known.group(fingerprint.item_id)
            continue
        numbers = [band_number(key) for key in fingerprint.keys]
        candidates = sorted(known.bands.holders(numbers).union(
            *(holders.get(key, ()) for key in fingerprint.keys)) - {fingerprint.item_id})
        group = fingerprint.item_id
        if candidates:
            similarities = known.similarities(fingerprint.signature, candidates)
            best = int(np.argmax(similarities))  # the first of equals: the earliest item
            if similarities[best] >= NEAR_DUPLICATE_THRESHOLD:
                group = known.group(candidates[best])
        assigned[fingerprint.item_id] = group
        known.add(fingerprint.item_id, fingerprint.signature, group)
        known.bands.add(fingerprint.item_id, sorted(set(numbers)))
        known.hold(fingerprint)
    conn.execute(update(items).where(items.c.id == bindparam("b_id"))
                 .values(near_dup_group=bindparam("b_group")),
                 [{"b_id": item_id, "b_group": group} for item_id, group in assigned.items()])
    if not run_wide or known.unwritten >= WRITE_EVERY:
        known.write(conn)
    return assigned


def write_fingerprints(conn: Connection, prints: list[Fingerprint]) -> None:
    insert_rows(conn, item_signatures, ("item_id", "signature"),
                sorted((found.item_id, found.signature) for found in prints))
    insert_rows(conn, neardup_keys, ("key", "item_id"),
                sorted({(key, found.item_id) for found in prints for key in found.keys}))


def restore_lost_fingerprints(conn: Connection, batch: int = 500) -> int:
    """Fingerprint again, from their stored text, the items a killed run grouped but whose
    signatures and band keys it had not written yet; returns how many."""
    lost = conn.execute(select(items.c.id).where(
        items.c.near_dup_group.is_not(None),
        ~exists().where(item_signatures.c.item_id == items.c.id)).order_by(items.c.id)
    ).scalars().all()
    for start in range(0, len(lost), batch):
        texts: dict[int, list[str]] = {}
        for item_id, text in conn.execute(
                select(pages.c.item_id, pages.c.text)
                .where(pages.c.item_id.in_(lost[start:start + batch]))
                .order_by(pages.c.item_id, pages.c.number)):
            texts.setdefault(item_id, []).append(text)
        prints = [Fingerprint(item_id, *fingerprint) for item_id, page_texts in texts.items()
                  if (fingerprint := item_fingerprint(page_texts)) is not None]
        write_fingerprints(conn, prints)
    return len(lost)
