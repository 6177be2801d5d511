"""Log in, log out and who am I: the session cookie and its CSRF token.

The cookies are HttpOnly and SameSite=Strict, Secure over https (or when the server was started
with --secure-cookies); the CSRF token is returned once, at login, for the X-CSRF-Token header
(and kept in a cookie of its own for the pages' forms).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from dossier import accounts
from dossier.web import cookies
from dossier.web.deps import SignedIn, WorkspaceDep
from dossier.web.errors import error_body

router = APIRouter(tags=["accounts"])


class Credentials(BaseModel):
    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)


@router.post("/login", response_model=None)
def login(request: Request, workspace: WorkspaceDep,
          credentials: Credentials) -> JSONResponse | dict[str, Any]:
    """Open a session: sets the session cookie; returns the user, their role and the CSRF
    token to send as X-CSRF-Token with every POST. 401 when refused, 429 after too many
    failures (Retry-After says how long to wait)."""
    remote = request.client.host if request.client else "unknown"
    try:
        session, token, csrf = accounts.login(
            workspace.engine, credentials.username, credentials.password, remote,
            user_agent=request.headers.get("user-agent"))
    except accounts.LoginRefused as exc:
        if exc.retry_after is None:
            return error_body(401, "login_refused", str(exc))
        refused = error_body(429, "rate_limited", str(exc))
        refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    response = JSONResponse({"user": session.user.username, "role": session.user.role,
                             "language": session.user.language, "csrf": csrf})
    cookies.set_session(response, request, token, csrf)
    return response


@router.post("/logout")
def logout(request: Request, response: Response, workspace: WorkspaceDep,
           user: SignedIn) -> dict[str, Any]:
    """End the session (the X-CSRF-Token header is required) and clear its cookie."""
    token = request.cookies.get(cookies.SESSION_COOKIE)
    ended = bool(token) and user.account is not None and accounts.logout(workspace.engine,
                                                                         str(token))
    cookies.clear_session(response)
    return {"logged_out": ended}


@router.get("/me")
def me(user: SignedIn) -> dict[str, Any]:
    """Who is signed in, with their role and language; the local user in single-user mode."""
    if user.account is None:
        return {"user": user.name, "role": user.role, "local": True, "language": "en"}
    return {**user.account.as_dict(), "user": user.name, "local": False}
