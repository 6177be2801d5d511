"""An error as a page: the status, what went wrong, and a way back."""

from __future__ import annotations

from http import HTTPStatus

from fastapi import Request
from fastapi.responses import HTMLResponse

from dossier.web.pages.render import render
from dossier.web.security import HEADERS


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """Rendered for a visitor (no user is looked up again: the error may be about the user);
    the security headers are set here too, since a 500 is answered outside the middleware."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    page = render(request, None, "error.html", status_code=status, status_phrase=phrase,
                  message=message)
    page.headers.update(HEADERS)
    return page
