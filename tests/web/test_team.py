"""Team mode through HTTP: log in and out, the session cookie, CSRF, rate limiting, collection
grants, protected persons and the audit log (SQLite and PostgreSQL)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
import uvicorn
from fastapi import Depends
from starlette.exceptions import StarletteDeprecationWarning
from typer.testing import CliRunner

from dossier import accounts, catalogue
from dossier.cli import serve_cmd
from dossier.cli.common import state
from dossier.ingest.pipeline import IngestOptions, ingest
from dossier.registry.entities import add_entity
from dossier.web import create_app
from dossier.web.deps import User, require

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=StarletteDeprecationWarning, message=".*httpx2")
    from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"
ROLES = ("administrator", "investigator", "analyst", "reviewer", "read_only")


@pytest.fixture
def team_world(workspace: Any, tmp_path: Path) -> dict[str, Any]:
    """Two collections ("open", granted to every account, and "sealed", granted to none), an
    account per role named after it, a person and a protected witness."""
    for collection, text in (("open", "Detainee list of Branch 251.\n"),
                             ("sealed", "Witness statement about Branch 251.\n")):
        folder = tmp_path / collection
        folder.mkdir()
        (folder / f"{collection}.txt").write_text(text, encoding="utf-8")
        ingest(workspace, IngestOptions(collection=collection, paths=[folder], workers=1))
    with workspace.engine.begin() as conn:
        person = add_entity(conn, "person", "Karim Nassar")
        witness = add_entity(conn, "person", "Witness W-7", protected=True)
        unit = add_entity(conn, "unit", "Branch 251", unit_type="branch")
        for role in ROLES:
            user = accounts.add_user(conn, role, PASSWORD, role)
            if role != "administrator":
                accounts.grant(conn, user, "open", granted_by="test")
    with workspace.engine.connect() as conn:
        open_item, sealed_item = (catalogue.list_items(conn, name, 1, 0)[1][0]["id"]
                                  for name in ("open", "sealed"))
    return {"person": person, "witness": witness, "unit": unit,
            "open_item": open_item, "sealed_item": sealed_item}


@pytest.fixture
def team(workspace: Any, team_world: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(workspace.root, team=True)) as client:
        yield client


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in; the client keeps the cookie. Returns the CSRF token."""
    client.cookies.clear()
    response = client.post("/api/v1/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["csrf"])


def audit_log(workspace: Any, action: str) -> list[accounts.AuditEntry]:
    with workspace.engine.connect() as conn:
        return list(accounts.entries(conn, action=action))


def test_login_sets_a_strict_http_only_cookie_and_me_says_who(team: TestClient) -> None:
    response = team.post("/api/v1/login", json={"username": "analyst", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["user"] == "analyst" and body["role"] == "analyst" and body["csrf"]
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    me = team.get("/api/v1/me").json()
    assert me["user"] == "analyst" and me["role"] == "analyst" and me["local"] is False


def test_the_cookie_is_secure_when_asked(workspace: Any, team_world: dict[str, Any]) -> None:
    with TestClient(create_app(workspace.root, team=True, secure_cookies=True)) as client:
        response = client.post("/api/v1/login", json={"username": "reviewer",
                                                       "password": PASSWORD})
    assert "secure" in response.headers["set-cookie"].lower()


def test_an_unknown_user_and_a_wrong_password_get_the_same_refusal(team: TestClient) -> None:
    unknown = team.post("/api/v1/login", json={"username": "nobody", "password": PASSWORD})
    wrong = team.post("/api/v1/login", json={"username": "analyst", "password": "wrong one!"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    assert "set-cookie" not in wrong.headers


def test_too_many_failures_are_refused_with_retry_after(team: TestClient) -> None:
    for _ in range(5):
        team.post("/api/v1/login", json={"username": "analyst", "password": "wrong one!"})
    response = team.post("/api/v1/login", json={"username": "analyst", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["error"]["code"] == "rate_limited"


def test_without_a_session_the_data_is_refused(team: TestClient,
                                               team_world: dict[str, Any]) -> None:
    for path in ("/api/v1/search?q=branch", f"/api/v1/items/{team_world['open_item']}",
                 "/api/v1/entities", "/api/v1/cases", "/api/v1/me"):
        response = team.get(path)
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "unauthenticated"


def test_a_post_needs_the_csrf_token_of_its_session(team: TestClient) -> None:
    csrf = log_in(team, "reviewer")
    assert team.post("/api/v1/verify").status_code == 403
    refused = team.post("/api/v1/verify", headers={"X-CSRF-Token": "forged"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf"
    assert team.post("/api/v1/verify", headers={"X-CSRF-Token": csrf}).status_code == 200


def test_logout_ends_the_session(team: TestClient) -> None:
    csrf = log_in(team, "analyst")
    token = team.cookies.get("dossier_session")
    assert team.post("/api/v1/logout", headers={"X-CSRF-Token": csrf}).json() == {
        "logged_out": True}
    team.cookies.set("dossier_session", str(token))  # a copy of the old cookie opens nothing
    assert team.get("/api/v1/me").status_code == 401


def test_search_and_items_keep_to_the_granted_collections(
        team: TestClient, team_world: dict[str, Any]) -> None:
    log_in(team, "investigator")
    found = team.get("/api/v1/search", params={"q": "branch"}).json()
    assert found["total"] == 1 and [hit["collection"] for hit in found["items"]] == ["open"]
    sealed = team.get("/api/v1/search", params={"q": "branch", "collection": "sealed"}).json()
    assert sealed["total"] == 0
    listed = team.get("/api/v1/items").json()
    assert [item["collection"] for item in listed["items"]] == ["open"]
    hidden = team.get(f"/api/v1/items/{team_world['sealed_item']}")
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not_found"
    log_in(team, "administrator")
    assert team.get("/api/v1/search", params={"q": "branch"}).json()["total"] == 2
    assert team.get(f"/api/v1/items/{team_world['sealed_item']}").status_code == 200


def test_a_protected_person_is_hidden_from_roles_that_may_not_see_one(
        team: TestClient, team_world: dict[str, Any]) -> None:
    witness = f"/api/v1/entities/{team_world['witness']}"
    log_in(team, "analyst")
    assert team.get(witness).status_code == 404
    names = [e["name"] for e in team.get("/api/v1/entities").json()["items"]]
    assert "Witness W-7" not in names and "Karim Nassar" in names
    log_in(team, "investigator")
    assert team.get(witness).json()["entity"]["name"] == "Witness W-7"


def test_searches_and_views_are_audited(team: TestClient, workspace: Any,
                                        team_world: dict[str, Any]) -> None:
    log_in(team, "read_only")
    team.get("/api/v1/search", params={"q": "detainee"})
    team.get(f"/api/v1/items/{team_world['open_item']}")
    team.get(f"/api/v1/items/{team_world['open_item']}/pages/1")
    team.get(f"/api/v1/entities/{team_world['person']}")
    [search] = audit_log(workspace, "search")
    assert search.actor == "read_only" and search.details["query"] == "detainee"
    views = audit_log(workspace, "view_item")
    assert [(v.actor, v.target) for v in views] == [
        ("read_only", f"item:{team_world['open_item']}")] * 2
    assert views[1].details == {"page": 1}
    [entity] = audit_log(workspace, "view_entity")
    assert entity.target == f"entity:{team_world['person']}"
    assert [e.actor for e in audit_log(workspace, "login")] == ["read_only"]


def test_a_route_refuses_a_role_without_its_permission(workspace: Any,
                                                       team_world: dict[str, Any]) -> None:
    app = create_app(workspace.root, team=True)

    @app.get("/api/v1/probe")
    def probe(user: Annotated[User, Depends(require("admin"))]) -> dict[str, str]:
        return {"user": user.name}

    with TestClient(app) as client:
        log_in(client, "analyst")
        refused = client.get("/api/v1/probe")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
        log_in(client, "administrator")
        assert client.get("/api/v1/probe").json() == {"user": "administrator"}


def _serve(workspace: Any, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    root = typer.Typer()

    @root.callback()
    def main() -> None:
        """A root group, as `dossier` has."""

    serve_cmd.register(root)
    monkeypatch.setattr(state, "workspace_path", workspace.root)
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)  # never start a server here
    result = CliRunner().invoke(root, ["serve", *args])
    return result.exit_code, " ".join(result.output.split())


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_serve_team_refuses_sqlite_unless_allowed(workspace: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    code, output = _serve(workspace, monkeypatch, "--team")
    assert code == 2 and "SQLite" in output and "--allow-sqlite" in output


def test_serve_team_needs_an_account(workspace: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    code, output = _serve(workspace, monkeypatch, "--team", "--allow-sqlite")
    assert code == 2 and "dossier users add" in output
    with workspace.engine.begin() as conn:
        accounts.add_user(conn, "admin", PASSWORD, "administrator")
    code, output = _serve(workspace, monkeypatch, "--team", "--allow-sqlite")
    assert code == 0 and "accounts are required" in output
