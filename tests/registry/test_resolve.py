"""Mentions linked to entities by name in any script; look-alike unlinked mentions become
candidates that a person accepts, links or dismisses; human judgements always win."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dossier.registry.candidates import (
    CandidateError,
    accept_candidate,
    cluster_unlinked,
    dismiss_candidate,
    list_candidates,
)
from dossier.registry.entities import add_entity
from dossier.registry.judgements import judgements_of, record_judgement
from dossier.registry.resolve import link_mentions, merge, split
from dossier.store.schema import mentions

from .helpers import add_item, add_mention

PAGE = ("أمر من العميد جميل حسن رئيس الفرع ٢٥١ إلى العقيد سامر الخطيب. Brig. Gen. Jameel "
        "al-Hasan; Samer Khatib; Mohammad Hassan; Mohammad Hassan; Branch 251; Omar Nasser")


def _links(conn) -> dict[int, int | None]:
    return dict(conn.execute(select(mentions.c.id, mentions.c.entity_id)).all())


def test_mentions_are_linked_across_scripts_and_ambiguity_is_left_alone(workspace) -> None:
    with workspace.engine.begin() as conn:
        jamil = add_entity(conn, "person", "Jamil Hassan", names=["جميل حسن"])
        branch = add_entity(conn, "unit", "Branch 251", unit_type="branch", number=251)
        first = add_entity(conn, "person", "Mohammad Hassan")
        second = add_entity(conn, "person", "Muhammad Hasan")  # a namesake, another man
        item = add_item(conn, "leak/order.txt", [PAGE])
        ar = add_mention(conn, item, 1, "العميد جميل حسن", "person")
        en = add_mention(conn, item, 1, "Brig. Gen. Jameel al-Hasan", "person")
        unit_ar = add_mention(conn, item, 1, "الفرع ٢٥١", "unit", value="251")
        unit_en = add_mention(conn, item, 1, "Branch 251", "unit", value="251")
        namesake = add_mention(conn, item, 1, "Mohammad Hassan", "person")
        unknown = add_mention(conn, item, 1, "Omar Nasser", "person")
        report = link_mentions(conn)
        links = _links(conn)
        assert links[ar] == links[en] == jamil
        assert links[unit_ar] == links[unit_en] == branch
        assert links[namesake] is None and links[unknown] is None
        assert (report.linked, report.ambiguous, report.unmatched) == (4, 1, 1)
        # once a person says the two are one man, the mention links to the canonical entity
        merge(conn, first, second, author="alice", reason="same father and birth date")
        link_mentions(conn)
        assert _links(conn)[namesake] == first


def test_human_judgements_on_mentions_always_win(workspace) -> None:
    with workspace.engine.begin() as conn:
        jamil = add_entity(conn, "person", "Jamil Hassan", names=["جميل حسن"])
        other = add_entity(conn, "person", "Jamil Haddad")
        item = add_item(conn, "leak/order.txt", [PAGE])
        mention = add_mention(conn, item, 1, "العميد جميل حسن", "person")
        record_judgement(conn, f"m:{mention}", f"e:{jamil}", "not_same", author="alice",
                         reason="this order is signed by a namesake")
        link_mentions(conn)
        assert _links(conn)[mention] is None
        record_judgement(conn, f"m:{mention}", f"e:{other}", "same", author="alice",
                         reason="the namesake is Jamil Haddad")
        report = link_mentions(conn)
        assert _links(conn)[mention] == other and report.by_judgement == 1
        record_judgement(conn, f"m:{mention}", f"e:{other}", "not_same", author="bob",
                         reason="wrong again")
        report = link_mentions(conn)
        assert _links(conn)[mention] is None and report.unlinked_by_judgement == 1


def test_unlinked_look_alikes_become_candidates_for_review(workspace) -> None:
    with workspace.engine.begin() as conn:
        item = add_item(conn, "leak/a.txt", ["العقيد سامر الخطيب ... Samer Khatib ... "
                                             "Col. Samer al-Khatib ... Omar Nasser, Omar Nasser"])
        other = add_item(conn, "leak/b.txt", ["Fadi Jaber and Samer. Fadi Jaber"])
        samer = [add_mention(conn, item, 1, text, "person") for text in (
            "العقيد سامر الخطيب", "Samer Khatib", "Col. Samer al-Khatib")]
        omar = [add_mention(conn, item, 1, "Omar Nasser", "person") for _ in range(1)]
        add_mention(conn, other, 1, "Fadi Jaber", "person")  # alone: no candidate
        add_mention(conn, other, 1, "Samer", "person")  # a given name says too little
        report = cluster_unlinked(conn)
        assert report.created == 1
        [candidate] = list_candidates(conn)
        assert [m.mention_id for m in candidate.mentions] == samer
        assert candidate.label in {"سامر الخطيب", "Samer Khatib", "Samer al-Khatib"}
        entity = accept_candidate(conn, candidate.id, author="alice")
        links = _links(conn)
        assert all(links[m] == entity for m in samer)
        assert list_candidates(conn) == []
        with pytest.raises(CandidateError, match="already accepted"):
            dismiss_candidate(conn, candidate.id, author="alice")
        # a later mention of the accepted candidate's name goes to its entity
        again = add_mention(conn, other, 1, "Samer Khatib", "person")
        late = add_mention(conn, other, 1, "Fadi Jaber", "person")
        more = add_mention(conn, item, 1, "Omar Nasser", "person")
        assert cluster_unlinked(conn).created == 2
        assert _links(conn)[again] == entity
        fadi, omar_candidate = sorted(list_candidates(conn), key=lambda c: c.label)
        assert [m.mention_id for m in omar_candidate.mentions] == [*omar, more]
        dismiss_candidate(conn, omar_candidate.id, author="alice", reason="a detainee")
        add_mention(conn, item, 1, "Omar Nasser", "person")
        assert cluster_unlinked(conn).created == 0  # a dismissed name is not proposed again
        existing = add_entity(conn, "person", "Fadi Jaber")
        assert accept_candidate(conn, fadi.id, author="bob", entity_id=existing) == existing
        assert _links(conn)[late] == existing


def test_undoing_a_merge_undoes_the_links_made_during_it(workspace) -> None:
    with workspace.engine.begin() as conn:
        samer = add_entity(conn, "person", "Samer Khatib")
        jamil = add_entity(conn, "person", "Jamil Hassan")
        item = add_item(conn, "leak/order.txt", [PAGE])
        jamil_mention = add_mention(conn, item, 1, "Jamil Hassan", "person")
        samer_mention = add_mention(conn, item, 1, "Samer Khatib", "person")
        merge(conn, samer, jamil, author="alice", reason="misread a file")
        link_mentions(conn)
        assert _links(conn)[jamil_mention] == samer  # the canonical entity of the cluster
        split(conn, samer, jamil, author="alice", reason="two men after all")
        report = link_mentions(conn)
        assert _links(conn)[jamil_mention] == jamil and report.moved == 1
        assert _links(conn)[samer_mention] == samer
        assert link_mentions(conn).moved == 0  # nothing left to move


def test_a_mention_judged_not_an_entity_stays_off_its_cluster(workspace) -> None:
    with workspace.engine.begin() as conn:
        samer = add_entity(conn, "person", "Samer Khatib")
        twin = add_entity(conn, "person", "Abu Hadi")  # the officer's nickname, as recorded
        item = add_item(conn, "leak/order.txt", [PAGE])
        mention = add_mention(conn, item, 1, "Samer Khatib", "person")
        link_mentions(conn)
        assert _links(conn)[mention] == samer
        record_judgement(conn, f"m:{mention}", f"e:{twin}", "not_same", author="alice",
                         reason="this Samer is a detainee, not the officer")
        assert link_mentions(conn).unlinked_by_judgement == 0  # the twin is another entity
        merge(conn, samer, twin, author="bob", reason="one officer, two spellings")
        report = link_mentions(conn)
        # linked to the cluster that now holds the entity it was judged not to be: taken off
        assert _links(conn)[mention] is None and report.unlinked_by_judgement == 1
        link_mentions(conn)
        assert _links(conn)[mention] is None


def test_judgements_between_mentions_and_entities_only(workspace) -> None:
    with workspace.engine.begin() as conn:
        samer = add_entity(conn, "person", "Samer Khatib")
        twin = add_entity(conn, "person", "سامر الخطيب")
        item = add_item(conn, "leak/order.txt", [PAGE])
        first = add_mention(conn, item, 1, "Samer Khatib", "person")
        second = add_mention(conn, item, 1, "Samer Khatib", "person")
        merge(conn, samer, twin, author="alice")
        record_judgement(conn, f"m:{first}", f"m:{second}", "same", author="alice")
        wanted = record_judgement(conn, f"e:{samer}", f"m:{first}", "same", author="alice")
        assert [j.id for j in judgements_of(conn, between=("m", "e"))] == [wanted.id]
        assert [j.id for j in judgements_of(conn, between=("e", "m"))] == [wanted.id]
