"""`dossier case …`, run as a user runs it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.clirun import run as run_cli

from .test_casefile import build_world, element


def run(workspace, *args: str, code: int = 0) -> str:
    return run_cli(workspace, "case", *args, code=code)


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
    assert "supports" in out and "(source: ngo)" in out and "warning" not in out
    out = run(workspace, "evidence", "koblenz-999", "--charge", "1", "--element", pain,
              "--item", str(world["statement"]), "--page", "1", "--quote", "عذبه رئيس الفرع")
    assert "warning: the quote is not in the text of page 1 of item" in out
    run(workspace, "evidence", "koblenz-999", "--charge", "1", "--element", pain, "--item",
        str(world["order"]), "--page", "2", "--quote", "Head of Branch 999")
    run(workspace, "evidence", "koblenz-999", "--charge", "1", "--element", element("custody"),
        "--item", str(world["scan"]), "--region", "10,20,300,40", "--source", "witness 7")
    out = run(workspace, "evidence", "koblenz-999", "--charge", "1", "--element",
              element("attack"), "--item", str(world["list"]), "--contradicts")
    assert "contradicts" in out

    listed = json.loads(run(workspace, "list", "--json"))
    assert [(c["ref"], c["suspects"], c["charges"], c["evidence"]) for c in listed] == [
        ("koblenz-999", 1, 1, 5)]
    assert "koblenz-999" in run(workspace, "list")

    shown = json.loads(run(workspace, "show", "koblenz-999", "--json"))
    assert shown["suspects"][0]["name"] == "Karim Nassar"
    assert shown["evidence"][3]["region"] == {"x": 10, "y": 20, "width": 300, "height": 40}
    assert [e["quote_found"] for e in shown["evidence"]] == [True, False, True, None, None]
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
        output = run(workspace, *args, code=1)
        assert message in output, (args, output)


def test_a_broken_framework_file_stops_a_case_command_before_it_starts(
        workspace, monkeypatch) -> None:
    from dossier.cases import frameworks as framework_files

    def broken() -> None:
        raise framework_files.FrameworkError(
            "rome.yaml: offences.7-1-f.elements[2].kind: 'conduc' is not one of …")

    monkeypatch.setattr(framework_files, "frameworks", broken)
    refused = run(workspace, "create", "x", "--title", "T", code=1)
    assert "rome.yaml: offences.7-1-f.elements[2].kind" in refused
    run(workspace, "list", "--json", code=1)  # nothing was created by the refused command
    monkeypatch.undo()
    assert run(workspace, "list", "--json").strip() == "[]"
