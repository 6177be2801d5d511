"""The registry, resolve and command commands, run as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from tests.clirun import run

from dossier.registry.entities import add_entity

from .helpers import add_item, add_mention, post


@pytest.fixture
def registry(workspace):
    with workspace.engine.begin() as conn:
        agency = add_entity(conn, "unit", "General Intelligence", unit_type="agency")
        branch = add_entity(conn, "unit", "Branch 251", unit_type="branch", number=251,
                            parent_id=agency, names=["الفرع ٢٥١"])
        jamil = add_entity(conn, "person", "Jamil Hassan", names=["جميل حسن"])
        add_entity(conn, "person", "Jamil Haddad")
        fadi = add_entity(conn, "person", "Fadi Jaber")
        item = add_item(conn, "leak/order.txt", ["Order signed by Jamil Hassan, head of Branch "
                                                 "251, to Fadi Jaber. Samer Khatib, Samer "
                                                 "Khatib."])
        claim = post(conn, jamil, branch, valid_from="2012-03-04", valid_to="2012-03-04",
                     precision="within", item_id=item, page=1, quote="head of Branch 251")
        post(conn, fadi, branch, "interrogator", valid_from="2012", valid_to="2013")
        add_mention(conn, item, 1, "Jamil Hassan", "person")
        add_mention(conn, item, 1, "Samer Khatib", "person")
        add_mention(conn, item, 1, "Samer Khatib", "person")
    return {"agency": agency, "branch": branch, "jamil": jamil, "fadi": fadi, "claim": claim,
            "item": item}


def test_command_who_and_chain(workspace, registry) -> None:
    out = json.loads(run(workspace, "command", "who", "--unit", "الفرع ٢٥١", "--on",
                         "2012-03-04", "--json"))
    # the command posts by default: the interrogator is not a commander
    assert [(h["name"], h["role"], h["basis"]) for h in out["holders"]] == [
        ("Jamil Hassan", "head", "attested on 2012-03-04")]
    assert out["holders"][0]["claims"][0]["sources"][0]["quote"] == "head of Branch 251"
    table = run(workspace, "command", "who", "--unit", "251", "--on", "2012-03-04",
                "--role", "head")
    assert "Jamil Hassan" in table and "Fadi" not in table
    asked = json.loads(run(workspace, "command", "who", "--unit", "251", "--on", "2012-03-04",
                           "--role", "interrogator", "--role", "head", "--json"))
    assert [(h["name"], h["role"], h["basis"]) for h in asked["holders"]] == [
        ("Jamil Hassan", "head", "attested on 2012-03-04"),
        ("Fadi Jaber", "interrogator", "held the post from 2012 to 2013")]
    chain = json.loads(run(workspace, "command", "chain", "--person", "Fadi Jaber", "--on",
                           "2012-03-04", "--json"))
    assert chain["posts"][0]["superiors"][0]["holders"][0]["name"] == "Jamil Hassan"
    assert "interrogator of Branch 251" in run(workspace, "command", "chain", "--person",
                                               f"#{registry['fadi']}", "--on", "2012-03-04")
    assert "General Intelligence (#1) [hierarchy]" in run(
        workspace, "command", "chain", "--person", "Fadi Jaber", "--on", "2012-03-04")
    ambiguous = run(workspace, "command", "chain", "--person", "Jamil", "--on", "2012-03-04",
                    code=1)
    assert "not certain" in ambiguous and "Jamil Hassan" in ambiguous
    assert "Jamil Haddad" in ambiguous
    assert "not a date" in run(workspace, "command", "who", "--unit", "251", "--on",
                               "March 2012", code=1)


def test_ambiguous_names_list_the_candidates(workspace, registry) -> None:
    with workspace.engine.begin() as conn:
        add_entity(conn, "person", "Jameel Hasan")
    out = run(workspace, "profile", "Jamil Hassan", code=1)
    assert "ambiguous" in out and f"#{registry['jamil']}" in out


def test_registry_claims_review_import_export(workspace, registry, tmp_path: Path) -> None:
    claims = json.loads(run(workspace, "registry", "claims", "--entity", "جميل حسن", "--json"))
    assert [c["id"] for c in claims] == [registry["claim"]]
    assert "is now accepted" in run(workspace, "registry", "accept", str(registry["claim"]))
    run(workspace, "registry", "reject", str(registry["claim"]), "--reason", " ", code=1)
    assert "disputed" in run(workspace, "registry", "dispute", str(registry["claim"]),
                             "--reason", "stamp only")
    assert "disputed" in run(workspace, "registry", "claims", "--entity",
                             f"#{registry['jamil']}")
    out = tmp_path / "export.jsonl"
    run(workspace, "registry", "export", "--format", "ftm", "--out", str(out))
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5 + 2
    stdout = run(workspace, "registry", "export", "--format", "ftm")
    assert stdout.count('"schema"') == 7
    run(workspace, "registry", "export", "--format", "csv", "--out", str(tmp_path / "csv"))
    bad = tmp_path / "new.csv"
    bad.write_text("id,kind,name\nN1,person,Omar Nasser\nN2,ghost,Nobody\n", encoding="utf-8")
    report = run(workspace, "registry", "import", str(bad), code=1)
    assert "imported 1 entities" in report and "new.csv:3: kind" in report
    run(workspace, "registry", "import", str(tmp_path / "x.txt"), code=1)
    assert "added entity" in run(workspace, "registry", "add-entity", "unit", "Section 7",
                                 "--unit-type", "section", "--parent", "251")


def test_resolve_profile_and_screen(workspace, registry, tmp_path: Path) -> None:
    result = json.loads(run(workspace, "resolve", "run", "--json"))
    assert result["links"]["linked"] == 1 and result["candidates"]["created"] == 1
    [candidate] = json.loads(run(workspace, "resolve", "review", "--json"))
    assert candidate["label"] == "Samer Khatib" and len(candidate["mentions"]) == 2
    assert "Samer Khatib" in run(workspace, "resolve", "review")
    assert "accepted as entity" in run(workspace, "resolve", "accept", str(candidate["id"]))
    run(workspace, "resolve", "dismiss", str(candidate["id"]), code=1)
    assert "no open candidates" in run(workspace, "resolve", "review")
    merged = run(workspace, "resolve", "merge", "Fadi Jaber", "Samer Khatib", "--reason", "x")
    assert "same" in merged and "cluster" in merged
    assert "not same" in run(workspace, "resolve", "split", "Fadi Jaber", "Samer Khatib",
                             "--reason", "y")
    profile = json.loads(run(workspace, "profile", "Jamil Hassan", "--json"))
    assert profile["entity"]["id"] == registry["jamil"]
    assert profile["documents_by_year"][0]["items"] == [registry["item"]]
    assert "names: Jamil Hassan" in run(workspace, "profile", f"#{registry['jamil']}")
    suspects = tmp_path / "suspects.csv"
    suspects.write_text("name,date_of_birth\nJamil Hassan,\nNobody Known,\n", encoding="utf-8")
    screened = json.loads(run(workspace, "screen", str(suspects), "--json"))
    assert screened[0]["entities"][0]["entity"] == registry["jamil"]
    assert screened[0]["documents"][0]["mentions"] == 1
    rows = run(workspace, "screen", str(suspects), "--csv").splitlines()
    assert rows[0].startswith("name,date_of_birth") and len(rows) == 3
    assert "nothing found" in run(workspace, "screen", str(suspects))


def test_command_who_lists_only_command_posts_by_default(workspace) -> None:
    with workspace.engine.begin() as conn:
        branch = add_entity(conn, "unit", "Branch 251", unit_type="branch", number=251)
        head = add_entity(conn, "person", "Jamil Hassan")
        officer = add_entity(conn, "person", "Fadi Jaber")
        post(conn, head, branch, valid_from="2012", valid_to="2013")
        post(conn, officer, branch, "officer", valid_from="2012", valid_to="2013")
    table = run(workspace, "command", "who", "--unit", "251", "--on", "2012-06-01")
    assert "Jamil Hassan" in table and "Fadi Jaber" not in table
    assert "Fadi Jaber" in run(workspace, "command", "who", "--unit", "251", "--on",
                               "2012-06-01", "--role", "officer")


def test_command_who_survives_ftm_datetimes_and_refuses_vague_dates(workspace,
                                                                    tmp_path: Path) -> None:
    lines = [
        {"id": "u1", "schema": "Organization",
         "properties": {"name": ["Branch 251"], "classification": ["branch"]}},
        {"id": "p1", "schema": "Person", "properties": {"name": ["Jamil Hassan"]}},
        {"id": "p2", "schema": "Person", "properties": {"name": ["Fadi Jaber"]}},
        {"id": "e1", "schema": "Employment", "properties": {
            "employee": ["p1"], "employer": ["u1"], "role": ["head"],
            "startDate": ["2011-04-01T00:00:00"], "endDate": ["2013-01-31T12:00:00"]}},
        {"id": "e2", "schema": "Employment", "properties": {
            "employee": ["p2"], "employer": ["u1"], "role": ["head"],
            "startDate": ["spring 2011"]}},
    ]
    ftm = tmp_path / "registry.ftm"
    ftm.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    report = json.loads(run(workspace, "registry", "import", str(ftm), "--json", code=1))
    assert report["claims"] == 1
    [problem] = report["problems"]
    assert (problem["line"], problem["field"]) == (5, "startDate")
    assert "spring 2011" in problem["message"]
    # the unit imported without a number column is found by the number of its name
    out = json.loads(run(workspace, "command", "who", "--unit", "الفرع 251", "--on",
                         "2012-06-01", "--json"))
    [holder] = out["holders"]
    assert holder["name"] == "Jamil Hassan"
    assert holder["basis"] == "held the post from 2011-04-01 to 2013-01-31"


def test_command_who_reports_the_unit_error_not_the_facility_one(workspace) -> None:
    with workspace.engine.begin() as conn:
        add_entity(conn, "unit", "Branch 251", unit_type="branch", number=251)
        add_entity(conn, "unit", "Section 251", unit_type="section", number=251)
    ambiguous = run(workspace, "command", "who", "--unit", "251", "--on", "2012-06-01",
                    code=1)
    assert "Branch 251" in ambiguous and "Section 251" in ambiguous
    assert "give the id" in ambiguous and "no facility" not in ambiguous
    unknown = run(workspace, "command", "who", "--unit", "Branch 999", "--on", "2012-06-01",
                  code=1)
    assert "no unit named 'Branch 999'" in unknown


def test_screen_csv_comes_from_the_library(workspace, registry, tmp_path: Path) -> None:
    from dossier.registry.screen import ROW_COLUMNS

    suspects = tmp_path / "suspects.csv"
    suspects.write_text("name,date_of_birth\nJamil Hassan,\nNobody Known,\n",
                        encoding="utf-8")
    run(workspace, "resolve", "run")
    rows = list(csv.reader(io.StringIO(run(workspace, "screen", str(suspects), "--csv"))))
    assert tuple(rows[0]) == ROW_COLUMNS
    assert rows[1][:2] == ["Jamil Hassan", ""] and rows[1][4] == "leak/order.txt"
    assert rows[2] == ["Nobody Known", "", "[]", "", "", "", "", ""]
