"""A person accepts, rejects or disputes a proposed claim; each decision is kept with its reason."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from dossier.registry.claims import (
    ClaimDraft,
    ClaimError,
    Source,
    accept_claim,
    add_claims,
    dispute_claim,
    get_claims,
    list_claims,
    reject_claim,
    reviews,
)
from dossier.registry.entities import add_entity

from .helpers import add_item, post


def test_accept_reject_dispute_keep_who_and_why(workspace) -> None:
    with workspace.engine.begin() as conn:
        item = add_item(conn, "leak/order.txt", ["signed by Brig. Gen. Jamil Hassan, head of "
                                                 "Branch 251"])
        person = add_entity(conn, "person", "Jamil Hassan")
        unit = add_entity(conn, "unit", "Branch 251", unit_type="branch", number=251)
        claim = post(conn, person, unit, valid_from="2012-03-04", valid_to="2012-03-04",
                     precision="within", item_id=item, page=1, quote="head of Branch 251")
        assert accept_claim(conn, claim, author="alice").status == "accepted"
        assert dispute_claim(conn, claim, author="bob", reason="signature is a stamp").status \
            == "disputed"
        assert reject_claim(conn, claim, author="carol", reason="forged order").status \
            == "rejected"
        with pytest.raises(ClaimError, match="reason"):
            reject_claim(conn, claim, author="carol", reason=" ")
        with pytest.raises(ClaimError, match="no claim"):
            accept_claim(conn, 999_999, author="alice")
        history = reviews(conn, claim)
        views = list_claims(conn, person)
    assert [(r["status"], r["author"], r["reason"]) for r in history] == [
        ("accepted", "alice", None), ("disputed", "bob", "signature is a stamp"),
        ("rejected", "carol", "forged order")]
    [view] = views
    assert view.status == "rejected" and view.object_name == "Branch 251"
    assert [(s.path, s.page_number, s.quote) for s in view.sources] == [
        ("leak/order.txt", 1, "head of Branch 251")]


def test_claims_of_an_entity_are_listed_as_subject_and_object(workspace) -> None:
    with workspace.engine.begin() as conn:
        person = add_entity(conn, "person", "Jamil Hassan")
        deputy = add_entity(conn, "person", "Omar Nasser")
        unit = add_entity(conn, "unit", "Branch 251", unit_type="branch", number=251)
        post(conn, person, unit, valid_from="2011", valid_to="2013")
        post(conn, deputy, unit, "deputy", valid_from="2010", valid_to="2012")
        of_unit = list_claims(conn, unit)
        of_person = list_claims(conn, person)
        only_deputies = [c.role for c in list_claims(conn, unit, statuses=["proposed"])]
    assert [c.subject_name for c in of_unit] == ["Omar Nasser", "Jamil Hassan"]
    assert [c.role for c in of_person] == ["head"]
    assert sorted(only_deputies) == ["deputy", "head"]


def test_undated_claims_come_last_on_every_backend(workspace) -> None:
    with workspace.engine.begin() as conn:
        person = add_entity(conn, "person", "Jamil Hassan")
        unit = add_entity(conn, "unit", "Branch 251", unit_type="branch", number=251)
        undated = post(conn, person, unit, "deputy")
        later = post(conn, person, unit, valid_from="2012")
        earlier = post(conn, person, unit, "officer", valid_from="2009")
        assert [c.id for c in list_claims(conn, person)] == [earlier, later, undated]


def test_many_claims_are_recorded_in_a_few_queries(workspace) -> None:
    with workspace.engine.begin() as conn:
        item = add_item(conn, "leak/list.txt", ["a list of appointments"])
        unit = add_entity(conn, "unit", "Branch 251", unit_type="branch", number=251)
        people = [add_entity(conn, "person", f"Person {n}") for n in range(30)]

        def draft(person: int, page: int, quote: str) -> ClaimDraft:
            return ClaimDraft(person, "holds_post", (Source(item, page, quote),),
                              object_id=unit, role="officer", valid_from="2012",
                              author="test")

        first = [draft(person, 1, "appointed") for person in people]
        statements: list[str] = []
        listen = event.listens_for(conn, "before_cursor_execute")
        listen(lambda *args: statements.append(args[2]))
        added = add_claims(conn, first + [first[0]])
        assert len(statements) <= 4
        assert [a.new_claim for a in added] == [True] * 30 + [False]
        assert [a.new_sources for a in added] == [1] * 30 + [0]
        assert added[-1].claim_id == added[0].claim_id
        statements.clear()
        again = add_claims(conn, [draft(people[0], 1, "appointed"),
                                  draft(people[0], 2, "named again"),
                                  draft(people[1], 2, "named again")])
        assert len(statements) <= 3
        assert [(a.claim_id, a.new_claim, a.new_sources) for a in again] == [
            (added[0].claim_id, False, 0), (added[0].claim_id, False, 1),
            (added[1].claim_id, False, 1)]
        assert len(get_claims(conn, [added[0].claim_id])[0].sources) == 2
