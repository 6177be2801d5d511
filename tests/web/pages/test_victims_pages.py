"""The victims page through HTTP: the counts and breakdowns the library gives, as charts and
tables; the CSV of the breakdown shown; the estimate, computed only when asked; who may export,
and the audit entry (SQLite and PostgreSQL, single-user and team mode)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from html import unescape as html_unescape
from pathlib import Path
from typing import Any

import pytest
from tests.web.test_team import TestClient, log_in, team_world  # noqa: F401

from dossier import accounts
from dossier.demo.victims import generate_lists
from dossier.victims.estimate import victims_estimate
from dossier.victims.linkage import link_records
from dossier.victims.mse import CAVEATS
from dossier.victims.records import import_list
from dossier.victims.stats import BREAKDOWNS, victim_stats
from dossier.web import create_app


def fill_victims(workspace: Any, folder: Path, seed: int = 11) -> dict[str, Any]:
    """Three synthetic lists of one synthetic population (dossier.demo), imported as received
    and linked; returns the demo's truth."""
    truth = generate_lists(folder, victims=260, lists=3, seed=seed)
    for entry in truth["lists"]:
        import_list(workspace, folder / entry["file"], entry["name"],
                    organisation=entry["organisation"])
    link_records(workspace)
    return truth


@pytest.fixture
def victims(workspace: Any, tmp_path: Path) -> dict[str, Any]:
    return fill_victims(workspace, tmp_path / "lists")


@pytest.fixture
def local(workspace: Any) -> Iterator[TestClient]:
    with TestClient(create_app(workspace.root), follow_redirects=False) as client:
        yield client


def figure(html: str, element_id: str) -> int:
    found = re.search(rf'id="{element_id}">([\d,]+)<', html)
    assert found, f"no #{element_id}"
    return int(found.group(1).replace(",", ""))


def section_of(html: str, element_id: str) -> str:
    found = re.search(rf'<table id="{element_id}">.*?</table>', html, re.S)
    assert found, f"no #{element_id}"
    return found.group(0)


def breakdown_table(html: str, name: str) -> list[tuple[str, int]]:
    table = re.search(rf'<table class="figures" data-breakdown="{name}">(.*?)</table>', html,
                      re.S)
    assert table, f"no table for {name}"
    return [(html_unescape(value), int(count.replace(",", ""))) for value, count in re.findall(
        r'<tr data-value="[^"]*"><td dir="auto">([^<]*)</td><td class="number">([\d,]+)</td>',
        table.group(1))]


def test_the_page_shows_the_library_counts_as_charts_and_tables(
        local: TestClient, workspace: Any, victims: dict[str, Any]) -> None:
    page = local.get("/victims")
    assert page.status_code == 200
    with workspace.engine.connect() as conn:
        stats = victim_stats(conn)
    html = page.text
    assert figure(html, "victims-total") == stats.victims
    assert figure(html, "records-total") == stats.records
    assert stats.linkage["linked"] and stats.victims < stats.records  # persons counted once
    for name in BREAKDOWNS:
        assert breakdown_table(html, name) == stats.breakdowns[name]
        assert f'<canvas data-breakdown="{name}"' in html
    assert '<script src="/static/vendor/chart.js"></script>' in html
    assert 'id="victims-data"' in html and "victims.js" in html
    for entry in stats.lists:
        assert f"<td dir=\"auto\">{entry['name']}</td>" in html
    assert 'id="estimate-form"' in html and 'id="estimate-result"' not in html
    assert 'id="export-csv" href="/victims/export.csv"' in html


def test_the_csv_exports_the_breakdown_shown(local: TestClient, workspace: Any,
                                             victims: dict[str, Any]) -> None:
    page = local.get("/victims", params={"by": "sex"}).text
    assert 'id="by-sex"' in page and 'id="by-year"' not in page
    link = re.search(r'id="export-csv" href="([^"]+)"', page)
    assert link and link.group(1) == "/victims/export.csv?by=sex"
    exported = local.get(link.group(1))
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    with workspace.engine.connect() as conn:
        stats = victim_stats(conn, ["sex"])
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == ["breakdown", "value", "victims"]
    assert rows[1] == ["total", "", str(stats.victims)]
    assert [(value, int(n)) for name, value, n in rows[2:]] == stats.breakdowns["sex"]
    assert all(name == "sex" for name, _, _ in rows[2:])
    everything = local.get("/victims/export.csv").text
    assert {row[0] for row in csv.reader(io.StringIO(everything))} == {
        "breakdown", "total", *BREAKDOWNS}
    assert local.get("/victims/export.csv", params={"by": "shoe_size"}).status_code == 400
    assert local.get("/victims", params={"by": "shoe_size"}).status_code == 400


