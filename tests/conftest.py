"""Fixtures shared by the whole suite: a workspace on every store backend.

PostgreSQL tests use the server at DOSSIER_TEST_POSTGRES (default: the CI server,
postgresql://postgres@127.0.0.1:5432/test), each test in a schema of its own that is dropped
afterwards. Where no server answers they skip with the reason; under CI=true they fail instead,
because CI has one and must run them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

POSTGRES_URL = os.environ.get("DOSSIER_TEST_POSTGRES",
                              "postgresql://postgres@127.0.0.1:5432/test")

_postgres_error: str | None = None
_postgres_checked = False


def postgres_unavailable() -> str | None:
    global _postgres_checked, _postgres_error
    if not _postgres_checked:
        _postgres_checked = True
        try:
            import psycopg

            with psycopg.connect(POSTGRES_URL, connect_timeout=3):
                pass
        except Exception as exc:  # any failure to connect means: no server for these tests
            _postgres_error = f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}"
    return _postgres_error


def require_postgres() -> None:
    reason = postgres_unavailable()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the PostgreSQL tests: {reason}")
    print(f"skipping: {reason}")
    pytest.skip(reason)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema."""
    require_postgres()
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> str | None:
    """None for the SQLite default; a fresh PostgreSQL schema otherwise."""
    if backend == "sqlite":
        return None
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def workspace(tmp_path: Path, database_url: str | None):  # type: ignore[no-untyped-def]
    from dossier.workspace import Workspace

    ws = Workspace.init(tmp_path / "ws", database=database_url)
    yield ws
    ws.close()
