"""The document reader through HTTP, on a real workspace (SQLite and PostgreSQL): the page
picture of a real PDF, the text with its mentions linked, metadata, custody, near-duplicates,
"cite this", the original's bytes; grants, protected persons and the audit log in team mode."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont
from tests.web.test_team import PASSWORD, ROLES, TestClient, audit_log, log_in

from dossier import accounts, catalogue
from dossier.extract.runner import extract
from dossier.ingest.pipeline import IngestOptions, ingest
from dossier.registry.entities import add_entity
from dossier.web import create_app

ORDER = ("أمر نقل موقوفين من الفرع 251 إلى سجن صيدنايا العسكري. نرسل إليكم برفقة الدورية "
         "الموقوف سامر يوسف الخطيب لمتابعة التحقيق معه حسب الأصول. رئيس الفرع العميد ")
REPORT = "Report of Branch 251.\nSigned by Brigadier Karim Nassar.\nWitness: Samir Haddad.\n"


def make_pdf(path: Path) -> None:
    """Three pages: text on each; page 2 alone has a black box over its left half."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=14)
    for number in (1, 2, 3):
        pdf.add_page()
        pdf.set_xy(20, 250)
        pdf.cell(text=f"Transfer order page {number} of Branch 251")
        if number == 2:
            pdf.set_fill_color(0, 0, 0)
            pdf.rect(0, 20, 105, 200, style="F")
    pdf.output(str(path))


def _ingest(workspace: Any, folder: Path, collection: str, files: dict[str, str | bytes]) -> None:
    folder.mkdir(parents=True)
    for name, content in files.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(content, encoding="utf-8")
    ingest(workspace, IngestOptions(collection=collection, paths=[folder], workers=1))


@pytest.fixture
def world(workspace: Any, tmp_path: Path) -> dict[str, Any]:
    """Collections "open" (a report naming a person, a unit and a protected witness; a PDF;
    two near-duplicate orders) and "sealed" (a near-duplicate of the orders); the registry;
    mentions extracted and linked."""
    pdf = tmp_path / "transfer.pdf"
    make_pdf(pdf)
    _ingest(workspace, tmp_path / "open", "open", {
        "report.txt": REPORT, "transfer.pdf": pdf.read_bytes(),
        "order.txt": ORDER + "خالد حسن", "order-retyped.txt":
            ORDER.replace("الدورية", "الدوريه") + "خالد حسن."})
    _ingest(workspace, tmp_path / "sealed", "sealed", {
        "order-copy.txt": ORDER + "خالد حسن!"})
    with workspace.engine.begin() as conn:
        person = add_entity(conn, "person", "Karim Nassar", names=["كريم نصار"])
        witness = add_entity(conn, "person", "Samir Haddad", protected=True)
        unit = add_entity(conn, "unit", "Branch 251", unit_type="branch", names=["الفرع 251"])
    extract(workspace)
    with workspace.engine.connect() as conn:
        listed = catalogue.list_items(conn, None, 50, 0)[1]
    ids = {item["path"].rsplit("/", 1)[-1]: item["id"] for item in listed}
    return {"person": person, "witness": witness, "unit": unit, **ids,
            "files": {"transfer.pdf": pdf.read_bytes()}}


@pytest.fixture
def client(workspace: Any, world: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(workspace.root)) as client:
        yield client


def page_text(page: str) -> str:
    found = re.search(r'<div id="page-text"[^>]*>(.*?)</div>', page, re.S)
    assert found is not None, "no #page-text"
    return found.group(1)


def mentions(page: str) -> list[tuple[str, str]]:
    """(href, text) of the linked mentions of the page's text."""
    return re.findall(r'<a class="mention[^"]*" href="([^"]+)"[^>]*>([^<]*)</a>',
                      page_text(page))


def test_the_reader_shows_the_text_with_its_mentions_linked(
        client: TestClient, world: dict[str, Any]) -> None:
    page = client.get(f"/items/{world['report.txt']}")
    assert page.status_code == 200
    text = page_text(page.text)
    assert "Signed by Brigadier" in text and "Report of" in text
    assert re.sub(r"<[^>]+>", "", text).strip() == html.escape(REPORT.strip(), quote=False)
    assert mentions(page.text) == [(f"/units/{world['unit']}", "Branch 251"),
                                   (f"/entities/{world['person']}", "Karim Nassar"),
                                   (f"/entities/{world['witness']}", "Samir Haddad")]
    assert 'id="no-image"' in page.text and "<img" not in page.text  # text only: said so
    assert "read from the text layer" in page.text


