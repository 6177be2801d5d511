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
