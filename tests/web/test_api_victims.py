"""The victims API through HTTP: the counts and breakdowns, the estimate with its method, seed
and strata, and the CSV export with its permission and audit entry (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.pages.test_victims_pages import fill_victims
from tests.web.test_team import TestClient, log_in, team_world  # noqa: F401

from dossier import accounts
from dossier.victims.estimate import victims_estimate
from dossier.victims.mse import CAVEATS
from dossier.victims.stats import victim_stats
from dossier.web import create_app


@pytest.fixture
def client(workspace: Any) -> Iterator[TestClient]:
    with TestClient(create_app(workspace.root)) as client:
        yield client


def test_stats_are_the_library_s_and_by_chooses_the_breakdowns(
        client: TestClient, workspace: Any, tmp_path: Path) -> None:
    empty = client.get("/api/v1/victims/stats")
    assert empty.status_code == 200 and empty.json()["victims"] == 0
    assert any("dossier victims import" in note for note in empty.json()["notes"])
    fill_victims(workspace, tmp_path / "lists")
    answer = client.get("/api/v1/victims/stats", params={"by": "year,sex"})
    assert answer.status_code == 200
    with workspace.engine.connect() as conn:
        assert answer.json() == victim_stats(conn, ["year", "sex"]).as_dict()
    assert set(answer.json()["breakdowns"]) == {"year", "sex"}
    bad = client.get("/api/v1/victims/stats", params={"by": "year,shoe_size"})
    assert bad.status_code == 400 and "shoe_size" in bad.json()["error"]["message"]


def test_the_estimate_takes_method_seed_and_strata(client: TestClient, workspace: Any,
                                                   tmp_path: Path) -> None:
    refused = client.get("/api/v1/victims/estimate", params={"method": "dga", "seed": 1})
    assert refused.status_code == 200
    assert "no victim records" in refused.json()["refused"]
    assert refused.json()["caveats"] == list(CAVEATS)
    fill_victims(workspace, tmp_path / "lists")
    asked = {"method": "dga", "seed": 7, "strata": "sex", "min_records": 30}
    answer = client.get("/api/v1/victims/estimate", params=asked)
    assert answer.status_code == 200
    body = answer.json()
    with workspace.engine.connect() as conn:
        report = victims_estimate(conn, ["sex"], "dga", 7, 30).as_dict()
    assert body["refused"] is None and body["total"] == report["total"]
    assert [s["stratum"] for s in body["strata"]] == [s["stratum"] for s in report["strata"]]
    assert body["caveats"] == list(CAVEATS) and body["method"] == "dga"
    total = body["table"]["total"]
    assert total["estimate"] == report["total"]["estimate"]
    assert total["unrecorded"] == report["total"]["estimate"] - report["total"]["recorded"]
    assert client.get("/api/v1/victims/estimate", params=asked).json()["total"] == body["total"]
    for wrong in ({"method": "guess"}, {"strata": "shoe_size"},
                  {"method": "dga", "iterations": 500}, {"seed": -1}):
        assert client.get("/api/v1/victims/estimate", params=wrong).status_code in (400, 422)


def test_the_csv_is_for_roles_that_export_and_is_audited(
        workspace: Any, team_world: dict[str, Any], tmp_path: Path) -> None:  # noqa: F811
    fill_victims(workspace, tmp_path / "lists")
    with TestClient(create_app(workspace.root, team=True)) as client:
        log_in(client, "read_only")
        assert client.get("/api/v1/victims/stats").status_code == 200
        refused = client.get("/api/v1/victims/export.csv")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
        log_in(client, "analyst")
        answer = client.get("/api/v1/victims/export.csv", params={"by": "status"})
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/csv")
    with workspace.engine.connect() as conn:
        stats = victim_stats(conn, ["status"])
        [entry] = list(accounts.entries(conn, action="export"))
    assert answer.text == stats.to_csv()
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert sum(int(n) for name, _, n in rows[2:]) == stats.victims == int(rows[1][2])
    assert entry.actor == "analyst" and entry.target == "victims"
    assert entry.details["by"] == ["status"]