def test_the_reader_shows_metadata_custody_and_near_duplicates(
        client: TestClient, world: dict[str, Any], workspace: Any) -> None:
    page = client.get(f"/items/{world['order.txt']}").text
    with workspace.engine.connect() as conn:
        item = catalogue.get_item(conn, world["order.txt"])
    assert item is not None
    assert f'<code class="hash" id="item-sha256">{item["sha256"]}</code>' in page
    assert "open" in page and f"{item['size']:,} bytes" in page
    custody = re.search(r'<table id="custody">(.*?)</table>', page, re.S)
    assert custody is not None
    assert "acquired" in custody.group(1) and "text derived" in custody.group(1)
    near = re.search(r'<ul id="near-duplicates">(.*?)</ul>', page, re.S)
    assert near is not None
    assert re.findall(r'href="/items/(\d+)"', near.group(1)) == [
        str(world["order-retyped.txt"]), str(world["order-copy.txt"])]
    assert f'href="/items/{item["id"]}/original"' in page


def test_cite_this_renders_item_path_page_quote_and_hash(
        client: TestClient, world: dict[str, Any], workspace: Any) -> None:
    item_id = world["report.txt"]
    with workspace.engine.connect() as conn:
        item = catalogue.get_item(conn, item_id)
    assert item is not None
    first = client.get(f"/items/{item_id}").text
    citation = re.search(r'<output id="citation"[^>]*>(.*?)</output>', first, re.S)
    assert citation is not None
    assert html.unescape(citation.group(1)) == (
        f"{item['path']}, p. 1 (Dossier item {item_id}, sha256 {item['sha256']}): "
        "“Report of Branch 251.”")  # without a selection: the first line
    chosen = client.get(f"/items/{item_id}", params={"page": 1,
                                                     "quote": "Signed by  Brigadier"}).text
    assert "“Signed by Brigadier”" in chosen


