"""Accounts and access: argon2 passwords, roles, collection grants, sessions, login rate
limiting, and the append-only audit log."""

from dossier.accounts.audit import (
    ACTIONS,
    AuditEntry,
    AuditFilter,
    AuditFilterError,
    AuditPage,
    AuditProblem,
    count_entries,
    csv_lines,
    entries,
    record,
    search_entries,
    verify_audit,
    write_csv,
)
from dossier.accounts.grants import (
    CollectionAccess,
    collection_access,
    grant,
    granted_collection_names,
    may_see_collection,
    may_see_entity,
    revoke,
    visible_collections,
)
from dossier.accounts.manage import (
    Account,
    change_language,
    change_role,
    create_account,
    grant_collection,
    list_accounts,
    reset_password,
    revoke_collection,
    set_active,
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
    enable_user,
    find_user,
    get_user,
    list_users,
    revoke_user_sessions,
    set_language,
    set_password,
    set_role,
)

__all__ = [
    "ACTIONS", "LANGUAGES", "MIN_LENGTH", "Account", "AccountError", "AuditEntry",
    "AuditFilter", "AuditFilterError", "AuditPage", "AuditProblem", "CollectionAccess",
    "LoginRefused", "RateLimited", "Role", "Session", "User", "WeakPassword", "add_user", "can",
    "change_language", "change_role", "check_csrf", "check_role", "collection_access",
    "count_entries", "create_account", "csv_lines", "disable_user", "enable_user", "entries",
    "find_user", "get_user", "grant", "grant_collection", "granted_collection_names",
    "list_accounts", "list_users", "login", "logout", "may_see_collection", "may_see_entity",
    "permissions", "record", "reset_password", "revoke", "revoke_collection",
    "revoke_user_sessions", "role_names", "roles", "search_entries", "session_for",
    "set_active", "set_language", "set_password", "set_role", "verify_audit",
    "visible_collections", "write_csv",
]
