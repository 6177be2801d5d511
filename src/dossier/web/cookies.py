"""The cookies of a session: the session token, and the CSRF token the pages put in their forms.

Both are HttpOnly and SameSite=Strict, Secure over https or when the server was started with
--secure-cookies. The language cookie keeps the local user's choice of interface language.
"""

from __future__ import annotations

from fastapi import Request, Response

from dossier.accounts.sessions import LIFETIME

SESSION_COOKIE = "dossier_session"
CSRF_COOKIE = "dossier_csrf"
LANGUAGE_COOKIE = "dossier_language"


def secure(request: Request) -> bool:
    return request.url.scheme == "https" or bool(getattr(request.app.state, "secure_cookies",
                                                         False))


def set_session(response: Response, request: Request, token: str, csrf: str) -> None:
    for name, value in ((SESSION_COOKIE, token), (CSRF_COOKIE, csrf)):
        response.set_cookie(name, value, max_age=int(LIFETIME.total_seconds()), httponly=True,
                            samesite="strict", secure=secure(request), path="/")


def clear_session(response: Response) -> None:
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, path="/", httponly=True, samesite="strict")


def set_language(response: Response, request: Request, language: str) -> None:
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, httponly=True,
                        samesite="strict", secure=secure(request), path="/")
