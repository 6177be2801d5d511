"""`dossier users …` and `dossier audit …`, run as a user runs them."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import insert, update
from tests.clirun import run

from dossier.accounts import login, session_for
from dossier.store.schema import audit_log, collections
from dossier.workspace import utcnow

PASSWORD = "correct horse battery"




def test_add_list_role_grant_revoke_disable(workspace) -> None:
    with workspace.engine.begin() as conn:
        conn.execute(insert(collections).values(name="leak", created_at=utcnow()))
    out = run(workspace, "users", "add", "amina", "--role", "investigator", "--name",
              "Amina K.", "--language", "ar", "--password-stdin", stdin=PASSWORD + "\n")
    assert "added amina (investigator, ar)" in out
    assert login(workspace.engine, "amina", PASSWORD, "127.0.0.1")[0].user.role == "investigator"

    run(workspace, "users", "grant", "amina", "leak")
    assert "amina — Amina K.  investigator  ar  collections: leak" in run(workspace, "users",
                                                                          "list")
    assert "no collection 'photos'" in run(workspace, "users", "grant", "amina", "photos",
                                           code=1)
    assert "amina is now reviewer" in run(workspace, "users", "role", "amina", "reviewer")
    assert "unknown role 'boss'" in run(workspace, "users", "role", "amina", "boss", code=1)
    run(workspace, "users", "revoke", "amina", "leak")
    _session, token, _csrf = login(workspace.engine, "amina", PASSWORD, "127.0.0.1")
    run(workspace, "users", "disable", "amina")
    assert session_for(workspace.engine, token) is None

    listed = json.loads(run(workspace, "users", "list", "--json"))
    assert listed[0]["username"] == "amina" and listed[0]["role"] == "reviewer"
    assert listed[0]["active"] is False and listed[0]["collections"] == []
    assert "no account 'ghost'" in run(workspace, "users", "disable", "ghost", code=1)


def test_the_password_is_asked_twice_and_must_be_long_enough(workspace) -> None:
    out = run(workspace, "users", "add", "omar", "--role", "analyst",
              stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert "added omar (analyst, en)" in out and PASSWORD not in out
    mismatch = run(workspace, "users", "add", "karim", "--role", "analyst",
                   stdin=f"{PASSWORD}\nsomething else!!\n{PASSWORD}\n{PASSWORD}\n")
    assert "do not match" in mismatch and "added karim" in mismatch
    assert "at least 12 characters" in run(workspace, "users", "add", "lina", "--role",
                                           "analyst", "--password-stdin", stdin="short\n",
                                           code=1)
    assert "already an account 'omar'" in run(workspace, "users", "add", "omar", "--role",
                                               "analyst", "--password-stdin",
                                               stdin=PASSWORD + "\n", code=1)


def test_audit_log_filters_exports_and_verifies(workspace) -> None:
    run(workspace, "users", "add", "omar", "--role", "analyst", "--password-stdin",
        stdin=PASSWORD + "\n")
    login(workspace.engine, "omar", PASSWORD, "127.0.0.1")
    shown = run(workspace, "audit", "log")
    assert "change user:omar" in shown and "op=add_user role=analyst" in shown
    assert "omar login user:omar remote=127.0.0.1" in shown
    logins = json.loads(run(workspace, "audit", "log", "--action", "login", "--json"))
    assert [entry["actor"] for entry in logins] == ["omar"]
    assert json.loads(run(workspace, "audit", "log", "--actor", "nobody", "--json")) == []
    assert json.loads(run(workspace, "audit", "log", "--since", "2999-01-01", "--json")) == []
    rows = list(csv.DictReader(io.StringIO(run(workspace, "audit", "log", "--csv"))))
    assert [row["action"] for row in rows] == ["change", "login"]
    assert json.loads(rows[0]["details"])["role"] == "analyst"
    assert "unknown action 'peek'" in run(workspace, "audit", "log", "--action", "peek", code=1)
    assert "--since takes a date" in run(workspace, "audit", "log", "--since", "soon", code=1)

    assert "the audit log is whole" in run(workspace, "audit", "verify")
    with workspace.engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.id == 1).values(actor="someone"))
    broken = run(workspace, "audit", "verify", code=1)
    assert "audit entry 1 was altered" in broken and "broken from entry 1" in broken
