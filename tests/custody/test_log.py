"""The custody chain on every backend: linking, tampering found precisely, signatures."""

from __future__ import annotations

from sqlalchemy import select, update

from dossier.custody import append, events, verify_chain
from dossier.custody.seal import check_seals, latest_seal, seal
from dossier.store.schema import custody_events


def test_events_link_each_to_the_one_before(workspace) -> None:
    with workspace.engine.begin() as conn:
        first = append(conn, "acquired", actor="ana", item_id=1, sha256="a" * 64,
                       details={"path": "leak/ordre.pdf"})
        second = append(conn, "derived", actor="ana", item_id=1, details={"pages": 2})
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hash
    with workspace.engine.connect() as conn:
        assert [event.action for event in events(conn)] == ["acquired", "derived"]
        assert [event.seq for event in events(conn, item_id=1)] == [1, 2]
        problems, last, head_hash = verify_chain(conn)
    assert problems == []
    assert (last, head_hash) == (2, second.hash)


def test_an_edited_event_is_reported_with_its_number(workspace) -> None:
    with workspace.engine.begin() as conn:
        for number in range(5):
            append(conn, "acquired", actor="ana", item_id=number, details={"n": number})
        conn.execute(update(custody_events).where(custody_events.c.seq == 3)
                     .values(details='{"n":99}'))
    with workspace.engine.connect() as conn:
        problems, _, _ = verify_chain(conn)
    assert [problem.seq for problem in problems] == [3]
    assert "altered" in problems[0].message


def test_a_deleted_event_is_reported(workspace) -> None:
    with workspace.engine.begin() as conn:
        for number in range(4):
            append(conn, "acquired", actor="ana", item_id=number)
        conn.execute(custody_events.delete().where(custody_events.c.seq == 2))
    with workspace.engine.connect() as conn:
        problems, _, _ = verify_chain(conn)
    messages = " ".join(problem.message for problem in problems)
    assert "missing" in messages
    assert 3 in {problem.seq for problem in problems}


def test_the_signed_head_verifies_and_detects_a_rewritten_log(workspace) -> None:
    with workspace.engine.begin() as conn:
        append(conn, "acquired", actor="ana", item_id=1)
        made = seal(conn, workspace.signer)
    assert made is not None
    key = workspace.signer.public_key_hex
    with workspace.engine.connect() as conn:
        assert latest_seal(conn) == made
        assert check_seals(conn, key) == []
    # Rewriting the event AND its hash (so the chain itself looks fine) still breaks the seal.
    with workspace.engine.begin() as conn:
        conn.execute(update(custody_events).where(custody_events.c.seq == 1)
                     .values(hash="f" * 64))
    with workspace.engine.connect() as conn:
        assert any("signed head" in problem.message for problem in check_seals(conn, key))
        assert check_seals(conn, "0" * 64)  # another key is never trusted


def test_sealing_twice_without_new_events_signs_once(workspace) -> None:
    from dossier.store.schema import custody_signatures

    with workspace.engine.begin() as conn:
        append(conn, "acquired", actor="ana", item_id=1)
        seal(conn, workspace.signer)
        seal(conn, workspace.signer)
    with workspace.engine.connect() as conn:
        assert len(conn.execute(select(custody_signatures)).all()) == 1
