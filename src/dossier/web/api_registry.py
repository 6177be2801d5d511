"""The registry: entities, their profiles and claims, and who commanded a unit on a date.

A person marked protected answers 404 to a user whose role may not see protected persons, and
is left out of lists (and their totals), co-mentions, claims and post holders for them; the
sources of claims in collections the user may not read are left out (and counted). Every
profile view is audited, and a search of the registry by name as a search.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from sqlalchemy import Connection

from dossier.registry.claims import list_claims, readable_sources
from dossier.registry.command import who as post_holders
from dossier.registry.entities import EntityError, get_entity
from dossier.registry.lookup import browse_entities, unit_by_reference
from dossier.registry.profile import profile
from dossier.registry.units import visible_holders
from dossier.registry.vocabulary import command_roles
from dossier.web.deps import (
    ConnectionDep,
    PagingDep,
    ReadItems,
    User,
    audit,
    may_see_entity,
    visible_collections,
)
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
        "A name in either script: entities it may designate, best first (at most 200)."))]
        = None,
) -> dict[str, Any]:
    """Entities by id, or those a name may designate (best first, with their match score).
    The total counts only the entities the user may see."""
    found = browse_entities(conn, q=q, kind=kind, limit=paging.limit, offset=paging.offset,
                            hide_protected=not user.sees_protected)
    if q:
        audit(conn, user, "search", "registry", {"query": q, "kind": kind})
    return paging.page(found.total, found.as_dicts())


@router.get("/entities/{entity_id}")
def entity_profile(conn: ConnectionDep, user: ReadItems,
                   entity_id: EntityId) -> dict[str, Any]:
    """The profile: names in both scripts, posts over time, documents by year, co-mentions
    (and how often each two of them appear together)."""
    _exists(conn, user, entity_id)
    found = profile(conn, entity_id, hide_protected=not user.sees_protected,
                    readable=visible_collections(conn, user))
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
    """Claims about the entity, as subject or object, with their sources (those in
    collections the user may not read are left out and counted as withheld_sources)."""
    _exists(conn, user, entity_id)
    found = list_claims(conn, entity_id, statuses=status, predicate=predicate,
                        hide_protected=not user.sees_protected)
    shown = readable_sources(found, visible_collections(conn, user))
    return {"entity": entity_id, "claims": [claim.as_dict() for claim in shown]}


@router.get("/command/who")
def command_who(
    conn: ConnectionDep,
    user: ReadItems,
    unit: Annotated[str, Query(min_length=1, description=(
        "The unit or facility: #id, its number or its name."))],
    on: Annotated[date, Query(description="The date, YYYY-MM-DD.")],
    role: Annotated[list[str] | None, Query(description=(
        "Only this role; repeat for more. Default: the command posts."))] = None,
) -> dict[str, Any]:
    """Who held the posts of a unit on a date, with the claims and sources that say so."""
    unit_id = unit_by_reference(conn, unit)
    holders = visible_holders(conn, post_holders(conn, unit_id, on, role or command_roles()),
                              hide_protected=not user.sees_protected,
                              readable=visible_collections(conn, user))
    return {"unit": unit_id, "on": on.isoformat(), "holders": [h.as_dict() for h in holders]}


def _exists(conn: Connection, user: User, entity_id: int) -> None:
    try:
        entity = get_entity(conn, entity_id)
    except EntityError as exc:
        raise NotFound(str(exc)) from exc
    if not may_see_entity(user, entity):
        raise NotFound(f"no entity {entity_id}")
