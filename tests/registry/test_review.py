"""`dossier resolve review` walks the open candidates: each decision is kept at once, with who
made it and why; the store migrates to keep them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pytest
import typer
from alembic import command
from sqlalchemy import insert, select
from typer.testing import CliRunner

from dossier.cli import resolve_cmd
from dossier.cli.common import state
from dossier.registry.candidates import (
    CandidateError,
    choose_entity,
    cluster_unlinked,
    list_candidates,
    review_action,
    review_item,
)
from dossier.registry.entities import add_entity
from dossier.store.engine import make_engine, normalise_url, sqlite_url
from dossier.store.migrate import alembic_config, upgrade
from dossier.store.schema import candidates, entities, judgements, mentions
from dossier.workspace import utcnow

from .helpers import add_item, add_mention

runner = CliRunner()

# most mentioned first: six, five, four, three, two
NAMES = {"Samer Khatib": 6, "Jameel Hasan": 5, "Omar Nasser": 4, "Fadi Darwish": 3,
         "Karim Haddad": 2}


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(workspace: Annotated[Path, typer.Option("--workspace")]) -> None:
        state.workspace_path = workspace

    app.add_typer(resolve_cmd.app, name="resolve")
    return app


APP = _app()


def review(workspace, *args: str, answers: str | None = None) -> str:
    result = runner.invoke(APP, ["--workspace", str(workspace.root), "resolve", "review",
                                 *args], input=answers, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def pending(workspace):
    """Five candidates (none linked yet) and an existing person one of them is."""
    with workspace.engine.begin() as conn:
        jamil = add_entity(conn, "person", "Jamil Hassan", names=["جميل حسن"])
        texts = [f"Report {n}: the order went to {name} at the branch on that day."
                 for name, count in NAMES.items() for n in range(count)]
        item = add_item(conn, "leak/reports.txt", texts)
        page = 0
        found: dict[str, list[int]] = {}
        for name, count in NAMES.items():
            for _ in range(count):
                page += 1
                found.setdefault(name, []).append(add_mention(conn, item, page, name, "person"))
        assert cluster_unlinked(conn).created == len(NAMES)
        ids = {c.label: c.id for c in list_candidates(conn)}
    return {"jamil": jamil, "mentions": found, "candidates": ids}


def _linked(conn, mention_ids: list[int]) -> set[int | None]:
    return set(conn.scalars(select(mentions.c.entity_id).where(mentions.c.id.in_(mention_ids))))


def _judged(conn, mention_ids: list[int]) -> list[tuple[str, str, str, str]]:
    """(mention, entity, author, reason) of the judgements on the mentions."""
    refs = [f"m:{m}" for m in mention_ids]
    return [(row.right_ref, row.left_ref, row.author, row.reason) for row in conn.execute(
        select(judgements).where(judgements.c.right_ref.in_(refs), judgements.c.verdict == "same")
        .order_by(judgements.c.id))]


def test_a_review_item_shows_mentions_in_context_and_explained_matches(workspace,
                                                                         pending) -> None:
    with workspace.engine.connect() as conn:
        item = review_item(conn, pending["candidates"]["Jameel Hasan"], contexts=2)
        assert len(item.candidate.mentions) == 5 and len(item.mentions) == 2
        assert item.mentions[0].snippet == ("Report 0: the order went to [Jameel Hasan] at "
                                            "the branch on that day.")
        [match] = item.matches
        assert match.entity_id == pending["jamil"] and match.decision == "same"
        assert match.features and all("name" in f for f in match.features)
        assert choose_entity(conn, item, "1") == pending["jamil"]
        assert choose_entity(conn, item, f"#{pending['jamil']}") == pending["jamil"]
        assert choose_entity(conn, item, "جميل حسن") == pending["jamil"]
        with pytest.raises(CandidateError, match="no match numbered 2"):
            choose_entity(conn, item, "2")
        with pytest.raises(CandidateError, match="no person named"):
            choose_entity(conn, item, "Nobody Known")
    assert review_action(" N") == "new" and review_action("dismiss") == "dismiss"
    with pytest.raises(CandidateError, match="not an answer"):
        review_action("nope")


def test_the_walk_creates_links_dismisses_skips_and_quits(workspace, pending) -> None:
    c, m = pending["candidates"], pending["mentions"]
    out = review(workspace, answers="n\nl\n9\nl\n1\nx\nd\na detainee, not an officer\ns\nq\n")
    # what the reviewer was shown: most mentioned first, mentions in context, matches explained
    assert out.index("'Samer Khatib', 6 mentions") < out.index("'Jameel Hasan', 5 mentions")
    assert "leak/reports.txt" in out and "went to [Jameel Hasan] at" in out
    assert f"1. #{pending['jamil']} Jamil Hassan" in out
    assert "no match numbered 9" in out and "'x' is not an answer" in out
    assert "reviewed: 1 new, 1 linked, 1 dismissed, 1 skipped" in out
    author = workspace.actor
    with workspace.engine.connect() as conn:
        rows = {row.id: row for row in conn.execute(select(candidates))}
        # new person: an entity with the candidate's name, every mention linked and judged
        samer = rows[c["Samer Khatib"]]
        assert samer.status == "accepted" and samer.resolved_by == author
        assert conn.scalar(select(entities.c.name).where(entities.c.id == samer.entity_id)) == (
            "Samer Khatib")
        assert _linked(conn, m["Samer Khatib"]) == {samer.entity_id}
        judged = _judged(conn, m["Samer Khatib"])
        assert len(judged) == 6
        assert {(right, who) for _, right, who, _ in judged} == {
            (f"e:{samer.entity_id}", author)}
        assert all(reason == f"accepted candidate {samer.id}" for *_, reason in judged)
        # link to an existing person: no new entity, the mentions go to Jamil Hassan
        jameel = rows[c["Jameel Hasan"]]
        assert (jameel.status, jameel.entity_id, jameel.resolved_by) == (
            "accepted", pending["jamil"], author)
        assert _linked(conn, m["Jameel Hasan"]) == {pending["jamil"]}
        assert {right for _, right, _, _ in _judged(conn, m["Jameel Hasan"])} == {
            f"e:{pending['jamil']}"}
        # dismissed: who and why kept, mentions left alone, nothing judged
        omar = rows[c["Omar Nasser"]]
        assert (omar.status, omar.resolved_by, omar.reason) == (
            "dismissed", author, "a detainee, not an officer")
        assert _linked(conn, m["Omar Nasser"]) == {None} and _judged(conn, m["Omar Nasser"]) == []
        # skipped and quit: still open, untouched
        for name in ("Fadi Darwish", "Karim Haddad"):
            assert rows[c[name]].status == "open" and rows[c[name]].resolved_by is None
            assert _linked(conn, m[name]) == {None}
        assert conn.scalar(select(entities.c.id).where(entities.c.name == "Fadi Darwish")) is None

    dismissed = json.loads(review(workspace, "--json", "--status", "dismissed"))
    assert [(d["label"], d["resolved_by"], d["reason"]) for d in dismissed] == [
        ("Omar Nasser", author, "a detainee, not an officer")]
    accepted = review(workspace, "--status", "accepted")
    assert "Samer Khatib" in accepted and "Jameel Hasan" in accepted and author in accepted
    # the next walk starts with what is left; when the answers run out, it stops
    again = review(workspace, answers="s\n")
    assert "candidate 1 of 2: #" in again and "'Fadi Darwish'" in again
    assert "no more answers: stopped" in again


def test_without_answers_it_lists_as_before(workspace, pending) -> None:
    listed = review(workspace)
    assert "Samer Khatib" in listed and "walk them with" in listed and "[n]ew" not in listed
    assert review(workspace, "--list", answers="n\n") == listed
    with workspace.engine.connect() as conn:
        assert len(list_candidates(conn)) == len(NAMES)  # --list asked nothing, changed nothing
    assert [c["label"] for c in json.loads(review(workspace, "--json"))][:2] == [
        "Samer Khatib", "Jameel Hasan"]
    assert "no dismissed candidates" in review(workspace, "--status", "dismissed")
    result = runner.invoke(APP, ["--workspace", str(workspace.root), "resolve", "review",
                                 "--status", "closed"])
    assert result.exit_code == 1 and "unknown status" in result.output


def test_a_store_at_0002_is_upgraded_and_keeps_its_candidates(tmp_path: Path,
                                                              database_url: str | None) -> None:
    engine = make_engine(normalise_url(database_url) if database_url
                         else sqlite_url(tmp_path / "old.db"))
    try:
        command.upgrade(alembic_config(engine), "0002")
        now = utcnow()
        with engine.begin() as conn:
            conn.execute(insert(candidates).values(
                id=7, kind="person", key="samer khatib", label="Samer Khatib",
                status="dismissed", created_at=now, resolved_at=now))
        upgrade(engine)
        with engine.connect() as conn:
            [row] = conn.execute(select(candidates)).all()
            assert (row.id, row.label, row.status, row.reason, row.resolved_by) == (
                7, "Samer Khatib", "dismissed", None, None)
    finally:
        engine.dispose()
