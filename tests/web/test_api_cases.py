"""The cases API through HTTP: evidence added to an element, a bundle exported into the
workspace, listed and verified (and a tampered one caught), what each role may do and see, and
the audit entries (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.pages.test_case_board import (  # noqa: F401
    CASE,
    OPEN_QUOTE,
    SEALED_QUOTE,
    _tamper,
    board_world,
)
from tests.web.test_team import TestClient, log_in, team_world  # noqa: F401

from dossier import accounts
from dossier.export.case_bundles import case_exports
from dossier.web import create_app


@pytest.fixture
def client(workspace: Any, board_world: dict[str, Any]) -> Iterator[TestClient]:  # noqa: F811
    with TestClient(create_app(workspace.root, team=True)) as client:
        yield client


def entries(workspace: Any, action: str) -> list[accounts.AuditEntry]:
    with workspace.engine.connect() as conn:
        return list(accounts.entries(conn, action=action))


def cell_status(client: TestClient, charge: int, element: str) -> str:
    matrix = client.get(f"/api/v1/cases/{CASE}/matrix").json()
    [found] = [cell["status"] for c in matrix["charges"] if c["id"] == charge
               for cell in c["cells"] if cell["element"]["id"] == element]
    return str(found)


def test_evidence_is_linked_to_an_element_and_closes_its_gap(
        client: TestClient, workspace: Any, board_world: dict[str, Any]) -> None:  # noqa: F811
    csrf = log_in(client, "investigator")
    headers = {"X-CSRF-Token": csrf}
    charge = board_world["charge"]
    assert cell_status(client, charge, "28-a.commander") == "gap"
    body = {"charge": charge, "element": "28-a.commander", "item": board_world["open_item"],
            "page": 1, "quote": "Branch 251", "source": "the leak"}
    answer = client.post(f"/api/v1/cases/{CASE}/evidence", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    added = answer.json()
    assert added["status"] == "single_source" and added["evidence"]["author"] == "investigator"
    assert cell_status(client, charge, "28-a.commander") == "single_source"
    [change] = entries(workspace, "change")
    assert change.actor == "investigator" and change.details["evidence"] == \
        added["evidence"]["id"]
    wrong = client.post(f"/api/v1/cases/{CASE}/evidence", headers=headers,
                        json={**body, "element": "7-1-g-1.invasion"})
    assert wrong.status_code == 400 and "its elements" in wrong.json()["error"]["message"]
    sealed = client.post(f"/api/v1/cases/{CASE}/evidence", headers=headers,
                         json={**body, "item": board_world["sealed_item"]})
    assert sealed.status_code == 404
    assert client.post(f"/api/v1/cases/{CASE}/evidence", headers=headers,
                       json={"charge": charge}).status_code == 422
    log_in(client, "analyst")
    refused = client.post(f"/api/v1/cases/{CASE}/evidence", json=body,
                          headers={"X-CSRF-Token": log_in(client, "analyst")})
    assert refused.status_code == 403


def test_export_list_verify_and_a_tampered_bundle(
        client: TestClient, workspace: Any, tmp_path: Path) -> None:
    headers = {"X-CSRF-Token": log_in(client, "administrator")}
    assert client.get(f"/api/v1/cases/{CASE}/bundles").json()["bundles"] == []
    exported = client.post(f"/api/v1/cases/{CASE}/export", headers=headers)
    assert exported.status_code == 200, exported.text
    bundle = exported.json()
    path = case_exports(workspace, CASE) / bundle["name"]
    assert bundle["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert bundle["download"] == f"/cases/{CASE}/bundles/{bundle['name']}"
    assert "path" not in bundle and str(workspace.root) not in exported.text
    [listed] = client.get(f"/api/v1/cases/{CASE}/bundles").json()["bundles"]
    assert listed["name"] == bundle["name"] and listed["sha256"] == bundle["sha256"]
    assert listed["size"] == path.stat().st_size and listed["exported_by"] == "administrator"
    verified = client.post(f"/api/v1/cases/{CASE}/verify", json={"name": bundle["name"]},
                           headers=headers).json()
    assert verified["ok"] is True and verified["bundles"][0]["key_confirmed"] is True
    everything = client.post(f"/api/v1/cases/{CASE}/verify", headers=headers).json()
    assert [b["name"] for b in everything["bundles"]] == [bundle["name"]]
    altered = _tamper(path, tmp_path)
    caught = client.post(f"/api/v1/cases/{CASE}/verify", json={"name": bundle["name"]},
                         headers=headers).json()
    assert caught["ok"] is False
    problems = caught["bundles"][0]["problems"]
    assert any(p["kind"] == "payload" and altered in p["where"] for p in problems)
    assert any(p["kind"] == "custody" and "changed afterwards" in p["message"]
               for p in problems)
    missing = client.post(f"/api/v1/cases/{CASE}/verify", json={"name": "../dossier.db"},
                          headers=headers)
    assert missing.status_code == 404
    [export] = entries(workspace, "export")
    assert export.details["bundle"] == bundle["name"] and export.target == f"case:{CASE}"
    assert [v.details["ok"] for v in entries(workspace, "verify")] == [True, True, False]


def test_what_each_role_sees_of_a_case_and_may_do(
        client: TestClient, workspace: Any, board_world: dict[str, Any]) -> None:  # noqa: F811
    log_in(client, "administrator")
    full = client.get(f"/api/v1/cases/{CASE}").json()
    assert full["withheld"] == [] and len(full["suspects"]) == 2
    assert {p["ref"] for p in full["proceedings"]} == {"BE-2019-17", "DE-W7"}
    csrf = log_in(client, "investigator")
    seen = client.get(f"/api/v1/cases/{CASE}").json()
    withheld = [e for e in seen["evidence"] if e["withheld"]]
    assert len(withheld) == 1 and "quote" not in withheld[0] and "item_path" not in withheld[0]
    assert SEALED_QUOTE not in str(seen) and OPEN_QUOTE in str(seen)
    assert client.get(f"/api/v1/cases/{CASE}/matrix").json()["summary"] == \
        full["summary"]
    refused = client.post(f"/api/v1/cases/{CASE}/export", headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 403  # the bundle would hold what it may not read
    log_in(client, "analyst")
    seen = client.get(f"/api/v1/cases/{CASE}").json()
    assert [s["name"] for s in seen["suspects"]] == ["Karim Nassar"]
    assert [p["ref"] for p in seen["proceedings"]] == ["BE-2019-17"]
    assert "Witness W-7" not in client.get(f"/api/v1/cases/{CASE}/matrix").text
    [summary] = [c for c in client.get("/api/v1/cases").json()["items"] if c["ref"] == CASE]
    assert summary["suspects"] == 1 and summary["charges"] == 1
    csrf = log_in(client, "read_only")
    assert client.post(f"/api/v1/cases/{CASE}/export",
                       headers={"X-CSRF-Token": csrf}).status_code == 403
    assert client.post(f"/api/v1/cases/{CASE}/verify",
                       headers={"X-CSRF-Token": csrf}).status_code == 200
    assert entries(workspace, "export") == []
