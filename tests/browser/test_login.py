"""Logging in and out through the login form, and the Arabic interface laid out right to left."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.browser.harness import ACCOUNTS, Web

from dossier.web.i18n import translator

if TYPE_CHECKING:  # Playwright may be missing: the tests then skip
    from playwright.sync_api import Page

EN, AR = translator("en"), translator("ar")


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not laid out"
    return found


def test_a_wrong_password_is_refused_and_the_right_one_lands_where_it_was_going(
        web: Web) -> None:
    page = web.page
    web.goto("/cases")
    assert web.path() == "/login?next=%2Fcases", web.path()
    form = page.locator("form#login-form")
    assert form.is_visible() and page.locator("html").get_attribute("dir") == "ltr"
    web.step("login-form")

    # the refused form is answered 401, as it should be
    web.expect_error(r"status of 401|HTTP 401 POST \S+/login ")
    web.log_in(ACCOUNTS["investigator"], password="not the password")
    assert web.path().startswith("/login")
    alert = page.locator("[role=alert]")
    assert alert.inner_text().strip() == EN("login.refused")
    assert page.locator("input[name=password]").input_value() == ""
    web.step("refused")

    web.log_in(ACCOUNTS["investigator"])
    assert web.path() == "/cases"
    who = page.locator(".topbar .who").inner_text()
    assert ACCOUNTS["investigator"].username in who and EN("role.investigator") in who
    web.step("landed")
    web.assert_clean()


def test_logging_out_ends_the_session(web: Web) -> None:
    page = web.page
    web.sign_in(ACCOUNTS["read_only"])
    web.step("signed-in")
    with page.expect_navigation():
        page.locator(".topbar form[action='/logout'] button").click()
    assert web.path().startswith("/login")
    assert page.locator(".topbar .who").count() == 0
    web.goto("/")
    assert web.path() == "/login?next=%2F"
    web.step("logged-out")
    web.assert_clean()


def test_the_arabic_interface_is_laid_out_right_to_left(web: Web) -> None:
    page = web.page
    account = ACCOUNTS["switcher"]
    web.sign_in(account)
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("en", "ltr")
    bar, brand = box(page, ".topbar"), box(page, ".topbar .brand")
    assert brand["x"] - bar["x"] < 40, "in English the brand starts the bar, on the left"
    web.step("english")

    with page.expect_navigation():
        page.locator("form.language button[value=ar]").click()
    assert web.path() == "/"
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.title().endswith(AR("app.name"))
    bar, brand = box(page, ".topbar"), box(page, ".topbar .brand")
    account_box = box(page, ".topbar .account")
    bar_end, brand_end = bar["x"] + bar["width"], brand["x"] + brand["width"]
    assert bar_end - brand_end < 40, f"the brand is not at the right edge: {brand} in {bar}"
    assert account_box["x"] + account_box["width"] <= brand["x"], \
        "the account bar is not to the left of the brand"
    assert page.locator(".topbar .who").inner_text().find(AR("role.investigator")) >= 0
    web.step("arabic")

    # the choice is kept on the account: a new log-in opens in Arabic
    with page.expect_navigation():
        page.locator(".topbar form[action='/logout'] button").click()
    web.sign_in(account)
    assert html.get_attribute("dir") == "rtl"
    with page.expect_navigation():
        page.locator("form.language button[value=en]").click()
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("en", "ltr")
    web.step("english-again")
    web.assert_clean()
