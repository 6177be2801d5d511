"""The command line as a user runs it: exit codes, JSON shapes, messages."""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy import update
from typer.testing import CliRunner

from dossier.cli.main import app
from dossier.store.schema import custody_events

from ..pipeline.files import write_corpus

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_init_ingest_search_status_custody_verify(workspace, tmp_path: Path) -> None:
    root = str(workspace.root)
    write_corpus(tmp_path / "leak")
    code, out, err = run("-w", root, "ingest", str(tmp_path / "leak"), "--collection", "leak",
                         "--acquired-from", "a defector", "--workers", "2")
    assert code == 0, err
    assert "failed" in out and "retry-failed" in out

    code, out, _ = run("-w", root, "search", "الفرع 251", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["query"] == "الفرع 251" and result["total"] == 1
    hit = result["hits"][0]
    assert set(hit) >= {"item", "path", "page", "score", "snippet"}
    assert hit["path"] == "leak/gid/251/order.txt" and hit["page"] == 1
    assert "<mark>" in hit["snippet"]

    code, out, _ = run("-w", root, "search", "Saydnaya", "--lang", "fr", "--json")
    assert json.loads(out)["total"] == 0
    code, out, _ = run("-w", root, "search", "Saydnaya", "--lang", "en", "--json")
    assert json.loads(out)["total"] == 1

    code, out, err = run("-w", root, "search", "--", "-torture")
    assert code != 0 and "bad query" in err

    code, out, _ = run("-w", root, "status", "--json")
    status = json.loads(out)
    assert status["items"] > 5 and status["failures"]
    assert status["custody_head"]["signed_seq"] == status["custody_head"]["seq"]

    code, out, _ = run("-w", root, "custody", "log", "--item", "1", "--json")
    events = json.loads(out)
    assert [event["action"] for event in events][:2] == ["acquired", "derived"]

    code, out, _ = run("-w", root, "verify")
    assert code == 0 and "everything matches" in out

    with workspace.engine.begin() as conn:
        conn.execute(update(custody_events).where(custody_events.c.seq == 2)
                     .values(actor="someone else"))
    code, out, _ = run("-w", root, "verify", "--json")
    assert code == 1
    problems = json.loads(out)["problems"]
    assert {k: problems[0][k] for k in ("kind", "where")} == {"kind": "custody", "where": "event 2"}


def test_batch_search_reports_each_name(workspace, tmp_path: Path) -> None:
    root = str(workspace.root)
    write_corpus(tmp_path / "leak")
    assert run("-w", root, "ingest", str(tmp_path / "leak"), "--collection", "leak",
               "-q")[0] == 0
    names = tmp_path / "names.txt"
    names.write_text("Karim Haddad\nسامر يوسف الخطيب\nNobody Atall\n", encoding="utf-8")
    code, out, err = run("-w", root, "batch-search", str(names), "--json")
    assert code == 0, err
    rows = {row["term"]: row for row in json.loads(out)}
    assert rows["Karim Haddad"]["documents"] == 1
    assert rows["سامر يوسف الخطيب"]["hits"][0]["path"] == "leak/gid/251/order.txt"
    assert rows["Nobody Atall"]["documents"] == 0
    code, out, _ = run("-w", root, "batch-search", str(names), "--csv")
    assert out.splitlines()[0] == "term,documents,pages,top_hits,error"


def test_commands_without_a_workspace_say_how_to_make_one(tmp_path: Path) -> None:
    code, _, err = run("-w", str(tmp_path / "none"), "status")
    assert code == 1 and "dossier init" in err


def test_init_on_the_command_line(tmp_path: Path) -> None:
    code, out, _ = run("init", str(tmp_path / "ws"))
    assert code == 0 and "workspace ready" in out
    assert (tmp_path / "ws" / "dossier.toml").exists()
    assert os.path.exists(tmp_path / "ws" / "dossier.db")
