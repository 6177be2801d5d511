"""`who` held a unit's posts on a date — exact terms, dated documents, inferred tenures — and
the chain of command above a person."""

from __future__ import annotations

from datetime import date

import pytest

from dossier.registry.claims import ClaimDraft, ClaimError, Source, add_claims, reject_claim
from dossier.registry.command import chain, superiors_on, who
from dossier.registry.entities import add_entity
from dossier.registry.resolve import merge

from .helpers import add_item, post


def _setup(conn):
    agency = add_entity(conn, "unit", "General Intelligence", unit_type="agency")
    branch = add_entity(conn, "unit", "Branch 251", unit_type="branch", number=251,
                        parent_id=agency)
    people = {name: add_entity(conn, "person", name) for name in (
        "Ali Haddad", "Bassam Jaber", "Samer Khatib", "Dani Nassar", "Emad Saleh", "Fadi Darwish")}
    return agency, branch, people


def _names(holders, standing: str | None = None) -> list[str]:
    return [h.person_name for h in holders if standing is None or h.standing == standing]


def test_overlapping_terms_give_both_heads_with_their_sources(workspace) -> None:
    with workspace.engine.begin() as conn:
        _, branch, p = _setup(conn)
        item = add_item(conn, "leak/decree.txt", ["Decree appointing Bassam Jaber head"])
        post(conn, p["Ali Haddad"], branch, valid_from="2010-01-01", valid_to="2012-06-30")
        post(conn, p["Bassam Jaber"], branch, valid_from="2012-06-01", valid_to="2014-12-31",
             item_id=item, page=1, quote="appointing Bassam Jaber head")
        post(conn, p["Samer Khatib"], branch, "deputy", valid_from="2011", valid_to="2013")
        mid_2012 = who(conn, branch, date(2012, 6, 15))
        assert [(h.role, h.person_name) for h in mid_2012] == [
            ("head", "Ali Haddad"), ("head", "Bassam Jaber"), ("deputy", "Samer Khatib")]
        assert _names(who(conn, branch, date(2011, 1, 1), roles=["head"])) == ["Ali Haddad"]
        [bassam] = who(conn, branch, date(2014, 12, 31), roles=["head"])
        assert bassam.basis == "held the post from 2012-06-01 to 2014-12-31"
        [source] = bassam.claims[0].sources
        assert (source.path, source.page_number, source.quote) == (
            "leak/decree.txt", 1, "appointing Bassam Jaber head")
        assert who(conn, branch, date(2009, 1, 1), roles=["deputy"]) == []


def test_dated_documents_and_imprecise_dates(workspace) -> None:
    with workspace.engine.begin() as conn:
        _, branch, p = _setup(conn)
        post(conn, p["Dani Nassar"], branch, valid_from="2012-03-04", valid_to="2012-03-04",
             precision="within")
        post(conn, p["Emad Saleh"], branch, "deputy", valid_from="2012-03", valid_to="2012-03",
             precision="within")
        post(conn, p["Fadi Darwish"], branch, "officer", valid_from="2011", valid_to="2011",
             precision="within")
        [head] = who(conn, branch, date(2012, 3, 4), roles=["head"])
        assert head.basis == "attested on 2012-03-04" and head.confidence == 1.0
        [deputy] = who(conn, branch, date(2012, 3, 20), roles=["deputy"])
        assert deputy.basis == "attested at least once within 2012-03"
        assert deputy.confidence < head.confidence
        [officer] = who(conn, branch, date(2011, 7, 1), roles=["officer"])
        assert officer.basis == "attested at least once within 2011"
        # after the last record of the role, nothing is said
        assert who(conn, branch, date(2012, 4, 1), roles=["deputy"]) == []


