"""Error bodies: every failure of the API answers {"error": {"code", "message"}}; a page
answers the same status with an HTML page in the user's language.

Domain errors from the library keep their message (it says what is wrong and what would do);
an unknown one is a 500 whose body says nothing of the server's internals.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from dossier.web.security import HEADERS

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A refusal with its HTTP status, a short machine-readable code and a message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class NotFound(ApiError):
    def __init__(self, message: str) -> None:
        super().__init__(404, "not_found", message)


def error_body(status: int, code: str, message: str) -> JSONResponse:
    # The headers are set here too: a 500 is answered outside the security middleware.
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status,
                        headers={**HEADERS, "Cache-Control": "no-store"})


def domain_errors() -> tuple[type[Exception], ...]:
    """The library's errors that mean "the request asks for something wrong": a 400."""
    from dossier.accounts import AccountError
    from dossier.cases.casefile import CaseError
    from dossier.cases.proceedings import ProceedingError
    from dossier.registry.claims import ClaimError
    from dossier.registry.dates import DateError
    from dossier.registry.entities import EntityError
    from dossier.registry.lookup import EntityReferenceError
    from dossier.search.query import QuerySyntaxError

    return (AccountError, CaseError, ClaimError, DateError, EntityError, EntityReferenceError,
            ProceedingError, QuerySyntaxError)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "query")
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where
                     else str(error.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a status outside the standard ones
        return "Error"


def answer(request: Request, status: int, code: str, message: str) -> Response:
    """The JSON error body for the API, an error page for a page."""
    if request.url.path.startswith("/api/"):
        return error_body(status, code, message)
    from dossier.web.pages.errors import error_page  # the pages need this module first

    return error_page(request, status, message)


def install(app: FastAPI) -> None:
    from dossier.web.pages.auth import LoginRequired

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return answer(request, exc.status, exc.code, exc.message)

    async def domain_error(request: Request, exc: Exception) -> Response:
        return answer(request, 400, "bad_request", str(exc))

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return answer(request, 422, "invalid", _validation_message(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        phrase = _phrase(exc.status_code)
        code = phrase.lower().replace(" ", "_")
        message = exc.detail if isinstance(exc.detail, str) else phrase
        return answer(request, exc.status_code, code, message)

    async def unexpected(request: Request, exc: Exception) -> Response:
        # Logged with its traceback (the path only: bodies are never logged), answered plainly.
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return answer(request, 500, "internal", "an unexpected error; the server log has details")

    async def login_required(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        return RedirectResponse(f"/login?{urlencode({'next': exc.next_url})}", status_code=303)

    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(ApiError, api_error)
    for error in domain_errors():
        app.add_exception_handler(error, domain_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
