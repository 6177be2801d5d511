"""The pages: server-rendered HTML over the same library as the API, in English and Arabic."""

from fastapi import APIRouter

from dossier.web.pages import admin, cases, home, reader, registry, review, search, static, victims


def router() -> APIRouter:
    """Every page, for the application to include (outside the OpenAPI schema)."""
    pages = APIRouter(include_in_schema=False)
    for module in (static, home, search, reader, registry, review, victims, cases, admin):
        pages.include_router(module.router)
    return pages
