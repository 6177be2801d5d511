"""The workspace's ed25519 key, and signatures over the custody log head."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PRIVATE_NAME = "custody-ed25519.pem"
PUBLIC_NAME = "custody-ed25519.pub"


def head_message(seq: int, head_hash: str) -> bytes:
    """What is signed: a fixed prefix, so that a signature cannot be replayed for anything else."""
    return f"dossier custody head\n{seq}\n{head_hash}\n".encode()


def statement_message(statement_json: str) -> bytes:
    """What an evidence bundle's signature covers: its statement (canonical JSON) behind a
    prefix of its own, so that it can never pass for a signed log head or the reverse."""
    return b"dossier bundle statement\n" + statement_json.encode("utf-8")


class Signer:
    def __init__(self, keys_dir: Path) -> None:
        self.keys_dir = Path(keys_dir)
        private_path = self.keys_dir / PRIVATE_NAME
        if not private_path.exists():
            raise FileNotFoundError(f"no signing key at {private_path}; run `dossier init`")
        loaded = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
        assert isinstance(loaded, Ed25519PrivateKey)
        self._key = loaded

    @staticmethod
    def create(keys_dir: Path) -> Signer:
        keys_dir = Path(keys_dir)
        keys_dir.mkdir(parents=True, exist_ok=True)
        private_path = keys_dir / PRIVATE_NAME
        if not private_path.exists():
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
            fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
            (keys_dir / PUBLIC_NAME).write_text(public_hex(key.public_key()) + "\n")
        return Signer(keys_dir)

    @property
    def public_key_hex(self) -> str:
        return public_hex(self._key.public_key())

    def sign_head(self, seq: int, head_hash: str) -> str:
        return self._key.sign(head_message(seq, head_hash)).hex()

    def sign_statement(self, statement_json: str) -> str:
        """Sign a bundle statement (see :func:`statement_message`); hex signature."""
        return self._key.sign(statement_message(statement_json)).hex()


def public_hex(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def verify_head_signature(public_key_hex: str, seq: int, head_hash: str, signature_hex: str
                          ) -> bool:
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
    try:
        key.verify(bytes.fromhex(signature_hex), head_message(seq, head_hash))
    except (InvalidSignature, ValueError):
        return False
    return True
