"""`dossier names match` and `dossier names variants` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dossier.cli.names_cmd import app

runner = CliRunner()


def test_match_two_names_json() -> None:
    result = runner.invoke(app, ["match", "أنور رسلان", "Anouar Rasslan", "--json"])
    assert result.exit_code == 0, result.stderr
    value = json.loads(result.stdout)
    assert value["decision"] == "same"
    assert value["a"] == "أنور رسلان" and value["b"] == "Anouar Rasslan"
    assert all(set(feature) == {"name", "weight", "detail"} for feature in value["features"])


def test_match_two_names_for_people() -> None:
    result = runner.invoke(app, ["match", "Mohammad Ali Hassan", "Mohammad Ahmad Hassan"])
    assert result.exit_code == 0
    assert result.stdout.startswith("different")
    assert "father_known_different" in result.stdout


def test_match_needs_two_names_or_pairs() -> None:
    result = runner.invoke(app, ["match", "Jamil Hassan"])
    assert result.exit_code == 1
    assert "two names" in result.stderr


def test_pairs_csv(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("a,b\nالعميد جميل حسن,J. Hassan\nJamil Hassan,Jamal Hassan\n",
                     encoding="utf-8")
    result = runner.invoke(app, ["match", "--pairs", str(pairs)])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["decision"] for row in rows] == ["same", "different"]
    assert set(rows[0]) == {"a", "b", "score", "decision", "features"}


def test_pairs_jsonl_with_bad_rows(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text('{"a": "Hassan, Jamil", "b": "جميل الحسن"}\n'
                     "not json\n"
                     '{"a": "Jamil Hassan"}\n'
                     '{"a": "Qassem Hamwi", "b": "Kassem HAMOUI"}\n', encoding="utf-8")
    result = runner.invoke(app, ["match", "--pairs", str(pairs)])
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["decision"] for row in rows] == ["same", "same"]
    assert f"{pairs}:2:" in result.stderr and f"{pairs}:3:" in result.stderr
    assert "2 bad row(s)" in result.stderr


def test_pairs_csv_with_a_bad_row_and_a_bad_header(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("a,b\nJamil Hassan,\nJamil Hassan,Jameel Hasan\n", encoding="utf-8")
    result = runner.invoke(app, ["match", "--pairs", str(pairs)])
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1
    assert f"{pairs}:2:" in result.stderr
    header = tmp_path / "header.csv"
    header.write_text("left,right\nx,y\n", encoding="utf-8")
    result = runner.invoke(app, ["match", "--pairs", str(header)])
    assert result.exit_code == 1 and "columns a and b" in result.stderr


def test_pairs_file_missing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["match", "--pairs", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1
    assert "nope.csv" in result.stderr


def test_variants(tmp_path: Path) -> None:
    result = runner.invoke(app, ["variants", "جميل حسن", "--json"])
    assert result.exit_code == 0
    value = json.loads(result.stdout)
    assert value["variants"][0] == "جميل حسن"
    assert "Jamil Hassan" in value["variants"] and "Jameel Hassan" in value["variants"]
    plain = runner.invoke(app, ["variants", "Jamil Hassan", "--limit", "3"])
    assert plain.stdout.splitlines()[0] == "Jamil Hassan" and len(plain.stdout.splitlines()) == 3


def test_match_says_when_a_name_has_nothing_to_compare() -> None:
    for names in (["", ""], ["", "Jamil Hassan"], ["Brig. Gen.", "Col."]):
        result = runner.invoke(app, ["match", *names])
        assert result.exit_code == 2, result.stdout
        assert "nothing to compare" in result.stderr and result.stdout == ""