def test_tenure_is_inferred_between_attestations_and_gaps_are_said(workspace) -> None:
    with workspace.engine.begin() as conn:
        _, branch, p = _setup(conn)
        for day in ("2013-02-01", "2013-08-01"):
            post(conn, p["Dani Nassar"], branch, valid_from=day, valid_to=day, precision="within")
        post(conn, p["Emad Saleh"], branch, valid_from="2014-01-10", valid_to="2014-01-10",
             precision="within")
        [inferred] = who(conn, branch, date(2013, 5, 1))
        assert inferred.standing == "holder" and inferred.person_name == "Dani Nassar"
        assert inferred.basis == "inferred from attestations on 2013-02-01 and 2013-08-01"
        assert len(inferred.claims) == 2
        gap = who(conn, branch, date(2013, 10, 1))
        assert [(h.standing, h.person_name, h.basis) for h in gap] == [
            ("candidate", "Dani Nassar", "last attested on 2013-08-01, before the date"),
            ("candidate", "Emad Saleh", "first attested on 2014-01-10, after the date")]
        assert all(h.confidence < inferred.confidence for h in gap)
        # someone else attested in between breaks the inference
        post(conn, p["Fadi Darwish"], branch, valid_from="2013-04-01", valid_to="2013-04-01",
             precision="within")
        assert _names(who(conn, branch, date(2013, 5, 1)), "holder") == []
        assert _names(who(conn, branch, date(2013, 5, 1))) == ["Fadi Darwish", "Dani Nassar"]


def test_rejected_claims_are_ignored_and_merged_persons_are_reported_once(workspace) -> None:
    with workspace.engine.begin() as conn:
        _, branch, p = _setup(conn)
        wrong = post(conn, p["Ali Haddad"], branch, valid_from="2012", valid_to="2013")
        reject_claim(conn, wrong, author="alice", reason="misread the signature")
        twin = add_entity(conn, "person", "علي حداد")
        post(conn, p["Bassam Jaber"], branch, valid_from="2012-01-01", valid_to="2012-12-31")
        post(conn, twin, branch, valid_from="2012-05-01", valid_to="2013-12-31")
        assert _names(who(conn, branch, date(2012, 6, 1))) == ["Bassam Jaber", "علي حداد"]
        merge(conn, p["Bassam Jaber"], twin, author="alice", reason="same person")
        [holder] = who(conn, branch, date(2012, 6, 1))
        assert holder.person_id == p["Bassam Jaber"] and len(holder.claims) == 2
        [later] = who(conn, branch, date(2013, 6, 1))
        assert later.person_id == p["Bassam Jaber"]


def test_open_ended_terms_are_marked(workspace) -> None:
    with workspace.engine.begin() as conn:
        _, branch, p = _setup(conn)
        post(conn, p["Emad Saleh"], branch, valid_from="2015-01")
        [holder] = who(conn, branch, date(2016, 1, 1))
        assert holder.open_end and not holder.open_start
        assert holder.basis == "held the post from 2015-01 to an unknown date"
        assert who(conn, branch, date(2014, 12, 31)) == []


def test_chain_of_command_above_a_person(workspace) -> None:
    with workspace.engine.begin() as conn:
        agency, branch, p = _setup(conn)
        post(conn, p["Fadi Darwish"], branch, "interrogator", valid_from="2012",
             valid_to="2013")
        post(conn, p["Bassam Jaber"], branch, valid_from="2011-01-01", valid_to="2014-01-01")
        post(conn, p["Ali Haddad"], agency, valid_from="2012-06-01", valid_to="2012-06-01",
             precision="within")
        result = chain(conn, p["Fadi Darwish"], date(2012, 6, 1))
        [link] = result.posts
        assert link.post.role == "interrogator" and link.unit_name == "Branch 251"
        assert [(s.unit_name, _names(s.holders)) for s in link.superiors] == [
            ("Branch 251", ["Bassam Jaber"]), ("General Intelligence", ["Ali Haddad"])]
        assert chain(conn, p["Fadi Darwish"], date(2015, 1, 1)).posts == []


