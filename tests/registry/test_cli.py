"""The registry, resolve and command commands, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from dossier.cli import command_cmd, registry_cmd, resolve_cmd
from dossier.cli.common import state
from dossier.registry.entities import add_entity

from .helpers import add_item, add_mention, post

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(workspace: Annotated[Path, typer.Option("--workspace")]) -> None:
        state.workspace_path = workspace

    app.add_typer(registry_cmd.app, name="registry")
    app.add_typer(resolve_cmd.app, name="resolve")
    app.add_typer(command_cmd.app, name="command")
    registry_cmd.register(app)
    return app


APP = _app()


def run(workspace, *args: str, code: int = 0) -> str:
    result = runner.invoke(APP, ["--workspace", str(workspace.root), *args],
                           env={"COLUMNS": "250"})
    assert result.exit_code == code, result.output
    return result.output


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
    assert [(h["name"], h["role"], h["basis"]) for h in out["holders"]] == [
        ("Jamil Hassan", "head", "attested on 2012-03-04"),
        ("Fadi Jaber", "interrogator", "held the post from 2012 to 2013")]
    assert out["holders"][0]["claims"][0]["sources"][0]["quote"] == "head of Branch 251"
    table = run(workspace, "command", "who", "--unit", "251", "--on", "2012-03-04",
                "--role", "head")
    assert "Jamil Hassan" in table and "Fadi" not in table
    chain = json.loads(run(workspace, "command", "chain", "--person", "Fadi Jaber", "--on",
                           "2012-03-04", "--json"))
    assert chain["posts"][0]["superiors"][0]["holders"][0]["name"] == "Jamil Hassan"
    assert "interrogator of Branch 251" in run(workspace, "command", "chain", "--person",
                                               f"#{registry['fadi']}", "--on", "2012-03-04")
    assert "General Intelligence (#1) [hierarchy]" in run(
        workspace, "command", "chain", "--person", "Fadi Jaber", "--on", "2012-03-04")
    ambiguous = run(workspace, "command", "chain", "--person", "Jamil", "--on", "2012-03-04",
                    code=1)
    assert "no person named" in ambiguous or "ambiguous" in ambiguous
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
