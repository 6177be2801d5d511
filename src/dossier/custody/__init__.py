"""Chain of custody: the hash-chained event log, and the signed log head."""

from dossier.custody.log import ChainProblem, CustodyEvent, append, events, head, verify_chain
from dossier.custody.signing import Signer, verify_head_signature

__all__ = [
    "ChainProblem", "CustodyEvent", "Signer", "append", "events", "head", "verify_chain",
    "verify_head_signature",
]
