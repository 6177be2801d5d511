"""The registry pages through HTTP: the list and finding by name in either script, an entity's
profile (names in both scripts, posts as a timeline with their sources, documents by year,
the company as a graph, the claims), a unit's page (its hierarchy and who commanded it on a
date), protected persons and sealed collections kept from those who may not see them, views
audited, and the Arabic pages right to left (SQLite and PostgreSQL, local and team mode)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from tests.registry.helpers import add_item, add_mention, post
from tests.web.test_team import PASSWORD, ROLES, TestClient, audit_log, log_in  # noqa: F401

from dossier import accounts
from dossier.registry.claims import ClaimDraft, Source, add_claims
from dossier.registry.entities import add_entity
from dossier.web import create_app

ORDER = ("Order of 4 March 2011 by Jamil Hassan, head of Branch 251, to Omar Nasser; "
         "Witness W-9 was present.")
REPORT = "Report of 2012: Jamil Hassan inspected Branch 251."
SEALED = "Note of 2013: Jamil Hassan met Karim Haddad."


@pytest.fixture
def world(workspace: Any) -> dict[str, Any]:
    """Persons, a unit in a hierarchy, posts with sources, and mentions in two collections:
    "leak" (granted to every account) and "vault" (granted to none)."""
    with workspace.engine.begin() as conn:
        agency = add_entity(conn, "unit", "Military Intelligence", unit_type="agency",
                            names=["شعبة المخابرات العسكرية"])
        branch = add_entity(conn, "unit", "Branch 251", unit_type="branch", parent_id=agency,
                            names=["الفرع 251"])
        section = add_entity(conn, "unit", "Interrogation Section 251", unit_type="section",
                             parent_id=branch)
        jamil = add_entity(conn, "person", "Jamil Hassan", names=["جميل حسن"])
        samir = add_entity(conn, "person", "Samir Daher", names=["سمير ضاهر"])
        omar = add_entity(conn, "person", "Omar Nasser")
        witness = add_entity(conn, "person", "Witness W-9", protected=True)
        karim = add_entity(conn, "person", "Karim Haddad")
        order = add_item(conn, "leak/order.txt", [ORDER])
        report = add_item(conn, "leak/report.txt", ["Cover page", REPORT])
        sealed = add_item(conn, "vault/note.txt", [SEALED], collection_name="vault")
        post(conn, jamil, branch, valid_from="2010-01", valid_to="2012-06", status="accepted",
             item_id=order, page=1, quote="Jamil Hassan, head of Branch 251")
        post(conn, samir, branch, valid_from="2012-07", status="proposed", item_id=report,
             page=2, quote="Samir Daher took over Branch 251")
        post(conn, witness, branch, "officer", valid_from="2011", valid_to="2011",
             precision="within", item_id=order, page=1, quote="Witness W-9 was present")
        post(conn, jamil, branch, "deputy", valid_from="2009", valid_to="2009",
             precision="within", item_id=sealed, page=1, quote="deputy in 2009")
        add_claims(conn, [ClaimDraft(jamil, "has_rank", (Source(order, 1, "Brigadier"),),
                                     value="Brigadier", author="test")])
        add_mention(conn, order, 1, "4 March 2011", "date", value="2011-03-04")
        for text, entity, kind in (("Jamil Hassan", jamil, "person"),
                                   ("Branch 251", branch, "unit"),
                                   ("Omar Nasser", omar, "person"),
                                   ("Witness W-9", witness, "person")):
            add_mention(conn, order, 1, text, kind, entity_id=entity)
        add_mention(conn, report, 2, "2012", "date", value="2012")
        add_mention(conn, report, 2, "Jamil Hassan", "person", entity_id=jamil)
        add_mention(conn, report, 2, "Branch 251", "unit", entity_id=branch)
        add_mention(conn, sealed, 1, "2013", "date", value="2013")
        add_mention(conn, sealed, 1, "Jamil Hassan", "person", entity_id=jamil)
        add_mention(conn, sealed, 1, "Karim Haddad", "person", entity_id=karim)
        for role in ROLES:
            user = accounts.add_user(conn, role, PASSWORD, role)
            if role != "administrator":
                accounts.grant(conn, user, "leak", granted_by="test")
    return {"agency": agency, "branch": branch, "section": section, "jamil": jamil,
            "samir": samir, "omar": omar, "witness": witness, "karim": karim,
            "order": order, "report": report, "sealed": sealed}


@pytest.fixture
def local(workspace: Any, world: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(workspace.root), follow_redirects=False) as client:
        yield client


@pytest.fixture
def team(workspace: Any, world: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(workspace.root, team=True), follow_redirects=False) as client:
        yield client


def data(html: str, name: str) -> Any:
    """The JSON a page hands its script in <script type="application/json" id=name>."""
    found = re.search(rf'<script type="application/json" id="{name}">(.*?)</script>', html,
                      re.S)
    assert found, f"no data {name}"
    return json.loads(found.group(1))


def section(html: str, element_id: str) -> str:
    """The markup of the element with this id, up to its closing tag (no nesting of it)."""
    found = re.search(rf'<(\w+)[^>]* id="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert found, f"no #{element_id}"
    return found.group(2)


def test_the_list_finds_entities_by_a_name_in_either_script(
        local: TestClient, world: dict[str, Any]) -> None:
    everyone = local.get("/entities")
    assert everyone.status_code == 200
    assert "8 entities" in everyone.text
    found = local.get("/entities", params={"q": "جميل حسن"})
    assert found.status_code == 200
    assert f'href="/entities/{world["jamil"]}"' in found.text
    assert "Samir Daher" not in found.text
    latin = local.get("/entities", params={"q": "Jameel Hasan"})
    assert f'href="/entities/{world["jamil"]}"' in latin.text
    units = local.get("/entities", params={"kind": "unit"})
    assert f'href="/units/{world["branch"]}"' in units.text
    assert "Jamil Hassan" not in units.text and "3 entities" in units.text
    nothing = local.get("/entities", params={"q": "Zzyzx Qwerty"})
    assert "No entity bears a name like this one" in nothing.text


def test_the_profile_shows_names_posts_documents_company_and_claims(
        local: TestClient, world: dict[str, Any]) -> None:
    page = local.get(f"/entities/{world['jamil']}")
    assert page.status_code == 200
    html = page.text
    assert "جميل حسن" in section(html, "names-arabic")
    assert "Jamil Hassan" in section(html, "names-latin")
    timeline = section(html, "posts-timeline")
    assert "head · Branch 251 · 2010-01 – 2012-06" in timeline
    assert "deputy · Branch 251 · 2009" in timeline
    posts = section(html, "posts-table")
    assert f'href="/items/{world["order"]}?page=1"' in posts
    assert "Jamil Hassan, head of Branch 251" in posts
    assert f'href="/units/{world["branch"]}"' in posts
    chart = data(html, "years-data")
    assert dict(zip(chart["labels"], chart["counts"], strict=True)) == {
        "2011": 1, "2012": 1, "2013": 1}
    assert '<canvas id="years-chart"' in html and "/static/vendor/chart.js" in html
    years = section(html, "years-table")
    assert f'href="/items/{world["report"]}"' in years
    graph = data(html, "company-data")
    labels = {node["label"]: node["url"] for node in graph["nodes"]}
    assert labels["Omar Nasser"] == f"/entities/{world['omar']}"
    assert labels["Branch 251"] == f"/units/{world['branch']}"
    assert "Witness W-9" in labels and "Karim Haddad" in labels  # the local user sees all
    assert {"source": str(world["jamil"]), "target": str(world["omar"]), "weight": 1} in \
        graph["edges"]
    claims = section(html, "claims-table")
    assert "has the rank" in claims and "Brigadier" in claims
    assert "accepted" in claims and "proposed" in claims
    nobody = local.get(f"/entities/{world['karim']}")  # no post, no claim
    assert nobody.status_code == 200
    assert "No post is recorded" in nobody.text and "No claim is recorded" in nobody.text
    assert "posts-timeline" not in nobody.text


def test_a_unit_page_says_who_held_command_on_a_date_with_the_source(
        local: TestClient, world: dict[str, Any]) -> None:
    branch = world["branch"]
    picker = local.get(f"/units/{branch}")
    assert picker.status_code == 200
    assert '<form class="inline" id="command-date"' in picker.text
    assert 'type="date" name="on"' in picker.text
    assert "holders-table" not in picker.text
    hierarchy = section(picker.text, "hierarchy")
    assert f'href="/units/{world["agency"]}"' in hierarchy
    assert f'href="/units/{world["section"]}"' in section(picker.text, "children")
    history = section(picker.text, "history-table")
    assert "Jamil Hassan" in history and "Samir Daher" in history
    assert "head · Samir Daher · 2012-07 – …" in section(picker.text, "holders-timeline")
    in_2011 = local.get(f"/units/{branch}", params={"on": "2011-05-01"}).text
    holders = section(in_2011, "holders-table")
    assert f'href="/entities/{world["jamil"]}"' in holders
    assert "Samir Daher" not in holders
    assert f'href="/items/{world["order"]}?page=1"' in holders
    assert "Jamil Hassan, head of Branch 251" in holders
    in_2013 = section(local.get(f"/units/{branch}", params={"on": "2013-01-01"}).text,
                      "holders-table")
    assert "Samir Daher" in in_2013 and "Jamil Hassan" not in in_2013
    assert f'href="/items/{world["report"]}?page=2"' in in_2013
    bad = local.get(f"/units/{branch}", params={"on": "the spring"})
    assert bad.status_code == 200 and "is not a date" in bad.text
    person = local.get(f"/units/{world['jamil']}")
    assert person.status_code == 303 and person.headers["location"] == \
        f"/entities/{world['jamil']}"
    profile = local.get(f"/entities/{branch}").text
    assert f'id="unit-page-link" href="/units/{branch}"' in profile
    assert local.get("/units/999999").status_code == 404


def test_protected_persons_and_sealed_collections_stay_hidden_in_team_mode(
        team: TestClient, workspace: Any, world: dict[str, Any]) -> None:
    log_in(team, "analyst")  # no read_protected, and only "leak" is granted
    assert team.get(f"/entities/{world['witness']}").status_code == 404
    listed = team.get("/entities").text
    assert "7 entities" in listed and "Witness W-9" not in listed
    sought = team.get("/entities", params={"q": "Witness W-9"}).text
    assert f'href="/entities/{world["witness"]}"' not in sought and "0 entities" in sought
    html = team.get(f"/entities/{world['jamil']}").text
    labels = {node["label"] for node in data(html, "company-data")["nodes"]}
    assert "Omar Nasser" in labels
    assert "Witness W-9" not in labels and "Karim Haddad" not in labels  # protected; sealed
    assert "Witness W-9" not in html and "deputy in 2009" not in html
    assert "1 more in collections you may not read" in html
    assert data(html, "years-data")["labels"] == ["2011", "2012"]
    unit = team.get(f"/units/{world['branch']}", params={"on": "2011-06-01"}).text
    assert "Witness W-9" not in unit and "Jamil Hassan" in unit
    log_in(team, "investigator")  # read_protected
    html = team.get(f"/entities/{world['jamil']}").text
    assert "Witness W-9" in {node["label"] for node in data(html, "company-data")["nodes"]}
    assert team.get(f"/entities/{world['witness']}").status_code == 200
    assert "Witness W-9" in team.get(f"/units/{world['branch']}").text
    views = [(e.actor, e.target) for e in audit_log(workspace, "view_entity")]
    assert ("analyst", f"entity:{world['jamil']}") in views
    assert ("analyst", f"entity:{world['branch']}") in views
    assert ("investigator", f"entity:{world['witness']}") in views
    assert ("analyst", f"entity:{world['witness']}") not in views


def test_without_a_session_the_registry_pages_send_to_login(
        team: TestClient, world: dict[str, Any]) -> None:
    for path in ("/entities", f"/entities/{world['jamil']}", f"/units/{world['branch']}"):
        response = team.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith(
            "/login")


def test_the_arabic_profile_is_right_to_left(local: TestClient,
                                             world: dict[str, Any]) -> None:
    local.cookies.set("dossier_language", "ar")
    html = local.get(f"/entities/{world['jamil']}").text
    assert '<html lang="ar" dir="rtl">' in html
    assert "الأسماء" in html and "المناصب عبر الزمن" in html and "رئيس · Branch 251" in html
    # the timeline is mirrored: the earliest year is on the right
    ticks = re.findall(r'<text class="year" x="([\d.]+)"[^>]*>(\d{4})</text>', html)
    positions = {year: float(x) for x, year in ticks}
    assert positions[min(positions)] > positions[max(positions)]
    unit = local.get(f"/units/{world['branch']}").text
    assert 'dir="rtl"' in unit and "من تولى قيادتها" in unit
