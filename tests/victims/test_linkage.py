"""Record linkage on small synthetic lists with known truth: DuckDB always, Spark where it runs."""

from __future__ import annotations

import json
import os
import shutil
from typing import Any

import pytest
from sqlalchemy import select

from dossier.registry.judgements import judgements_of, record_judgement, victim_record_ref
from dossier.store.schema import linkage_runs, victim_links
from dossier.victims.clusters import victim, victim_lists_of
from dossier.victims.linkage import LinkageError, link_records
from dossier.victims.linkage_settings import LinkageSettings, derive_row

from .test_linkage_support import make_lists, make_people, pairwise_scores


def _victim_of(workspace: Any) -> dict[int, int]:
    with workspace.engine.connect() as conn:
        return dict(conn.execute(select(victim_links.c.record_id, victim_links.c.victim_id)).all())


def test_the_same_name_in_arabic_and_latin_gets_the_same_keys() -> None:
    arabic = derive_row({"id": 1, "list_id": 1, "given": "محمد", "father": "جميل",
                         "family": "الحسن", "death_date": "2013-05-02", "age": 30})
    latin = derive_row({"id": 2, "list_id": 2, "full_name": "Mohamed Jameel al-Hasan",
                        "death_date": "2013", "birth_date": "1983-01-09"})
    for column in ("given_key", "father_key", "family_key", "name_set"):
        assert arabic[column] == latin[column] is not None
    assert arabic["birth_year"] == latin["birth_year"] == 1983  # from the age at death
    assert arabic["death_day"] is not None and latin["death_day"] is None
    assert arabic["death_year"] == latin["death_year"] == 2013


def test_links_lists_with_known_truth(workspace: Any) -> None:
    people = make_people(150)
    truth = make_lists(workspace, people, lists=3, coverage=0.6)
    report = link_records(workspace)

    assert report.records == len(truth)
    victim_of = _victim_of(workspace)
    assert set(victim_of) == set(truth)  # every record belongs to a victim
    precision, recall = pairwise_scores(truth, victim_of)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    true_victims = len(set(truth.values()))
    assert abs(report.victims - true_victims) <= 0.03 * true_victims
    assert report.victims == len(set(victim_of.values()))

    with workspace.engine.connect() as conn:
        run = conn.execute(select(linkage_runs)).one()
        assert (run.records, run.victims, run.backend) == (len(truth), report.victims, "duckdb")
        assert json.loads(run.settings)["threshold"] == LinkageSettings().threshold
        machine = judgements_of(conn, prefix="v:")
        assert machine and all(j.origin == "machine" for j in machine)
        assert {j.verdict for j in machine} <= {"same", "unsure"}
        # a victim found in several lists shows each of them
        record = next(r for r, v in victim_of.items()
                      if sum(1 for other in victim_of.values() if other == v) >= 3)
        found = victim(conn, record)
        assert len(found.records) >= 3
        assert found.lists == victim_lists_of(conn, found.id)
        assert len(found.lists) >= 2 and all(name.startswith("list-") for name in found.lists)


def test_a_rerun_replaces_machine_judgements_and_keeps_human_ones(workspace: Any) -> None:
    truth = make_lists(workspace, make_people(60, seed=11), lists=2, coverage=0.7, seed=2)
    first = link_records(workspace)
    victim_of = _victim_of(workspace)
    a, b = next((x, y) for x in truth for y in truth
                if x < y and victim_of[x] == victim_of[y])
    with workspace.engine.begin() as conn:
        record_judgement(conn, victim_record_ref(a), victim_record_ref(b), "not_same",
                         author="analyst", reason="different mothers")
    second = link_records(workspace)

    with workspace.engine.connect() as conn:
        held = judgements_of(conn, prefix="v:")
    machine = [j for j in held if j.origin == "machine"]
    assert len(machine) == first.pairs_linked + first.pairs_unsure  # not doubled
    assert {j.author for j in machine} == {f"dossier linkage run {second.run_id}"}
    assert [j.author for j in held if j.origin == "human"] == ["analyst"]
    assert _victim_of(workspace)[a] != _victim_of(workspace)[b]  # the person's split stands
    assert second.victims == first.victims + 1


def test_a_rerun_gives_the_same_victims(tmp_path: Any) -> None:
    from dossier.workspace import Workspace

    workspace = Workspace.init(tmp_path / "ws")
    try:
        make_lists(workspace, make_people(80, seed=4), lists=3, coverage=0.5, seed=9)
        first = link_records(workspace)
        links = _victim_of(workspace)
        second = link_records(workspace)
        assert _victim_of(workspace) == links
        assert (second.pairs_linked, second.victims) == (first.pairs_linked, first.victims)
    finally:
        workspace.close()


def test_bad_backend_and_settings_are_refused(tmp_path: Any) -> None:
    from dossier.workspace import Workspace

    workspace = Workspace.init(tmp_path / "ws")
    try:
        with pytest.raises(LinkageError, match="unknown backend"):
            link_records(workspace, backend="oracle")
        with pytest.raises(LinkageError, match="threshold"):
            link_records(workspace, threshold=1.5)
        report = link_records(workspace)  # no records: nothing to link, still a run
        assert (report.records, report.victims, report.pairs_scored) == (0, 0, 0)
    finally:
        workspace.close()


def _spark_missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime for Spark"
    return None


@pytest.mark.slow
def test_spark_links_like_duckdb(tmp_path: Any) -> None:
    reason = _spark_missing()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the Spark test: {reason}")
        print(f"skipping the Spark backend: {reason}")
        pytest.skip(reason)
    from dossier.workspace import Workspace

    workspace = Workspace.init(tmp_path / "ws")
    try:
        truth = make_lists(workspace, make_people(60, seed=8), lists=2, coverage=0.7, seed=3)
        # trained on DuckDB: Spark runs training (many small jobs) slowly on one machine
        spark = link_records(workspace, backend="spark", train_backend="duckdb")
        spark_links = _victim_of(workspace)
        duckdb = link_records(workspace, backend="duckdb")
        precision, recall = pairwise_scores(truth, spark_links)
        assert precision >= 0.95 and recall >= 0.95, (precision, recall)
        assert spark.backend == "spark" and spark.records == len(truth)
        assert abs(spark.victims - duckdb.victims) <= 1
    finally:
        workspace.close()
