"""Cases: the list, one case file, its proof matrix, its evidence, its bundles (export, list,
verify); statistics of proceedings.

What a user sees of a case is what `dossier.cases.board` lets them see: a suspect who is a
protected person is left out for a role that may not see one, and evidence from a collection
the user may not read is withheld (its element and stance kept, its details not). A bundle holds
every exhibit, so a user from whom any evidence is withheld may not export the case.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from dossier import catalogue
from dossier.cases.board import CaseBoard, Viewer, case_board
from dossier.cases.casefile import CaseError, add_evidence, list_cases
from dossier.cases.proceedings_stats import BREAKDOWNS, proceedings_stats
from dossier.export.bundle import ExportError
from dossier.export.case_bundles import (
    BundleNotFound,
    export_to_workspace,
    list_bundles,
    verify_case_bundle,
)
from dossier.web.deps import (
    ConnectionDep,
    PagingDep,
    ReadItems,
    User,
    Verify,
    WorkspaceDep,
    audit,
    require,
    visible_collections,
)
from dossier.web.errors import ApiError, NotFound

router = APIRouter(tags=["cases"])

CaseRef = Annotated[str, Path(min_length=1, max_length=100, description="The case reference.")]
EditCases = Annotated[User, Depends(require("edit_cases"))]
Export = Annotated[User, Depends(require("export"))]


class EvidenceIn(BaseModel):
    """A piece of evidence: an item and its anchor, linked to one element of one charge."""

    charge: int = Field(ge=1, description="The charge's id (see GET /cases/{ref}).")
    element: str = Field(min_length=1, max_length=200,
                         description="The element's id, e.g. 7-1-f.severe-pain.")
    item: int = Field(ge=1, description="The item the evidence is in.")
    page: int | None = Field(None, ge=1, description="The page of the item.")
    quote: str | None = Field(None, max_length=20_000, description="The words cited.")
    region: str | None = Field(None, max_length=100,
                               description="A region of the page image: x,y,width,height.")
    stance: Literal["supports", "contradicts"] = "supports"
    source: str | None = Field(None, max_length=500, description=(
        "Who or what the evidence comes from, when the item does not say it."))
    assessment: str | None = Field(None, max_length=20_000)


class ExportIn(BaseModel):
    include: list[int] = Field(default_factory=list, description=(
        "Item ids whose originals go into the bundle although they name a protected person."))


class VerifyIn(BaseModel):
    name: str | None = Field(None, max_length=200, description=(
        "The bundle to verify (GET /cases/{ref}/bundles); all of the case's when omitted."))


def viewer(conn: Connection, user: User) -> Viewer:
    visible = visible_collections(conn, user)
    return Viewer(None if visible is None else frozenset(visible), user.sees_protected)


def _board(conn: Connection, user: User, ref: str) -> CaseBoard:
    try:
        return case_board(conn, ref, viewer(conn, user))
    except CaseError as exc:  # the only refusal of loading a case: no such case
        raise NotFound(str(exc)) from exc


@router.get("/cases")
def cases(workspace: WorkspaceDep, user: ReadItems, paging: PagingDep) -> dict[str, Any]:
    """Every case by reference, with its counts and gaps (elements with no evidence)."""
    found = list_cases(workspace.engine, hide_protected=not user.sees_protected)
    return paging.page(len(found), [case.as_dict() for case in
                                    found[paging.offset:paging.offset + paging.limit]])


@router.get("/cases/{ref}")
def case(conn: ConnectionDep, user: ReadItems, ref: CaseRef) -> dict[str, Any]:
    """The case file: suspects, charges, the evidence linked to their elements (`withheld`
    where it comes from a collection the user may not read), the proceedings of the case and
    of its suspects, and the matrix's summary."""
    return _board(conn, user, ref).as_dict()


@router.get("/cases/{ref}/matrix")
def matrix(conn: ConnectionDep, user: ReadItems, ref: CaseRef) -> dict[str, Any]:
    """The proof matrix: each element of each charge, its evidence and its status (gaps)."""
    return _board(conn, user, ref).matrix.as_dict()


