"""Counting victims once: breakdowns on hand-made linked records, per-list counts, charts."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select
from typer.testing import CliRunner

from dossier.store.schema import linkage_runs, victim_links, victim_records
from dossier.victims.charts import write_charts
from dossier.victims.records import import_list
from dossier.victims.stats import age_group, parse_breakdowns, victim_stats

HEADER = "id,name,sex,age,birth,governorate,arrest,death,status,perpetrator\n"
LIST_A1 = "a1,محمد أحمد الحسن,ذكر,35,,دمشق,1/5/2012,10/1/2013,توفي تحت التعذيب,الفرع ٢١٥\n"
LIST_B = ("b1,Mohammad Ahmad al-Hassan,M,36,,Damascus,2012-05,2013,Died in detention,Branch 215\n"
          "b2,Fatima Omar,F,16,,Hama,2012,,Killed,\n"
          "b3,Omar Khaled,,,1950,Aleppo,2014-02-02,,Detained,\n")
LIST_A2 = "a2,فاطمة العمر,أنثى,16,,حمص,2012,,مختفي قسرياً,\n"
LIST_C = "c1,Fatima al-Omar,f,17,,Hama,2012,,,\n"


def _import(workspace: Any, tmp_path: Path, name: str, list_name: str, rows: str) -> None:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    import_list(workspace, path, list_name, {"id": "record_key", "birth": "birth_date",
                                             "arrest": "arrest_date", "death": "death_date"})


def _lists(workspace: Any, tmp_path: Path) -> dict[str, int]:
    """Lists A, B, C (imported in that order; A's second file after B), record key → id."""
    _import(workspace, tmp_path, "a1.csv", "A", LIST_A1)
    _import(workspace, tmp_path, "b.csv", "B", LIST_B)
    _import(workspace, tmp_path, "a2.csv", "A", LIST_A2)
    _import(workspace, tmp_path, "c.csv", "C", LIST_C)
    with workspace.engine.connect() as conn:
        return {row.record_key: row.id for row in conn.execute(
            select(victim_records.c.record_key, victim_records.c.id))}


def _link(workspace: Any, clusters: list[list[int]]) -> None:
    """What the linkage writes: each record → the lowest record id of its cluster."""
    now = datetime.now(UTC)
    with workspace.engine.begin() as conn:
        conn.execute(insert(victim_links), [{"record_id": record, "victim_id": min(cluster)}
                                            for cluster in clusters for record in cluster])
        conn.execute(insert(linkage_runs).values(
            backend="duckdb", settings="{}", records=sum(map(len, clusters)),
            victims=len(clusters), started_at=now, finished_at=now, author="test"))


@pytest.fixture
def linked(workspace: Any, tmp_path: Path) -> Any:
    ids = _lists(workspace, tmp_path)
    _link(workspace, [[ids["a1"], ids["b1"]], [ids["b2"], ids["a2"], ids["c1"]], [ids["b3"]]])
    return workspace


def _stats(workspace: Any, by: Any = None) -> Any:
    with workspace.engine.connect() as conn:
        return victim_stats(conn, parse_breakdowns(by))


def test_linked_victims_are_counted_once_with_every_breakdown(linked: Any) -> None:
    stats = _stats(linked)
    assert (stats.victims, stats.records) == (3, 6)
    assert stats.linkage["linked"] and stats.linkage["note"] == ""
    b = stats.breakdowns
    assert b["year"] == [("2012", 1), ("2013", 1), ("2014", 1)]  # of death, else of arrest
    assert dict(b["sex"]) == {"m": 1, "f": 1, "unknown": 1}
    assert b["sex"][-1] == ("unknown", 1)
    # 35 and 36: a tie, the earliest-imported list (A) gives 35; 2014 - 1950 = 64.
    assert b["age_group"] == [("child (<18)", 1), ("30-44", 1), ("60+", 1)]
    # Fatima: Hama twice (B, C) against Homs once (A, the earliest list): the majority wins.
    assert dict(b["governorate"]) == {"Damascus": 1, "Hama": 1, "Aleppo": 1}
    # Fatima: disappeared (A) against killed (B), C silent: a tie, A was imported first,
    # although B's record was imported before A's second file.
    assert dict(b["status"]) == {"died_in_detention": 1, "disappeared": 1, "detained": 1}
    assert b["perpetrator"] == [("الفرع 215", 1), ("unknown", 2)]
    for rows in b.values():
        assert sum(count for _, count in rows) == stats.victims


def test_per_list_counts_overlaps_and_capture_patterns(linked: Any) -> None:
    stats = _stats(linked, "sex")
    assert list(stats.breakdowns) == ["sex"]
    assert stats.lists == [
        {"name": "A", "organisation": None, "records": 2, "victims": 2, "only_here": 0},
        {"name": "B", "organisation": None, "records": 3, "victims": 3, "only_here": 1},
        {"name": "C", "organisation": None, "records": 1, "victims": 1, "only_here": 0},
    ]
    assert {(o["a"], o["b"]): o["victims"] for o in stats.overlaps} == {
        ("A", "B"): 2, ("A", "C"): 1, ("B", "C"): 1}
    assert stats.patterns == {"010": 1, "110": 1, "111": 1}


def test_without_linkage_each_record_counts_and_the_report_says_so(workspace: Any,
                                                                    tmp_path: Path) -> None:
    _lists(workspace, tmp_path)
    stats = _stats(workspace)
    assert stats.victims == stats.records == 6
    assert not stats.linkage["linked"]
    assert "linkage has not been run" in stats.linkage["note"]
    assert stats.notes == [stats.linkage["note"]]


def test_records_imported_after_the_linkage_are_counted_apart_and_flagged(
        linked: Any, tmp_path: Path) -> None:
    _import(linked, tmp_path, "c2.csv", "C", "c2,Samer Ali,m,30,,Homs,2015,,Detained,\n")
    stats = _stats(linked)
    assert stats.victims == 4
    assert stats.linkage["unlinked_records"] == 1
    assert "1 records imported since the last linkage" in stats.linkage["note"]


def test_perpetrators_the_registry_resolves_count_as_its_unit(workspace: Any,
                                                               tmp_path: Path) -> None:
    from dossier.registry.entities import add_entity

    with workspace.engine.begin() as conn:
        add_entity(conn, "unit", "Branch 215", unit_type="branch", number="215",
                   names=["الفرع ٢١٥", "branche 215"])
        add_entity(conn, "unit", "Branch 227", unit_type="branch", number="227")
    # unlinked, each record is a victim: the same branch written three ways, another branch,
    # a perpetrator the registry does not know, and texts that hold a unit's number but are
    # not its name
    others = ["a local militia", "Hospital 215", "الفرع 215 ثم الفرع 227"]
    _import(workspace, tmp_path, "p.csv", "P", "".join(
        f"p{n},Person {n},,,,,2012,,,{perpetrator}\n" for n, perpetrator in enumerate([
            "الفرع ٢١٥", "Branch 215", "branche  215", "Branch 227", *others])))

    assert dict(_stats(workspace, "perpetrator").breakdowns["perpetrator"]) == {
        "Branch 215": 3, "Branch 227": 1, **dict.fromkeys(others, 1)}


def test_age_groups() -> None:
    assert [age_group(a) for a in (None, 0, 17, 18, 29, 30, 44, 45, 59, 60, 90)] == [
        "unknown", "child (<18)", "child (<18)", "18-29", "18-29", "30-44", "30-44", "45-59",
        "45-59", "60+", "60+"]


def test_an_unknown_breakdown_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown breakdown"):
        parse_breakdowns("year,colour")


def test_charts_as_png_and_svg(linked: Any, tmp_path: Path) -> None:
    stats = _stats(linked)
    pngs = write_charts(stats, tmp_path / "charts", "png")
    assert [p.name for p in pngs] == [f"victims-by-{name}.png" for name in stats.breakdowns]
    for path in pngs:
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000
    (svg,) = write_charts(stats, tmp_path / "all.svg")
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "<svg" in text and text.rstrip().endswith("</svg>")
    assert "al-fr' 215" in text or "al-fr" in text  # the Arabic perpetrator, romanised


def test_the_stats_command(linked: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dossier.cli import victims_cmd
    from dossier.cli.common import state

    monkeypatch.setattr(state, "workspace_path", linked.root)
    runner = CliRunner()
    table = runner.invoke(victims_cmd.app, ["stats", "--by", "status,sex"])
    assert table.exit_code == 0, table.output
    assert "3 victims from 6 records" in table.output and "died_in_detention" in table.output
    as_json = runner.invoke(victims_cmd.app, ["stats", "--json"])
    data = json.loads(as_json.output)
    assert data["victims"] == 3
    assert {"value": "m", "victims": 1} in data["breakdowns"]["sex"]
    assert "linkage has not been run" not in as_json.output
    as_csv = runner.invoke(victims_cmd.app, ["stats", "--by", "year", "--csv"])
    assert as_csv.output.splitlines() == ["breakdown,value,victims", "total,,3", "year,2012,1",
                                          "year,2013,1", "year,2014,1"]
    charts = runner.invoke(victims_cmd.app, ["stats", "--by", "sex", "--png", "--svg",
                                             "--out", str(tmp_path / "out")])
    assert charts.exit_code == 0, charts.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "victims-by-sex.png", "victims-by-sex.svg"]
    bad = runner.invoke(victims_cmd.app, ["stats", "--by", "colour"])
    assert bad.exit_code == 1
