"""Log in, log out and who am I: the session cookie and its CSRF token.

The cookie is HttpOnly and SameSite=Strict, Secure over https (or when the server was started
with --secure-cookies); the CSRF token is returned once, at login, for the X-CSRF-Token header.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from dossier import accounts
from dossier.accounts.sessions import LIFETIME
from dossier.web.deps import SESSION_COOKIE, SignedIn, WorkspaceDep
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
    secure = request.url.scheme == "https" or bool(getattr(request.app.state,
                                                           "secure_cookies", False))
    response.set_cookie(SESSION_COOKIE, token, max_age=int(LIFETIME.total_seconds()),
                        httponly=True, samesite="strict", secure=secure, path="/")
    return response


@router.post("/logout")
def logout(request: Request, response: Response, workspace: WorkspaceDep,
           user: SignedIn) -> dict[str, Any]:
    """End the session (the X-CSRF-Token header is required) and clear its cookie."""
    token = request.cookies.get(SESSION_COOKIE)
    ended = bool(token) and user.account is not None and accounts.logout(workspace.engine,
                                                                         str(token))
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return {"logged_out": ended}


@router.get("/me")
def me(user: SignedIn) -> dict[str, Any]:
    """Who is signed in, with their role and language; the local user in single-user mode."""
    if user.account is None:
        return {"user": user.name, "role": user.role, "local": True, "language": "en"}
    return {**user.account.as_dict(), "user": user.name, "local": False}