@router.post("/cases/{ref}/evidence")
def evidence(workspace: WorkspaceDep, user: EditCases, ref: CaseRef,
             body: EvidenceIn) -> dict[str, Any]:
    """Link an item (a page and a quote, or a region) to one element of one charge; the same
    link twice is recorded once. Audited as a change."""
    with workspace.engine.connect() as conn:
        board = _board(conn, user, ref)
        found = catalogue.get_item(conn, body.item)
        visible = visible_collections(conn, user)
    if found is None or (visible is not None and found["collection"] not in visible):
        raise NotFound(f"no item {body.item}")
    if body.charge not in {c.id for c in board.case.charges}:
        raise NotFound(f"case {board.case.ref!r} has no charge {body.charge}")
    added = add_evidence(workspace.engine, board.case.ref, body.charge, body.element, body.item,
                         page=body.page, quote=body.quote, region=body.region,
                         stance=body.stance, source=body.source, assessment=body.assessment,
                         author=user.name)
    with workspace.engine.connect() as conn:
        audit(conn, user, "change", f"case:{board.case.ref}", {
            "evidence": added.id, "charge": added.charge_id, "element": added.element,
            "item": added.item_id, "page": added.page_number, "stance": added.stance})
        status = _board(conn, user, ref).matrix
    cell = next(c for c in status.cells_of(added.charge_id) if c.element.id == added.element)
    return {"evidence": added.as_dict(), "status": cell.status}


@router.post("/cases/{ref}/export")
def export(workspace: WorkspaceDep, user: Export, ref: CaseRef,
           body: Annotated[ExportIn | None, Body()] = None) -> dict[str, Any]:
    """Export the case as an evidence bundle into the workspace (exports/<ref>/); the answer
    names it, with its size and sha256. Refused (403) to a user from whom any of the case's
    evidence is withheld. Audited as an export."""
    with workspace.engine.connect() as conn:
        board = _board(conn, user, ref)
    if board.withheld:
        raise ApiError(403, "forbidden", f"case {board.case.ref} holds evidence from "
                                         "collections you may not read")
    try:
        result = export_to_workspace(workspace, board.case.ref, actor=user.name,
                                     include=(body or ExportIn()).include)
    except ExportError as exc:
        raise ApiError(400, "bad_request", str(exc)) from exc
    with workspace.engine.connect() as conn:
        audit(conn, user, "export", f"case:{board.case.ref}", {
            "bundle": result.path.name, "sha256": result.sha256, "exhibits": result.exhibits})
    found = result.as_dict()
    del found["path"]  # a path on the server says nothing to the client
    return {**found, "name": result.path.name, "size": result.path.stat().st_size,
            "download": f"/cases/{board.case.ref}/bundles/{result.path.name}",
            "public_key": workspace.signer.public_key_hex}


@router.get("/cases/{ref}/bundles")
def bundles(workspace: WorkspaceDep, user: ReadItems, ref: CaseRef) -> dict[str, Any]:
    """The case's bundles in the workspace, newest first: name, size, the sha256 the custody
    log recorded at export, when and by whom."""
    with workspace.engine.connect() as conn:  # closed first: SQLite holds one writer
        board = _board(conn, user, ref)
    return {"case": board.case.ref, "public_key": workspace.signer.public_key_hex,
            "bundles": [b.as_dict() for b in list_bundles(workspace, board.case.ref)]}


@router.post("/cases/{ref}/verify")
def verify(workspace: WorkspaceDep, user: Verify, ref: CaseRef,
           body: Annotated[VerifyIn | None, Body()] = None) -> dict[str, Any]:
    """Verify one of the case's bundles (or all of them) with the bundle's own verifier and
    the workspace's key, and against the sha256 recorded at export: `ok` is false when any
    problem was found, and `problems` says each. Audited."""
    with workspace.engine.connect() as conn:
        board = _board(conn, user, ref)
    name = body.name if body is not None else None
    names = [name] if name else [b.name for b in list_bundles(workspace, board.case.ref)]
    reports = []
    for bundle in names:
        try:
            report = verify_case_bundle(workspace, board.case.ref, bundle)
        except BundleNotFound as exc:
            raise NotFound(str(exc)) from exc
        reports.append({"name": bundle, **report.as_dict()})
    ok = all(report["ok"] for report in reports)
    with workspace.engine.connect() as conn:
        audit(conn, user, "verify", f"case:{board.case.ref}", {
            "bundles": names, "ok": ok})
    return {"case": board.case.ref, "ok": ok, "bundles": reports}


@router.get("/proceedings/stats")
def stats(
    conn: ConnectionDep,
    _: ReadItems,
    country: Annotated[str | None, Query(description="Only this country (ISO code).")] = None,
    by: Annotated[str, Query(description="The breakdown: " + ", ".join(BREAKDOWNS) + ".")]
        = "country",
) -> dict[str, Any]:
    """Files opened, ongoing, closed, at trial and with a verdict; extradition requests."""
    return proceedings_stats(conn, country=country, by=by).as_dict()
