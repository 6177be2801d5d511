"""The security headers on every answer: API answers, pages, static files, every kind of error,
once each; API answers are never cached (pages say so themselves)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from starlette.exceptions import StarletteDeprecationWarning
from starlette.responses import JSONResponse

from dossier.web import create_app
from dossier.web.security import HEADERS

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=StarletteDeprecationWarning, message=".*httpx2")
    from fastapi.testclient import TestClient


class Broken(Exception):
    """A failure no handler knows: the server answers 500."""


def _with_test_routes(app: FastAPI) -> FastAPI:
    router = APIRouter()

    @router.get("/api/v1/test-broken")
    def broken() -> None:
        raise Broken("an internal detail")

    @router.get("/api/v1/test-cached")
    def cached() -> JSONResponse:
        return JSONResponse({}, headers={"Cache-Control": "max-age=3600",
                                         "X-Frame-Options": "SAMEORIGIN"})

    app.include_router(router)
    return app


@pytest.fixture
def client(workspace: Any) -> Iterator[TestClient]:
    app = _with_test_routes(create_app(workspace.root))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _assert_secured(response: Any, api: bool) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get_list(name) == [value], (response.request.url, name)
    if api:
        assert response.headers.get_list("cache-control") == ["no-store"]


@pytest.mark.parametrize("path, status", [
    ("/api/v1/cases", 200),
    ("/api/v1/search?q=detainee", 200),
    ("/api/v1/search", 422),               # the query is missing
    ("/api/v1/search?q=-torture", 400),    # a query that cannot be searched
    ("/api/v1/items/9999", 404),
    ("/api/v1/no-such-route", 404),
    ("/api/v1/test-broken", 500),
    ("/api/v1/test-cached", 200),          # the route's own Cache-Control is replaced
])
def test_api_answers_and_errors_carry_the_headers_once(
        client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    _assert_secured(response, api=True)
    if status == 500:
        assert "internal detail" not in response.text


def test_a_refused_method_carries_the_headers(client: TestClient) -> None:
    response = client.delete("/api/v1/cases")
    assert response.status_code == 405
    _assert_secured(response, api=True)


@pytest.mark.parametrize("path, status", [
    ("/", 200),
    ("/login", 200),
    ("/static/dossier.css", 200),
    ("/no-such-page", 404),
])
def test_pages_and_static_files_carry_the_headers(
        client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    _assert_secured(response, api=False)


def test_a_head_request_carries_the_headers(client: TestClient) -> None:
    response = client.head("/api/v1/cases")
    assert response.status_code in (200, 405)
    assert not response.content
    _assert_secured(response, api=True)
