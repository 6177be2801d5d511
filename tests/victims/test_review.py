"""The review queue, a person's judgement overriding the model, and the commands."""

from __future__ import annotations

import json
from typing import Any

import typer
from sqlalchemy import select
from typer.testing import CliRunner

from dossier.cli import common
from dossier.cli.linkage_cmd import judge, link, review, show
from dossier.registry.judgements import record_judgement, victim_record_ref
from dossier.store.schema import victim_links
from dossier.victims.linkage import link_records
from dossier.victims.review import judge as judge_pair
from dossier.victims.review import review_queue

from .test_linkage_support import make_lists, make_people


def _links(workspace: Any) -> dict[int, int]:
    with workspace.engine.connect() as conn:
        return dict(conn.execute(select(victim_links.c.record_id, victim_links.c.victim_id)).all())


def _machine(conn: Any, a: int, b: int, verdict: str, score: float) -> None:
    record_judgement(conn, victim_record_ref(a), victim_record_ref(b), verdict,
                     author="dossier linkage run 1", origin="machine", score=score)


def test_the_queue_holds_unjudged_pairs_in_the_band_nearest_the_threshold_first(
        workspace: Any) -> None:
    ids = sorted(make_lists(workspace, make_people(4), lists=2, coverage=1.0, noisy=False))
    with workspace.engine.begin() as conn:
        _machine(conn, ids[0], ids[4], "same", 0.99)  # sure: not in the band
        _machine(conn, ids[1], ids[5], "same", 0.85)
        _machine(conn, ids[2], ids[6], "unsure", 0.72)
        _machine(conn, ids[3], ids[7], "unsure", 0.35)
        _machine(conn, ids[0], ids[1], "unsure", 0.5)
        record_judgement(conn, victim_record_ref(ids[0]), victim_record_ref(ids[1]),
                         "not_same", author="analyst")  # judged: out of the queue
        queue = review_queue(conn)
    assert [(item.left["id"], item.right["id"]) for item in queue] == [
        (ids[2], ids[6]), (ids[1], ids[5]), (ids[3], ids[7])]
    first = queue[0]
    assert first.verdict == "unsure" and first.score == 0.72
    assert first.left["list"] == "list-1" and first.right["list"] == "list-2"
    assert first.name_features and 0 <= first.name_score <= 1
    assert json.dumps(first.as_dict(), default=str)


def test_a_person_overrides_the_model_and_a_rerun_keeps_it(workspace: Any) -> None:
    truth = make_lists(workspace, make_people(40, seed=21), lists=2, coverage=0.8, seed=4)
    link_records(workspace)
    links = _links(workspace)
    a, b = next((x, y) for x in sorted(truth) for y in sorted(truth)
                if x < y and links[x] == links[y])
    c, d = next((x, y) for x in sorted(truth) for y in sorted(truth)
                if x < y and links[x] != links[y])
    with workspace.engine.begin() as conn:
        judge_pair(conn, a, b, "not_same", author="analyst", reason="different mothers")
        _judgement, counts = judge_pair(conn, c, d, "same", author="analyst",
                                        reason="same photo")
    links = _links(workspace)
    assert links[a] != links[b] and links[c] == links[d]
    assert counts.victims == len(set(links.values()))
    link_records(workspace)  # the model runs again: the persons' judgements still hold
    links = _links(workspace)
    assert links[a] != links[b] and links[c] == links[d]


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("link")(link)
    app.command("review")(review)
    app.command("judge")(judge)
    app.command("show")(show)
    return app


def test_the_commands_link_review_judge_and_show(tmp_path: Any, monkeypatch: Any) -> None:
    from dossier.workspace import Workspace

    workspace = Workspace.init(tmp_path / "ws")
    truth = make_lists(workspace, make_people(30, seed=5), lists=2, coverage=0.8, seed=6)
    workspace.close()
    monkeypatch.setattr(common.state, "workspace_path", tmp_path / "ws")
    runner, app = CliRunner(), _app()

    result = runner.invoke(app, ["link", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["records"] == len(truth) and report["victims"] >= len(set(truth.values())) - 2

    result = runner.invoke(app, ["review", "--json"])
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout), list)

    first, second = sorted(truth)[:2]
    result = runner.invoke(app, ["judge", str(first), str(second), "same", "--reason", "photo"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["show", str(second), "--json"])
    shown = json.loads(result.stdout)
    assert shown["id"] == first and first in [r["id"] for r in shown["records"]]
    assert shown["lists"] == ["list-1"] or "list-1" in shown["lists"]
    result = runner.invoke(app, ["show", str(first)])
    assert result.exit_code == 0 and f"victim {first}" in result.stdout

    result = runner.invoke(app, ["judge", str(first), str(first), "same"])
    assert result.exit_code == 1 and "itself" in result.output
    result = runner.invoke(app, ["judge", str(first), str(second), "maybe"])
    assert result.exit_code == 1 and "unknown verdict" in result.output
    result = runner.invoke(app, ["link", "--backend", "oracle"])
    assert result.exit_code == 1 and "unknown backend" in result.output
