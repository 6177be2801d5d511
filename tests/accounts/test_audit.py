"""The audit log: append-only and hash-chained, on every store backend."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, update

from dossier.accounts import entries, record, verify_audit
from dossier.store.schema import audit_log


def _fill(engine) -> None:
    with engine.begin() as conn:
        record(conn, "amina", "search", "query:جميل حسن", {"hits": 3})
        record(conn, "amina", "view_item", "item:7", {"page": 2})
        record(conn, "omar", "export", "case:koblenz-251", {"files": 12})
        record(conn, "amina", "change", "entity:4", {"field": "protected", "to": True})


def test_entries_are_chained_and_can_be_filtered(workspace) -> None:
    _fill(workspace.engine)
    with workspace.engine.connect() as conn:
        found = list(entries(conn))
        assert [entry.id for entry in found] == [1, 2, 3, 4]
        assert all(entry.prev_hash == before.hash for before, entry in zip(found, found[1:],
                                                                           strict=False))
        assert found[0].target == "query:جميل حسن"
        assert [entry.id for entry in entries(conn, actor="amina")] == [1, 2, 4]
        assert [entry.id for entry in entries(conn, action="export")] == [3]
        assert list(entries(conn, since="2999-01-01")) == []
        assert verify_audit(conn) == []


def test_an_unknown_action_is_refused(workspace) -> None:
    with workspace.engine.begin() as conn, pytest.raises(ValueError, match="unknown audit"):
        record(conn, "amina", "peek", None, None)


def test_an_edited_entry_is_named(workspace) -> None:
    _fill(workspace.engine)
    with workspace.engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.id == 2)
                     .values(target="item:8"))
    with workspace.engine.connect() as conn:
        problems = verify_audit(conn)
    assert problems[0].id == 2 and "altered" in problems[0].message


def test_a_deleted_entry_is_named(workspace) -> None:
    _fill(workspace.engine)
    with workspace.engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.id == 2))
    with workspace.engine.connect() as conn:
        problems = verify_audit(conn)
    assert problems[0].id == 3 and "2..2 were deleted" in problems[0].message


def test_deleting_the_last_entries_is_noticed(workspace) -> None:
    _fill(workspace.engine)
    with workspace.engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.id >= 3))
    with workspace.engine.connect() as conn:
        problems = verify_audit(conn)
    assert [problem.id for problem in problems] == [4]
    assert "ends at entry 2" in problems[0].message
