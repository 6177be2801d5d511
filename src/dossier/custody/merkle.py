"""A Merkle tree over the custody log (RFC 6962 / RFC 9162), for inclusion proofs.

The hash chain proves the log was not altered, but checking it needs every event. A bundle
carries only the events of its exhibits, so each comes with an inclusion proof: the few hashes
that lead from the event to the root of a tree over the whole log at export time. The root is
signed; anyone can check that an event belongs to the signed log without seeing the others.

Leaves are ``sha256(0x00 || event hash bytes)``, inner nodes ``sha256(0x01 || left || right)``
(the prefixes keep a leaf from passing for a node). A tree over n events whose size is not a
power of two carries an unpaired last node up a level unchanged, which gives exactly the RFC
6962 tree. The standalone verifier in ``dossier.export.verify_bundle`` has its own copy of
:func:`verify_inclusion`: it must not import Dossier. The tests check that the two agree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, select

from dossier.store.schema import custody_events

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"


def leaf_hash(event_hash_hex: str) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + bytes.fromhex(event_hash_hex)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


@dataclass(frozen=True)
class InclusionProof:
    """The audit path of leaf ``index`` in a tree of ``size`` leaves, bottom up."""

    index: int
    size: int
    path: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"index": self.index, "size": self.size, "path": list(self.path)}


class MerkleTree:
    """Every level of the tree, built once, so that each proof is a few list lookups.

    Building costs one hash per node (about 2n); an export of a log of a million events builds
    it once and then answers each proof in O(log n).
    """

    def __init__(self, event_hashes: Iterable[str]) -> None:
        level = [leaf_hash(value) for value in event_hashes]
        self.levels: list[list[bytes]] = [level]
        while len(level) > 1:
            paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
            if len(level) % 2:
                paired.append(level[-1])  # carried up unchanged (RFC 6962's uneven split)
            self.levels.append(paired)
            level = paired

    @property
    def size(self) -> int:
        return len(self.levels[0])

    @property
    def root(self) -> str:
        """The root as hex; the tree of no events has the hash of the empty string (RFC 6962)."""
        if not self.levels[0]:
            return hashlib.sha256(b"").hexdigest()
        return self.levels[-1][0].hex()

    def proof(self, index: int) -> InclusionProof:
        if not 0 <= index < self.size:
            raise IndexError(f"leaf {index} is not in a tree of {self.size}")
        path: list[str] = []
        position = index
        for level in self.levels[:-1]:
            sibling = position ^ 1
            if sibling < len(level):
                path.append(level[sibling].hex())
            position //= 2
        return InclusionProof(index, self.size, tuple(path))


def verify_inclusion(event_hash_hex: str, proof: InclusionProof, root_hex: str) -> bool:
    """RFC 9162 §2.1.3.2: recompute the root from the leaf and its audit path."""
    if not 0 <= proof.index < proof.size:
        return False
    index, last = proof.index, proof.size - 1
    digest = leaf_hash(event_hash_hex)
    for sibling_hex in proof.path:
        if last == 0:
            return False
        sibling = bytes.fromhex(sibling_hex)
        if index % 2 == 1 or index == last:
            digest = node_hash(sibling, digest)
            if index % 2 == 0:
                while index % 2 == 0 and index != 0:
                    index >>= 1
                    last >>= 1
        else:
            digest = node_hash(digest, sibling)
        index >>= 1
        last >>= 1
    return last == 0 and digest.hex() == root_hex


def log_tree(conn: Connection, size: int, batch: int = 20000) -> MerkleTree:
    """The tree over the first ``size`` events of the custody log, in sequence order."""
    hashes: list[str] = []
    last = 0
    while last < size:
        rows = conn.execute(select(custody_events.c.seq, custody_events.c.hash)
                            .where(custody_events.c.seq > last, custody_events.c.seq <= size)
                            .order_by(custody_events.c.seq).limit(batch)).all()
        if not rows:
            break
        hashes.extend(row.hash for row in rows)
        last = rows[-1].seq
    if len(hashes) != size:
        raise ValueError(f"the custody log has {len(hashes)} of the first {size} events: "
                         "run `dossier verify` to find which are missing")
    return MerkleTree(hashes)
