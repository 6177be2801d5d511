"""The custody part of a bundle: the exhibits' events, their Merkle proofs, the signed tree.

A bundle cannot carry the whole custody log (it names other cases' material), so it carries
every event of its exhibits, each with its inclusion proof against the root of a Merkle tree
over the whole log at export time; the root and the log head are signed. An event whose
content names a protected person is carried as its sequence number and hash only: its proof
still shows that it is in the log, without saying what it says.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, select

from dossier.custody.log import canonical_json
from dossier.custody.merkle import MerkleTree
from dossier.export.pseudonyms import Pseudonymiser
from dossier.store.schema import custody_events

WITHHELD_EVENT = "names a protected person; its hash and inclusion proof are kept"


def exhibit_events(conn: Connection, item_ids: Iterable[int], size: int,
                   hide: Pseudonymiser) -> Iterator[dict[str, Any]]:
    """Every event of the items among the first ``size`` of the log, in log order, as bundled:
    all the fields its hash covers, so that anyone can recompute it."""
    rows: list[Any] = []
    ids = sorted(set(item_ids))
    for start in range(0, len(ids), 500):
        rows += conn.execute(select(custody_events).where(
            custody_events.c.item_id.in_(ids[start:start + 500]),
            custody_events.c.seq <= size)).all()
    rows.sort(key=lambda row: row.seq)
    for row in rows:
        details = json.loads(row.details)
        if any(hide.find(text) for text in (row.actor, *_texts(details))):
            yield {"seq": row.seq, "item": row.item_id, "hash": row.hash,
                   "withheld": WITHHELD_EVENT}
            continue
        event = {"seq": row.seq, "at": row.at, "actor": row.actor, "action": row.action,
                 "item": row.item_id, "sha256": row.subject_sha256, "details": details,
                 "prev_hash": row.prev_hash, "hash": row.hash}
        if canonical_json(details) != row.details:  # written by another serialiser
            event["details_json"] = row.details
        yield event


def _texts(value: Any) -> Iterator[str]:
    """Every string of an event's details, keys and values, each searched on its own (the
    JSON text would hide a name behind its escapes, or join two values into one)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from _texts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _texts(inner)


def events_jsonl(events: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n"
                   for event in events)


def proofs_json(tree: MerkleTree, events: Iterable[dict[str, Any]]) -> str:
    proofs = {str(event["seq"]): {"index": proof.index, "path": list(proof.path)}
              for event in events for proof in [tree.proof(int(event["seq"]) - 1)]}
    return json.dumps({"tree_size": tree.size, "root": tree.root, "proofs": proofs}, indent=1)


def tree_json(tree: MerkleTree, head_hash: str, head_signature: str) -> str:
    return json.dumps({
        "algorithm": "RFC 6962 Merkle tree over the custody events' hashes in log order: "
                     "leaf sha256(0x00||hash), node sha256(0x01||left||right)",
        "size": tree.size, "root": tree.root,
        "head": {"seq": tree.size, "hash": head_hash, "signature": head_signature}},
        indent=2)
