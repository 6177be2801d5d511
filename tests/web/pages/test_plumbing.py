"""What every page shares: logging in and out with the form, CSRF on forms, the language of
the interface per user (English, or Arabic right to left), HTML error pages, the security
headers and the browser libraries installed from npm (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from tests.web.test_team import PASSWORD, TestClient, log_in, team_world  # noqa: F401

from dossier import accounts
from dossier.web import create_app
from dossier.web.i18n import LANGUAGES, messages
from dossier.web.pages.static import NODE_MODULES, VENDOR
from dossier.workspace import Workspace


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]*)"', html)
    assert found
    return found.group(1)


@pytest.fixture
def local(tmp_path: Path) -> Any:
    workspace = Workspace.init(tmp_path / "ws")
    workspace.close()
    with TestClient(create_app(tmp_path / "ws"), follow_redirects=False) as client:
        yield client


def test_the_login_form_opens_a_session_and_goes_where_the_user_was_going(
        workspace: Any, team_world: dict[str, Any]) -> None:  # noqa: F811
    with TestClient(create_app(workspace.root, team=True), follow_redirects=False) as client:
        sent = client.get("/?tab=recent")
        assert sent.status_code == 303
        assert sent.headers["location"] == "/login?next=%2F%3Ftab%3Drecent"
        page = client.get(sent.headers["location"])
        assert page.status_code == 200 and 'id="login-form"' in page.text
        refused = client.post("/login", data={"username": "analyst", "password": "wrong!"})
        assert refused.status_code == 401 and "is wrong" in refused.text
        assert "set-cookie" not in refused.headers
        opened = client.post("/login", data={"username": "analyst", "password": PASSWORD,
                                             "next": "/?tab=recent"})
        assert opened.status_code == 303 and opened.headers["location"] == "/?tab=recent"
        cookies = opened.headers.get_list("set-cookie")
        assert all("httponly" in c.lower() and "samesite=strict" in c.lower() for c in cookies)
        home = client.get("/")
        assert home.status_code == 200 and "analyst" in home.text


def test_login_does_not_send_the_user_to_another_site(
        workspace: Any, team_world: dict[str, Any]) -> None:  # noqa: F811
    with TestClient(create_app(workspace.root, team=True), follow_redirects=False) as client:
        for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
            opened = client.post("/login", data={"username": "analyst", "password": PASSWORD,
                                                 "next": target})
            assert opened.headers["location"] == "/"


def test_too_many_failed_logins_are_refused_with_retry_after(
        workspace: Any, team_world: dict[str, Any]) -> None:  # noqa: F811
    with TestClient(create_app(workspace.root, team=True), follow_redirects=False) as client:
        for _ in range(5):
            client.post("/login", data={"username": "reviewer", "password": "wrong!"})
        limited = client.post("/login", data={"username": "reviewer", "password": PASSWORD})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert "Too many failed attempts" in limited.text


def test_a_form_without_the_token_of_its_session_is_refused(
        workspace: Any, team_world: dict[str, Any]) -> None:  # noqa: F811
    with TestClient(create_app(workspace.root, team=True), follow_redirects=False) as client:
        log_in(client, "analyst")
        assert client.post("/language", data={"language": "ar"}).status_code == 403
        forged = client.post("/language", data={"language": "ar", "csrf": "forged"})
        assert forged.status_code == 403 and "token" in forged.text
        csrf = csrf_of(client.get("/").text)
        assert client.post("/language", data={"language": "ar", "csrf": csrf}
                           ).status_code == 303


def test_the_language_is_kept_on_the_account_and_arabic_is_right_to_left(
        workspace: Any, team_world: dict[str, Any]) -> None:  # noqa: F811
    with TestClient(create_app(workspace.root, team=True), follow_redirects=False) as client:
        log_in(client, "reviewer")
        english = client.get("/").text
        assert '<html lang="en" dir="ltr">' in english and "Workspace" in english
        client.post("/language", data={"language": "ar", "csrf": csrf_of(english),
                                       "next": "/"})
        arabic = client.get("/").text
        assert '<html lang="ar" dir="rtl">' in arabic and "مساحة العمل" in arabic
        log_in(client, "reviewer")  # a new session keeps the choice: it is the account's
        assert 'dir="rtl"' in client.get("/").text
        log_in(client, "analyst")  # and it is this account's only
        assert 'dir="ltr"' in client.get("/").text
    with workspace.engine.connect() as conn:
        assert accounts.find_user(conn, "reviewer").language == "ar"


def test_the_local_user_chooses_the_language_with_a_cookie(local: TestClient) -> None:
    home = local.get("/")
    assert home.status_code == 200 and 'dir="ltr"' in home.text
    assert local.post("/language", data={"language": "ar"}).status_code == 403  # no token
    chosen = local.post("/language", data={"language": "ar", "csrf": csrf_of(home.text),
                                           "next": "/"})
    assert chosen.status_code == 303
    assert 'dir="rtl"' in local.get("/").text
    assert local.post("/language", data={"language": "xx", "csrf": csrf_of(home.text)}
                      ).status_code == 422


def test_pages_answer_errors_as_pages_with_the_security_headers(local: TestClient) -> None:
    missing = local.get("/no-such-page")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "Error 404" in missing.text
    for page in (missing, local.get("/")):
        assert page.headers["content-security-policy"].startswith("default-src 'self'")
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["cache-control"] == "no-store"
    api = local.get("/api/v1/no-such-route")
    assert api.headers["content-type"] == "application/json"


def test_the_browser_libraries_from_npm_are_served(local: TestClient) -> None:
    if not NODE_MODULES.is_dir():
        pytest.fail(f"the npm libraries are missing: scripts/setup.sh installs them into "
                    f"{NODE_MODULES}")
    for name in VENDOR:
        served = local.get(f"/static/vendor/{name}")
        assert served.status_code == 200 and len(served.content) > 50_000
        assert served.headers["content-type"].startswith("text/javascript")
    assert local.get("/static/vendor/left-pad.js").status_code == 404
    assert local.get("/static/dossier.css").status_code == 200
    assert local.get("/static/..%2Fapp.py").status_code == 404


def test_every_text_of_the_interface_is_in_arabic_too() -> None:
    english, arabic = messages("en"), messages("ar")
    assert set(LANGUAGES) == {"en", "ar"}
    missing = sorted(set(english) - set(arabic))
    assert not missing, f"keys without an Arabic text: {missing}"
    assert not sorted(set(arabic) - set(english)), "Arabic keys that English lacks"
    placeholders = re.compile(r"{(\w+)}")
    differing = [key for key in english if set(placeholders.findall(english[key]))
                 != set(placeholders.findall(arabic[key]))]
    assert not differing, f"placeholders differ between the languages: {differing}"
