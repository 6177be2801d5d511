"""`dossier mse TABLE.csv` and `dossier victims estimate` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from dossier.cli import common, mse_cmd

runner = CliRunner()

MADIGAN_YORK_CSV = "A,B,C,count\n1,0,0,60\n0,1,0,49\n1,1,0,4\n0,0,1,247\n1,0,1,112\n" \
                   "0,1,1,142\n1,1,1,12\n"


def app() -> typer.Typer:
    application = typer.Typer()
    mse_cmd.register(application)
    application.command("estimate")(mse_cmd.estimate)
    return application


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "my.csv"
    path.write_text(MADIGAN_YORK_CSV, encoding="utf-8")
    return path


def test_mse_json(table: Path) -> None:
    result = runner.invoke(app(), ["mse", str(table), "--method", "loglinear", "--json"])
    assert result.exit_code == 0, result.stderr
    value = json.loads(result.stdout)
    assert value["estimate"] == 731 and value["unrecorded"] == 105
    assert value["method"] == "loglinear" and value["model"]["formula"] == "[A][B][C][A:B]"
    assert len(value["interval"]) == 2 and value["lists"] == ["A", "B", "C"]
    assert value["caveats"]


def test_mse_for_people_with_seed(table: Path) -> None:
    args = ["mse", str(table), "--seed", "3", "--iterations", "2000"]
    first = runner.invoke(app(), args)
    assert first.exit_code == 0, first.stderr
    assert "626 people recorded by 3 lists" in first.stdout
    assert "method: lcmcr" in first.stdout
    assert "What this estimate can and cannot claim" in first.stdout
    assert runner.invoke(app(), args).stdout == first.stdout


def test_mse_prints_the_model_formula_as_written(tmp_path: Path) -> None:
    # lists named in lower case: the brackets of [rabita][monitor] are text, not markup
    path = tmp_path / "lower.csv"
    path.write_text(MADIGAN_YORK_CSV.replace("A,B,C", "rabita,monitor,archive"),
                    encoding="utf-8")
    result = runner.invoke(app(), ["mse", str(path), "--method", "loglinear"])
    assert result.exit_code == 0, result.stderr
    assert "  formula: [rabita][monitor][archive][rabita:monitor]\n" in result.stdout
    # the first competing model
    assert '"formula": "[rabita][monitor][archive][rabita:monitor][monitor:archive]"' \
        in result.stdout


def test_mse_bad_table_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("A,B,count\n1,0,5\n2,1,3\n", encoding="utf-8")
    result = runner.invoke(app(), ["mse", str(path)])
    assert result.exit_code == 1
    assert "line 3, column 'A'" in result.stderr


def test_mse_iterations_only_for_lcmcr(table: Path) -> None:
    result = runner.invoke(app(), ["mse", str(table), "--method", "dga", "--iterations", "500"])
    assert result.exit_code == 1
    assert "--iterations applies to --method lcmcr only" in result.stderr


def test_victims_estimate_without_records_fails_clearly(
        workspace, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(common.state, "workspace_path", workspace.root)
    result = runner.invoke(app(), ["estimate", "--method", "loglinear"])
    assert result.exit_code == 1
    assert "no victim records" in result.stderr
    result = runner.invoke(app(), ["estimate", "--strata", "colour"])
    assert result.exit_code == 1 and "unknown stratum colour" in result.stderr
