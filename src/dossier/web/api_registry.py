"""The registry: entities, their profiles and claims, and who commanded a unit on a date.

A person marked protected answers 404 to a user whose role may not see protected persons, and
is left out of lists and co-mentions for them; every profile view is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from sqlalchemy import Connection

from dossier.registry.claims import list_claims
from dossier.registry.command import who as post_holders
from dossier.registry.entities import EntityError, entity_ids, get_entities, get_entity
from dossier.registry.lookup import find_entities, unit_by_reference
from dossier.registry.profile import profile
from dossier.registry.vocabulary import command_roles
from dossier.web.deps import ConnectionDep, PagingDep, ReadItems, User, audit, may_see_entity
from dossier.web.errors import NotFound

router = APIRouter(tags=["registry"])

EntityId = Annotated[int, Path(ge=1, description="The entity's id.")]


@router.get("/entities")
def list_entities(
    conn: ConnectionDep,
    user: ReadItems,
    paging: PagingDep,
    kind: Annotated[str | None, Query(description="person, unit, facility or place.",
                                      pattern="^(person|unit|facility|place)$")] = None,
    q: Annotated[str | None, Query(min_length=1, description=(
        "A name in either script: entities it may designate, best first."))] = None,
) -> dict[str, Any]:
    """Entities by id, or those a name may designate (best first, with their match score)."""
    if q:
        matches = find_entities(conn, q, kind, limit=paging.offset + paging.limit)
        shown = matches[paging.offset:]
        found = get_entities(conn, [m.entity_id for m in shown])
        return paging.page(len(matches), [
            {**found[m.entity_id].as_dict(), "score": round(m.score, 3)}
            for m in shown if m.entity_id in found and may_see_entity(user, found[m.entity_id])])
    total, ids = entity_ids(conn, kind, paging.limit, paging.offset)
    found = get_entities(conn, ids)
    return paging.page(total, [found[i].as_dict() for i in ids
                               if may_see_entity(user, found[i])])


@router.get("/entities/{entity_id}")
def entity_profile(conn: ConnectionDep, user: ReadItems,
                   entity_id: EntityId) -> dict[str, Any]:
    """The profile: names in both scripts, posts over time, documents by year, co-mentions."""
    _exists(conn, user, entity_id)
    found = profile(conn, entity_id)
    if not user.sees_protected:
        shown = get_entities(conn, [p.entity_id for p in found.persons])
        found.persons = [p for p in found.persons
                         if p.entity_id in shown and may_see_entity(user, shown[p.entity_id])]
    audit(conn, user, "view_entity", f"entity:{entity_id}")
    return found.as_dict()


@router.get("/entities/{entity_id}/claims")
def entity_claims(
    conn: ConnectionDep,
    user: ReadItems,
    entity_id: EntityId,
    status: Annotated[list[str] | None, Query(description=(
        "Only claims with this status (proposed, accepted, disputed, rejected); repeat."))]
        = None,
    predicate: Annotated[str | None, Query(description="Only this predicate.")] = None,
) -> dict[str, Any]:
    """Claims about the entity, as subject or object, with their sources."""
    _exists(conn, user, entity_id)
    found = list_claims(conn, entity_id, statuses=status, predicate=predicate)
    return {"entity": entity_id, "claims": [claim.as_dict() for claim in found]}


@router.get("/command/who")
def command_who(
    conn: ConnectionDep,
    _: ReadItems,
    unit: Annotated[str, Query(min_length=1, description=(
        "The unit or facility: #id, its number or its name."))],
    on: Annotated[date, Query(description="The date, YYYY-MM-DD.")],
    role: Annotated[list[str] | None, Query(description=(
        "Only this role; repeat for more. Default: the command posts."))] = None,
) -> dict[str, Any]:
    """Who held the posts of a unit on a date, with the claims and sources that say so."""
    unit_id = unit_by_reference(conn, unit)
    holders = post_holders(conn, unit_id, on, role or command_roles())
    return {"unit": unit_id, "on": on.isoformat(), "holders": [h.as_dict() for h in holders]}


def _exists(conn: Connection, user: User, entity_id: int) -> None:
    try:
        entity = get_entity(conn, entity_id)
    except EntityError as exc:
        raise NotFound(str(exc)) from exc
    if not may_see_entity(user, entity):
        raise NotFound(f"no entity {entity_id}")
