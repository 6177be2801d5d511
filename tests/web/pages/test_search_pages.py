"""The search page and the batch search page through HTTP, on a real workspace (SQLite and
PostgreSQL), for the local user and for team accounts."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from tests.web.test_team import PASSWORD, ROLES, TestClient, audit_log, log_in

from dossier import accounts
from dossier.ingest.pipeline import IngestOptions, ingest
from dossier.registry.entities import add_entity
from dossier.web import create_app

ARABIC = "أمر اعتقال صادر عن الفرع 251\nرئيس الفرع العميد كريم نصار\n"
ENGLISH = "Detainee list of Branch 251.\nSigned by Brigadier Karim Nassar.\n"
FRENCH = "Liste des détenus de la branche 251, transférés à l'hôpital militaire.\n"
HOSTILE = "Branch 251 note <script>alert('x')</script> & more.\n"


def _ingest(workspace: Any, folder: Path, collection: str, files: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    ingest(workspace, IngestOptions(collection=collection, paths=[folder], workers=1))


@pytest.fixture
def world(workspace: Any, tmp_path: Path) -> dict[str, Any]:
    """A leak in three languages, a second collection of 24 pages about detainees, a person
    known by an Arabic name, and a protected witness known by a kunya."""
    _ingest(workspace, tmp_path / "leak", "leak", {
        "order.txt": ARABIC, "list.txt": ENGLISH, "liste.txt": FRENCH, "hostile.txt": HOSTILE,
        "kunya.txt": "Report of the source Abu Khalil on the night transfer.\n"})
    _ingest(workspace, tmp_path / "registers", "registers", {
        f"register-{number:02d}.txt": f"Register {number}: detainee number {1000 + number}.\n"
        for number in range(24)})
    with workspace.engine.begin() as conn:
        person = add_entity(conn, "person", "Karim Nassar", names=["كريم نصار"])
        witness = add_entity(conn, "person", "Witness W-7", names=["Abu Khalil"],
                             protected=True)
    return {"person": person, "witness": witness}


@pytest.fixture
def client(workspace: Any, world: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(workspace.root)) as client:
        yield client


def hits(html: str) -> list[dict[str, str]]:
    """The hits of a results page: link, path shown and snippet HTML."""
    found = re.findall(r'<li class="hit">\s*<a class="hit-link" href="([^"]+)"[^>]*>([^<]*)</a>'
                       r'.*?<p class="snippet"[^>]*>(.*?)</p>', html, re.S)
    return [{"href": href, "path": path, "snippet": snippet} for href, path, snippet in found]


def csrf_of(html: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]*)">', html)
    assert found is not None
    return found.group(1)


def test_without_a_query_the_page_is_the_form_alone(client: TestClient) -> None:
    page = client.get("/search")
    assert page.status_code == 200
    assert 'id="search-form"' in page.text and 'name="q"' in page.text
    assert '<option value="leak">' in page.text and '<option value="registers">' in page.text
    assert 'class="hit"' not in page.text and 'id="search-total"' not in page.text


def test_hits_cite_their_page_and_link_to_the_reader_with_marked_snippets(
        client: TestClient) -> None:
    page = client.get("/search", params={"q": "Nassar"})
    assert page.status_code == 200
    [hit] = hits(page.text)
    assert hit["path"].endswith("list.txt")
    assert "<mark>Nassar</mark>" in hit["snippet"]
    url = urlparse(hit["href"])
    assert re.fullmatch(r"/items/\d+", url.path) and parse_qs(url.query) == {"page": ["1"]}
    opened = client.get(hit["href"])
    assert opened.status_code == 200 and "Signed by Brigadier Karim Nassar" in opened.text
    assert "1 matching pages for “Nassar”" in page.text


def test_an_arabic_query_in_arabic_digits_finds_western_digits(client: TestClient) -> None:
    page = client.get("/search", params={"q": "الفرع ٢٥١"})
    found = hits(page.text)
    assert [hit["path"].rsplit("/", 1)[-1] for hit in found] == ["order.txt"]
    assert "<mark>الفرع</mark>" in found[0]["snippet"] and "<mark>251</mark>" in found[0]["snippet"]


def test_filters_by_language_type_and_collection(client: TestClient) -> None:
    every = {hit["path"].rsplit("/", 1)[-1] for hit in hits(
        client.get("/search", params={"q": "251"}).text)}
    assert every == {"order.txt", "list.txt", "liste.txt", "hostile.txt"}
    arabic = client.get("/search", params={"q": "251", "lang": "ar"}).text
    assert [hit["path"].rsplit("/", 1)[-1] for hit in hits(arabic)] == ["order.txt"]
    assert '<option value="ar" selected>' in arabic  # the form keeps the filter
    assert hits(client.get("/search", params={"q": "251", "type": "pdf"}).text) == []
    registers = client.get("/search", params={"q": "detainee", "collection": "registers"}).text
    assert all("registers/" in hit["path"] for hit in hits(registers))
    assert '<option value="registers" selected>' in registers


def test_results_come_twenty_at_a_time_with_the_filters_kept(client: TestClient) -> None:
    first = client.get("/search", params={"q": "register", "collection": "registers"})
    assert len(hits(first.text)) == 20 and "24 matching pages" in first.text
    [following] = re.findall(r'<a rel="next" href="([^"]+)"', first.text)
    following = following.replace("&amp;", "&")
    assert parse_qs(urlparse(following).query) == {
        "q": ["register"], "collection": ["registers"], "offset": ["20"]}
    second = client.get(following)
    assert len(hits(second.text)) == 4 and 'rel="prev"' in second.text
    seen = {hit["href"] for hit in hits(first.text)} | {hit["href"] for hit in hits(second.text)}
    assert len(seen) == 24


def test_an_empty_result_and_a_bad_query_say_so(client: TestClient) -> None:
    empty = client.get("/search", params={"q": "zeppelin"})
    assert empty.status_code == 200 and hits(empty.text) == []
    assert "No page matches this query" in empty.text
    bad = client.get("/search", params={"q": '"unclosed phrase'})
    assert bad.status_code == 400
    assert 'id="search-error"' in bad.text and "This query cannot be searched" in bad.text
    assert 'value="&#34;unclosed phrase"' in bad.text  # the form keeps what was typed


def test_a_page_text_cannot_inject_markup_into_the_results(client: TestClient) -> None:
    page = client.get("/search", params={"q": "note"}).text
    [hit] = hits(page)
    assert "<script>" not in hit["snippet"] and "&lt;script&gt;" in hit["snippet"]


def test_the_search_page_is_in_arabic_right_to_left(client: TestClient) -> None:
    client.cookies.set("dossier_language", "ar")
    page = client.get("/search", params={"q": "Nassar"}).text
    assert '<html lang="ar" dir="rtl">' in page
    assert "عدد الصفحات المطابقة" in page and "كل المجموعات" in page


def test_batch_search_counts_every_spelling_and_links_the_top_documents(
        client: TestClient) -> None:
    form = client.get("/search/batch")
    assert form.status_code == 200 and '<textarea id="batch-names" name="names"' in form.text
    answer = client.post("/search/batch", data={
        "names": "Karim Nassar\n\nzeppelin\n", "csrf": csrf_of(form.text)})
    assert answer.status_code == 200
    rows = re.findall(r'<tr class="batch-row">(.*?)</tr>', answer.text, re.S)
    assert len(rows) == 2
    pages = re.findall(r'class="number pages">(\d+)<', answer.text)
    documents = re.findall(r'class="number documents">(\d+)<', answer.text)
    # "Karim Nassar" in English and "كريم نصار" (the registry's Arabic name) in Arabic
    assert pages == ["2", "0"] and documents == ["2", "0"]
    links = re.findall(r'<a class="hit-link" href="(/items/\d+\?page=1)"[^>]*>([^<]+)<', rows[0])
    assert {path.rsplit("/", 1)[-1] for _, path in links} == {"list.txt", "order.txt"}
    assert "كريم نصار" in rows[0] and "not found" in rows[1]


def test_batch_search_as_csv(client: TestClient) -> None:
    token = csrf_of(client.get("/search/batch").text)
    answer = client.post("/search/batch", data={"names": "Karim Nassar\nBranch 251",
                                                "csrf": token, "format": "csv"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(row["name"], row["pages"], row["documents"]) for row in rows] == [
        ("Karim Nassar", "2", "2"), ("Branch 251", "2", "2")]
    assert "list.txt" in rows[0]["top_documents"]


def test_batch_search_refuses_an_empty_list_and_a_missing_token(client: TestClient) -> None:
    token = csrf_of(client.get("/search/batch").text)
    empty = client.post("/search/batch", data={"names": "  \n# a comment\n", "csrf": token})
    assert empty.status_code == 400 and "The list is empty" in empty.text
    assert client.post("/search/batch", data={"names": "Karim Nassar"}).status_code == 403


# --- team mode ------------------------------------------------------------------------------


@pytest.fixture
def team(workspace: Any, world: dict[str, Any]) -> Iterator[TestClient]:
    """Accounts for every role; all but the administrator are granted "leak" only."""
    with workspace.engine.begin() as conn:
        for role in ROLES:
            user = accounts.add_user(conn, role, PASSWORD, role)
            if role != "administrator":
                accounts.grant(conn, user, "leak", granted_by="test")
    with TestClient(create_app(workspace.root, team=True)) as client:
        yield client


def test_in_team_mode_a_search_needs_a_session(team: TestClient) -> None:
    answer = team.get("/search", params={"q": "detainee"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")


def test_in_team_mode_only_granted_collections_are_searched_and_searches_are_audited(
        team: TestClient, workspace: Any) -> None:
    log_in(team, "analyst")
    page = team.get("/search", params={"q": "detainee"}).text
    assert {hit["path"].split("/", 1)[0] for hit in hits(page)} == {"leak"}
    assert '<option value="registers">' not in page
    asked = team.get("/search", params={"q": "register", "collection": "registers"}).text
    assert hits(asked) == [] and "0 matching pages" in asked
    log_in(team, "administrator")
    everything = team.get("/search", params={"q": "detainee"}).text
    assert "registers" in {hit["path"].split("/", 1)[0] for hit in hits(everything)}
    searches = audit_log(workspace, "search")
    assert [(entry.actor, entry.details["query"], entry.details["collection"])
            for entry in searches] == [("analyst", "detainee", None),
                                       ("analyst", "register", "registers"),
                                       ("administrator", "detainee", None)]
    assert searches[1].details["total"] == 0 and searches[2].details["total"] == 25


def test_in_team_mode_batch_search_keeps_to_grants_and_protected_persons(
        team: TestClient, workspace: Any) -> None:
    csrf = log_in(team, "analyst")  # may not see protected persons
    answer = team.post("/search/batch", data={"names": "Witness W-7\nregister", "csrf": csrf})
    assert answer.status_code == 200
    assert re.findall(r'class="number pages">(\d+)<', answer.text) == ["0", "0"]
    assert "Abu Khalil" not in answer.text  # the witness's other name is not shown or used
    csrf = log_in(team, "investigator")  # may see them
    answer = team.post("/search/batch", data={"names": "Witness W-7", "csrf": csrf})
    assert re.findall(r'class="number pages">(\d+)<', answer.text) == ["1"]
    assert "Abu Khalil" in answer.text and "kunya.txt" in answer.text
    forged = team.post("/search/batch", data={"names": "Witness W-7", "csrf": "forged"})
    assert forged.status_code == 403
    batches = [entry for entry in audit_log(workspace, "search") if "batch" in entry.details]
    assert [(entry.actor, entry.details["batch"]) for entry in batches] == [
        ("analyst", ["Witness W-7", "register"]), ("investigator", ["Witness W-7"])]
