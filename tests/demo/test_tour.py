"""`dossier demo` end to end: generate, ingest, search in Arabic and English, summarise."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dossier.cli.main import app


def test_the_demo_command_runs_the_whole_tour(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["demo", "--dir", str(tmp_path / "demo"), "--docs", "40",
                                 "--seed", "3"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Synthetic leak: 40 files" in out
    assert "Searches:" in out and "Try next:" in out
    truth = json.loads((tmp_path / "demo" / "truth.json").read_text(encoding="utf-8"))
    broken = [f for f in truth["files"] if f.get("broken")]

    workspace = str(tmp_path / "demo" / "workspace")
    status = json.loads(runner.invoke(app, ["-w", workspace, "status", "--json"]).stdout)
    assert status["items"] >= 40 - len([f for f in truth["files"] if f.get("duplicate_of")])
    assert status["pages"] == status["indexed_pages"] > 0
    assert len(status["failures"]) >= len(broken) > 0

    found = json.loads(runner.invoke(app, ["-w", workspace, "search", "الفرع", "--json"]).stdout)
    assert found["total"] > 0 and all(hit["path"].startswith("leak/") for hit in found["hits"])
    english = json.loads(runner.invoke(app, ["-w", workspace, "search", "SYNTHETIC", "--lang",
                                             "en", "--json"]).stdout)
    assert english["total"] > 0

    verified = runner.invoke(app, ["-w", workspace, "verify"])
    assert verified.exit_code == 0, verified.stdout


def test_the_tour_finds_who_headed_a_unit_from_the_documents_alone(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--dir", str(tmp_path / "demo"), "--docs", "60",
                                      "--seed", "3"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Registry: 4 facilities, 140 persons" in out
    assert "claims proposed" in out
    question = out.index("Who headed ")
    answer = out[question:out.index("Names across scripts:")]
    truth = answer.split("(the synthetic truth: ")[1].split(")")[0]
    holders = [line for line in answer.splitlines() if "(holder," in line]
    assert holders and holders[0].strip().startswith(truth)
    assert "/ " in out.split("Names across scripts:")[1] and ": same (" in out


def test_the_tour_ends_with_a_case_whose_bundle_verifies(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["demo", "--dir", str(tmp_path / "demo"), "--docs", "60",
                                 "--seed", "3"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Case demo-branch: suspect " in out
    assert "Verified offline: every hash, inclusion proof and the signature match" in out
    bundle = tmp_path / "demo" / "demo-branch.zip"
    checked = runner.invoke(app, ["bundle", "verify", str(bundle), "--json"])
    assert checked.exit_code == 0 and json.loads(checked.stdout)["ok"] is True

    workspace = str(tmp_path / "demo" / "workspace")
    listed = json.loads(runner.invoke(app, ["-w", workspace, "case", "list", "--json"]).stdout)
    assert [case["ref"] for case in listed] == ["demo-branch"]
    stats = json.loads(runner.invoke(app, ["-w", workspace, "proceedings", "stats",
                                           "--country", "BE", "--json"]).stdout)
    belgium = stats["groups"][0]
    assert (belgium["opened"], belgium["closed"], belgium["investigating_judge"]) == (27, 8, 4)
    # the demo records the suspect's residence in Germany, where universal jurisdiction applies
    suspect = out.split("jurisdictions '")[1].split("'")[0]
    assessed = json.loads(runner.invoke(app, ["-w", workspace, "jurisdictions", suspect,
                                              "--json"]).stdout)
    germany = next(c for c in assessed["countries"] if c["code"] == "DE")
    assert any(ground["status"] == "may_apply" for ground in germany["grounds"])
