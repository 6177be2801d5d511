"""Every /api/v1 route, with no session and with each role, answers as its declared permission,
the collection grants and protected persons say it must (SQLite and PostgreSQL).

The routes are read from the application itself, so that a new route is covered, and must
declare its permission (`require(...)` in dossier.web.deps) or be listed as public here.
"""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from tests.web.test_team import PASSWORD, ROLES, TestClient, log_in, team_world  # noqa: F401

from dossier import accounts
from dossier.cases.casefile import add_charge, add_evidence, add_suspect, create_case
from dossier.web import create_app
from dossier.web.deps import SIGNED_IN, route_permission

PUBLIC = {("POST", "/api/v1/login")}  # logging in is how a session starts
CASE = "koblenz-251"
# What a change sent without a body answers once it is let in: its body is invalid (422), or
# names nothing that exists (400). Either proves that authorisation let it through.
LET_IN_BODYLESS = {400, 422}
# What an allowed change is sent: values that leave the world as the later roles expect it.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/admin/users"): {"username": "matrix-added", "password": PASSWORD,
                                      "role": "read_only"},
    ("POST", "/api/v1/admin/users/role"): {"username": "read_only", "role": "read_only"},
    ("POST", "/api/v1/admin/users/language"): {"username": "read_only", "language": "en"},
    ("POST", "/api/v1/admin/users/password"): {"username": "read_only", "password": PASSWORD},
    ("POST", "/api/v1/admin/users/active"): {"username": "read_only", "active": True},
    ("POST", "/api/v1/admin/grants"): {"username": "read_only", "collection": "open"},
    ("DELETE", "/api/v1/admin/grants"): {"username": "reviewer", "collection": "sealed"},
}


def body(method: str, path: str, world: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON body a change is sent (None: without one)."""
    if (method, path) == ("POST", "/api/v1/cases/{ref}/evidence"):
        return {"charge": world["charge"], "element": "7-1-f.intent",
                "item": world["open_item"], "page": 1}
    return BODIES.get((method, path))


def declared_permission(route: APIRoute) -> str | None:
    """The permission a route's dependencies declare (searched through sub-dependencies)."""
    pending = list(route.dependant.dependencies)
    found = set()
    while pending:
        dependant = pending.pop()
        permission = route_permission(dependant.call)
        if permission is not None:
            found.add(permission)
        pending.extend(dependant.dependencies)
    assert len(found) <= 1, f"{route.path} declares several permissions: {sorted(found)}"
    return found.pop() if found else None


Endpoint = tuple[str, str, APIRoute]  # method, full path, route


def api_routes(app: Any) -> list[Endpoint]:
    """Every API route with its full path, checked against the OpenAPI schema's paths."""
    found = sorted(((method, str(context.path), context.original_route)
                    for context in iter_route_contexts(app.routes)
                    if isinstance(context.original_route, APIRoute)
                    and str(context.path).startswith("/api/v1/")
                    for method in context.original_route.methods or ()),
                   key=lambda endpoint: endpoint[:2])
    documented = {(method.upper(), path) for path, operations in app.openapi()["paths"].items()
                  if path.startswith("/api/v1/") for method in operations}
    assert {endpoint[:2] for endpoint in found} == documented
    return found


def calls(path: str, world: dict[str, Any]) -> list[tuple[str, str | None]]:
    """(url, what is hidden about its target) for each target the route is tried on."""
    variants: list[tuple[dict[str, Any], str | None]] = [({}, None)]
    if "{item_id}" in path:
        variants = [({"item_id": world["open_item"]}, None),
                    ({"item_id": world["sealed_item"]}, "sealed")]
    if "{entity_id}" in path:
        variants = [({"entity_id": world["person"]}, None),
                    ({"entity_id": world["witness"]}, "protected")]
    fixed = {"number": 1, "ref": CASE}
    return [(path.format(**fixed, **values), hidden) for values, hidden in variants]


def required_query(route: APIRoute, world: dict[str, Any]) -> dict[str, str]:
    values = {"q": "branch", "unit": f"#{world['unit']}", "on": "2012-01-01"}
    needed = [param.alias for param in route.dependant.query_params
              if param.field_info.is_required()]
    missing = set(needed) - set(values)
    assert not missing, f"{route.path}: give the matrix a value for {sorted(missing)}"
    return {name: values[name] for name in needed}


def expected(role: str | None, permission: str, hidden: str | None) -> int:
    if role is None:
        return 401
    if permission != SIGNED_IN and not accounts.can(_Role(role), permission):
        return 403
    if hidden == "sealed" and role != "administrator":
        return 404
    if hidden == "protected" and not accounts.can(_Role(role), "read_protected"):
        return 404
    return 200


class _Role:
    def __init__(self, role: str) -> None:
        self.role = role


def test_every_route_with_every_role_and_none(workspace: Any,
                                              team_world: dict[str, Any]) -> None:  # noqa: F811
    create_case(workspace.engine, CASE, "The head of Branch 251", "A synthetic case")
    # evidence from the collection every account may read, so that the case can be exported
    add_suspect(workspace.engine, CASE, team_world["person"])
    charge = add_charge(workspace.engine, CASE, team_world["person"], "rome", "7-1-f", "28-a")
    add_evidence(workspace.engine, CASE, charge.id, "7-1-f.severe-pain",
                 team_world["open_item"], page=1)
    world = {**team_world, "charge": charge.id}
    app = create_app(workspace.root, team=True)
    routes = api_routes(app)
    undeclared = [f"{method} {path}" for method, path, route in routes
                  if declared_permission(route) is None and (method, path) not in PUBLIC]
    assert not undeclared, f"routes without a declared permission: {undeclared}"
    wrong: list[str] = []
    tried = 0
    with TestClient(app) as client:
        for role in (None, *ROLES):
            csrf = log_in(client, role) if role else ""
            if role is None:
                client.cookies.clear()
            for method, path, route in routes:
                if (method, path) in PUBLIC:
                    continue
                permission = declared_permission(route) or SIGNED_IN
                for url, hidden in calls(path, team_world):
                    response = client.request(method, url, headers={"X-CSRF-Token": csrf},
                                              params=required_query(route, team_world),
                                              json=body(method, path, world))
                    tried += 1
                    want = expected(role, permission, hidden)
                    if response.status_code != want and not (
                            want == 200 and method != "GET"
                            and response.status_code in LET_IN_BODYLESS):
                        wrong.append(f"{role or 'no session'}: {method} {url} answered "
                                     f"{response.status_code}, expected {want}")
                    if path.endswith("/logout") and role:
                        csrf = log_in(client, role)  # the session just ended
    assert not wrong, "\n".join(wrong)
    assert tried == 6 * sum(len(calls(path, team_world)) for method, path, _ in routes
                            if (method, path) not in PUBLIC)
