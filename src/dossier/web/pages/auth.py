"""Who is looking at a page, and what a page needs of them.

Like the API's `current_user` and `require`, but for a browser: in team mode a request without
a session is sent to the login page (`LoginRequired`), and a form (POST) must carry the CSRF
token of its session in the field `csrf`. On a loopback server the local user's forms carry the
server's own token, so that another web site cannot post to it.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from dossier import accounts
from dossier.web import cookies
from dossier.web.deps import (
    SAFE_METHODS,
    SIGNED_IN,
    User,
    WorkspaceDep,
    account_user,
    local_user,
    session_of,
    team_mode,
)
from dossier.web.errors import ApiError
from dossier.web.i18n import language_or_default

CSRF_FIELD = "csrf"


class LoginRequired(Exception):
    """A page asked without a session; `next` is where to come back after logging in."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def local_csrf(request: Request) -> str:
    """The loopback server's form token, made once per process."""
    state = request.app.state
    if getattr(state, "local_csrf", None) is None:
        state.local_csrf = secrets.token_urlsafe(32)
    return str(state.local_csrf)


def csrf_token(request: Request) -> str:
    """The token the page's forms carry."""
    if team_mode(request):
        return request.cookies.get(cookies.CSRF_COOKIE, "")
    return local_csrf(request)


async def page_user(request: Request, workspace: WorkspaceDep) -> User:
    """The local user (in the language of their cookie), or the session's account; a form
    whose CSRF token does not match is refused (403)."""
    posted = None
    if request.method not in SAFE_METHODS:
        posted = (await request.form()).get(CSRF_FIELD)
    if not team_mode(request):
        if request.method not in SAFE_METHODS and not (
                isinstance(posted, str) and secrets.compare_digest(posted, local_csrf(request))):
            raise ApiError(403, "csrf", "the form's token is missing or out of date: reload the "
                                        "page and try again")
        language = language_or_default(request.cookies.get(cookies.LANGUAGE_COOKIE))
        return replace(local_user(request), language=language)
    session = await run_in_threadpool(session_of, request, workspace)
    if session is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target if request.method in SAFE_METHODS else "/")
    if request.method not in SAFE_METHODS and not accounts.check_csrf(
            session, posted if isinstance(posted, str) else None):
        raise ApiError(403, "csrf", "the form's token is missing or out of date: reload the "
                                    "page and try again")
    return account_user(session.user)


PageUser = Annotated[User, Depends(page_user)]


def page_require(permission: str) -> Callable[[User], Awaitable[User]]:
    """A page's dependency: the user, when their role grants `permission` (else 403). Like
    `deps.require`, it carries `.permission` for the authorisation matrix test."""
    if permission != SIGNED_IN and permission not in accounts.permissions():
        raise ValueError(f"unknown permission {permission!r}")

    async def dependency(user: PageUser) -> User:
        if permission != SIGNED_IN and not user.can(permission):
            raise ApiError(403, "forbidden", f"your role ({user.role}) may not {permission}")
        return user

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


PageSignedIn = Annotated[User, Depends(page_require(SIGNED_IN))]
PageReadItems = Annotated[User, Depends(page_require("read_items"))]
PageSearch = Annotated[User, Depends(page_require("search"))]
PageJudge = Annotated[User, Depends(page_require("judge"))]
PageEditCases = Annotated[User, Depends(page_require("edit_cases"))]
PageEditRegistry = Annotated[User, Depends(page_require("edit_registry"))]
PageExport = Annotated[User, Depends(page_require("export"))]
PageVerify = Annotated[User, Depends(page_require("verify"))]
PageAdmin = Annotated[User, Depends(page_require("admin"))]