def test_chain_follows_a_subordinate_to_claim_on_its_dates_only(workspace) -> None:
    with workspace.engine.begin() as conn:
        agency, branch, p = _setup(conn)
        military = add_entity(conn, "unit", "Military Intelligence", unit_type="agency")
        item = add_item(conn, "leak/attachment.txt", ["Branch 251 attached to Military "
                                                      "Intelligence from 2012"])
        [attached] = add_claims(conn, [ClaimDraft(
            branch, "subordinate_to", (Source(item, 1, "attached to Military Intelligence"),),
            object_id=military, valid_from="2012-01-01", valid_to="2012-12-31",
            author="test")])
        post(conn, p["Fadi Darwish"], branch, "interrogator", valid_from="2011",
             valid_to="2013")
        post(conn, p["Bassam Jaber"], branch, valid_from="2011-01-01", valid_to="2014-01-01")
        post(conn, p["Ali Haddad"], agency, valid_from="2010", valid_to="2014")
        post(conn, p["Samer Khatib"], military, valid_from="2010", valid_to="2014")

        [during] = chain(conn, p["Fadi Darwish"], date(2012, 6, 1)).posts
        assert [(s.unit_name, s.link, _names(s.holders)) for s in during.superiors] == [
            ("Branch 251", "own unit", ["Bassam Jaber"]),
            ("Military Intelligence", "claim", ["Samer Khatib"])]
        above = during.superiors[1]
        assert above.link_basis == (f"claim #{attached.claim_id}: subordinate from 2012-01-01 "
                                    "to 2012-12-31")
        assert above.overrides == agency
        assert above.link_claim is not None
        assert above.link_claim.sources[0].quote == "attached to Military Intelligence"
        assert above.as_dict()["link"] == "claim"

        [before] = chain(conn, p["Fadi Darwish"], date(2011, 6, 1)).posts
        assert [(s.unit_name, s.link, _names(s.holders)) for s in before.superiors] == [
            ("Branch 251", "own unit", ["Bassam Jaber"]),
            ("General Intelligence", "hierarchy", ["Ali Haddad"])]
        # a rejected claim moves nothing
        reject_claim(conn, attached.claim_id, author="alice", reason="a misdated copy")
        [rejected] = chain(conn, p["Fadi Darwish"], date(2012, 6, 1)).posts
        assert rejected.superiors[1].unit_name == "General Intelligence"


def test_chain_through_a_unit_without_a_parent_and_a_dated_attestation(workspace) -> None:
    with workspace.engine.begin() as conn:
        _, _, p = _setup(conn)
        section = add_entity(conn, "unit", "Section 40", unit_type="section")
        branch = add_entity(conn, "unit", "Branch 227", unit_type="branch")
        add_claims(conn, [ClaimDraft(section, "subordinate_to", (Source(citation="order"),),
                                     object_id=branch, valid_from="2013-05-02",
                                     valid_to="2013-05-02", time_precision="within",
                                     author="test")])
        post(conn, p["Emad Saleh"], section, valid_from="2013", valid_to="2013")
        post(conn, p["Dani Nassar"], branch, valid_from="2013", valid_to="2013")
        [link] = chain(conn, p["Emad Saleh"], date(2013, 5, 2)).posts
        assert [(s.unit_name, s.link, s.overrides, _names(s.holders))
                for s in link.superiors] == [("Branch 227", "claim", None, ["Dani Nassar"])]
        assert link.superiors[0].link_basis.endswith("attested on 2013-05-02")
        assert chain(conn, p["Emad Saleh"], date(2013, 5, 3)).posts[0].superiors == []


def test_a_year_or_a_month_attests_its_whole_period(workspace) -> None:
    with workspace.engine.begin() as conn:
        _, branch, p = _setup(conn)
        post(conn, p["Dani Nassar"], branch, valid_from="2012", precision="within")
        post(conn, p["Emad Saleh"], branch, "deputy", valid_to="2011-05", precision="within")
        for day in (date(2012, 1, 1), date(2012, 6, 1), date(2012, 12, 31)):
            [head] = who(conn, branch, day, roles=["head"])
            assert head.basis == "attested at least once within 2012"
            assert head.confidence < 1.0  # weaker than a document of that very day
        [deputy] = who(conn, branch, date(2011, 5, 31), roles=["deputy"])
        assert deputy.basis == "attested at least once within 2011-05"
        assert who(conn, branch, date(2011, 6, 1), roles=["deputy"]) == []
        # the gap between attestations is said with the dates as written
        post(conn, p["Fadi Darwish"], branch, "deputy", valid_from="2011-09-14",
             valid_to="2011-09-14", precision="within")
        before, after = who(conn, branch, date(2011, 7, 1), roles=["deputy"])
        assert before.basis == "last attested on 2011-05, before the date"
        assert after.basis == "first attested on 2011-09-14, after the date"


