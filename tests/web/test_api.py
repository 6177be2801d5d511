"""The JSON API through HTTP, on a real workspace (SQLite and PostgreSQL)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from dossier.cases.casefile import add_charge, add_suspect, create_case
from dossier.ingest.pipeline import IngestOptions, ingest
from dossier.registry.entities import add_entity
from dossier.web import create_app

with warnings.catch_warnings():
    # Starlette would rather have its `httpx2` fork; httpx is what Dossier installs, and the
    # suite turns warnings into errors.
    warnings.filterwarnings("ignore", category=StarletteDeprecationWarning, message=".*httpx2")
    from fastapi.testclient import TestClient

ARABIC = "أمر اعتقال صادر عن الفرع ٢٥١\nرئيس الفرع العميد كريم نصار\n"
ENGLISH = "Detainee list of Branch 251.\nTransferred to the military hospital.\n"
TORTURE = ("rome", "7-1-f", "28-a")


@pytest.fixture
def world(workspace: Any, tmp_path: Path) -> dict[str, int]:
    leak = tmp_path / "leak"
    leak.mkdir()
    (leak / "order.txt").write_text(ARABIC, encoding="utf-8")
    (leak / "list.txt").write_text(ENGLISH, encoding="utf-8")
    (leak / "note.txt").write_text("A note about the weather.\n", encoding="utf-8")
    ingest(workspace, IngestOptions(collection="leak", paths=[leak], workers=1))
    with workspace.engine.begin() as conn:
        person = add_entity(conn, "person", "Karim Nassar", names=["كريم نصار"])
        unit = add_entity(conn, "unit", "Branch 251", unit_type="branch")
    create_case(workspace.engine, "koblenz-251", "The head of Branch 251", "A synthetic case")
    add_suspect(workspace.engine, "koblenz-251", "Karim Nassar")
    add_charge(workspace.engine, "koblenz-251", "Karim Nassar", *TORTURE)
    return {"person": person, "unit": unit}


@pytest.fixture
def client(workspace: Any, world: dict[str, int]) -> Iterator[TestClient]:
    with TestClient(create_app(workspace.root)) as client:
        yield client


def _item_id(client: TestClient, name: str) -> int:
    listed = client.get("/api/v1/items", params={"limit": 200}).json()["items"]
    return next(item["id"] for item in listed if item["path"].endswith(name))


def test_a_search_in_arabic_finds_the_page_with_its_snippet(client: TestClient) -> None:
    response = client.get("/api/v1/search", params={"q": "كريم نصار"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    hit = body["items"][0]
    assert hit["path"].endswith("order.txt") and hit["page"] == 1
    assert "<mark>كريم</mark>" in hit["snippet"] and "<mark>نصار</mark>" in hit["snippet"]
    assert hit["item"] == _item_id(client, "order.txt")


def test_search_filters_and_bad_queries(client: TestClient) -> None:
    assert client.get("/api/v1/search", params={"q": "branch", "lang": "ar"}).json()["total"] == 0
    english = client.get("/api/v1/search", params={"q": "branch", "lang": "en"}).json()
    assert [hit["path"].rsplit("/", 1)[-1] for hit in english["items"]] == ["list.txt"]
    bad = client.get("/api/v1/search", params={"q": '"unclosed'})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "bad_request"


def test_an_item_and_its_page(client: TestClient) -> None:
    item_id = _item_id(client, "order.txt")
    item = client.get(f"/api/v1/items/{item_id}").json()
    assert item["collection"] == "leak" and item["pages"] == 1 and item["type"] == "text"
    assert item["near_duplicates"] == []
    page = client.get(f"/api/v1/items/{item_id}/pages/1").json()
    assert page["text"].startswith("أمر اعتقال") and page["method"] == "text"
    assert "mentions" in page
    custody = client.get(f"/api/v1/items/{item_id}/custody").json()["events"]
    assert custody and all(event["item"] == item_id for event in custody)


def test_what_does_not_exist_is_a_404_with_a_json_error(client: TestClient) -> None:
    item_id = _item_id(client, "order.txt")
    for path, message in [("/api/v1/items/9999", "no item 9999"),
                          (f"/api/v1/items/{item_id}/pages/7", f"item {item_id} has no page 7"),
                          ("/api/v1/entities/9999", "no entity 9999"),
                          ("/api/v1/cases/nowhere", "no case 'nowhere'"),
                          ("/api/v1/no-such-route", "Not Found")]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"
        assert response.json()["error"]["message"].startswith(message)


@pytest.mark.parametrize("limit", [0, 1000, -1])
def test_pagination_out_of_bounds_is_refused(client: TestClient, limit: int) -> None:
    response = client.get("/api/v1/items", params={"limit": limit})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and "limit" in error["message"]


def test_pagination_pages_through_the_items(client: TestClient) -> None:
    first = client.get("/api/v1/items", params={"limit": 2}).json()
    second = client.get("/api/v1/items", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] == 3
    assert (first["limit"], first["offset"], second["offset"]) == (2, 0, 2)
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert len(set(ids)) == 3


def test_security_headers_on_answers_and_errors(client: TestClient) -> None:
    for response in (client.get("/api/v1/cases"), client.get("/api/v1/items/9999"),
                     client.get("/api/v1/items", params={"limit": 0})):
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"


def test_entities_profile_claims_and_command(client: TestClient, world: dict[str, int]) -> None:
    persons = client.get("/api/v1/entities", params={"kind": "person"}).json()
    assert [e["name"] for e in persons["items"]] == ["Karim Nassar"]
    by_name = client.get("/api/v1/entities", params={"q": "كريم نصار"}).json()
    assert by_name["items"][0]["id"] == world["person"]
    profile = client.get(f"/api/v1/entities/{world['person']}").json()
    assert {n["name"] for n in profile["names"]} >= {"Karim Nassar", "كريم نصار"}
    claims = client.get(f"/api/v1/entities/{world['person']}/claims").json()
    assert claims == {"entity": world["person"], "claims": []}
    who = client.get("/api/v1/command/who", params={"unit": "251", "on": "2012-05-01"})
    assert who.json() == {"unit": world["unit"], "on": "2012-05-01", "holders": []}
    assert client.get("/api/v1/command/who", params={"unit": "251", "on": "May"}
                      ).status_code == 422


def test_cases_the_case_file_and_its_matrix(client: TestClient) -> None:
    listed = client.get("/api/v1/cases").json()
    assert listed["total"] == 1 and listed["items"][0]["ref"] == "koblenz-251"
    assert listed["items"][0]["gaps"] > 0
    case = client.get("/api/v1/cases/koblenz-251").json()
    assert [s["name"] for s in case["suspects"]] == ["Karim Nassar"]
    matrix = client.get("/api/v1/cases/koblenz-251/matrix").json()
    assert matrix["case"] == "koblenz-251" and matrix["summary"]["gap"] > 0
    stats = client.get("/api/v1/proceedings/stats").json()
    assert stats["groups"] == [] and stats["total"]["opened"] == 0
    bad = client.get("/api/v1/proceedings/stats", params={"by": "colour"})
    assert bad.status_code == 400 and "unknown breakdown" in bad.json()["error"]["message"]


def test_verify_reports_an_intact_workspace(client: TestClient) -> None:
    report = client.post("/api/v1/verify").json()
    assert report["ok"] is True and report["originals"] == 3 and report["problems"] == []


def test_the_openapi_schema_lists_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths) == {
        "/api/v1/search", "/api/v1/items", "/api/v1/items/{item_id}",
        "/api/v1/items/{item_id}/pages/{number}", "/api/v1/items/{item_id}/custody",
        "/api/v1/entities", "/api/v1/entities/{entity_id}",
        "/api/v1/entities/{entity_id}/claims", "/api/v1/command/who", "/api/v1/cases",
        "/api/v1/cases/{ref}", "/api/v1/cases/{ref}/matrix", "/api/v1/proceedings/stats",
        "/api/v1/verify",
        "/api/v1/cases/{ref}/evidence", "/api/v1/cases/{ref}/export",
        "/api/v1/cases/{ref}/bundles", "/api/v1/cases/{ref}/verify",
        "/api/v1/victims/stats", "/api/v1/victims/estimate", "/api/v1/victims/export.csv",
        "/api/v1/review/resolution", "/api/v1/review/linkage", "/api/v1/judgements",
        "/api/v1/admin/users", "/api/v1/admin/users/role", "/api/v1/admin/users/language",
        "/api/v1/admin/users/password", "/api/v1/admin/users/active", "/api/v1/admin/roles",
        "/api/v1/admin/grants", "/api/v1/admin/audit", "/api/v1/admin/audit.csv",
        "/api/v1/admin/audit/check"}
    assert "post" in paths["/api/v1/verify"]
