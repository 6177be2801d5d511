"""The administration pages through HTTP, as an administrator uses them: accounts, roles,
grants, the audit log, its CSV and the check of its hash chain (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import update
from tests.clirun import run
from tests.web.test_team import PASSWORD, ROLES, TestClient, log_in, team_world  # noqa: F401

from dossier import accounts
from dossier.custody.log import default_actor
from dossier.store.schema import audit_log
from dossier.web import create_app

NEW_PASSWORD = "a long synthetic passphrase"


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]*)"', html)
    assert found, "every page carries the CSRF token"
    return found.group(1)


def rows(html: str, css_class: str) -> list[str]:
    """The text of each <tr class="css_class …"> of a page, tags removed."""
    found = re.findall(rf'<tr class="{css_class}[^"]*"[^>]*>(.*?)</tr>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in found]


def account_row(html: str, username: str) -> str:
    found = re.search(rf'<tr class="account[^"]*" data-username="{re.escape(username)}">(.*?)'
                      r"</tr>", html, re.S)
    assert found, f"no row for {username}"
    return found.group(1)


class Admin:
    """A browser logged in as the administrator: reads the token from its pages, posts forms."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf = ""

    def get(self, url: str, **params: Any) -> Any:
        response = self.client.get(url, params=params or None)
        if "csrf-token" in response.text:
            self.csrf = csrf_of(response.text)
        return response

    def post(self, url: str, **form: str) -> Any:
        if not self.csrf:
            self.get("/admin")
        return self.client.post(url, data={"csrf": self.csrf, **form})


@pytest.fixture
def admin(workspace: Any, team_world: dict[str, Any]) -> Iterator[Admin]:  # noqa: F811
    with TestClient(create_app(workspace.root, team=True), follow_redirects=False) as client:
        log_in(client, "administrator")
        yield Admin(client)


@pytest.fixture
def other(workspace: Any, team_world: dict[str, Any]) -> Iterator[TestClient]:  # noqa: F811
    """A second browser on its own server process, for the account being changed."""
    with TestClient(create_app(workspace.root, team=True), follow_redirects=False) as client:
        yield client


def changes(workspace: Any) -> list[accounts.AuditEntry]:
    with workspace.engine.connect() as conn:
        return list(accounts.entries(conn, action="change"))


def test_an_administrator_adds_an_account_that_can_then_log_in(admin: Admin, other: TestClient,
                                                                workspace: Any) -> None:
    page = admin.get("/admin")
    assert page.status_code == 200 and 'id="add-account"' in page.text
    assert "administrator" in account_row(page.text, "administrator")
    added = admin.post("/admin/users", username="amina", password=NEW_PASSWORD, role="analyst",
                       language="ar", display_name="Amina Khoury")
    assert added.status_code == 303
    assert added.headers["location"] == "/admin?done=add_user&account=amina#accounts"
    shown = admin.get(added.headers["location"]).text
    assert 'id="admin-notice"' in shown and "The account amina was added." in shown
    row = account_row(shown, "amina")
    assert 'data-role="analyst"' in row and "Amina Khoury" in row and "العربية" in row
    assert "never" in row  # no login yet

    log_in(other, "amina", NEW_PASSWORD)
    assert other.get("/api/v1/me").json()["role"] == "analyst"
    assert "<time" in account_row(admin.get("/admin").text, "amina")  # the last login
    [entry] = [e for e in changes(workspace) if e.target == "user:amina"]
    assert entry.actor == "administrator" and entry.details == {
        "op": "add_user", "role": "analyst", "language": "ar"}
    assert NEW_PASSWORD not in json.dumps([e.as_dict() for e in changes(workspace)])


def test_a_weak_password_is_refused_with_the_reason(admin: Admin, workspace: Any) -> None:
    refused = admin.post("/admin/users", username="omar", password="xq7-pw", role="reviewer")
    assert refused.status_code == 400
    assert 'id="admin-error"' in refused.text and "at least 12 characters" in refused.text
    assert 'name="username" required maxlength="100" autocomplete="off" value="omar"' in (
        refused.text)  # the form is kept, the password is not
    assert "xq7-pw" not in refused.text
    with workspace.engine.connect() as conn:
        assert accounts.find_user(conn, "omar") is None
    reset = admin.post("/admin/users/password", username="analyst", password="tiny")
    assert reset.status_code == 400 and "at least 12 characters" in reset.text