def test_successive_open_ended_heads_do_not_hold_the_post_together(workspace) -> None:
    with workspace.engine.begin() as conn:
        _, branch, p = _setup(conn)
        post(conn, p["Ali Haddad"], branch, valid_from="2010")
        post(conn, p["Bassam Jaber"], branch, valid_from="2012-06")
        [later] = who(conn, branch, date(2013, 1, 1))
        assert later.person_name == "Bassam Jaber" and later.standing == "holder"
        assert later.open_end
        [earlier] = who(conn, branch, date(2011, 1, 1))
        assert earlier.person_name == "Ali Haddad" and earlier.open_end
        assert earlier.basis == ("held the post from 2010 to an unknown date, inferred to end "
                                 "before 2012-06, when another holder of the role is recorded")
        assert earlier.confidence < 1.0
        assert _names(who(conn, branch, date(2012, 5, 31))) == ["Ali Haddad"]
        assert _names(who(conn, branch, date(2012, 6, 1))) == ["Bassam Jaber"]
        # another role is another post: a deputy does not end the head's term
        post(conn, p["Samer Khatib"], branch, "deputy", valid_from="2011")
        assert _names(who(conn, branch, date(2011, 6, 1))) == ["Ali Haddad", "Samer Khatib"]


def test_a_bad_date_is_refused_when_the_claim_is_made(workspace) -> None:
    with workspace.engine.begin() as conn:
        _, branch, p = _setup(conn)
        for bad in ("2011-04-01T00:00:00", "spring 2011", "2011-02-30", "11/04/2011"):
            with pytest.raises(ClaimError, match="valid_from"):
                post(conn, p["Ali Haddad"], branch, valid_from=bad)
            with pytest.raises(ClaimError, match="valid_to"):
                post(conn, p["Ali Haddad"], branch, valid_to=bad)
        assert who(conn, branch, date(2012, 1, 1)) == []


def test_a_coarser_end_in_the_same_period_is_not_before_the_start(workspace) -> None:
    with workspace.engine.begin() as conn:
        _, branch, p = _setup(conn)
        post(conn, p["Ali Haddad"], branch, valid_from="2012-03", valid_to="2012")
        post(conn, p["Bassam Jaber"], branch, "deputy", valid_from="2012-05-01",
             valid_to="2012-05")
        assert _names(who(conn, branch, date(2012, 5, 20))) == ["Ali Haddad", "Bassam Jaber"]
        with pytest.raises(ClaimError, match="after valid_to"):
            post(conn, p["Ali Haddad"], branch, valid_from="2013", valid_to="2012-12")
        with pytest.raises(ClaimError, match="after valid_to"):
            post(conn, p["Ali Haddad"], branch, valid_from="2012-06-01", valid_to="2012-05")


@pytest.mark.timeout(60)
def test_the_walk_up_stops_at_a_unit_that_has_no_row(workspace, backend) -> None:
    with workspace.engine.connect() as conn, conn.begin() as transaction:
        # a superior whose row is gone (deleted outside Dossier): the store's foreign keys
        # forbid it, so they are set aside in this transaction, which is rolled back
        conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON" if backend == "sqlite"
                             else "SET LOCAL session_replication_role = replica")
        _, branch, _ = _setup(conn)
        add_claims(conn, [ClaimDraft(branch, "subordinate_to", (Source(citation="order"),),
                                     object_id=10_000, author="test")])
        steps, names = superiors_on(conn, [branch], date(2012, 1, 1))
        assert steps[branch].above == 10_000 and 10_000 not in names
        transaction.rollback()


def test_a_closed_open_term_does_not_come_back_between_the_next_holders_records(
        workspace) -> None:
    with workspace.engine.begin() as conn:
        _, branch, p = _setup(conn)
        post(conn, p["Ali Haddad"], branch, valid_from="2010")
        post(conn, p["Bassam Jaber"], branch, valid_from="2012-06-01", valid_to="2012-06-01",
             precision="within")
        post(conn, p["Bassam Jaber"], branch, valid_from="2012-09", precision="within")
        [holder] = who(conn, branch, date(2012, 7, 15))
        assert (holder.person_name, holder.standing, holder.basis) == (
            "Bassam Jaber", "holder", "inferred from attestations on 2012-06-01 and 2012-09")
        [earlier] = who(conn, branch, date(2012, 5, 31))
        assert earlier.person_name == "Ali Haddad" and "inferred to end" in earlier.basis
