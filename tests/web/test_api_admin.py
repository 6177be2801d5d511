"""The administration API through HTTP: accounts, roles, grants, the audit log, its CSV and its
check, each for administrators only (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import delete
from tests.web.test_team import PASSWORD, ROLES, TestClient, log_in, team_world  # noqa: F401

from dossier import accounts
from dossier.store.schema import audit_log
from dossier.web import create_app

NEW_PASSWORD = "a long synthetic passphrase"


class Api:
    """A client logged in as the administrator, sending its CSRF header with each change."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.headers = {"X-CSRF-Token": log_in(client, "administrator")}

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{url}", params=params)

    def send(self, method: str, url: str, body: dict[str, Any]) -> Any:
        return self.client.request(method, f"/api/v1{url}", json=body, headers=self.headers)


@pytest.fixture
def api(workspace: Any, team_world: dict[str, Any]) -> Iterator[Api]:  # noqa: F811
    with TestClient(create_app(workspace.root, team=True)) as client:
        yield Api(client)


@pytest.fixture
def other(workspace: Any, team_world: dict[str, Any]) -> Iterator[TestClient]:  # noqa: F811
    with TestClient(create_app(workspace.root, team=True)) as client:
        yield client


def test_accounts_are_added_listed_and_changed(api: Api, other: TestClient) -> None:
    made = api.send("POST", "/admin/users", {"username": "amina", "password": NEW_PASSWORD,
                                             "role": "analyst", "language": "ar",
                                             "name": "Amina Khoury"})
    assert made.status_code == 200
    assert made.json()["role"] == "analyst" and made.json()["last_login_at"] is None
    weak = api.send("POST", "/admin/users", {"username": "omar", "password": "tiny",
                                             "role": "analyst"})
    assert weak.status_code == 400 and weak.json()["error"]["code"] == "weak_password"
    assert "at least 12 characters" in weak.json()["error"]["message"]
    twice = api.send("POST", "/admin/users", {"username": "amina", "password": NEW_PASSWORD,
                                              "role": "analyst"})
    assert twice.status_code == 400 and "already an account" in twice.json()["error"]["message"]

    log_in(other, "amina", NEW_PASSWORD)
    listed = {user["username"]: user for user in api.get("/admin/users").json()["items"]}
    assert set(listed) == {*ROLES, "amina"}
    assert listed["amina"]["name"] == "Amina Khoury" and listed["amina"]["last_login_at"]
    assert listed["reviewer"]["collections"] == ["open"]
    page = api.get("/admin/users", limit=2, offset=2).json()
    assert page["total"] == 6 and [u["username"] for u in page["items"]] == ["analyst",
                                                                              "investigator"]

    assert api.send("POST", "/admin/users/role", {"username": "amina", "role": "reviewer"}
                    ).json()["role"] == "reviewer"
    assert other.get("/api/v1/me").json()["role"] == "reviewer"  # on the next request
    assert api.send("POST", "/admin/users/language", {"username": "amina", "language": "en"}
                    ).json()["language"] == "en"
    reset = api.send("POST", "/admin/users/password", {"username": "amina",
                                                       "password": PASSWORD})
    assert reset.json() == {"username": "amina", "sessions_ended": 1}
    assert other.get("/api/v1/me").status_code == 401
    log_in(other, "amina")
    assert api.send("POST", "/admin/users/active", {"username": "amina", "active": False}
                    ).json()["active"] is False
    assert other.get("/api/v1/me").status_code == 401
    api.send("POST", "/admin/users/active", {"username": "amina", "active": True})
    log_in(other, "amina")
    ghost = api.send("POST", "/admin/users/role", {"username": "ghost", "role": "analyst"})
    assert ghost.status_code == 400 and "no account 'ghost'" in ghost.json()["error"]["message"]
    last = api.send("POST", "/admin/users/active", {"username": "administrator",
                                                    "active": False})
    assert last.status_code == 400 and "last active administrator" in last.text


def test_the_roles_are_those_of_the_roles_file(api: Api) -> None:
    body = api.get("/admin/roles").json()
    assert body["permissions"] == accounts.permissions()
    assert [(role["name"], role["description"], set(role["permissions"]))
            for role in body["roles"]] == [(role.name, role.description, set(role.permissions))
                                           for role in accounts.roles().values()]


