"""The FastAPI application over one workspace: opened at start, closed at shutdown."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from dossier import __version__
from dossier.web import api_cases, api_custody, api_items, api_registry, api_search, errors
from dossier.web.security import SecurityHeaders
from dossier.workspace import Workspace

API_PREFIX = "/api/v1"


def create_app(workspace_path: Path | str | None = None) -> FastAPI:
    """The application serving the workspace at ``workspace_path`` (default: as the CLI)."""

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
    app.add_middleware(SecurityHeaders)
    errors.install(app)
    for module in (api_search, api_items, api_registry, api_cases, api_custody):
        app.include_router(module.router, prefix=API_PREFIX)
    return app
