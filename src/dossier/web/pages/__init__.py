"""The pages: server-rendered HTML over the same library as the API, in English and Arabic."""

from fastapi import APIRouter

from dossier.web.pages import home, static


def router() -> APIRouter:
    """Every page, for the application to include (outside the OpenAPI schema)."""
    pages = APIRouter(include_in_schema=False)
    for module in (static, home):
        pages.include_router(module.router)
    return pages