def test_a_role_change_takes_effect_on_the_next_request(admin: Admin, other: TestClient,
                                                        workspace: Any) -> None:
    log_in(other, "read_only")
    assert other.get("/admin").status_code == 403
    promoted = admin.post("/admin/users/role", username="read_only", role="administrator")
    assert promoted.headers["location"].startswith("/admin?done=set_role")
    assert other.get("/admin").status_code == 200  # the same session, the new role
    admin.post("/admin/users/role", username="read_only", role="read_only")
    assert other.get("/admin").status_code == 403
    assert [e.details for e in changes(workspace)] == [
        {"op": "set_role", "from": "read_only", "to": "administrator"},
        {"op": "set_role", "from": "administrator", "to": "read_only"}]
    same = admin.post("/admin/users/role", username="read_only", role="read_only")
    assert "done=unchanged" in same.headers["location"] and len(changes(workspace)) == 2
    unknown = admin.post("/admin/users/role", username="read_only", role="boss")
    assert unknown.status_code == 400 and "unknown role &#39;boss&#39;" in unknown.text


def test_the_language_password_and_disabling_of_an_account(admin: Admin, other: TestClient,
                                                            workspace: Any) -> None:
    admin.post("/admin/users/language", username="analyst", language="ar")
    log_in(other, "analyst")
    assert 'dir="rtl"' in other.get("/").text
    reset = admin.post("/admin/users/password", username="analyst", password=NEW_PASSWORD)
    assert reset.headers["location"].startswith("/admin?done=set_password")
    assert other.get("/api/v1/me").status_code == 401  # the reset ended the session
    assert other.post("/api/v1/login", json={"username": "analyst",
                                             "password": PASSWORD}).status_code == 401
    log_in(other, "analyst", NEW_PASSWORD)
    admin.post("/admin/users/active", username="analyst", active="false")
    assert other.get("/api/v1/me").status_code == 401
    assert "disabled" in account_row(admin.get("/admin").text, "analyst")
    admin.post("/admin/users/active", username="analyst", active="true")
    log_in(other, "analyst", NEW_PASSWORD)
    ops = [e.details["op"] for e in changes(workspace)]
    assert ops == ["set_language", "set_password", "disable_user", "enable_user"]
    assert NEW_PASSWORD not in json.dumps([e.details for e in changes(workspace)])


def test_the_last_administrator_cannot_lock_the_workspace_out(admin: Admin) -> None:
    for form in ({"active": "false"}, {"role": "analyst"}):
        action = "/admin/users/active" if "active" in form else "/admin/users/role"
        refused = admin.post(action, username="administrator", **form)
        assert refused.status_code == 400 and "last active administrator" in refused.text
    assert admin.get("/admin").status_code == 200


def test_grant_then_revoke_changes_what_the_user_can_search_and_read(
        admin: Admin, other: TestClient, workspace: Any,
        team_world: dict[str, Any]) -> None:  # noqa: F811
    sealed = f"/api/v1/items/{team_world['sealed_item']}"
    log_in(other, "reviewer")
    assert other.get(sealed).status_code == 404
    assert other.get("/api/v1/search", params={"q": "branch"}).json()["total"] == 1
    granted = admin.post("/admin/grants", username="reviewer", collection="sealed")
    assert granted.headers["location"].startswith("/admin?done=grant&account=reviewer")
    page = admin.get("/admin").text
    sealed_row = re.search(r'<tr data-collection="sealed">(.*?)</tr>', page, re.S)
    assert sealed_row and 'data-username="reviewer"' in sealed_row.group(1)
    assert other.get(sealed).status_code == 200
    assert other.get("/api/v1/search", params={"q": "branch"}).json()["total"] == 2
    again = admin.post("/admin/grants", username="reviewer", collection="sealed")
    assert "done=unchanged" in again.headers["location"]
    admin.post("/admin/grants/revoke", username="reviewer", collection="sealed")
    assert other.get(sealed).status_code == 404
    assert other.get("/api/v1/search", params={"q": "branch"}).json()["total"] == 1
    assert [e.details for e in changes(workspace)] == [
        {"op": "grant", "collection": "sealed"}, {"op": "revoke", "collection": "sealed"}]
    missing = admin.post("/admin/grants", username="reviewer", collection="photos")
    assert missing.status_code == 400 and "no collection &#39;photos&#39;" in missing.text


