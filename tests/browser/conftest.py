"""The browser suite's world: a real workspace, a real team server, Debian's Chromium.

Built once per session (a few seconds):

- a synthetic leak (born-digital documents only, so no OCR) ingested into a SQLite workspace,
  the synthetic world's registry seeded, mentions extracted and linked to it, and the demo's
  sample case built from what the documents say (it has proven elements and gaps);
- team accounts with synthetic names: an investigator, an administrator, a read-only user, and
  two more investigators whose interface language the language tests may change;
- the application in team mode served by uvicorn on a free loopback port, in a thread;
- Chromium from /usr/bin/chromium (Playwright never downloads a browser), headless, one
  context per test with a 1280×800 viewport.

Every test's page records console errors and page errors (a Content-Security-Policy
violation is a console error in Chromium); `web.assert_clean()` fails on any, and teardown
checks again. Screenshots go to test-artifacts/screenshots/<test>-<step>.png.

Where Chromium, Playwright or the demo's fonts are missing the tests skip with the reason,
except under CI=true, where they fail: CI has them and must run these tests.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from tests.browser.harness import (
    CHROMIUM,
    SCREENSHOTS,
    TIMEOUT_MS,
    VIEWPORT,
    Web,
    World,
    favicon,
    make_world,
    require_browser,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Response


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    require_browser()
    return make_world(tmp_path_factory.mktemp("browser-world"))


@pytest.fixture(scope="session")
def base_url(world: World) -> Iterator[str]:
    """The application in team mode over the world's workspace, on a free loopback port."""
    import uvicorn

    from dossier.web import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(world.root, team=True),
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    ready = threading.Event()
    while thread.is_alive() and not ready.wait(0.05):
        if server.started:
            ready.set()
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


# ----------------------------------------------------------------------------- the browser

@pytest.fixture(scope="session")
def browser(world: World) -> Iterator[Browser]:
    from playwright.sync_api import Error, sync_playwright

    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                                  args=args)
        except Error as exc:
            require_browser(f"Chromium at {CHROMIUM} does not start: {exc}")
            raise
        yield launched
        launched.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def web(browser: Browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[Web]:
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    web = Web(page, base_url, request.node.name)

    def on_console(message: ConsoleMessage) -> None:
        source = message.location.get("url") or page.url
        if message.type == "error" and not favicon(source):
            web.errors.append(f"console error at {page.url} ({source}): {message.text}")

    def on_response(response: Response) -> None:
        if response.status >= 400 and not favicon(response.url):
            web.errors.append(f"HTTP {response.status} {response.request.method} "
                              f"{response.url} ({response.request.resource_type})")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: web.errors.append(f"page error at {page.url}: {error}"))
    yield web
    call = getattr(request.node, "report_call", None)
    failed = call is not None and call.failed
    if failed:
        try:
            web.shot("failure")
        except Exception as exc:  # the page may be gone: the failure itself is what matters
            print(f"no failure screenshot: {exc}")
    context.close()
    if not failed:
        web.assert_clean()


@pytest.fixture(scope="session", autouse=True)
def _fresh_screenshots() -> None:
    """Each run's screenshots only: those of earlier runs are removed first."""
    if SCREENSHOTS.is_dir():
        shutil.rmtree(SCREENSHOTS)
