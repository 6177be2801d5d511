"""The browser suite's parts: its accounts, its world, and a test's browser tab (`Web`).

The fixtures that put them together are in conftest.py.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path(os.environ.get("DOSSIER_CHROMIUM", "/usr/bin/chromium"))
VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 10_000  # a step that takes longer than this is a failure, not a wait
PASSWORD = "a synthetic passphrase for tests"
LEAK_DOCS = 40
LEAK_SEED = 3  # its leak names the head of a branch in Arabic, French and English documents


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    display_name: str  # synthetic, like every name in the world
    language: str = "en"


ACCOUNTS = {
    "investigator": Account("investigator", "investigator", "Rana Khoury"),
    "administrator": Account("administrator", "administrator", "Samir Aboud"),
    "read_only": Account("reader", "read_only", "Lina Masri"),
    # the language tests change these two accounts' language; no other test uses them
    "switcher": Account("switcher", "investigator", "Hadi Nasr"),
    "arabic": Account("arabic", "investigator", "Maya Saadeh", language="ar"),
}
COLLECTION = "leak"


# ----------------------------------------------------------------------------- availability

def browser_unavailable() -> str | None:
    """Why these tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"the playwright package is not installed ({exc}): scripts/setup.sh --dev"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM}: scripts/setup.sh installs Debian's chromium"
    from dossier.demo.fonts import FontNotFoundError, find_font

    for key in ("amiri", "amiri-bold", "naskh", "naskh-bold", "dejavu", "dejavu-bold"):
        try:
            find_font(key)
        except FontNotFoundError as exc:
            return f"the synthetic leak needs its fonts: {exc}"
    return None


def require_browser(reason: str | None = None) -> None:
    """Skip with the reason (printed), or fail under CI=true, where the browser must run."""
    reason = reason or browser_unavailable()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the browser tests: {reason}")
    print(f"skipping: {reason}")
    pytest.skip(reason)


# ----------------------------------------------------------------------------- the world

@dataclass(frozen=True)
class World:
    root: Path  # the workspace folder
    case_ref: str
    suspect_id: int
    suspect_latin: tuple[str, ...]  # the suspect's names in Latin script
    suspect_arabic: tuple[str, ...]  # and in Arabic script
    suspect_unit: str  # the name of the branch the documents say he headed
    arabic_query: str  # an Arabic name of the suspect as a document spells it
    arabic_items: frozenset[int]  # Arabic items with a mention linked to the suspect
    gap_charge: int  # a charge of the case with an element nothing is linked to yet
    gap_element: str
    evidence_item: int  # an Arabic item that names the suspect, to link to the gap
    evidence_page: int
    evidence_quote: str
    gaps: int  # how many elements of the case are gaps before any test adds evidence


def _arabic(text: str) -> bool:
    return bool(re.search("[\u0600-\u06ff]", text))


