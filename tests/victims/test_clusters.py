"""Victims derived from judgements on records: human first, a split stands, links rebuilt."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from dossier.registry.judgements import record_judgement, victim_record_ref
from dossier.store.schema import victim_links
from dossier.victims.clusters import (
    VictimError,
    load_clusters,
    rebuild_links,
    victim,
    victim_lists_of,
)

from .test_linkage_support import make_lists, make_people


def _judge(conn: Any, a: int, b: int, verdict: str, origin: str = "human",
           score: float | None = None) -> None:
    record_judgement(conn, victim_record_ref(a), victim_record_ref(b), verdict,
                     author="analyst" if origin == "human" else "dossier linkage run 1",
                     origin=origin, score=score)


@pytest.fixture
def records(workspace: Any) -> list[int]:
    truth = make_lists(workspace, make_people(3), lists=3, coverage=1.0, noisy=False)
    return sorted(truth)  # nine records: three people in three lists


def test_machine_links_chain_into_one_victim_named_by_its_lowest_record(
        workspace: Any, records: list[int]) -> None:
    a, b, c, d = records[:4]
    with workspace.engine.begin() as conn:
        _judge(conn, c, d, "same", "machine", 0.99)
        _judge(conn, b, c, "same", "machine", 0.95)
        _judge(conn, a, d, "unsure", "machine", 0.5)  # unsure joins nothing
        counts = rebuild_links(conn)
        links = dict(conn.execute(select(victim_links.c.record_id,
                                         victim_links.c.victim_id)).all())
    assert counts.records == len(records) and counts.victims == len(records) - 2
    assert links[b] == links[c] == links[d] == b
    assert links[a] == a


def test_a_human_judgement_overrides_the_machine_on_its_pair(workspace: Any,
                                                              records: list[int]) -> None:
    a, b, c = records[:3]
    with workspace.engine.begin() as conn:
        _judge(conn, a, b, "same", "machine", 0.97)
        _judge(conn, a, b, "not_same")  # older than the next machine judgement ...
        _judge(conn, a, b, "same", "machine", 0.99)  # ... and still wins
        _judge(conn, b, c, "unsure", "machine", 0.6)
        _judge(conn, b, c, "same")  # a person links what the model was unsure of
        clusters = load_clusters(conn)
    assert clusters.victim_of(a) == a
    assert clusters.victim_of(b) == clusters.victim_of(c) == b


def test_a_split_stands_against_a_chain_of_machine_links(workspace: Any,
                                                          records: list[int]) -> None:
    a, b, c = records[:3]
    with workspace.engine.begin() as conn:
        _judge(conn, a, b, "same", "machine", 0.99)
        _judge(conn, b, c, "same", "machine", 0.98)
        _judge(conn, a, c, "not_same")  # a and c can no longer meet through b
        counts = rebuild_links(conn)
        clusters = load_clusters(conn)
    assert clusters.victim_of(a) != clusters.victim_of(c)
    assert clusters.victim_of(b) == clusters.victim_of(a)  # the older link went first
    assert counts.refused == 1


def test_a_victim_shows_its_records_and_the_lists_that_hold_it(workspace: Any,
                                                                records: list[int]) -> None:
    with workspace.engine.begin() as conn:
        people: dict[str, list[int]] = {}
        for record in victim_records_of(conn, records):
            people.setdefault(record[1], []).append(record[0])
        first = sorted(people.values())[0]
        for other in first[1:]:
            _judge(conn, first[0], other, "same")
        rebuild_links(conn)
        found = victim(conn, first[-1])  # any record names its victim
    assert found.id == first[0]
    assert [r["id"] for r in found.records] == first
    assert found.lists == ["list-1", "list-2", "list-3"]
    with workspace.engine.connect() as conn:
        assert victim_lists_of(conn, first[0]) == found.lists
        lone = sorted(people.values())[1][0]
        assert victim(conn, lone).lists == ["list-1"]
        with pytest.raises(VictimError):
            victim(conn, 10**6)


def victim_records_of(conn: Any, ids: list[int]) -> list[tuple[int, str]]:
    from dossier.store.schema import victim_records

    rows = conn.execute(select(victim_records.c.id, victim_records.c.given,
                               victim_records.c.family, victim_records.c.death_date)
                        .where(victim_records.c.id.in_(ids)))
    return [(row.id, str(row.death_date)) for row in rows]


def _insert(workspace: Any, rows: list[dict[str, Any]]) -> list[int]:
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from dossier.store.schema import victim_lists, victim_records

    now = datetime.now(UTC)
    with workspace.engine.begin() as conn:
        list_ids = [conn.execute(insert(victim_lists).values(name=f"list-{n}", created_at=now))
                    .inserted_primary_key[0] for n in (1, 2)]
        for number, row in enumerate(rows):
            conn.execute(insert(victim_records).values(
                list_id=list_ids[number % 2], source_sha256="0" * 64, row_number=number + 1,
                raw="{}", imported_at=now, sex="m", family="الحسن", death_date="2013", **row))
        return sorted(conn.execute(select(victim_records.c.id)).scalars())


def test_the_guard_keeps_apart_three_men_whom_weak_links_chain(workspace: Any) -> None:
    """Three men called Mohammad al-Hasan, sons of Ali, Omar and Khalid, each with a second
    record that leaves out his father's name: the links between those records are likely on
    their own, and a chain of them made one victim of three."""
    from dossier.victims.clusters import GUARD_REASON, RecordClusters, held_judgements
    from dossier.victims.linkage import cluster_guard, linkage_table
    from dossier.victims.linkage_settings import LinkageSettings
    from dossier.victims.review import review_queue

    r1, r2, r3, r4, r5, r6 = _insert(workspace, [
        {"given": "محمد", "father": "علي", "birth_date": "1960-02-01"},
        {"given": "Mohammad", "birth_date": "1961-01-01"},
        {"given": "محمد", "father": "عمر", "birth_date": "1962-05-01"},
        {"given": "Mohamed"},
        {"given": "محمد", "father": "خالد", "birth_date": "1963-07-01"},
        {"given": "Muhammad", "birth_date": "1963-01-01"},
    ])
    with workspace.engine.begin() as conn:
        for a, b, score in ((r1, r2, 0.99), (r3, r4, 0.98), (r5, r6, 0.97),  # each man
                            (r2, r4, 0.8), (r3, r6, 0.75)):  # weak links between them
            _judge(conn, a, b, "same", "machine", score)
        held = held_judgements(conn)
    guard = cluster_guard(linkage_table(workspace.engine), LinkageSettings())

    chained = RecordClusters.build(held)
    assert len({chained.victim_of(r) for r in (r1, r2, r3, r4, r5, r6)}) == 1
    guarded = RecordClusters.build(held, guard)
    assert [guarded.victim_of(r) for r in (r1, r2, r3, r4, r5, r6)] == [r1, r1, r3, r3, r5, r5]
    assert set(guarded.guarded) == {(r2, r4), (r3, r6)}  # the weak links, not the strong
    assert "fathers' names" in guarded.guarded[(r2, r4)]

    # a person's "same" is never refused: the machine's limits are not the investigator's
    with workspace.engine.begin() as conn:
        _judge(conn, r2, r4, "same")
        overruled = RecordClusters.build(held_judgements(conn), guard)
    assert overruled.victim_of(r4) == overruled.victim_of(r1) == r1
    assert overruled.victim_of(r5) == r5

    # a refused link waits in the review queue with its reason, however high its score
    with workspace.engine.begin() as conn:
        record_judgement(conn, victim_record_ref(r3), victim_record_ref(r6), "unsure",
                         author="dossier linkage run 1", origin="machine", score=0.99,
                         reason=GUARD_REASON + "records 3 and 5: fathers' names omr / xld")
        queue = review_queue(conn)
    refused = [item for item in queue if {item.left["id"], item.right["id"]} == {r3, r6}
               and item.score == 0.99]
    assert len(refused) == 1 and refused[0].verdict == "unsure"
    assert (refused[0].reason or "").startswith(GUARD_REASON)


def test_a_persons_same_does_not_carry_a_brothers_record_in_through_the_machines_links(
        workspace: Any) -> None:
    """Two records of a Mohammad al-Hasan that left out his father's name, each linked by the
    model to a record that gives it: the son of Ali's and the son of Omar's. An investigator
    judges the two fatherless records one man: the victims rebuilt join the son of Ali's
    record (the stronger link) but not the son of Omar's, as the linkage run's guard would."""
    from dossier.victims.review import judge

    r1, r2, r3, r4 = _insert(workspace, [
        {"given": "محمد", "father": "علي", "birth_date": "1960-02-01"},
        {"given": "Mohammad", "birth_date": "1961-01-01"},
        {"given": "محمد", "father": "عمر", "birth_date": "1960-05-01"},
        {"given": "Mohamed"},
    ])
    with workspace.engine.begin() as conn:
        _judge(conn, r1, r2, "same", "machine", 0.99)
        _judge(conn, r3, r4, "same", "machine", 0.98)
        _, counts = judge(conn, r2, r4, "same", author="analyst", reason="one man")
        links = dict(conn.execute(select(victim_links.c.record_id,
                                         victim_links.c.victim_id)).all())

    assert links[r1] == links[r2] == links[r4] == r1
    assert links[r3] == r3
    assert counts.victims == 2 and counts.guarded == 1
    # the refused link waits in the review queue with the guard's reason and its score
    from dossier.victims.clusters import GUARD_REASON
    from dossier.victims.review import review_queue

    with workspace.engine.begin() as conn:
        queue = review_queue(conn)
        _, again = judge(conn, r1, r2, "same", author="analyst")  # nothing new to refuse
    [refused] = [item for item in queue if {item.left["id"], item.right["id"]} == {r3, r4}]
    assert refused.verdict == "unsure" and refused.score == 0.98
    assert (refused.reason or "").startswith(GUARD_REASON)
    assert again.victims == 2 and again.guarded == 0


def test_a_persons_same_does_not_carry_in_a_record_that_contradicts_one_only_they_judged(
        workspace: Any) -> None:
    """The son of Ali's record has no link of the model's; an investigator judges it one man
    with a fatherless record that the model linked to the son of Omar's: the son of Omar's
    record stays apart."""
    from dossier.victims.review import judge

    r1, r2, r3 = _insert(workspace, [
        {"given": "محمد", "father": "علي", "birth_date": "1960-02-01"},
        {"given": "Mohammad", "birth_date": "1961-01-01"},
        {"given": "محمد", "father": "عمر", "birth_date": "1960-05-01"},
    ])
    with workspace.engine.begin() as conn:
        _judge(conn, r2, r3, "same", "machine", 0.9)
        _, counts = judge(conn, r1, r2, "same", author="analyst")
        links = dict(conn.execute(select(victim_links.c.record_id,
                                         victim_links.c.victim_id)).all())

    assert links[r1] == links[r2] == r1 and links[r3] == r3
    assert counts.guarded == 1


def test_the_guard_lets_spellings_typos_and_reordered_names_through() -> None:
    from dossier.victims.clusters import ClusterGuard, RecordProfile

    guard = ClusterGuard({
        1: RecordProfile(1, "m", 1970, ("mhmd", "mohammad"), ("l", "ali"), (None, None),
                         ("hsn", "alhasan")),
        2: RecordProfile(2, "m", 1972, ("mhmmd", "mhmmd"), ("l", "ali"), (None, None),
                         ("hsn", "hasan")),  # a doubled letter, born two years off
        3: RecordProfile(3, "m", None, ("hsn", "hasan"), ("mhmd", "mohamed"), (None, None),
                         ("l", "ali")),  # the family name written first
        4: RecordProfile(1, "m", 1970, ("hmd", "ahmad"), ("l", "ali"), (None, None),
                         ("hsn", "hasan")),  # his brother: one root, a letter apart
        5: RecordProfile(2, "m", 1995, ("mhmd", "mohammad"), ("l", "ali"), (None, None),
                         ("hsn", "hasan")),  # a namesake born 25 years later
    })
    assert guard.contradiction([1], [2]) is None
    assert guard.contradiction([1, 2], [3]) is None
    assert guard.contradiction([1], [5]) == "records 1 and 5: born 1970 / 1995"
    reason = guard.contradiction([1, 2], [4])
    assert reason is not None and "given names" in reason
    three = ClusterGuard({n: RecordProfile(list_id=1) for n in (1, 2, 3)})
    assert three.contradiction([1, 2], [3]) == "more than 2 records of list 1 in one victim"
