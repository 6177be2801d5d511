"""Running `dossier` in a test: the real command line, on the test's workspace."""

from __future__ import annotations

from typing import Any

from typer.testing import CliRunner

from dossier.cli.main import app

runner = CliRunner()


def run(workspace: Any, *args: str, code: int = 0, stdin: str | None = None) -> str:
    """`dossier --workspace ROOT ARGS…` (stdin piped when given): its output, once the exit
    code is the one expected."""
    result = runner.invoke(app, ["--workspace", str(workspace.root), *args], input=stdin,
                           env={"COLUMNS": "250"})
    assert result.exit_code == code, result.output
    return result.output
