"""What the routes depend on: the open workspace, a connection, the page asked, the user.

`current_user` is the seam for accounts: in single-user (loopback) mode it is the local user,
who may see everything; in team mode it is the account of the request's session cookie, and a
request without a live session is answered 401. `require(permission)` declares what a route
needs (the authorisation matrix test reads it back from the route).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from dossier import accounts
from dossier.accounts.grants import ALL_COLLECTIONS_ROLE
from dossier.custody.log import default_actor
from dossier.web.cookies import SESSION_COOKIE
from dossier.web.errors import ApiError
from dossier.workspace import Workspace

MAX_LIMIT = 200
DEFAULT_LIMIT = 20
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SIGNED_IN = "signed_in"  # the permission of routes any signed-in user may call


@dataclass(frozen=True)
class User:
    """Who is asking. `local` is the single user of a loopback server; `account` is the
    logged-in account in team mode."""

    name: str
    role: str
    local: bool = False
    sees_protected: bool = True
    account: accounts.User | None = None
    language: str = "en"

    def can(self, permission: str) -> bool:
        return self.local or accounts.can(self, permission)


async def get_workspace(request: Request) -> Workspace:
    workspace: Workspace = request.app.state.workspace
    return workspace


WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]


def team_mode(request: Request) -> bool:
    return bool(getattr(request.app.state, "team", False))


def local_user(request: Request) -> User:
    """The single user of a loopback server (tests may set another as app.state.local_user)."""
    user: User | None = getattr(request.app.state, "local_user", None)
    return user or User(name=default_actor(), role="administrator", local=True)


def session_of(request: Request, workspace: Workspace) -> accounts.Session | None:
    """The live session of the request's cookie, or None."""
    token = request.cookies.get(SESSION_COOKIE)
    return accounts.session_for(workspace.engine, token) if token else None


def account_user(account: accounts.User) -> User:
    return User(name=account.username, role=account.role,
                sees_protected=accounts.can(account, "read_protected"), account=account,
                language=account.language)


async def current_user(request: Request, workspace: WorkspaceDep) -> User:
    """The local user in single-user mode; in team mode the session's account (401 without
    one, 403 for a change whose X-CSRF-Token header does not match the session)."""
    if not team_mode(request):
        return local_user(request)
    session = await run_in_threadpool(session_of, request, workspace)
    if session is None:
        raise ApiError(401, "unauthenticated", "log in first: POST /api/v1/login")
    if request.method not in SAFE_METHODS and not accounts.check_csrf(
            session, request.headers.get(CSRF_HEADER)):
        raise ApiError(403, "csrf", f"the {CSRF_HEADER} header is missing or does not match "
                                    "the session")
    return account_user(session.user)


UserDep = Annotated[User, Depends(current_user)]


def require(permission: str) -> Callable[[User], Awaitable[User]]:
    """A dependency: the user, when their role grants `permission` (else 403). The permission
    is kept on the dependency as `.permission`, so that tests can read what a route needs."""
    if permission != SIGNED_IN and permission not in accounts.permissions():
        raise ValueError(f"unknown permission {permission!r}")  # fails at import, not later

    async def dependency(user: UserDep) -> User:
        if permission != SIGNED_IN and not user.can(permission):
            raise ApiError(403, "forbidden", f"your role ({user.role}) may not {permission}")
        return user

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


def route_permission(call: Any) -> str | None:
    """The permission a dependency declares (see `require`), or None."""
    found = getattr(call, "permission", None)
    return found if isinstance(found, str) else None


def connection(workspace: WorkspaceDep, _: UserDep) -> Iterator[Connection]:
    """A read connection for one request, closed after it."""
    with workspace.engine.connect() as conn:
        yield conn


ConnectionDep = Annotated[Connection, Depends(connection)]


def visible_collections(conn: Connection, user: User) -> set[str] | None:
    """The names of the collections `user` may read, or None for all of them."""
    if user.account is None or user.account.role == ALL_COLLECTIONS_ROLE:
        return None
    if not user.account.active:
        return set()
    return set(accounts.granted_collection_names(conn, user.account))


def may_see_entity(user: User, entity: Any) -> bool:
    return user.local or accounts.may_see_entity(user, entity)


def audit(conn: Connection, user: User, action: str, target: str | None = None,
          details: dict[str, Any] | None = None) -> None:
    """Record an access in the audit log and commit it, on the request's own connection (on
    SQLite a second connection would wait for this one's lock). Team mode only: the local user
    is the workspace's owner, at their own computer."""
    if user.account is None:
        return
    accounts.record(conn, user.name, action, target, details)
    conn.commit()


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int

    def page(self, total: int, items: list[Any]) -> dict[str, Any]:
        return {"total": total, "limit": self.limit, "offset": self.offset, "items": items}


async def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="How many to return.")]
        = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, description="How many to skip.")] = 0,
) -> Paging:
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]

ReadItems = Annotated[User, Depends(require("read_items"))]
Search = Annotated[User, Depends(require("search"))]
Verify = Annotated[User, Depends(require("verify"))]
SignedIn = Annotated[User, Depends(require(SIGNED_IN))]