def test_the_page_picture_of_a_pdf_is_a_png_of_that_page(
        client: TestClient, world: dict[str, Any]) -> None:
    item_id = world["transfer.pdf"]
    reader = client.get(f"/items/{item_id}", params={"page": 2}).text
    assert f'src="/items/{item_id}/pages/2/image"' in reader
    assert "Transfer order page 2 of" in page_text(reader)
    assert f'rel="prev" href="/items/{item_id}?page=1"' in reader
    assert f'rel="next" href="/items/{item_id}?page=3"' in reader

    def darkness_at_left_middle(number: int) -> int:
        answer = client.get(f"/items/{item_id}/pages/{number}/image")
        assert answer.status_code == 200 and answer.headers["content-type"] == "image/png"
        picture = Image.open(io.BytesIO(answer.content))
        assert picture.format == "PNG" and max(picture.size) <= 1400
        assert picture.height > picture.width  # A4 upright
        grey = picture.convert("L")
        return 255 - int(grey.getpixel((grey.width // 4, grey.height // 2)))

    assert darkness_at_left_middle(2) > 200  # the black box of page 2
    assert darkness_at_left_middle(1) < 50 and darkness_at_left_middle(3) < 50
    assert client.get(f"/items/{item_id}/pages/4/image").status_code == 404
    assert client.get(f"/items/{item_id}", params={"page": 4}).status_code == 404


def test_the_page_picture_of_a_multi_page_tiff_is_its_frame(
        client: TestClient, workspace: Any, tmp_path: Path) -> None:
    frames = []
    for number in (1, 2):
        frame = Image.new("L", (600, 800), 255)
        draw = ImageDraw.Draw(frame)
        draw.text((50, 700), f"Scanned page {number}", fill=0,
                  font=ImageFont.load_default(size=28))
        if number == 2:
            draw.rectangle((0, 100, 300, 600), fill=0)
        frames.append(frame)
    scans = tmp_path / "scans"
    scans.mkdir()
    frames[0].save(scans / "scan.tif", save_all=True, append_images=frames[1:])
    ingest(workspace, IngestOptions(collection="scans", paths=[scans], workers=1))
    with workspace.engine.connect() as conn:
        [item] = catalogue.list_items(conn, "scans", 1, 0)[1]
    reader = client.get(f"/items/{item['id']}", params={"page": 2}).text
    assert "read by OCR" in reader and re.search(r"confidence \d+ %", reader)
    assert "Scanned page 2" in page_text(reader)
    for number, dark in ((1, False), (2, True)):
        answer = client.get(f"/items/{item['id']}/pages/{number}/image")
        assert answer.status_code == 200
        picture = Image.open(io.BytesIO(answer.content)).convert("L")
        assert picture.size == (600, 800)
        assert (picture.getpixel((150, 400)) == 0) is dark
    assert client.get(f"/items/{item['id']}/pages/3/image").status_code == 404


def test_a_text_item_has_no_picture_and_the_original_is_a_download(
        client: TestClient, world: dict[str, Any]) -> None:
    assert client.get(f"/items/{world['report.txt']}/pages/1/image").status_code == 404
    original = client.get(f"/items/{world['transfer.pdf']}/original")
    assert original.status_code == 200
    assert original.content == world["files"]["transfer.pdf"]
    assert original.headers["content-disposition"].startswith("attachment")
    assert "transfer.pdf" in original.headers["content-disposition"]


def test_the_reader_in_arabic_is_right_to_left(client: TestClient,
                                               world: dict[str, Any]) -> None:
    client.cookies.set("dossier_language", "ar")
    page = client.get(f"/items/{world['order.txt']}").text
    assert '<html lang="ar" dir="rtl">' in page
    assert "سلسلة الحيازة" in page and "استشهد بهذه الصفحة" in page
    assert 'lang="ar"' in re.search(r'<div id="page-text"[^>]*>', page).group(0)  # type: ignore[union-attr]


def test_an_unknown_item_or_page_is_a_404_page(client: TestClient,
                                               world: dict[str, Any]) -> None:
    missing = client.get("/items/99999")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert client.get(f"/items/{world['report.txt']}", params={"page": 2}).status_code == 404
    assert client.get("/items/99999/original").status_code == 404


# --- team mode ------------------------------------------------------------------------------


@pytest.fixture
def team(workspace: Any, world: dict[str, Any]) -> Iterator[TestClient]:
    """Accounts for every role; all but the administrator are granted "open" only."""
    with workspace.engine.begin() as conn:
        for role in ROLES:
            user = accounts.add_user(conn, role, PASSWORD, role)
            if role != "administrator":
                accounts.grant(conn, user, "open", granted_by="test")
    with TestClient(create_app(workspace.root, team=True)) as client:
        yield client


def test_a_sealed_item_is_not_found_for_a_role_without_the_grant(
        team: TestClient, world: dict[str, Any]) -> None:
    sealed = world["order-copy.txt"]
    assert team.get(f"/items/{sealed}", follow_redirects=False).status_code == 303  # log in
    log_in(team, "investigator")
    for path in (f"/items/{sealed}", f"/items/{sealed}/original",
                 f"/items/{sealed}/pages/1/image"):
        assert team.get(path).status_code == 404, path
    near = team.get(f"/items/{world['order.txt']}").text
    assert f'href="/items/{sealed}"' not in near  # its near-duplicate is not listed either
    log_in(team, "administrator")
    assert team.get(f"/items/{sealed}").status_code == 200
    assert f'href="/items/{sealed}"' in team.get(f"/items/{world['order.txt']}").text


def test_every_view_is_audited(team: TestClient, world: dict[str, Any], workspace: Any) -> None:
    log_in(team, "read_only")
    pdf = world["transfer.pdf"]
    team.get(f"/items/{pdf}", params={"page": 2})
    team.get(f"/items/{pdf}/pages/2/image")
    team.get(f"/items/{pdf}/original")
    views = audit_log(workspace, "view_item")
    assert [(view.actor, view.target) for view in views] == [("read_only", f"item:{pdf}")] * 3
    assert views[0].details == {"page": 2}
    assert views[1].details == {"page": 2, "image": True}
    assert views[2].details["original"] is True
    assert len(views[2].details["sha256"]) == 64


def test_a_protected_person_is_neither_linked_nor_named_for_roles_that_may_not_see_one(
        team: TestClient, world: dict[str, Any]) -> None:
    report = f"/items/{world['report.txt']}"
    log_in(team, "analyst")
    page = team.get(report).text
    assert [href for href, _ in mentions(page)] == [f"/units/{world['unit']}",
                                                    f"/entities/{world['person']}"]
    assert f"/entities/{world['witness']}" not in page
    assert 'title="Samir Haddad"' not in page
    assert '<mark class="mention-span kind-person" data-kind="person">Samir Haddad</mark>' in page
    log_in(team, "investigator")
    assert (f"/entities/{world['witness']}", "Samir Haddad") in mentions(team.get(report).text)
