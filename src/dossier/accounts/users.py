"""Accounts: who may log in, with which role and in which language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from dossier.accounts.passwords import hash_password
from dossier.accounts.roles import check_role
from dossier.store.schema import sessions, users
from dossier.workspace import utc_iso, utcnow

LANGUAGES = ("ar", "en")


class AccountError(Exception):
    """An account cannot be made or changed as asked; the message says why."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str | None
    role: str
    language: str
    active: bool
    created_at: datetime
    last_login_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "username": self.username, "name": self.display_name,
                "role": self.role, "language": self.language, "active": self.active,
                "created_at": utc_iso(self.created_at),
                "last_login_at": utc_iso(self.last_login_at) if self.last_login_at else None}


def user_from_row(row: Any) -> User:
    return User(row.id, row.username, row.display_name, row.role, row.language,
                bool(row.active), row.created_at, row.last_login_at)


def add_user(conn: Connection, username: str, password: str, role: str, *,
             display_name: str | None = None, language: str = "en") -> User:
    """Make an account; the password is stored only as its argon2id hash."""
    username = username.strip()
    if not username or any(char.isspace() for char in username):
        raise AccountError(f"a username is one word without spaces, not {username!r}")
    _check(role, language)
    if find_user(conn, username) is not None:
        raise AccountError(f"there is already an account {username!r}")
    try:
        conn.execute(insert(users).values(
            username=username, display_name=display_name, password_hash=hash_password(password),
            role=role, language=language, active=True, created_at=utcnow()))
    except IntegrityError as exc:  # a concurrent add of the same name
        raise AccountError(f"there is already an account {username!r}") from exc
    return get_user(conn, username)


def find_user(conn: Connection, username: str) -> User | None:
    row = conn.execute(select(users).where(users.c.username == username)).first()
    return None if row is None else user_from_row(row)


def get_user(conn: Connection, username: str) -> User:
    user = find_user(conn, username)
    if user is None:
        raise AccountError(f"no account {username!r}")
    return user


def user_by_id(conn: Connection, user_id: int) -> User | None:
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    return None if row is None else user_from_row(row)


def list_users(conn: Connection) -> list[User]:
    return [user_from_row(row) for row in conn.execute(select(users).order_by(users.c.username))]


def set_role(conn: Connection, username: str, role: str) -> User:
    _check(role, "en")
    _change(conn, username, role=role)
    return get_user(conn, username)


def set_language(conn: Connection, username: str, language: str) -> User:
    _check("read_only", language)
    _change(conn, username, language=language)
    return get_user(conn, username)


def set_password(conn: Connection, username: str, password: str) -> None:
    _change(conn, username, password_hash=hash_password(password))


def disable_user(conn: Connection, username: str) -> User:
    """Refuse the account from now on and end its open sessions."""
    _change(conn, username, active=False)
    user = get_user(conn, username)
    revoke_user_sessions(conn, user.id)
    return user


def enable_user(conn: Connection, username: str) -> User:
    """Let a disabled account log in again (its old sessions stay ended)."""
    _change(conn, username, active=True)
    return get_user(conn, username)


def count_active(conn: Connection, roles: Iterable[str]) -> int:
    """How many active accounts have one of `roles`."""
    return int(conn.execute(select(func.count()).select_from(users)
                            .where(users.c.role.in_(list(roles)), users.c.active.is_(True))
                            ).scalar_one())


def revoke_user_sessions(conn: Connection, user_id: int) -> int:
    """End every open session of one account; returns how many were open."""
    done = conn.execute(update(sessions).where(sessions.c.user_id == user_id,
                                               sessions.c.revoked_at.is_(None))
                        .values(revoked_at=utcnow()))
    return done.rowcount


def _change(conn: Connection, username: str, **values: Any) -> None:
    done = conn.execute(update(users).where(users.c.username == username).values(**values))
    if done.rowcount == 0:
        raise AccountError(f"no account {username!r}")


def _check(role: str, language: str) -> None:
    try:
        check_role(role)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc
    if language not in LANGUAGES:
        raise AccountError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
