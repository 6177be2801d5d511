"""The FastAPI application over one workspace, opened at start and closed at shutdown: the JSON
API under /api/v1 and the pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from dossier import __version__
from dossier.web import (
    api_admin,
    api_auth,
    api_cases,
    api_custody,
    api_items,
    api_registry,
    api_review,
    api_search,
    api_victims,
    errors,
    pages,
)
from dossier.web.security import SecurityHeaders
from dossier.workspace import Workspace

API_PREFIX = "/api/v1"


def create_app(workspace_path: Path | str | None = None, team: bool = False,
               secure_cookies: bool = False) -> FastAPI:
    """The application serving the workspace at ``workspace_path`` (default: as the CLI).

    With ``team`` every data endpoint needs a session (POST /api/v1/login) and answers by the
    account's role and collection grants; ``secure_cookies`` marks the session cookie Secure
    even over plain http (behind a TLS proxy).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        workspace = Workspace.open(Path(workspace_path) if workspace_path else None)
        app.state.workspace = workspace
        try:
            yield
        finally:
            workspace.close()

    app = FastAPI(title="Dossier", version=__version__, lifespan=lifespan,
                  description="Search, read and verify a Dossier workspace.")
    app.state.team = team
    app.state.secure_cookies = secure_cookies
    app.add_middleware(SecurityHeaders)
    errors.install(app)
    for module in (api_search, api_items, api_registry, api_review, api_victims, api_cases,
                   api_custody, api_admin):
        app.include_router(module.router, prefix=API_PREFIX)
    if team:  # single-user mode has no accounts to log in to
        app.include_router(api_auth.router, prefix=API_PREFIX)
    app.include_router(pages.router())
    return app
