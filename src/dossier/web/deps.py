"""What the routes depend on: the open workspace, a connection, the page asked, the user.

`current_user` is the seam for accounts: in single-user (loopback) mode it is the local user,
who may see everything; team mode will resolve the session's account here instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from sqlalchemy import Connection

from dossier.custody.log import default_actor
from dossier.workspace import Workspace

MAX_LIMIT = 200
DEFAULT_LIMIT = 20


@dataclass(frozen=True)
class User:
    """Who is asking. `local` is the single user of a loopback server."""

    name: str
    role: str
    local: bool = False
    sees_protected: bool = True


def get_workspace(request: Request) -> Workspace:
    workspace: Workspace = request.app.state.workspace
    return workspace


WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]


def current_user(request: Request) -> User:
    """The local user (single-user mode): the person at this computer, as the CLI's actor."""
    user: User | None = getattr(request.app.state, "local_user", None)
    return user or User(name=default_actor(), role="administrator", local=True)


UserDep = Annotated[User, Depends(current_user)]


def connection(workspace: WorkspaceDep, _: UserDep) -> Iterator[Connection]:
    """A read connection for one request, closed after it."""
    with workspace.engine.connect() as conn:
        yield conn


ConnectionDep = Annotated[Connection, Depends(connection)]


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int

    def page(self, total: int, items: list[Any]) -> dict[str, Any]:
        return {"total": total, "limit": self.limit, "offset": self.offset, "items": items}


def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="How many to return.")]
        = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, description="How many to skip.")] = 0,
) -> Paging:
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]