def make_world(folder: Path) -> World:
    """Build the world in `folder` (a few seconds)."""
    from sqlalchemy import select

    from dossier import accounts
    from dossier.cases.casefile import load_case
    from dossier.cases.matrix import build_matrix
    from dossier.demo import build_world, generate_leak
    from dossier.demo.case_seed import seed_demo_case
    from dossier.demo.registry_seed import seed_registry
    from dossier.extract import extract
    from dossier.ingest.pipeline import IngestOptions, ingest
    from dossier.store.schema import claims, entities, items, mentions, pages
    from dossier.workspace import Workspace

    generate_leak(folder, docs=LEAK_DOCS, seed=LEAK_SEED, born_digital_only=True)
    workspace = Workspace.init(folder / "workspace")
    try:
        ingest(workspace, IngestOptions(collection=COLLECTION, paths=[folder / "leak"],
                                        acquired_from="browser tests (synthetic)"))
        with workspace.engine.begin() as conn:
            seed_registry(conn, build_world(LEAK_SEED), actor="browser tests")
        extract(workspace)
        ref = seed_demo_case(workspace)
        with workspace.engine.begin() as conn:
            for account in ACCOUNTS.values():
                user = accounts.add_user(conn, account.username, PASSWORD, account.role,
                                         display_name=account.display_name,
                                         language=account.language)
                if account.role != "administrator":
                    accounts.grant(conn, user, COLLECTION, granted_by="browser tests")
        case = load_case(workspace.engine, ref)
        [suspect] = case.suspects
        matrix = build_matrix(case)
        gap = next(cell for cell in matrix.gaps() if cell.element.kind == "circumstance")
        with workspace.engine.connect() as conn:
            named = conn.execute(
                select(mentions.c.item_id, mentions.c.page_number, mentions.c.text,
                       pages.c.text.label("page_text"))
                .join(items, items.c.id == mentions.c.item_id)
                .join(pages, pages.c.id == mentions.c.page_id)
                .where(mentions.c.entity_id == suspect.entity_id, items.c.language == "ar")
                .order_by(mentions.c.item_id, mentions.c.page_number)).all()
            unit = conn.scalar(
                select(entities.c.name).join(claims, claims.c.object_id == entities.c.id)
                .where(claims.c.subject_id == suspect.entity_id, claims.c.role == "head")
                .order_by(claims.c.id).limit(1))
    finally:
        workspace.close()
    assert named, "the synthetic leak has no Arabic document naming the case's suspect"
    query = min((row.text for row in named), key=len)
    first = named[0]
    line = next(line for line in first.page_text.splitlines() if first.text in line)
    return World(
        root=folder / "workspace", case_ref=ref, suspect_id=suspect.entity_id,
        suspect_latin=tuple(n for n in suspect.names if not _arabic(n)),
        suspect_arabic=tuple(n for n in suspect.names if _arabic(n)), suspect_unit=str(unit),
        arabic_query=query, arabic_items=frozenset(row.item_id for row in named),
        gap_charge=gap.charge_id, gap_element=gap.element.id,
        evidence_item=first.item_id, evidence_page=first.page_number,
        evidence_quote=line.strip(), gaps=len(matrix.gaps()))


@dataclass
class Web:
    """One test's browser tab on the server, with what went wrong in it."""

    page: Page
    base_url: str
    test_name: str
    errors: list[str] = field(default_factory=list)
    expected: list[re.Pattern[str]] = field(default_factory=list)
    screenshots: list[Path] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> None:
        self.page.goto(self.url(path))

    def path(self) -> str:
        """The current page's path and query, without the server's address."""
        return self.page.url.removeprefix(self.base_url)

    def shot(self, step: str) -> Path:
        """A screenshot of the viewport, named after the test and the step."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{_safe(self.test_name)}-{_safe(step)}.png"
        self.page.screenshot(path=str(path))
        self.screenshots.append(path)
        return path

    def step(self, name: str) -> Path:
        """What every page must be, checked at a step of a journey, then its screenshot: no
        error so far; <html> in one of the interface's languages, in its direction; the top
        bar's language switch offering exactly the other languages."""
        from dossier.web.i18n import DIRECTION, LANGUAGES

        self.assert_clean()
        html = self.page.locator("html")
        lang, direction = html.get_attribute("lang"), html.get_attribute("dir")
        assert lang in LANGUAGES and direction == DIRECTION[lang], (lang, direction)
        offered = self.page.locator(".topbar form.language button[name=language]")
        values = {offered.nth(i).get_attribute("value") for i in range(offered.count())}
        assert values == set(LANGUAGES) - {lang}, \
            f"{self.path()}: the language switch offers {sorted(map(str, values))}"
        return self.shot(name)

    def log_in(self, account: Account, password: str = PASSWORD) -> None:
        """Fill the login form (the browser must be on the login page) and send it."""
        form = self.page.locator("form#login-form")
        form.locator("input[name=username]").fill(account.username)
        form.locator("input[name=password]").fill(password)
        with self.page.expect_navigation():
            form.locator("button[type=submit]").click()

    def sign_in(self, account: Account, path: str = "/") -> None:
        """Open `path`, which sends a visitor to the login page, and log in."""
        self.goto(path)
        assert self.path().startswith("/login"), f"{path} did not ask to log in: {self.path()}"
        self.log_in(account)
        assert self.path() == path, f"logged in at {self.path()}, not {path}"

    def expect_error(self, pattern: str) -> None:
        """A console error this test provokes on purpose (a refused login answers 401)."""
        self.expected.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.expected)]

    def assert_clean(self) -> None:
        """No console error, page error or Content-Security-Policy violation so far."""
        found = self.unexpected()
        assert not found, "errors in the browser:\n" + "\n".join(found)


def favicon(url: str) -> bool:
    """The browser's own request for /favicon.ico, which test_recorder checks on its own (so
    that a missing icon fails one test, not every one)."""
    return url.split("?", 1)[0].endswith("/favicon.ico")


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:120]


