"""Pages of the registry: the list (by kind, or found by a name in either script), an entity's
profile, and a unit's page (its hierarchy and who held its command posts on a date).

Persons marked protected answer 404 to a role that may not see them and are left out of
lists, counts, company, claims and graphs for it; every profile and unit page viewed is
audited ("view_entity"), and a search of the registry by name as a search.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from dossier.registry.claims import ClaimView
from dossier.registry.entities import UNIT_KINDS, Entity, EntityError, get_entity
from dossier.registry.lookup import browse_entities
from dossier.registry.profile import UNDATED, Profile, profile, profile_claims
from dossier.registry.timeline import Timeline, timeline
from dossier.registry.units import unit_view
from dossier.registry.vocabulary import ENTITY_KINDS
from dossier.web.deps import User, WorkspaceDep, audit, may_see_entity, visible_collections
from dossier.web.errors import NotFound
from dossier.web.i18n import DIRECTION, translator
from dossier.web.pages.auth import PageReadItems
from dossier.web.pages.render import page_language, render

router = APIRouter()


def page_direction(request: Request, user: User) -> str:
    return DIRECTION[page_language(request, user)]

PER_PAGE = 25
EntityId = Annotated[int, Path(ge=1)]


def entity_url(kind: str, entity_id: int) -> str:
    """The page of an entity: its unit page for a unit or facility, its profile otherwise."""
    return f"/units/{entity_id}" if kind in UNIT_KINDS else f"/entities/{entity_id}"


@router.get("/entities", response_class=HTMLResponse)
def entities_page(request: Request, workspace: WorkspaceDep, user: PageReadItems,
                  q: Annotated[str | None, Query(max_length=500)] = None,
                  kind: Annotated[str | None, Query(max_length=20)] = None,
                  offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    """The registry: every entity of a kind, or those a name in either script may designate."""
    q = (q or "").strip() or None
    kind = kind if kind in ENTITY_KINDS else None
    with workspace.engine.connect() as conn:
        found = browse_entities(conn, q=q, kind=kind, limit=PER_PAGE, offset=offset,
                                hide_protected=not user.sees_protected)
        if q:
            audit(conn, user, "search", "registry", {"query": q, "kind": kind})
    return render(request, user, "entities.html", q=q or "", kind=kind or "", kinds=ENTITY_KINDS,
                  listing=found, offset=offset, limit=PER_PAGE, entity_url=entity_url)


WIDTH, ROW, AXIS, PAD = 1000, 34, 26, 12


def svg_timeline(axis: Timeline, rtl: bool, label: Callable[[ClaimView], str]
                 ) -> dict[str, Any]:
    """Where to draw each bar and year of a timeline in an SVG ``WIDTH`` wide (mirrored for
    a right-to-left page), with each bar's label and classes."""
    span = WIDTH - 2 * PAD

    def x(fraction: float) -> float:
        return round(PAD + (1 - fraction if rtl else fraction) * span, 1)

    bars = []
    for row, bar in enumerate(axis.bars):
        left, right = sorted((x(bar.start), x(bar.end)))
        start_edge = right if rtl else left
        anchor_at_start = bar.start < 0.6
        bars.append({
            "x": left, "width": max(round(right - left, 1), 4.0), "y": 8 + row * ROW,
            "text_x": start_edge if anchor_at_start else (left if rtl else right),
            # in a right-to-left page SVG's "start" is the right: the text runs inwards
            "anchor": "start" if anchor_at_start else "end",
            "label": label(bar.claim), "period": bar.period, "claim": bar.claim,
            "classes": " ".join(["bar", f"status-{bar.claim.status}"]
                                + (["within"] if bar.within else [])
                                + (["open-start"] if bar.open_start else [])
                                + (["open-end"] if bar.open_end else []))})
    height = 8 + len(bars) * ROW + AXIS
    return {"width": WIDTH, "height": height, "bars": bars, "axis_y": height - AXIS + 4,
            "ticks": [{"x": x(f), "year": year} for year, f in axis.ticks()]}


