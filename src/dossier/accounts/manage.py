"""What an administrator does to accounts and grants, each change written to the audit log.

The administration page, its API and `dossier users …` all call these, so that a change reads
the same in the log whichever way it was made: action "change", target `user:<name>`, and
details that say what changed (`op`, and `from`/`to` where there was a value before). A
password never goes into the log.

An account cannot lock the workspace out of its own administration: the last active
administrator can be neither disabled nor given another role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from dossier.accounts.audit import record
from dossier.accounts.grants import collection_access, grant, revoke
from dossier.accounts.roles import check_role, roles
from dossier.accounts.users import (
    AccountError,
    User,
    add_user,
    count_active,
    disable_user,
    enable_user,
    get_user,
    list_users,
    revoke_user_sessions,
    set_language,
    set_password,
    set_role,
)


@dataclass(frozen=True)
class Account:
    """An account as the administration lists it: with the collections granted to it."""

    user: User
    collections: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {**self.user.as_dict(), "collections": self.collections}


def list_accounts(conn: Connection) -> list[Account]:
    """Every account by username, each with its collections (two queries, however many)."""
    granted: dict[str, list[str]] = {}
    for access in collection_access(conn):
        for username in access.usernames:
            granted.setdefault(username, []).append(access.name)
    return [Account(user, granted.get(user.username, [])) for user in list_users(conn)]


def create_account(conn: Connection, actor: str, username: str, password: str, role: str, *,
                   display_name: str | None = None, language: str = "en") -> User:
    """Make an account (see `add_user`: WeakPassword for a short password, AccountError for the
    rest) and log who made it with which role and language."""
    user = add_user(conn, username, password, role, display_name=display_name or None,
                    language=language)
    record(conn, actor, "change", _target(user.username),
           {"op": "add_user", "role": user.role, "language": user.language})
    return user


def change_role(conn: Connection, actor: str, username: str, role: str) -> User:
    """Give an account another role; it takes effect on the account's next request."""
    before = get_user(conn, username)
    try:
        check_role(role)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc
    if before.role == role:
        return before
    if role not in _administering_roles():
        _keep_an_administrator(conn, before)
    user = set_role(conn, username, role)
    record(conn, actor, "change", _target(username),
           {"op": "set_role", "from": before.role, "to": user.role})
    return user


def change_language(conn: Connection, actor: str, username: str, language: str) -> User:
    before = get_user(conn, username)
    if before.language == language:
        return before
    user = set_language(conn, username, language)
    record(conn, actor, "change", _target(username),
           {"op": "set_language", "from": before.language, "to": user.language})
    return user


def reset_password(conn: Connection, actor: str, username: str, password: str) -> int:
    """Set a new password and end the account's open sessions; returns how many were open.
    WeakPassword when it is too short."""
    user = get_user(conn, username)
    set_password(conn, username, password)
    ended = revoke_user_sessions(conn, user.id)
    record(conn, actor, "change", _target(username),
           {"op": "set_password", "sessions_ended": ended})
    return ended


def set_active(conn: Connection, actor: str, username: str, active: bool) -> User:
    """Enable an account, or disable it (which ends its open sessions)."""
    before = get_user(conn, username)
    if before.active == active:
        return before
    if not active:
        _keep_an_administrator(conn, before)
    user = enable_user(conn, username) if active else disable_user(conn, username)
    record(conn, actor, "change", _target(username),
           {"op": "enable_user" if active else "disable_user"})
    return user


def grant_collection(conn: Connection, actor: str, username: str, collection: str) -> bool:
    """Let an account read a collection; False (and nothing logged) when it already could."""
    added = grant(conn, get_user(conn, username), collection, granted_by=actor)
    if added:
        record(conn, actor, "change", _target(username),
               {"op": "grant", "collection": collection})
    return added


def revoke_collection(conn: Connection, actor: str, username: str, collection: str) -> bool:
    """Take a collection away from an account; False (and nothing logged) when not granted."""
    removed = revoke(conn, get_user(conn, username), collection)
    if removed:
        record(conn, actor, "change", _target(username),
               {"op": "revoke", "collection": collection})
    return removed


def _administering_roles() -> list[str]:
    return [role.name for role in roles().values() if "admin" in role.permissions]


def _keep_an_administrator(conn: Connection, user: User) -> None:
    """Refuse to take administration away from the last active account that has it."""
    admins = _administering_roles()
    if user.role in admins and user.active and count_active(conn, admins) <= 1:
        raise AccountError(f"{user.username!r} is the last active administrator: make another "
                           "one first")


def _target(username: str) -> str:
    return f"user:{username}"
