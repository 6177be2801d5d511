"""Error bodies: every failure answers {"error": {"code", "message"}}.

Domain errors from the library keep their message (it says what is wrong and what would do);
an unknown one is a 500 whose body says nothing of the server's internals.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
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
    from dossier.cases.casefile import CaseError
    from dossier.cases.proceedings import ProceedingError
    from dossier.registry.claims import ClaimError
    from dossier.registry.dates import DateError
    from dossier.registry.entities import EntityError
    from dossier.registry.lookup import EntityReferenceError
    from dossier.search.query import QuerySyntaxError

    return (CaseError, ClaimError, DateError, EntityError, EntityReferenceError,
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


def install(app: FastAPI) -> None:
    async def api_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return error_body(exc.status, exc.code, exc.message)

    async def domain_error(_: Request, exc: Exception) -> JSONResponse:
        return error_body(400, "bad_request", str(exc))

    async def validation_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return error_body(422, "invalid", _validation_message(exc))

    async def http_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        phrase = _phrase(exc.status_code)
        code = phrase.lower().replace(" ", "_")
        message = exc.detail if isinstance(exc.detail, str) else phrase
        return error_body(exc.status_code, code, message)

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Logged with its traceback (the path only: bodies are never logged), answered plainly.
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_body(500, "internal", "an unexpected error; the server log has details")

    app.add_exception_handler(ApiError, api_error)
    for error in domain_errors():
        app.add_exception_handler(error, domain_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