def _visible(conn: Connection, user: User, entity_id: int) -> Entity:
    try:
        entity = get_entity(conn, entity_id)
    except EntityError as exc:
        raise NotFound(str(exc)) from exc
    if not may_see_entity(user, entity):
        raise NotFound(f"no entity {entity_id}")
    return entity


def graph_data(found: Profile) -> dict[str, Any]:
    """The company of the entity as nodes and edges for the network graph."""
    center = found.entity
    nodes = [{"id": str(center.id), "label": center.name, "kind": center.kind,
              "url": entity_url(center.kind, center.id), "center": True}]
    edges = []
    for other in found.units + found.persons:
        nodes.append({"id": str(other.entity_id), "label": other.name, "kind": other.kind,
                      "url": entity_url(other.kind, other.entity_id), "center": False})
        edges.append({"source": str(found.entity.id), "target": str(other.entity_id),
                      "weight": other.pages})
    edges += [{"source": str(link.left), "target": str(link.right), "weight": link.pages}
              for link in found.links]
    return {"nodes": nodes, "edges": edges}


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, workspace: WorkspaceDep, user: PageReadItems,
                entity_id: EntityId) -> HTMLResponse:
    """An entity's profile: its names in both scripts, its posts as a timeline, the documents
    that mention it by year, the persons and units mentioned with it, and every claim about it
    with its sources."""
    with workspace.engine.connect() as conn:
        _visible(conn, user, entity_id)
        readable = visible_collections(conn, user)
        hide = not user.sees_protected
        found = profile(conn, entity_id, hide_protected=hide, readable=readable)
        claims = profile_claims(conn, found.members, hide_protected=hide, readable=readable)
        audit(conn, user, "view_entity", f"entity:{entity_id}")
    t = translator(page_language(request, user))
    chart = {"labels": [t("registry.undated") if y.year == UNDATED else y.year
                        for y in found.documents_by_year],
             "counts": [y.documents for y in found.documents_by_year],
             "label": t("registry.documents")}
    members = set(found.members)

    def post_label(claim: ClaimView) -> str:  # the unit for the person, the person for a unit
        return (claim.object_name if claim.subject_id in members else claim.subject_name) or ""

    rtl = page_direction(request, user) == "rtl"
    return render(request, user, "entity.html", found=found, claims=claims,
                  timeline=svg_timeline(timeline(found.posts, today=date.today()), rtl,
                                        post_label), chart=chart,
                  graph=graph_data(found), entity_url=entity_url,
                  arabic=[n for n in found.names if n.script == "arab"],
                  latin=[n for n in found.names if n.script != "arab"])


@router.get("/units/{entity_id}", response_class=HTMLResponse, response_model=None)
def unit_page(request: Request, workspace: WorkspaceDep, user: PageReadItems,
              entity_id: EntityId,
              on: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    """A unit's page: its parents and children, who held its command posts on the date asked
    (with the claims and sources), and every holder of its posts over time."""
    day, bad_date = None, False
    if on:
        try:
            day = date.fromisoformat(on)
        except ValueError:
            bad_date = True
    with workspace.engine.connect() as conn:
        entity = _visible(conn, user, entity_id)
        if entity.kind not in UNIT_KINDS:
            return RedirectResponse(f"/entities/{entity_id}", status_code=303)
        view = unit_view(conn, entity_id, day, hide_protected=not user.sees_protected,
                         readable=visible_collections(conn, user))
        audit(conn, user, "view_entity", f"entity:{entity_id}",
              {"on": day.isoformat()} if day else None)
    rtl = page_direction(request, user) == "rtl"
    return render(request, user, "unit.html", view=view, on=on or "", bad_date=bad_date,
                  timeline=svg_timeline(timeline(view.history, today=date.today()), rtl,
                                        lambda c: c.subject_name),
                  entity_url=entity_url)
