"""`dossier extract` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from dossier.cli import extract_cmd
from dossier.cli.common import state
from dossier.ingest.pipeline import IngestOptions, ingest
from dossier.registry.entities import add_entity

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Dossier."""

    extract_cmd.register(app)
    return app


def test_extract_prints_counts_and_claims(workspace, tmp_path: Path, monkeypatch) -> None:
    with workspace.engine.begin() as conn:
        add_entity(conn, "unit", "Branch 251", unit_type="branch", number="251")
        add_entity(conn, "person", "Jamil Hassan", names=["جميل حسن"])
    leak = tmp_path / "leak"
    leak.mkdir()
    (leak / "order.txt").write_text("الفرع ٢٥١\nالتاريخ: ٤ آذار ٢٠١٢\nرئيس الفرع\n"
                                    "العميد جميل حسن\n", encoding="utf-8")
    ingest(workspace, IngestOptions(collection="leak", paths=[leak], workers=1))
    monkeypatch.setattr(state, "workspace_path", workspace.root)
    app = _app()

    result = runner.invoke(app, ["extract", "--collection", "leak", "-q"])
    assert result.exit_code == 0, result.output
    assert "extracted 1 pages" in result.stdout
    assert "1 person" in result.stdout and "1 unit" in result.stdout
    assert "claims proposed: 2 new" in result.stdout  # the post and the rank

    result = runner.invoke(app, ["extract", "--json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["pages"] == 0 and report["claims_new"] == 0  # nothing new to do

    result = runner.invoke(app, ["extract", "--collection", "nope"])
    assert result.exit_code == 1 and "no collection named 'nope'" in result.stderr
