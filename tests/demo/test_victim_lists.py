"""The synthetic victim lists: deterministic, messy in the promised ways, and truthful."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from dossier.demo.victims import ERROR_KINDS, generate_lists
from dossier.store.schema import victim_lists, victim_records
from dossier.victims.records import import_list

VICTIMS = 400


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("lists")
    return out, generate_lists(out, victims=VICTIMS, seed=3)


def test_the_same_seed_writes_the_same_bytes(lists: tuple[Path, dict[str, Any]],
                                             tmp_path: Path) -> None:
    out, truth = lists
    generate_lists(tmp_path / "again", victims=VICTIMS, seed=3)
    generate_lists(tmp_path / "other", victims=VICTIMS, seed=4)
    names = sorted(p.name for p in out.iterdir())
    assert names == ["archive.csv", "monitor.xlsx", "observatoire.csv", "rabita.csv",
                     "truth.json"]
    for name in names:
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name
    assert (tmp_path / "other" / "rabita.csv").read_bytes() != (out / "rabita.csv").read_bytes()


def test_the_truth_is_consistent(lists: tuple[Path, dict[str, Any]]) -> None:
    _, truth = lists
    victims = {v["id"]: v for v in truth["victims"]}
    assert truth["total"] == len(victims) == VICTIMS
    recorded = {r["victim"] for r in truth["records"]}
    assert recorded <= set(victims)
    assert truth["recorded"] == len(recorded) and truth["total"] >= truth["recorded"]
    assert truth["unrecorded"] == truth["total"] - truth["recorded"] > 0
    assert sum(truth["capture_patterns"].values()) == truth["total"]
    for entry in truth["lists"]:
        mine = [r for r in truth["records"] if r["list"] == entry["name"]]
        assert [r["row"] for r in mine] == list(range(1, len(mine) + 1))
        assert entry["records"] == len(mine)
        assert entry["victims"] == len({r["victim"] for r in mine})
        assert entry["coverage"] == pytest.approx(entry["victims"] / truth["total"], abs=1e-4)
        assert len({r["record_id"] for r in mine}) == len(mine)  # the list's own ids
    for victim in truth["victims"]:
        assert victim["lists"] == sorted({r["list"] for r in truth["records"]
                                          if r["victim"] == victim["id"]})


def test_coverage_is_heterogeneous(lists: tuple[Path, dict[str, Any]]) -> None:
    _, truth = lists
    coverages = [entry["coverage"] for entry in truth["lists"]]
    assert max(coverages) - min(coverages) > 0.05
    rabita = next(e for e in truth["lists"] if e["name"] == "rabita")["coverage_by_governorate"]
    assert max(rabita.values()) > 2 * min(rabita.values())  # where it works, and elsewhere


def test_every_promised_kind_of_error_is_made(lists: tuple[Path, dict[str, Any]]) -> None:
    _, truth = lists
    made = Counter()
    for entry in truth["lists"]:
        made.update(entry["errors"])
    assert all(made[kind] > 0 for kind in ERROR_KINDS), made
    records = truth["records"]
    per_list = Counter((r["list"], r["victim"]) for r in records)
    assert any(count > 1 for count in per_list.values())  # a person twice in one list


def test_the_lists_are_written_in_their_own_ways(lists: tuple[Path, dict[str, Any]]) -> None:
    out, _ = lists
    rabita = (out / "rabita.csv").read_text(encoding="utf-8")
    assert rabita.startswith("الرقم,الاسم الكامل") and "ذكر" in rabita and "٢٠١" in rabita
    archive = (out / "archive.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        archive.decode("utf-8")
    assert archive.decode("cp1256").startswith("رقم السجل,الاسم,اسم الأب")
    observatoire = (out / "observatoire.csv").read_text(encoding="utf-8-sig")
    assert observatoire.startswith("N°;Nom complet;Sexe") and ";H;" in observatoire
    assert (out / "monitor.xlsx").read_bytes()[:4] == b"PK\x03\x04"


def test_the_lists_import_whole_and_read_back_to_the_truth(
        lists: tuple[Path, dict[str, Any]], workspace: Any) -> None:
    out, truth = lists
    problems = Counter()
    for entry in truth["lists"]:
        report = import_list(workspace, out / entry["file"], entry["name"],
                             organisation=entry["organisation"])
        assert report.imported == entry["records"]
        assert set(report.columns.values()) == set(entry["columns"])  # every header known
        problems.update(p.field for p in report.problems)
    # Only what the errors can make impossible: a death a few days "before" the arrest.
    assert set(problems) <= {"death_date"}
    victims = {v["id"]: v for v in truth["victims"]}
    by_row = {(r["list"], r["row"]): r for r in truth["records"]}
    with workspace.engine.connect() as conn:
        rows = conn.execute(select(victim_records, victim_lists.c.name).join(
            victim_lists, victim_lists.c.id == victim_records.c.list_id)).all()
    seen: Counter[str] = Counter()
    names_of: dict[str, set[str]] = {}
    for row in rows:
        expected = by_row[(row.name, row.row_number)]
        victim = victims[expected["victim"]]
        assert row.record_key == expected["record_id"]
        if row.governorate is not None:
            assert row.governorate == victim["governorate"]
        if row.sex is not None:
            assert row.sex == victim["sex"]
        if row.arrest_date is None:
            seen["missing arrest date"] += 1
        elif len(row.arrest_date) == 4:
            seen["year only"] += 1
            assert row.arrest_date == victim["arrest_date"][:4] or abs(
                int(row.arrest_date) - int(victim["arrest_date"][:4])) == 1
        elif row.arrest_date != victim["arrest_date"]:
            off = date.fromisoformat(row.arrest_date) - date.fromisoformat(victim["arrest_date"])
            assert 1 <= abs(off.days) <= 7
            seen["days off"] += 1
        names_of.setdefault(victim["id"], set()).add(row.full_name)
    assert seen["missing arrest date"] and seen["year only"] and seen["days off"]
    assert any(len(names) > 2 for names in names_of.values())  # spelled in several ways


def test_the_demo_victims_command(tmp_path: Path) -> None:
    from dossier.cli import demo_cmd

    result = CliRunner().invoke(demo_cmd.app, ["victims", str(tmp_path / "lists"),
                                               "--victims", "120", "--lists", "5", "--seed", "2"])
    assert result.exit_code == 0, result.output
    truth = json.loads((tmp_path / "lists" / "truth.json").read_text(encoding="utf-8"))
    assert truth["total"] == 120 and len(truth["lists"]) == 5
    assert "on no list" in result.output
