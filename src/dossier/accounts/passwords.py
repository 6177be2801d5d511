"""Password hashes: argon2id with argon2-cffi's current parameters, rehashed when they change."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that a refusal takes as long either way.
_DUMMY_HASH = _hasher.hash("dossier-no-such-user-password")


class WeakPassword(ValueError):
    """The password is too short to be accepted."""


def hash_password(password: str, hasher: PasswordHasher = _hasher) -> str:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters "
                           f"(this one has {len(password)})")
    return hasher.hash(password)


def hash_password_unchecked(password: str, hasher: PasswordHasher = _hasher) -> str:
    """Rehash a password already accepted (at login, when the parameters have changed)."""
    return hasher.hash(password)


def password_matches(stored_hash: str | None, password: str,
                     hasher: PasswordHasher = _hasher) -> bool:
    """Whether `password` matches `stored_hash`; with no hash, spends the same time and says no."""
    try:
        return hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str, hasher: PasswordHasher = _hasher) -> bool:
    """Whether the hash was made with other parameters than the hasher's and should be redone."""
    return hasher.check_needs_rehash(stored_hash)
