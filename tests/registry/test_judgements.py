"""Merges, splits and undos are judgements; clusters are derived from them each time."""

from __future__ import annotations

import pytest

from dossier.registry.entities import add_entity
from dossier.registry.judgements import JudgementError, history, record_judgement
from dossier.registry.resolve import canonical, cluster_members, merge, split


def _people(conn, count: int) -> list[int]:
    return [add_entity(conn, "person", f"Person {chr(65 + i)} Haddad") for i in range(count)]


def test_a_wrong_merge_is_undone_by_a_newer_judgement(workspace) -> None:
    with workspace.engine.begin() as conn:
        a, b, c = _people(conn, 3)
        merge(conn, b, c, author="alice", reason="same birth date and father")
        assert cluster_members(conn, c) == [b, c] and canonical(conn, c) == b
        merge(conn, a, b, author="alice", reason="same signature")
        assert cluster_members(conn, c) == [a, b, c] and canonical(conn, c) == a
        split(conn, a, b, author="bob", reason="a was in prison at the time")
        assert cluster_members(conn, a) == [a]
        assert cluster_members(conn, c) == [b, c] and canonical(conn, c) == b
        merge(conn, a, b, author="carol", reason="the prison record was about a namesake")
        assert cluster_members(conn, a) == [a, b, c]
        assert [j.verdict for j in history(conn, f"e:{b}", f"e:{a}")] == [
            "same", "not_same", "same"]


def test_human_judgements_override_machine_ones_and_splits_block_chains(workspace) -> None:
    with workspace.engine.begin() as conn:
        a, b, c = _people(conn, 3)
        split(conn, a, c, author="alice", reason="different fathers")
        record_judgement(conn, f"e:{a}", f"e:{b}", "same", author="linker", origin="machine",
                         score=0.91)
        record_judgement(conn, f"e:{b}", f"e:{c}", "same", author="linker", origin="machine",
                         score=0.93)
        # a~b and b~c would join a and c, which a person judged apart: b~c does not join
        assert cluster_members(conn, a) == [a, b]
        assert cluster_members(conn, c) == [c]
        split(conn, a, b, author="alice", reason="checked the files")
        record_judgement(conn, f"e:{a}", f"e:{b}", "same", author="linker", origin="machine")
        assert cluster_members(conn, a) == [a]  # a newer machine "same" does not undo a human
        assert cluster_members(conn, b) == [b, c]
        record_judgement(conn, f"e:{b}", f"e:{c}", "unsure", author="bob", reason="not sure")
        assert cluster_members(conn, b) == [b]


def test_judgements_name_existing_records(workspace) -> None:
    with workspace.engine.begin() as conn:
        [a] = _people(conn, 1)
        with pytest.raises(JudgementError, match="no entity"):
            merge(conn, a, a + 100, author="alice")
        with pytest.raises(JudgementError, match="itself"):
            merge(conn, a, a, author="alice")
        with pytest.raises(JudgementError, match="unknown verdict"):
            record_judgement(conn, f"e:{a}", "m:1", "maybe", author="alice")
        with pytest.raises(JudgementError, match="not a record reference"):
            record_judgement(conn, f"e:{a}", "x:1", "same", author="alice")
