"""`dossier case …`, run as a user runs it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from dossier.cli import case_cmd
from dossier.cli.common import state

from .test_casefile import build_world, element

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(workspace: Annotated[Path, typer.Option("--workspace")]) -> None:
        state.workspace_path = workspace

    case_cmd.register(app)
    return app


APP = _app()


def run(workspace, *args: str, code: int = 0) -> str:
    result = runner.invoke(APP, ["--workspace", str(workspace.root), "case", *args],
                           env={"COLUMNS": "250"})
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def world(workspace) -> dict[str, int]:
    return build_world(workspace)


def test_a_case_from_the_command_line(workspace, world, tmp_path: Path) -> None:
    assert "no cases yet" in run(workspace, "list")
    run(workspace, "create", "koblenz-999", "--title", "The head of Branch 999",
        "--description", "A synthetic case")
    assert "suspect #" in run(workspace, "suspect", "koblenz-999", "كريم نصار", "--note", "head")
    out = run(workspace, "charge", "koblenz-999", "Karim Nassar", "--framework", "rome",
              "--offence", "7-1-f", "--mode", "28-a")
    assert out.startswith("charge 1: Crime against humanity of torture")
    pain = element("severe-pain")
    out = run(workspace, "evidence", "koblenz-999", "--charge", "1", "--element", pain,
              "--item", str(world["statement"]), "--page", "1", "--quote", "تعرض للتعذيب",
              "--assessment", "credible")
    assert "supports" in out and "(source: ngo)" in out
    run(workspace, "evidence", "koblenz-999", "--charge", "1", "--element", pain, "--item",
        str(world["order"]), "--page", "2", "--quote", "Head of Branch 999")
    run(workspace, "evidence", "koblenz-999", "--charge", "1", "--element", element("custody"),
        "--item", str(world["scan"]), "--region", "10,20,300,40", "--source", "witness 7")
    out = run(workspace, "evidence", "koblenz-999", "--charge", "1", "--element",
              element("attack"), "--item", str(world["list"]), "--contradicts")
    assert "contradicts" in out

    listed = json.loads(run(workspace, "list", "--json"))
    assert [(c["ref"], c["suspects"], c["charges"], c["evidence"]) for c in listed] == [
        ("koblenz-999", 1, 1, 4)]
    assert "koblenz-999" in run(workspace, "list")

    shown = json.loads(run(workspace, "show", "koblenz-999", "--json"))
    assert shown["suspects"][0]["name"] == "Karim Nassar"
    assert shown["evidence"][2]["region"] == {"x": 10, "y": 20, "width": 300, "height": 40}
    text = run(workspace, "show", "koblenz-999")
    assert "The head of Branch 999" in text and "Karim Nassar" in text and "witness 7" in text

    matrix = json.loads(run(workspace, "matrix", "koblenz-999", "--json"))
    cells = {c["element"]["id"]: c["status"] for c in matrix["charges"][0]["cells"]}
    assert cells[pain] == "proven" and cells[element("custody")] == "single_source"
    assert cells[element("attack")] == "contradicted"
    table = run(workspace, "matrix", "koblenz-999")
    assert "proven by 2 independent sources" in table and "gap: no evidence" in table
    assert "1 proven, 1 single source, 1 contradicted" in table
    page = run(workspace, "matrix", "koblenz-999", "--html")
    assert page.startswith("<!DOCTYPE html>")
    assert re.search(r'<q dir="auto"[^>]*>تعرض للتعذيب</q>', page)

    out_file = tmp_path / "matrix.html"
    assert "wrote" in run(workspace, "matrix", "koblenz-999", "--html", "--out", str(out_file))
    assert '<table class="proof-matrix"' in out_file.read_text(encoding="utf-8")
    text_file = tmp_path / "matrix.txt"
    run(workspace, "matrix", "koblenz-999", "--out", str(text_file))
    assert "gap: no evidence" in text_file.read_text(encoding="utf-8")


def test_mistakes_exit_with_a_clear_message(workspace, world) -> None:
    run(workspace, "create", "koblenz-999", "--title", "T")
    cases = [
        (("create", "koblenz-999", "--title", "again"), "exists already"),
        (("show", "nope"), "no case 'nope'"),
        (("matrix", "nope"), "no case 'nope'"),
        (("suspect", "koblenz-999", "Ziad Khoury"), "ambiguous"),
        (("suspect", "koblenz-999", f"#{world['branch']}"), "not a person"),
        (("charge", "koblenz-999", "Karim Nassar", "--framework", "rome", "--offence", "7-1-f",
          "--mode", "28-a"), "not a suspect"),
        (("evidence", "koblenz-999", "--charge", "1", "--element", "x", "--item", "1"),
         "no charge 1"),
        (("matrix", "koblenz-999", "--json", "--html"), "choose one"),
        (("matrix", "koblenz-999", "--html", "--out", "/nonexistent-folder/m.html"),
         "the folder /nonexistent-folder does not exist"),
    ]
    for args, message in cases:
        result = runner.invoke(APP, ["--workspace", str(workspace.root), "case", *args],
                               env={"COLUMNS": "250"})
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, (args, result.output)


def test_a_broken_framework_file_stops_a_case_command_before_it_starts(
        workspace, monkeypatch) -> None:
    from dossier.cases import frameworks as framework_files

    def broken() -> None:
        raise framework_files.FrameworkError(
            "rome.yaml: offences.7-1-f.elements[2].kind: 'conduc' is not one of …")

    monkeypatch.setattr(framework_files, "frameworks", broken)
    result = runner.invoke(APP, ["--workspace", str(workspace.root), "case", "create", "x",
                                 "--title", "T"], env={"COLUMNS": "250"})
    assert result.exit_code == 1
    assert "rome.yaml: offences.7-1-f.elements[2].kind" in result.output
    listed = runner.invoke(APP, ["--workspace", str(workspace.root), "case", "list", "--json"])
    assert listed.exit_code == 1  # nothing was created by the refused command
    monkeypatch.undo()
    assert runner.invoke(APP, ["--workspace", str(workspace.root), "case", "list",
                               "--json"]).stdout.strip() == "[]"
