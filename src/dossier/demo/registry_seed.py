"""Put the synthetic world's officers, units, facilities and places into the registry — not
their posts.

The posts are what extraction has to find in the leak; the names (every Arabic, English and
French spelling, the kunya) and the unit hierarchy are what an investigator's registry holds
before reading it, and what the gazetteer of the extractor is built from. The places are the
governorates the documents name (where a detainee comes from, where an arrest was made); the
world has no smaller places its documents write.
"""

from __future__ import annotations

from sqlalchemy import Connection

from dossier.demo.world import GOVERNORATES, World
from dossier.registry.entities import NameSpec, add_entity, number_in

__all__ = ["governorate_id", "seed_registry"]

_UNIT_KIND = {"agency": "unit", "branch": "unit", "prison": "facility", "hospital": "facility"}


def governorate_id(index: int) -> str:
    """The world id of a governorate (``GOVERNORATES[index]``): "GOV-DEIR-EZ-ZOR"."""
    return "GOV-" + GOVERNORATES[index][1].upper().replace(" ", "-")


def seed_registry(conn: Connection, world: World, *, actor: str = "demo") -> dict[str, int]:
    """Add the world's units, facilities, places and persons; returns world id → entity id
    (a governorate's world id is :func:`governorate_id`)."""
    ids: dict[str, int] = {}
    source = f"synthetic world, seed {world.seed}"
    for unit in world.units + world.facilities:  # agencies come before their branches
        names: list[NameSpec] = [(n, lang, "alias") for lang, spelled in
                                 (("ar", unit.ar), ("en", unit.en), ("fr", unit.fr))
                                 for n in spelled]
        number = unit.number or number_in(unit.en[0])
        ids[unit.id] = add_entity(
            conn, _UNIT_KIND[unit.kind], unit.en[0], names=names, unit_type=unit.kind,
            number=number, parent_id=ids[unit.parent] if unit.parent else None,
            external_id=f"world:{unit.id}", attributes={"world_id": unit.id}, actor=actor,
            source=source)
    for index, spellings in enumerate(GOVERNORATES):
        world_id = governorate_id(index)
        names = [(n, lang, "alias") for lang, n in zip(("ar", "en", "fr"), spellings, strict=True)]
        ids[world_id] = add_entity(
            conn, "place", spellings[1], names=names, external_id=f"world:{world_id}",
            attributes={"world_id": world_id, "type": "governorate"}, actor=actor, source=source)
    for person in world.persons:
        names = [(n, lang, "variant") for lang, spelled in
                 (("ar", person.ar_names), ("en", person.en_names), ("fr", person.fr_names))
                 for n in spelled]
        if person.kunya is not None:
            names.append((f"أبو {person.kunya.ar}", "ar", "kunya"))
            names += [(f"Abu {spelling}", "en", "kunya") for spelling in person.kunya.en]
        ids[person.id] = add_entity(
            conn, "person", person.en_names[0], names=names, external_id=f"world:{person.id}",
            attributes={"world_id": person.id, "birth_year": person.birth_year},
            actor=actor, source=source)
    return ids