def test_grants_are_listed_given_and_taken_away(api: Api, other: TestClient,
                                                team_world: dict[str, Any]) -> None:  # noqa: F811
    sealed = f"/api/v1/items/{team_world['sealed_item']}"
    collections = {c["name"]: c["accounts"] for c in api.get("/admin/grants").json()[
        "collections"]}
    assert collections == {"open": sorted(ROLES[1:]), "sealed": []}
    log_in(other, "analyst")
    assert other.get(sealed).status_code == 404
    given = api.send("POST", "/admin/grants", {"username": "analyst", "collection": "sealed"})
    assert given.json() == {"username": "analyst", "collection": "sealed", "granted": True}
    assert other.get(sealed).status_code == 200
    assert other.get("/api/v1/search", params={"q": "branch"}).json()["total"] == 2
    taken = api.send("DELETE", "/admin/grants", {"username": "analyst", "collection": "sealed"})
    assert taken.json()["revoked"] is True
    assert other.get(sealed).status_code == 404
    assert api.send("DELETE", "/admin/grants", {"username": "analyst", "collection": "sealed"}
                    ).json()["revoked"] is False
    unknown = api.send("POST", "/admin/grants", {"username": "analyst", "collection": "x"})
    assert unknown.status_code == 400 and "no collection 'x'" in unknown.json()["error"][
        "message"]


def test_the_audit_log_is_filtered_paged_exported_and_checked(api: Api,
                                                              workspace: Any) -> None:
    api.send("POST", "/admin/users", {"username": "amina", "password": NEW_PASSWORD,
                                      "role": "analyst"})
    api.send("POST", "/admin/users/role", {"username": "amina", "role": "reviewer"})
    api.send("POST", "/admin/grants", {"username": "reviewer", "collection": "sealed"})
    found = api.get("/admin/audit", action="change").json()
    assert found["total"] == 3
    assert [entry["details"]["op"] for entry in found["items"]] == ["grant", "set_role",
                                                                   "add_user"]
    assert all(entry["actor"] == "administrator" for entry in found["items"])
    assert api.get("/admin/audit", target="user:amina").json()["total"] == 2
    assert api.get("/admin/audit", actor="nobody").json()["total"] == 0
    today = datetime.now(UTC).date().isoformat()
    assert api.get("/admin/audit", action="change", since=today, until=today
                   ).json()["total"] == 3
    assert api.get("/admin/audit", until="2001-01-01").json()["total"] == 0
    paged = api.get("/admin/audit", action="change", limit=1, offset=1).json()
    assert [entry["details"]["op"] for entry in paged["items"]] == ["set_role"]
    for bad in ({"action": "peek"}, {"since": "soon"}):
        refused = api.get("/admin/audit", **bad)
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "bad_request"

    exported = api.get("/admin/audit.csv", action="change")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [row["id"] for row in rows] == [str(e["id"]) for e in reversed(found["items"])]
    assert api.get("/admin/audit", action="export").json()["items"][0]["target"] == "audit_log"

    assert api.get("/admin/audit/check").json() == {
        "ok": True, "entries": api.get("/admin/audit").json()["total"] - 1, "problems": []}
    with workspace.engine.begin() as conn:  # entries removed behind the log's back
        conn.execute(delete(audit_log).where(audit_log.c.id == found["items"][1]["id"]))
    check = api.get("/admin/audit/check").json()
    assert check["ok"] is False
    assert check["problems"][0]["id"] == found["items"][1]["id"] + 1
    assert "deleted" in check["problems"][0]["message"]


def admin_api_routes(app: Any) -> list[tuple[str, str]]:
    return sorted((method, str(context.path)) for context in iter_route_contexts(app.routes)
                  if isinstance(context.original_route, APIRoute)
                  and str(context.path).startswith("/api/v1/admin/")
                  for method in context.original_route.methods or ())


def test_only_administrators_may_use_it(workspace: Any,
                                        team_world: dict[str, Any]) -> None:  # noqa: F811
    app = create_app(workspace.root, team=True)
    routes = admin_api_routes(app)
    assert len(routes) == 13
    documented = app.openapi()["paths"]
    assert all(documented[path][method.lower()]["description"] for method, path in routes)
    body = {"username": "reviewer", "password": NEW_PASSWORD, "role": "administrator",
            "language": "ar", "active": False, "collection": "sealed"}
    with TestClient(app) as client:
        client.cookies.clear()
        assert all(client.request(method, path, json=body).status_code == 401
                   for method, path in routes)
        for role in ROLES[1:]:
            csrf = log_in(client, role)
            for method, path in routes:
                answered = client.request(method, path, json=body,
                                          headers={"X-CSRF-Token": csrf})
                assert answered.status_code == 403, f"{role}: {method} {path}"
                assert answered.json()["error"]["code"] == "forbidden"
        with workspace.engine.connect() as conn:
            assert accounts.get_user(conn, "reviewer").role == "reviewer"
            assert list(accounts.entries(conn, action="change")) == []


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_local_user_may_use_it(workspace: Any) -> None:
    with TestClient(create_app(workspace.root)) as client:
        made = client.post("/api/v1/admin/users", json={"username": "amina",
                                                        "password": NEW_PASSWORD,
                                                        "role": "administrator"})
        assert made.status_code == 200
        assert [user["username"] for user in client.get("/api/v1/admin/users").json()[
            "items"]] == ["amina"]
        assert client.get("/api/v1/admin/audit").json()["total"] == 1
