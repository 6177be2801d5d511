"""A unit as its page shows it: its place in the hierarchy, who held its posts on a date (with
the claims and sources that say so), and every holder of its posts over time.

What a reader may not see is left out here, once for every caller: persons marked protected
(``hide_protected``) and the sources in collections outside ``readable``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection

from dossier.registry.claims import ClaimView, list_claims, readable_sources
from dossier.registry.command import PostHolder, who
from dossier.registry.entities import (
    UNIT_KINDS,
    Entity,
    EntityError,
    ancestors,
    children,
    get_entity,
    protected_ids,
)
from dossier.registry.vocabulary import command_roles


@dataclass
class UnitView:
    unit: Entity
    ancestors: list[Entity]  # nearest first
    children: list[Entity]
    on: date | None
    holders: list[PostHolder] = field(default_factory=list)  # on the date
    history: list[ClaimView] = field(default_factory=list)  # every post claim, oldest first

    def as_dict(self) -> dict[str, Any]:
        return {"unit": {k: v for k, v in self.unit.as_dict().items() if k != "names"},
                "ancestors": [{"id": a.id, "name": a.name, "kind": a.kind}
                              for a in self.ancestors],
                "children": [{"id": c.id, "name": c.name, "kind": c.kind}
                             for c in self.children],
                "on": self.on.isoformat() if self.on else None,
                "holders": [h.as_dict() for h in self.holders],
                "history": [c.as_dict() for c in self.history]}


def unit_view(conn: Connection, unit_id: int, on: date | None = None, *,
              hide_protected: bool = False, readable: Collection[str] | None = None
              ) -> UnitView:
    """The unit (or facility) with its parents and children, the holders of its command posts
    on ``on`` (none without a date), and the claims of every post in it; EntityError when
    ``unit_id`` is not a unit or facility."""
    unit = get_entity(conn, unit_id)
    if unit.kind not in UNIT_KINDS:
        raise EntityError(f"entity {unit_id} is a {unit.kind}, not a unit or facility")
    view = UnitView(unit, ancestors(conn, unit_id), children(conn, unit_id), on)
    if on is not None:
        view.holders = visible_holders(conn, who(conn, unit_id, on, command_roles()),
                                       hide_protected=hide_protected, readable=readable)
    history = [claim for claim in list_claims(conn, unit_id, predicate="holds_post",
                                              hide_protected=hide_protected)
               if claim.status != "rejected" and claim.object_id == unit_id]
    view.history = readable_sources(history, readable)
    return view


def visible_holders(conn: Connection, holders: list[PostHolder], *, hide_protected: bool = False,
                    readable: Collection[str] | None = None) -> list[PostHolder]:
    """The holders a reader may see (no protected person with ``hide_protected``), each claim
    with only the sources in the collections ``readable`` (None: all)."""
    hidden = protected_ids(conn, {h.person_id for h in holders}) if hide_protected else set()
    shown = [h for h in holders if h.person_id not in hidden]
    if readable is not None:
        for holder in shown:
            for claim in holder.claims:
                claim.sources = [s for s in claim.sources
                                 if s.item_id is None or s.collection in readable]
    return shown
