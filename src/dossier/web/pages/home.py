"""The front page, logging in and out, and the choice of interface language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dossier import accounts
from dossier.status import workspace_status
from dossier.web import cookies
from dossier.web.deps import WorkspaceDep, session_of, team_mode
from dossier.web.i18n import LANGUAGES
from dossier.web.pages.auth import PageSignedIn
from dossier.web.pages.render import render

router = APIRouter()


def safe_next(target: str | None) -> str:
    """A local path to go back to after logging in; anything else goes home."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/", response_class=HTMLResponse)
def home(request: Request, workspace: WorkspaceDep, user: PageSignedIn) -> HTMLResponse:
    """Where to start; with what the whole workspace holds for those who may see all of it."""
    status = workspace_status(workspace) if user.account is None or user.can("admin") else None
    return render(request, user, "home.html", status=status)


@router.get("/login", response_class=HTMLResponse, response_model=None)
def login_page(request: Request, workspace: WorkspaceDep,
               next: str | None = None) -> Response:
    if not team_mode(request) or session_of(request, workspace) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, None, "login.html", next=safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse, response_model=None)
def login(request: Request, workspace: WorkspaceDep,
          username: Annotated[str, Form(max_length=200)],
          password: Annotated[str, Form(max_length=1000)],
          next: Annotated[str, Form()] = "/") -> Response:
    """Open a session from the login form: 303 to where the user was going, or the form again
    with the reason (401; 429 with Retry-After after too many failures)."""
    if not team_mode(request):
        return RedirectResponse("/", status_code=303)
    remote = request.client.host if request.client else "unknown"
    try:
        _, token, csrf = accounts.login(workspace.engine, username, password, remote,
                                        user_agent=request.headers.get("user-agent"))
    except accounts.LoginRefused as exc:
        status = 401 if exc.retry_after is None else 429
        page = render(request, None, "login.html", status_code=status, next=safe_next(next),
                      error="login.limited" if status == 429 else "login.refused")
        if exc.retry_after is not None:
            page.headers["Retry-After"] = str(exc.retry_after)
        return page
    response = RedirectResponse(safe_next(next), status_code=303)
    cookies.set_session(response, request, token, csrf)
    return response


@router.post("/logout", response_model=None)
def logout(request: Request, workspace: WorkspaceDep, user: PageSignedIn) -> Response:
    token = request.cookies.get(cookies.SESSION_COOKIE)
    if token and user.account is not None:
        accounts.logout(workspace.engine, token)
    response = RedirectResponse("/login" if team_mode(request) else "/", status_code=303)
    cookies.clear_session(response)
    return response


@router.post("/language", response_model=None)
def choose_language(request: Request, workspace: WorkspaceDep, user: PageSignedIn,
                    language: Annotated[str, Form(pattern="^(" + "|".join(LANGUAGES) + ")$")],
                    next: Annotated[str, Form()] = "/") -> Response:
    """The user's interface language: kept on their account in team mode, in a cookie on a
    loopback server."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if user.account is not None:
        with workspace.engine.begin() as conn:
            accounts.set_language(conn, user.name, language)
    else:
        cookies.set_language(response, request, language)
    return response