def test_the_estimate_is_the_library_s_with_its_interval_and_caveats(
        local: TestClient, workspace: Any, victims: dict[str, Any]) -> None:
    asked = {"estimate": "1", "method": "loglinear", "seed": "5", "strata": "sex",
             "min_records": "40"}
    page = local.get("/victims", params=asked)
    assert page.status_code == 200
    html = page.text
    with workspace.engine.connect() as conn:
        report = victims_estimate(conn, ["sex"], "loglinear", 5, 40)
    total = report.total
    assert figure(html, "estimate-value") == total["estimate"]
    assert figure(html, "estimate-unrecorded") == total["estimate"] - total["recorded"]
    low, high = total["interval"]
    assert f'id="estimate-interval"><bdi dir="ltr">{low:,}–{high:,}</bdi>' in html
    shown = re.findall(r'<tr class="stratum" data-stratum="([^"]+)">', html)
    assert shown == [stratum.name for stratum in report.strata]
    for caveat in CAVEATS:
        assert caveat.replace("'", "&#39;") in html
    assert "seed 5" in html and "log-linear" in html
    again = local.get("/victims", params=asked).text  # the same seed, the same figures
    assert section_of(again, "estimate-table") == section_of(html, "estimate-table")
    blank = local.get("/victims", params={**asked, "seed": ""}).text
    assert re.search(r"seed \d+\.", blank)  # a seed is chosen and shown, to run it again
    wrong = local.get("/victims", params={**asked, "seed": "minus one"})
    assert wrong.status_code == 400 and "The seed must be a whole number" in wrong.text


def test_an_empty_workspace_says_how_to_import_and_estimates_nothing(
        local: TestClient) -> None:
    page = local.get("/victims")
    assert page.status_code == 200
    assert 'id="no-records"' in page.text and "dossier victims import" in page.text
    refused = local.get("/victims", params={"estimate": "1", "method": "dga", "seed": "1"})
    assert refused.status_code == 200
    assert 'id="estimate-refused"' in refused.text and "no victim records" in refused.text


def test_only_roles_that_export_get_the_csv_and_it_is_audited(
        workspace: Any, team_world: dict[str, Any], victims: dict[str, Any]) -> None:  # noqa: F811
    with TestClient(create_app(workspace.root, team=True), follow_redirects=False) as client:
        log_in(client, "reviewer")
        page = client.get("/victims")
        assert page.status_code == 200 and 'id="export-csv"' not in page.text
        assert client.get("/victims/export.csv").status_code == 403
        log_in(client, "analyst")
        page = client.get("/victims")
        assert 'id="export-csv"' in page.text
        assert client.get("/victims/export.csv", params={"by": "year"}).status_code == 200
        log_in(client, "read_only")
        reader = client.get("/victims")
        assert reader.status_code == 200 and 'id="export-csv"' not in reader.text
    with workspace.engine.connect() as conn:
        [entry] = list(accounts.entries(conn, action="export"))
    assert entry.actor == "analyst" and entry.target == "victims"
    assert entry.details["by"] == ["year"] and entry.details["format"] == "csv"


def test_the_arabic_page_is_right_to_left(local: TestClient, victims: dict[str, Any]) -> None:
    home = local.get("/victims").text
    token = re.search(r'name="csrf-token" content="([^"]*)"', home)
    assert token
    local.post("/language", data={"language": "ar", "csrf": token.group(1), "next": "/"})
    arabic = local.get("/victims").text
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "الضحايا الموثَّقون" in arabic and "تقدير غير الموثَّقين" in arabic