def test_the_page_lists_the_roles_and_their_permissions(admin: Admin) -> None:
    page = admin.get("/admin").text
    for role in accounts.roles().values():
        found = re.search(rf'<tr data-role="{role.name}">(.*?)</tr>', page, re.S)
        assert found, role.name
        assert role.description in found.group(1)
        shown = set(re.findall(r"<li><code>(\w+)</code>", found.group(1)))
        assert shown == set(role.permissions), role.name


def test_the_audit_log_shows_the_changes_filters_them_and_pages(admin: Admin,
                                                                 workspace: Any) -> None:
    admin.post("/admin/users", username="amina", password=NEW_PASSWORD, role="analyst")
    admin.post("/admin/users/role", username="amina", role="reviewer")
    admin.post("/admin/grants", username="amina", collection="open")
    page = admin.get("/admin/audit", action="change").text
    shown = rows(page, "entry")
    assert len(shown) == 3 and all("changed" in row for row in shown)
    assert "op = grant" in shown[0] and "op = add_user" in shown[2]  # newest first
    assert 'id="audit-total">3 entries found' in page
    assert len(rows(admin.get("/admin/audit", target="user:amina").text, "entry")) == 3
    assert rows(admin.get("/admin/audit", target="user:nobody").text, "entry") == []
    logins = rows(admin.get("/admin/audit", actor="administrator", action="login").text, "entry")
    assert len(logins) == 1 and "logged in" in logins[0]
    today = datetime.now(UTC).date()
    assert len(rows(admin.get("/admin/audit", action="change", since=today.isoformat(),
                              until=today.isoformat()).text, "entry")) == 3
    yesterday = (today - timedelta(days=1)).isoformat()
    assert rows(admin.get("/admin/audit", until=yesterday).text, "entry") == []
    bad = admin.get("/admin/audit", since="last tuesday")
    assert bad.status_code == 400 and 'id="admin-error"' in bad.text

    with workspace.engine.begin() as conn:
        for number in range(60):
            accounts.record(conn, "omar", "search", f"query:{number}", {"hits": number})
    first = admin.get("/admin/audit", actor="omar").text
    assert len(rows(first, "entry")) == 50 and "query:59" in rows(first, "entry")[0]
    following = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert following and "actor=omar" in following.group(1)
    rest = rows(admin.get(following.group(1).replace("&amp;", "&")).text, "entry")
    assert len(rest) == 10 and "query:0" in rest[-1]


