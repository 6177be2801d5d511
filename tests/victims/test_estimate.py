"""Estimates from linked victim records in the store, per stratum and in total."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from sqlalchemy import insert
from typer.testing import CliRunner

from dossier.cli import common, mse_cmd
from dossier.store.schema import victim_links, victim_lists, victim_records
from dossier.victims.estimate import Victim, estimate_strata, parse_strata, victims_estimate
from dossier.victims.mse import EstimationError

NOW = datetime(2024, 1, 1, tzinfo=UTC)
LISTS = ("NGO-A", "NGO-B", "NGO-C")
# governorate → (people, each list's capture probability there, year of death)
WORLD = {"Homs": (1500, (0.35, 0.25, 0.3), "2013"),
         "Aleppo": (1200, (0.15, 0.4, 0.2), "2014"),
         "Tartus": (30, (0.5, 0.5, 0.5), "2013")}


def fill(engine: Any, seed: int = 1, link: bool = True) -> dict[str, int]:
    """Insert the lists, one record per person per list (a few twice) and the links."""
    rng = np.random.default_rng(seed)
    records: list[dict[str, Any]] = []
    links: list[dict[str, int]] = []
    recorded: dict[str, int] = {}
    for governorate, (people, probabilities, year) in WORLD.items():
        captured = rng.random((people, len(LISTS))) < np.asarray(probabilities)
        recorded[governorate] = int(captured.any(axis=1).sum())
        for person in captured:
            ids = []
            for list_number, on in enumerate(person):
                copies = 2 if on and rng.random() < 0.05 else int(on)  # a list's duplicate
                for _ in range(copies):
                    record_id = len(records) + 1
                    ids.append(record_id)
                    records.append({
                        "id": record_id, "list_id": list_number + 1, "source_sha256": "0" * 64,
                        "row_number": record_id, "raw": "{}", "governorate": governorate,
                        "death_date": f"{year}-0{1 + record_id % 9}-1{record_id % 10}",
                        "sex": "m" if record_id % 3 else "f", "imported_at": NOW})
            links += [{"record_id": i, "victim_id": min(ids)} for i in ids]
    with engine.begin() as conn:
        conn.execute(insert(victim_lists), [
            {"id": i + 1, "name": name, "created_at": NOW} for i, name in enumerate(LISTS)])
        conn.execute(insert(victim_records), records)
        if link:
            conn.execute(insert(victim_links), links)
    return recorded


def test_strata_estimates_pool_refuse_and_add_up(workspace) -> None:  # type: ignore[no-untyped-def]
    recorded = fill(workspace.engine)
    with workspace.engine.connect() as conn:
        report = victims_estimate(conn, "governorate", "loglinear", seed=3, min_records=100)
    by_name = {s.name: s for s in report.strata}
    assert set(by_name) == {"Homs", "Aleppo", "other"}
    for governorate in ("Homs", "Aleppo"):
        stratum = by_name[governorate]
        assert stratum.recorded == recorded[governorate]  # duplicates within a list count once
        assert stratum.estimate is not None and stratum.lists == LISTS
        true_total = WORLD[governorate][0]
        assert stratum.estimate.interval[0] <= true_total <= stratum.estimate.interval[1]
    other = by_name["other"]
    assert other.estimate is None and "fewer than 100" in (other.refused or "")
    assert other.pooled and other.pooled[0].startswith("Tartus")
    total = report.total
    homs, aleppo = by_name["Homs"].estimate, by_name["Aleppo"].estimate
    assert homs is not None and aleppo is not None
    assert total["documented_without_estimate"] == recorded["Tartus"]
    assert total["estimate"] == round(homs.estimate + aleppo.estimate + recorded["Tartus"])
    low, high = total["interval"]
    assert low < total["estimate"] < high
    assert low <= 2730 <= high
    assert report.unstratified is not None
    assert report.unstratified.recorded == sum(recorded.values())
    assert any("without an estimate" in note for note in report.notes)
    json.dumps(report.as_dict())


def test_strata_by_year_and_reproducible(workspace) -> None:  # type: ignore[no-untyped-def]
    fill(workspace.engine, seed=2)
    with workspace.engine.connect() as conn:
        first = victims_estimate(conn, ["year"], "lcmcr", seed=5, min_records=50,
                                 iterations=1500)
        second = victims_estimate(conn, ["year"], "lcmcr", seed=5, min_records=50,
                                  iterations=1500)
    assert [s.name for s in first.strata] == ["2013", "2014"]
    assert first.as_dict() == second.as_dict()


def test_unstratified_only(workspace) -> None:  # type: ignore[no-untyped-def]
    fill(workspace.engine, seed=4)
    with workspace.engine.connect() as conn:
        report = victims_estimate(conn, None, "dga")
    assert report.strata == [] and report.unstratified is not None
    assert report.total["from"] == "unstratified"
    assert report.total["estimate"] == round(report.unstratified.estimate)
    # one estimate: its warnings are its own, not "every estimate"'s
    from dossier.victims.estimate_table import estimate_table

    remarks = estimate_table(report).remarks
    assert any(r.startswith("'unstratified': dga assumes") for r in remarks)
    assert not any(r.startswith("every estimate") for r in remarks)


def test_refuses_before_linkage(workspace) -> None:  # type: ignore[no-untyped-def]
    fill(workspace.engine, link=False)
    with workspace.engine.connect() as conn, pytest.raises(EstimationError,
                                                           match="linkage has not been run"):
        victims_estimate(conn, "governorate", "loglinear")


def test_strata_of_victims_from_outside_a_workspace(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dossier.demo.victims import generate_lists

    truth = generate_lists(tmp_path, victims=800, lists=3, seed=4)
    names = [entry["name"] for entry in truth["lists"]]
    victims = [Victim(frozenset(names.index(name) for name in person["lists"]),
                      {"status": person["status"]})
               for person in truth["victims"] if person["lists"]]
    report = estimate_strata(list(enumerate(names)), victims, "status", "loglinear", seed=1,
                             min_records=60)
    assert sum(stratum.recorded for stratum in report.strata) == truth["recorded"]
    estimated = [s.estimate for s in report.strata if s.estimate is not None]
    assert estimated and report.total["estimate"] == round(
        sum(e.estimate for e in estimated) + report.total["documented_without_estimate"])
    assert report.total["recorded"] == truth["recorded"] < report.total["estimate"]
    assert report.unstratified is not None and report.unstratified.recorded == truth["recorded"]


def test_parse_strata() -> None:
    assert parse_strata("year, governorate,year") == ["year", "governorate"]
    assert parse_strata(None) == [] and parse_strata("") == []
    with pytest.raises(EstimationError, match="unknown stratum perpetrator"):
        parse_strata("perpetrator")


def test_cli_estimate_json_and_table(workspace, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
                                     ) -> None:
    fill(workspace.engine)
    monkeypatch.setattr(common.state, "workspace_path", workspace.root)
    app = mse_cmd.typer.Typer()
    app.command("estimate")(mse_cmd.estimate)
    app.command("other")(lambda: None)
    runner = CliRunner()
    result = runner.invoke(app, ["estimate", "--strata", "governorate", "--method",
                                 "loglinear", "--seed", "1", "--json"])
    assert result.exit_code == 0, result.stderr
    value = json.loads(result.stdout)
    assert [s["stratum"] for s in value["strata"]] == ["Aleppo", "Homs", "other"]
    assert value["caveats"] and value["total"]["from"] == "sum of strata"
    result = runner.invoke(app, ["estimate", "--strata", "governorate", "--method",
                                 "loglinear", "--seed", "1"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("│ total ") for line in lines)
    assert any(line.startswith("│ unstratified ") for line in lines)
    assert "'other' pools: Tartus" in result.stdout
    assert "'other' refused: the pooled small strata hold" in result.stdout
    # what the method assumes is said once, not once per stratum
    assumed = [line for line in lines if "as likely to be recorded" in line]
    assert len(assumed) == 1 and assumed[0].startswith("every estimate: loglinear assumes")
