"""The harness itself: the server answers in Chromium, and the error recorder catches what the
pages must never do (a Content-Security-Policy violation, a script error)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.browser.harness import Web

from dossier.web.security import CONTENT_SECURITY_POLICY

if TYPE_CHECKING:  # Playwright may be missing: the tests then skip
    from playwright.sync_api import Route

PROBE = """<!doctype html><html><head><title>probe</title></head><body>
<p>probe</p><script>document.title = "inline script ran";</script>
</body></html>"""


def test_the_recorder_catches_a_csp_violation_and_a_script_error(web: Web) -> None:
    def fulfil(route: Route) -> None:
        route.fulfill(status=200, body=PROBE, content_type="text/html",
                      headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY})

    web.page.route(web.url("/probe-for-the-harness"), fulfil)
    with web.page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        web.goto("/probe-for-the-harness")
    assert web.page.title() == "probe"  # the policy refused the inline script
    with web.page.expect_event("pageerror"):
        web.page.evaluate("setTimeout(() => { throw new Error('thrown on purpose'); })")
    assert any("Content Security Policy" in error for error in web.errors), web.errors
    assert any("thrown on purpose" in error for error in web.errors), web.errors
    web.expect_error("Content Security Policy|thrown on purpose")
    web.assert_clean()


def test_the_login_page_loads_its_own_files_only(web: Web) -> None:
    response = web.page.goto(web.url("/login"))
    assert response is not None and response.status == 200
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert web.page.locator("form#login-form").is_visible()
    web.step("login")
    web.assert_clean()


def test_the_browser_finds_an_icon_for_the_tab(web: Web) -> None:
    """Chromium asks every site for /favicon.ico; a 404 is a console error on every page."""
    web.goto("/login")
    icon = web.page.locator('link[rel~="icon"]')
    href = icon.first.get_attribute("href") if icon.count() else "/favicon.ico"
    assert href is not None
    response = web.page.request.get(web.url(href) if href.startswith("/") else href)
    assert response.status == 200, f"the tab's icon {href} answers {response.status}"