def test_the_csv_export_has_the_entries_and_is_itself_audited(admin: Admin,
                                                              workspace: Any) -> None:
    admin.post("/admin/users", username="amina", password=NEW_PASSWORD, role="analyst")
    admin.post("/admin/grants", username="amina", collection="open")
    page = admin.get("/admin/audit", action="change").text
    assert 'href="/admin/audit.csv?action=change"' in page
    exported = admin.get("/admin/audit.csv", action="change")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith(
        "text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    found = list(csv.DictReader(io.StringIO(exported.text)))
    logged = changes(workspace)
    assert [int(row["id"]) for row in found] == [entry.id for entry in logged]
    assert [row["hash"] for row in found] == [entry.hash for entry in logged]
    assert json.loads(found[1]["details"]) == {"op": "grant", "collection": "open"}
    with workspace.engine.connect() as conn:
        [export] = list(accounts.entries(conn, action="export"))
    assert export.actor == "administrator" and export.target == "audit_log"
    assert export.details == {"action": "change"}


def test_the_csv_export_keeps_a_logged_formula_as_text(admin: Admin, workspace: Any) -> None:
    with workspace.engine.begin() as conn:  # a search typed by someone, as the log keeps it
        accounts.record(conn, "omar", "search", '=HYPERLINK("http://x.example","y")', {})
    exported = admin.get("/admin/audit.csv", action="search")
    [row] = list(csv.DictReader(io.StringIO(exported.text)))
    assert row["target"] == '\'=HYPERLINK("http://x.example","y")'
    with workspace.engine.connect() as conn:
        [logged] = list(accounts.entries(conn, action="search"))
    assert logged.target.startswith("=HYPERLINK") and row["hash"] == logged.hash


def test_the_chain_check_reports_ok_then_the_altered_entry(admin: Admin,
                                                           workspace: Any) -> None:
    admin.post("/admin/users/role", username="analyst", role="reviewer")
    page = admin.get("/admin/audit")
    assert 'id="audit-check-link"' in page.text
    whole = admin.get("/admin/audit/check").text
    assert 'data-ok="true"' in whole and "The audit log is whole" in whole
    [change] = changes(workspace)
    with workspace.engine.begin() as conn:  # someone covers their tracks in the database
        conn.execute(update(audit_log).where(audit_log.c.id == change.id)
                     .values(actor="someone else"))
    broken = admin.get("/admin/audit/check").text
    assert 'data-ok="false"' in broken
    assert f"broken from entry {change.id}" in broken
    assert f'<li data-id="{change.id}">' in broken and "was altered" in broken
    with workspace.engine.connect() as conn:
        assert [e.details["ok"] for e in accounts.entries(conn, action="verify")] == [True,
                                                                                       False]


def admin_routes(app: Any) -> list[tuple[str, str]]:
    return sorted((method, str(context.path)) for context in iter_route_contexts(app.routes)
                  if isinstance(context.original_route, APIRoute)
                  and str(context.path).startswith("/admin")
                  for method in context.original_route.methods or ())


def test_every_other_role_is_refused_every_admin_page_and_form(
        workspace: Any, team_world: dict[str, Any]) -> None:  # noqa: F811
    app = create_app(workspace.root, team=True)
    routes = admin_routes(app)
    assert ("GET", "/admin/audit.csv") in routes and ("POST", "/admin/users") in routes
    form = {"username": "intruder", "password": NEW_PASSWORD, "role": "administrator",
            "language": "en", "active": "false", "collection": "sealed"}
    with TestClient(app, follow_redirects=False) as client:
        for role in ROLES[1:]:
            log_in(client, role)
            csrf = csrf_of(client.get("/").text)
            for method, path in routes:
                data = {**form, "username": role, "csrf": csrf} if method == "POST" else None
                response = client.request(method, path, data=data)
                assert response.status_code == 403, f"{role}: {method} {path}"
            assert client.get("/api/v1/me").json()["role"] == role  # nothing changed
    with workspace.engine.connect() as conn:
        assert accounts.find_user(conn, "intruder") is None
    assert changes(workspace) == []


def test_the_arabic_admin_page_is_right_to_left(admin: Admin) -> None:
    admin.post("/admin/users/language", username="administrator", language="ar")
    for url in ("/admin", "/admin/audit", "/admin/audit/check"):
        page = admin.get(url).text
        assert '<html lang="ar" dir="rtl">' in page, url
        assert "الإدارة" in page and "admin." not in re.sub(r'href="[^"]*"', "", page), url
    assert "سجل التدقيق" in admin.get("/admin/audit").text
    refused = admin.post("/admin/users", username="lina", password="short", role="analyst")
    assert "كلمة المرور قصيرة جدًا" in refused.text


def test_the_cli_and_the_page_agree(admin: Admin, workspace: Any) -> None:
    run(workspace, "users", "role", "analyst", "reviewer")
    assert 'data-role="reviewer"' in account_row(admin.get("/admin").text, "analyst")
    admin.post("/admin/users/role", username="analyst", role="read_only")
    listed = {user["username"]: user for user in
              json.loads(run(workspace, "users", "list", "--json"))}
    assert listed["analyst"]["role"] == "read_only"
    logged = json.loads(run(workspace, "audit", "log", "--action", "change", "--json"))
    assert [entry["details"] for entry in logged] == [
        {"op": "set_role", "from": "analyst", "to": "reviewer"},
        {"op": "set_role", "from": "reviewer", "to": "read_only"}]
    shown = rows(admin.get("/admin/audit", action="change").text, "entry")
    assert [row.split()[0] for row in shown] == [str(entry["id"]) for entry in
                                                 reversed(logged)]
    assert "the audit log is whole" in run(workspace, "audit", "verify")


def test_the_local_user_administers_the_workspace_accounts(workspace: Any) -> None:
    with TestClient(create_app(workspace.root), follow_redirects=False) as local:
        page = local.get("/admin")
        assert page.status_code == 200
        assert 'id="admin-local"' in page.text and "dossier serve --team" in page.text
        added = local.post("/admin/users", data={
            "csrf": csrf_of(page.text), "username": "amina", "password": NEW_PASSWORD,
            "role": "administrator"})
        assert added.status_code == 303
        assert local.post("/admin/users", data={"username": "omar", "password": NEW_PASSWORD,
                                                "role": "analyst"}).status_code == 403
    [entry] = changes(workspace)
    assert entry.actor == default_actor() and entry.target == "user:amina"
    with TestClient(create_app(workspace.root, team=True)) as team:
        log_in(team, "amina", NEW_PASSWORD)
        assert team.get("/api/v1/me").json()["role"] == "administrator"
