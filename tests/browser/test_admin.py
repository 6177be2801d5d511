"""The administrator's view: what the team did is in the audit log; the others have no
administration section."""

from __future__ import annotations

from tests.browser.harness import ACCOUNTS, Web, World

from dossier.web.i18n import translator

EN = translator("en")


def test_the_administrator_finds_an_arabic_search_in_the_audit_log(web: Web,
                                                                   world: World) -> None:
    page = web.page
    account = ACCOUNTS["administrator"]
    web.sign_in(account)
    box = page.locator("main form[role=search] input[name=q]")
    box.fill(world.arabic_query)
    with page.expect_navigation():
        box.press("Enter")
    assert page.locator("li.hit").count() >= 1

    with page.expect_navigation():
        page.locator(".topbar nav a[href='/admin']").click()
    web.step("admin")
    web.goto("/admin/audit")
    form = page.locator("form#audit-filter")
    form.locator("input[name=actor]").fill(account.username)
    form.locator("select[name=action]").select_option("search")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    entries = page.locator("#audit-entries tr.entry")
    assert entries.count() >= 1
    newest = entries.first
    assert newest.get_attribute("data-action") == "search"
    assert newest.locator(".actor").inner_text().strip() == account.username
    assert world.arabic_query in newest.locator(".details").inner_text()
    web.step("audit")
    web.assert_clean()


def test_a_read_only_user_has_no_administration(web: Web) -> None:
    page = web.page
    web.sign_in(ACCOUNTS["read_only"])
    assert page.locator(".topbar nav a[href='/admin']").count() == 0
    assert page.locator(".topbar nav a[href='/cases']").count() == 1
    web.step("home")
    web.expect_error(r"status of 403|HTTP 403 GET \S+/admin ")
    response = page.goto(web.url("/admin"))
    assert response is not None and response.status == 403
    web.step("refused")
    web.assert_clean()
