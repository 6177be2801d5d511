"""Rendering a page: the Jinja templates of `web/templates`, in the user's language.

Every template extends `base.html` and receives `t` (translate), `lang` and `dir` (ltr or
rtl), `user`, `csrf` (for its forms), `nav` (the sections the user's role may open) and
`static(name)`. Pages are never cached: they may show protected names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from dossier import __version__
from dossier.web.cookies import LANGUAGE_COOKIE
from dossier.web.deps import User, team_mode
from dossier.web.i18n import DIRECTION, LANGUAGES, language_or_default, translator
from dossier.web.pages.auth import CSRF_FIELD, csrf_token

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Section:
    key: str  # the message key of its name
    url: str
    permission: str


SECTIONS = (
    Section("nav.search", "/search", "search"),
    Section("nav.batch", "/search/batch", "search"),
    Section("nav.entities", "/entities", "read_items"),
    Section("nav.review", "/review", "judge"),
    Section("nav.victims", "/victims", "read_items"),
    Section("nav.cases", "/cases", "read_items"),
    Section("nav.admin", "/admin", "admin"),
)


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(static=static_url, query=query_string, version=__version__,
                       interface_languages=LANGUAGES, csrf_field=CSRF_FIELD)
    return env


def static_url(name: str) -> str:
    return f"/static/{name}?v={__version__}"


def query_string(**values: Any) -> str:
    """`?a=1&b=2` of the values that are set (for links that keep a page's filters)."""
    kept = {key: value for key, value in values.items() if value not in (None, "")}
    return f"?{urlencode(kept, doseq=True)}" if kept else ""


def page_language(request: Request, user: User | None) -> str:
    if user is not None and user.account is not None:
        return language_or_default(user.language)
    return language_or_default(request.cookies.get(LANGUAGE_COOKIE))


def render(request: Request, user: User | None, template: str, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    """The page `template` for `user` (None: the login and error pages of a visitor)."""
    language = page_language(request, user)
    nav = [section for section in SECTIONS if user is not None and user.can(section.permission)]
    html = environment().get_template(template).render(
        request=request, user=user, t=translator(language), lang=language,
        dir=DIRECTION[language], csrf=csrf_token(request), nav=nav, team=team_mode(request),
        path=request.url.path, status_code=status_code, **context)
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})
