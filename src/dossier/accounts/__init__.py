"""Accounts and access: argon2 passwords, roles, collection grants, sessions, login rate
limiting, and the append-only audit log."""

from dossier.accounts.audit import (
    ACTIONS,
    AuditEntry,
    AuditProblem,
    entries,
    record,
    verify_audit,
    write_csv,
)
from dossier.accounts.grants import (
    grant,
    granted_collection_names,
    may_see_collection,
    may_see_entity,
    revoke,
    visible_collections,
)
from dossier.accounts.passwords import MIN_LENGTH, WeakPassword
from dossier.accounts.ratelimit import RateLimited
from dossier.accounts.roles import Role, can, check_role, permissions, role_names, roles
from dossier.accounts.sessions import (
    LoginRefused,
    Session,
    check_csrf,
    login,
    logout,
    session_for,
)
from dossier.accounts.users import (
    LANGUAGES,
    AccountError,
    User,
    add_user,
    disable_user,
    find_user,
    get_user,
    list_users,
    revoke_user_sessions,
    set_language,
    set_password,
    set_role,
)

__all__ = [
    "ACTIONS", "LANGUAGES", "MIN_LENGTH", "AccountError", "AuditEntry", "AuditProblem",
    "LoginRefused", "RateLimited", "Role", "Session", "User", "WeakPassword", "add_user", "can",
    "check_csrf", "check_role", "disable_user", "entries", "find_user", "get_user", "grant",
    "granted_collection_names", "list_users", "login", "logout", "may_see_collection",
    "may_see_entity", "permissions", "record", "revoke", "revoke_user_sessions", "role_names",
    "roles", "session_for", "set_language", "set_password", "set_role", "verify_audit",
    "visible_collections", "write_csv",
]
