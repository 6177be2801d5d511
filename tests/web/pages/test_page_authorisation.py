"""Every page, with no session and with each role, answers as its declared permission, the
collection grants and protected persons say it must (SQLite and PostgreSQL).

The pages are read from the application itself, so that a new page is covered; each must
declare its permission (a `Page…` dependency of dossier.web.pages.auth) or be listed as public.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from tests.web.test_authorisation_matrix import declared_permission, expected
from tests.web.test_team import ROLES, TestClient, log_in, team_world  # noqa: F401

from dossier.cases.casefile import create_case
from dossier.web import create_app
from dossier.web.deps import SIGNED_IN

PUBLIC = {("GET", "/login"), ("POST", "/login"),  # how a session starts
          ("GET", "/favicon.ico")}
CASE = "koblenz-251"
# What an allowed request answers where it is not 200: a form posted empty is invalid (422) or
# sent back (303); a page that ends the session or changes the language sends the user on.
ALLOWED_POST = {303, 400, 404, 422}


def page_routes(app: Any) -> list[tuple[str, str, APIRoute]]:
    return sorted(((method, str(context.path), context.original_route)
                   for context in iter_route_contexts(app.routes)
                   if isinstance(context.original_route, APIRoute)
                   and not str(context.path).startswith(("/api/", "/static/"))
                   for method in context.original_route.methods or ()),
                  key=lambda route: route[:2])


def targets(path: str, world: dict[str, Any]) -> list[tuple[str, str | None]]:
    variants: list[tuple[dict[str, Any], str | None]] = [({}, None)]
    if "{item_id}" in path:
        variants = [({"item_id": world["open_item"]}, None),
                    ({"item_id": world["sealed_item"]}, "sealed")]
    if "{entity_id}" in path:
        entity = world["unit"] if path.startswith("/units/") else world["person"]
        variants = [({"entity_id": entity}, None)]
        if not path.startswith("/units/"):
            variants.append(({"entity_id": world["witness"]}, "protected"))
    fixed = {"number": 1, "ref": CASE, "name": "no-such-bundle.zip"}
    return [(path.format(**fixed, **values), hidden) for values, hidden in variants]


def refusal(role: str | None, permission: str, hidden: str | None) -> int | None:
    """The status the request must get, or None where the role may use the page: as the API
    answers, but a page without a session sends the browser to log in (303)."""
    if role is None:
        return 303
    status = expected(role, permission, hidden)
    return None if status == 200 else status


def csrf_of(client: TestClient) -> str:
    found = re.search(r'name="csrf-token" content="([^"]*)"', client.get("/").text)
    assert found, "the front page carries the CSRF token"
    return found.group(1)


def allowed(method: str, path: str, status: int) -> bool:
    if method == "GET":
        # a bundle of that name does not exist, and a text item has no page image
        return status == 200 or (status == 404 and path.endswith(("/bundles/{name}", "/image")))
    return status in ALLOWED_POST or status == 200


def test_every_page_with_every_role_and_none(workspace: Any,
                                             team_world: dict[str, Any]) -> None:  # noqa: F811
    create_case(workspace.engine, CASE, "The head of Branch 251", "A synthetic case")
    app = create_app(workspace.root, team=True)
    routes = [route for route in page_routes(app) if route[:2] not in PUBLIC]
    undeclared = [f"{method} {path}" for method, path, route in routes
                  if declared_permission(route) is None]
    assert not undeclared, f"pages without a declared permission: {undeclared}"
    wrong: list[str] = []
    with TestClient(app, follow_redirects=False) as client:
        for role in (None, *ROLES):
            client.cookies.clear()
            csrf = ""
            if role:
                log_in(client, role)
                csrf = csrf_of(client)
            for method, path, route in routes:
                permission = declared_permission(route) or SIGNED_IN
                for url, hidden in targets(path, team_world):
                    response = client.request(method, url, data={"csrf": csrf} if method ==
                                              "POST" else None)
                    want = refusal(role, permission, hidden)
                    status = response.status_code
                    if want == 303:
                        ok = status == 303 and response.headers["location"].startswith(
                            "/login")
                    elif want is not None:
                        ok = status == want
                    elif path == "/logout":  # sent to log in again, the session ended
                        ok = status == 303 and any(
                            cookie.startswith('dossier_session=""') for cookie in
                            response.headers.get_list("set-cookie"))
                    else:
                        ok = allowed(method, path, status) and not response.headers.get(
                            "location", "").startswith("/login")
                    if not ok:
                        wrong.append(f"{role or 'no session'}: {method} {url} answered {status}"
                                     f" {response.headers.get('location', '')}, expected "
                                     f"{want or 'to be let in'}")
                    if path == "/logout" and role:
                        log_in(client, role)
                        csrf = csrf_of(client)
    assert not wrong, "\n".join(wrong)
