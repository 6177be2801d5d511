"""Chain of custody: the hash-chained event log, and the signed log head."""

from dossier.custody.log import (
    ChainProblem,
    CustodyEvent,
    NewEvent,
    append,
    append_many,
    events,
    head,
    verify_chain,
)
from dossier.custody.signing import Signer, verify_head_signature

__all__ = [
    "ChainProblem", "CustodyEvent", "NewEvent", "Signer", "append", "append_many", "events",
    "head", "verify_chain",
    "verify_head_signature",
]
