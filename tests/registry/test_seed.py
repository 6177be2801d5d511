"""The synthetic world's officers and units go into the registry, without their posts."""

from __future__ import annotations

from sqlalchemy import func, select

from dossier.demo.registry_seed import governorate_id, seed_registry
from dossier.demo.world import GOVERNORATES, build_world
from dossier.registry.entities import get_entity
from dossier.registry.lookup import find_entities
from dossier.store.schema import claims, entities


def test_seed_puts_every_name_the_hierarchy_and_the_places_but_no_post(workspace) -> None:
    world = build_world(7, officers=30, detainees=0)
    with workspace.engine.begin() as conn:
        ids = seed_registry(conn, world)
        assert conn.scalar(select(func.count()).select_from(claims)) == 0
        assert conn.scalar(select(func.count()).select_from(entities)) == len(ids) == (
            len(world.persons) + len(world.units) + len(world.facilities) + len(GOVERNORATES))
        branch = get_entity(conn, ids["GI-251"])
        assert branch.parent_id == ids["GI"] and branch.number == "251"
        assert {"فرع الخطيب", "al-Khatib branch", "branche 251"} <= {n.name for n in branch.names}
        assert get_entity(conn, ids["F-601"]).kind == "facility"
        deir = get_entity(conn, ids[governorate_id(11)])
        assert deir.kind == "place" and deir.name == "Deir ez-Zor"
        assert {"دير الزور", "Deir ez-Zor"} <= {n.name for n in deir.names}
        assert find_entities(conn, "Rif Dimachq", "place")[0].entity_id == ids[
            governorate_id(1)]
        assert find_entities(conn, "الفرع ٢٥١", "unit")[0].entity_id == ids["GI-251"]
        person = world.persons[0]
        stored = get_entity(conn, ids[person.id])
        assert set(person.ar_names + person.en_names + person.fr_names) <= {
            n.name for n in stored.names}
        assert stored.attributes["birth_year"] == person.birth_year
        with_kunya = next(p for p in world.persons if p.kunya is not None)
        kunyas = [n for n in get_entity(conn, ids[with_kunya.id]).names if n.kind == "kunya"]
        assert kunyas and kunyas[0].name == f"أبو {with_kunya.kunya.ar}"
        found = find_entities(conn, person.fr_names[-1], "person")
        assert found[0].entity_id == ids[person.id]
