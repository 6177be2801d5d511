"""Entities with names in both scripts, looked up across scripts; the unit hierarchy."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dossier.registry.claims import ClaimDraft, ClaimError, Source, add_claims
from dossier.registry.entities import (
    EntityError,
    add_entity,
    ancestors,
    children,
    get_entities,
    get_entity,
)
from dossier.registry.lookup import entity_by_reference, find_entities
from dossier.registry.vocabulary import predicates, unit_types
from dossier.store.schema import entity_names


def test_names_are_stored_with_script_and_a_cross_script_key(workspace) -> None:
    with workspace.engine.begin() as conn:
        person = add_entity(conn, "person", "Jamil Hassan",
                            names=["جميل حسن", ("Jameel al-Hasan", "en", "alias")],
                            attributes={"birth_date": "1953-01-01"}, actor="alice")
        rows = {r.name: r for r in conn.execute(select(entity_names)
                                                .where(entity_names.c.entity_id == person))}
        entity = get_entity(conn, person)
    assert rows["جميل حسن"].script == "arab" and rows["جميل حسن"].lang == "ar"
    assert rows["Jamil Hassan"].script == "latn" and rows["Jamil Hassan"].kind == "primary"
    assert rows["جميل حسن"].key == rows["Jamil Hassan"].key == rows["Jameel al-Hasan"].key
    assert entity.attributes == {"birth_date": "1953-01-01"}
    assert {n.name for n in entity.names} == {"Jamil Hassan", "جميل حسن", "Jameel al-Hasan"}


def test_find_entities_across_scripts_and_spellings(workspace) -> None:
    with workspace.engine.begin() as conn:
        jamil = add_entity(conn, "person", "Jamil Hassan", names=["جميل حسن"])
        other = add_entity(conn, "person", "Mohammad Hussein")
        add_entity(conn, "person", "Mohammad Hassan")
        for query in ("العميد جميل حسن", "Brig. Gen. Jameel al-Hasan", "HASSAN Jamil"):
            found = find_entities(conn, query)
            assert found and found[0].entity_id == jamil, query
            assert found[0].decision == "same" and found[0].features
        assert [m.entity_id for m in find_entities(conn, "محمد حسين")][:1] == [other]
        assert find_entities(conn, "Samer Khatib") == []


def test_units_are_found_by_number_in_any_script(workspace) -> None:
    with workspace.engine.begin() as conn:
        agency = add_entity(conn, "unit", "General Intelligence Directorate", unit_type="agency",
                            names=["إدارة المخابرات العامة"])
        branch = add_entity(conn, "unit", "Branch 251", unit_type="branch", number=251,
                            parent_id=agency, names=["الفرع ٢٥١", "al-Khatib branch"])
        add_entity(conn, "unit", "Branch 285", unit_type="branch", number=285, parent_id=agency)
        prison = add_entity(conn, "facility", "Saydnaya Military Prison", unit_type="prison")
        assert find_entities(conn, "الفرع 251", "unit")[0].entity_id == branch
        assert find_entities(conn, "Branch ٢٥١")[0].entity_id == branch
        assert find_entities(conn, "al-Khatib branch", "unit")[0].entity_id == branch
        assert find_entities(conn, "Saydnaya Military Prison", "facility")[0].entity_id == prison
        assert [e.id for e in children(conn, agency)] == [branch, branch + 1]
        assert [e.id for e in ancestors(conn, branch)] == [agency]


def test_bad_entities_are_refused_with_the_reason(workspace) -> None:
    with workspace.engine.begin() as conn:
        person = add_entity(conn, "person", "Samer Youssef")
        with pytest.raises(EntityError, match="unknown entity kind"):
            add_entity(conn, "vehicle", "Truck")
        with pytest.raises(EntityError, match="unknown unit type"):
            add_entity(conn, "unit", "Battalion 7", unit_type="battalion")
        with pytest.raises(EntityError, match="for a facility"):
            add_entity(conn, "unit", "Adra", unit_type="prison")
        with pytest.raises(EntityError, match="not a unit"):
            add_entity(conn, "unit", "Branch 9", unit_type="branch", parent_id=person)


def test_vocabulary_is_data_and_unknown_predicates_are_refused(workspace) -> None:
    assert {"holds_post", "commands", "member_of", "subordinate_to", "detained_at", "died_at",
            "resides_in", "present_in", "nationality", "has_rank"} <= set(predicates())
    assert predicates()["has_rank"].literal and not predicates()["holds_post"].literal
    assert unit_types()["prison"].kind == "facility"
    with workspace.engine.begin() as conn:
        person = add_entity(conn, "person", "Samer Youssef")
        source = (Source(citation="a report"),)
        with pytest.raises(ClaimError, match="unknown predicate 'tortured'"):
            add_claims(conn, [ClaimDraft(person, "tortured", source, object_id=person)])
        with pytest.raises(ClaimError, match="needs a value"):
            add_claims(conn, [ClaimDraft(person, "has_rank", source)])
        added = add_claims(conn, [ClaimDraft(person, "has_rank", source, value="Colonel")])
        assert added[0].new_claim


def test_a_unit_without_a_number_takes_the_number_of_its_name(workspace) -> None:
    with workspace.engine.begin() as conn:
        branch = add_entity(conn, "unit", "Branch 251", unit_type="branch")
        prison = add_entity(conn, "facility", "Sednaya prison", unit_type="prison",
                            names=["سجن صيدنايا ٢"])
        numbered = add_entity(conn, "unit", "Branch 251 annex", unit_type="branch", number=252)
        person = add_entity(conn, "person", "Agent 007")
        found = get_entities(conn, [branch, prison, numbered, person])
        assert [found[e].number for e in (branch, prison, numbered, person)] == [
            "251", "2", "252", None]
        assert entity_by_reference(conn, "الفرع 251", "unit") == branch
