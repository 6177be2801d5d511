"""Merkle inclusion proofs over the custody log, and the standalone verifier's copies of the
algorithms Dossier signs and hashes with (they must agree, or bundles would not verify)."""

from __future__ import annotations

import ast
import hashlib
import sys
from pathlib import Path

import pytest

from dossier.custody import log as custody
from dossier.custody.merkle import InclusionProof, MerkleTree, log_tree, verify_inclusion
from dossier.custody.signing import head_message, statement_message
from dossier.export import verify_bundle


def reference_root(hashes: list[str]) -> bytes:
    """RFC 6962 §2.1 as written: MTH(D[n]) splits at the largest power of two below n."""
    if len(hashes) == 1:
        return hashlib.sha256(b"\x00" + bytes.fromhex(hashes[0])).digest()
    split = 1
    while split * 2 < len(hashes):
        split *= 2
    return hashlib.sha256(b"\x01" + reference_root(hashes[:split])
                          + reference_root(hashes[split:])).digest()


def hashes(count: int) -> list[str]:
    return [hashlib.sha256(str(n).encode()).hexdigest() for n in range(count)]


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31, 33])
def test_root_is_the_rfc_6962_tree_and_every_proof_verifies(size: int) -> None:
    leaves = hashes(size)
    tree = MerkleTree(leaves)
    assert tree.root == reference_root(leaves).hex()
    for index, leaf in enumerate(leaves):
        proof = tree.proof(index)
        assert verify_inclusion(leaf, proof, tree.root)
        assert verify_bundle.verify_inclusion(leaf, proof.index, proof.size, list(proof.path),
                                              tree.root)


def test_a_wrong_leaf_index_path_or_root_fails_in_both_verifiers() -> None:
    leaves = hashes(11)
    tree = MerkleTree(leaves)
    proof = tree.proof(6)
    other = tree.proof(5)
    bad_path = (proof.path[0][:-1] + ("0" if proof.path[0][-1] != "0" else "1"),
                *proof.path[1:])
    cases = [
        (leaves[5], proof, tree.root),  # another event's hash
        (leaves[6], InclusionProof(5, 11, proof.path), tree.root),  # another position
        (leaves[6], InclusionProof(6, 11, bad_path), tree.root),  # a sibling altered
        (leaves[6], InclusionProof(6, 7, proof.path), tree.root),  # another tree size
        (leaves[6], InclusionProof(6, 11, proof.path[:-1]), tree.root),  # a step missing
        (leaves[6], proof, MerkleTree(leaves[:10]).root),  # another root
        (leaves[6], InclusionProof(6, 11, other.path), tree.root),
    ]
    for leaf, candidate, root in cases:
        assert not verify_inclusion(leaf, candidate, root)
        assert not verify_bundle.verify_inclusion(leaf, candidate.index, candidate.size,
                                                  list(candidate.path), root)


def test_the_verifier_hashes_events_and_messages_as_dossier_does() -> None:
    details = {"path": "أمر/251.txt", "size": 3, "nested": {"b": 1, "a": [1, 2]}}
    details_json = custody.canonical_json(details)
    expected = custody.event_hash(7, "2024-01-01T00:00:00.000000+00:00", "tester", "acquired",
                                  3, "ab" * 32, details_json, "cd" * 32)
    event = {"seq": 7, "at": "2024-01-01T00:00:00.000000+00:00", "actor": "tester",
             "action": "acquired", "item": 3, "sha256": "ab" * 32, "prev_hash": "cd" * 32}
    assert verify_bundle.canonical_json(details) == details_json
    assert verify_bundle.event_hash(event, details_json) == expected
    assert verify_bundle.head_message(9, "ef" * 32) == head_message(9, "ef" * 32)
    statement = {"tree": {"size": 3, "root": "00"}, "case": "قضية"}
    assert verify_bundle.statement_message(statement) == statement_message(
        custody.canonical_json(statement))


def test_the_standalone_verifier_imports_only_the_standard_library_and_cryptography() -> None:
    source = Path(verify_bundle.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported - set(sys.stdlib_module_names) == {"cryptography"}


def test_the_tree_of_the_log_is_built_from_the_events_in_order(workspace) -> None:
    with workspace.engine.begin() as conn:
        made = custody.append_many(conn, [custody.NewEvent("viewed", "tester", details={"n": n})
                                          for n in range(9)])
    with workspace.engine.connect() as conn:
        tree = log_tree(conn, 9)
        smaller = log_tree(conn, 4)
        with pytest.raises(ValueError, match="first 10 events"):
            log_tree(conn, 10)
    assert tree.root == MerkleTree([event.hash for event in made]).root
    assert smaller.root == MerkleTree([event.hash for event in made[:4]]).root
    assert verify_inclusion(made[8].hash, tree.proof(8), tree.root)
