"""Sealing the log: signing its current head, and checking the signatures already made."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from dossier.custody.log import ChainProblem, head, now_iso
from dossier.custody.signing import Signer, verify_head_signature
from dossier.store.schema import custody_events, custody_signatures


@dataclass(frozen=True)
class Seal:
    seq: int
    hash: str
    signature: str
    public_key: str
    signed_at: str


def seal(conn: Connection, signer: Signer) -> Seal | None:
    """Sign the current head unless it is already signed; None for an empty log."""
    seq, head_hash = head(conn)
    if seq == 0:
        return None
    last = latest_seal(conn)
    if last is not None and last.seq == seq and last.hash == head_hash:
        return last
    made = Seal(seq, head_hash, signer.sign_head(seq, head_hash), signer.public_key_hex, now_iso())
    conn.execute(insert(custody_signatures).values(
        seq=made.seq, hash=made.hash, signature=made.signature, public_key=made.public_key,
        signed_at=made.signed_at))
    return made


def latest_seal(conn: Connection) -> Seal | None:
    row = conn.execute(select(custody_signatures).order_by(custody_signatures.c.id.desc())
                       .limit(1)).first()
    if row is None:
        return None
    return Seal(row.seq, row.hash, row.signature, row.public_key, row.signed_at)


def check_seals(conn: Connection, trusted_public_key: str) -> list[ChainProblem]:
    """Every signature must be valid, made by the workspace key, over a hash still in the log."""
    problems: list[ChainProblem] = []
    for row in conn.execute(select(custody_signatures).order_by(custody_signatures.c.id)):
        if row.public_key != trusted_public_key:
            problems.append(ChainProblem(row.seq, "head signature made by another key "
                                                  f"({row.public_key[:16]}…)"))
        elif not verify_head_signature(row.public_key, row.seq, row.hash, row.signature):
            problems.append(ChainProblem(row.seq, "head signature does not verify"))
        event = conn.execute(select(custody_events.c.hash)
                             .where(custody_events.c.seq == row.seq)).first()
        if event is None:
            problems.append(ChainProblem(row.seq, "a signed head event is missing from the log"))
        elif event.hash != row.hash:
            problems.append(ChainProblem(row.seq, "the log no longer matches its signed head "
                                                  f"(signed at {row.signed_at})"))
    return problems
