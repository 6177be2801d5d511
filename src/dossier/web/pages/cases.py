"""Pages: the list of cases and the case board (suspects, charges, the proof matrix with its
gaps, the evidence, proceedings and bundles), with the forms to add evidence, export a bundle
and verify one, each shown only to the roles that may use it."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated, Any
from urllib.parse import quote as url_quote

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from dossier import catalogue
from dossier.cases.board import CaseBoard, Viewer, case_board
from dossier.cases.casefile import STANCES, CaseError, add_evidence, list_cases
from dossier.export.bundle import ExportError
from dossier.export.case_bundles import (
    BundleNotFound,
    export_to_workspace,
    find_bundle,
    list_bundles,
    verify_case_bundle,
)
from dossier.web.deps import User, WorkspaceDep, audit, visible_collections
from dossier.web.errors import ApiError, NotFound
from dossier.web.pages.auth import PageEditCases, PageExport, PageReadItems, PageVerify
from dossier.web.pages.render import render
from dossier.workspace import Workspace

router = APIRouter()

CaseRef = Annotated[str, Path(min_length=1, max_length=100)]
Field = Annotated[str, Form(max_length=20_000)]


def viewer(conn: Connection, user: User) -> Viewer:
    """What `user` may see of a case: their collections, and protected persons or not."""
    visible = visible_collections(conn, user)
    return Viewer(None if visible is None else frozenset(visible), user.sees_protected)


def load_board(conn: Connection, user: User, ref: str) -> CaseBoard:
    try:
        return case_board(conn, ref, viewer(conn, user))
    except CaseError as exc:  # the only refusal of loading a case: there is no such case
        raise NotFound(str(exc)) from exc


@router.get("/cases", response_class=HTMLResponse)
def cases(request: Request, workspace: WorkspaceDep, user: PageReadItems) -> HTMLResponse:
    """Every case with its suspects, charges, evidence and gaps."""
    found = list_cases(workspace.engine, hide_protected=not user.sees_protected)
    return render(request, user, "cases.html", cases=found)


@router.get("/cases/{ref}", response_class=HTMLResponse)
def case(request: Request, workspace: WorkspaceDep, user: PageReadItems,
         ref: CaseRef) -> HTMLResponse:
    return board_page(request, workspace, user, ref)


def board_page(request: Request, workspace: Workspace, user: User, ref: str, *,
               status_code: int = 200, **context: Any) -> HTMLResponse:
    """The case board, with what a form just did (or why it could not) in ``context``."""
    with workspace.engine.connect() as conn:
        board = load_board(conn, user, ref)
    bundles = (list_bundles(workspace, board.case.ref)
               if user.can("export") or user.can("verify") else [])
    context.setdefault("evidence_error", None)
    context.setdefault("evidence_form", {})
    context.setdefault("export_error", None)
    context.setdefault("verify", None)
    return render(request, user, "case.html", status_code=status_code, board=board,
                  case=board.case, matrix=board.matrix, bundles=bundles, stances=STANCES,
                  suspects={s.id: s for s in board.case.suspects},
                  added=request.query_params.get("added"),
                  exported=request.query_params.get("exported"), **context)


def _number(text: str, field: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise CaseError(f"{field}: a whole number from 1 (got {text!r})")
    return int(text)


@router.post("/cases/{ref}/evidence", response_class=HTMLResponse, response_model=None)
def add_evidence_form(request: Request, workspace: WorkspaceDep, user: PageEditCases,
                      ref: CaseRef, item: Field = "", page: Field = "", quote: Field = "",
                      region: Field = "", element: Field = "", stance: Field = "supports",
                      source: Field = "", assessment: Field = "") -> Response:
    """Link an item (a page and a quote, or a region of its image) to one element of one
    charge: `element` is "charge id:element id" as the form's select gives it."""
    form = {"item": item, "page": page, "quote": quote, "region": region,
            "element": element, "stance": stance, "source": source, "assessment": assessment}
    try:
        item_id = _number(item, "item")
        if item_id is None:
            raise CaseError("item: give the id of the item the evidence is in")
        with workspace.engine.connect() as conn:
            board = load_board(conn, user, ref)
            found = catalogue.get_item(conn, item_id)
            visible = visible_collections(conn, user)
        if found is None or (visible is not None and found["collection"] not in visible):
            raise CaseError(f"item: no item {item_id}")
        charge_text, _, element_id = element.partition(":")
        charges = {str(c.id): c for c in board.case.charges}
        if charge_text not in charges or not element_id:
            raise CaseError("element: choose the element of a charge the evidence goes to")
        added = add_evidence(
            workspace.engine, board.case.ref, charges[charge_text].id, element_id, item_id,
            page=_number(page, "page"), quote=quote, region=region.strip() or None,
            stance=stance, source=source, assessment=assessment, author=user.name)
    except CaseError as exc:
        return board_page(request, workspace, user, ref, status_code=400,
                          evidence_error=str(exc), evidence_form=form)
    with workspace.engine.connect() as conn:
        audit(conn, user, "change", f"case:{board.case.ref}", {
            "evidence": added.id, "charge": added.charge_id, "element": added.element,
            "item": added.item_id, "page": added.page_number, "stance": added.stance})
    return RedirectResponse(f"/cases/{quote_ref(board.case.ref)}?added={added.id}"
                            f"#evidence-{added.id}", status_code=303)


@router.post("/cases/{ref}/export", response_class=HTMLResponse, response_model=None)
def export_form(request: Request, workspace: WorkspaceDep, user: PageExport,
                ref: CaseRef) -> Response:
    """Export the case as a bundle into the workspace's exports folder."""
    with workspace.engine.connect() as conn:
        board = load_board(conn, user, ref)
    refuse_withheld(board, user)
    try:
        result = export_to_workspace(workspace, board.case.ref, actor=user.name)
    except ExportError as exc:
        return board_page(request, workspace, user, ref, status_code=400,
                          export_error=str(exc))
    with workspace.engine.connect() as conn:
        audit(conn, user, "export", f"case:{board.case.ref}", {
            "bundle": result.path.name, "sha256": result.sha256, "exhibits": result.exhibits})
    return RedirectResponse(f"/cases/{quote_ref(board.case.ref)}?exported="
                            f"{url_quote(result.path.name)}#bundles", status_code=303)


@router.get("/cases/{ref}/bundles/{name}", response_model=None)
def download_bundle(workspace: WorkspaceDep, user: PageExport, ref: CaseRef,
                    name: Annotated[str, Path(max_length=200)]) -> FileResponse:
    """The bundle as a file to save (audited as an export)."""
    with workspace.engine.connect() as conn:
        board = load_board(conn, user, ref)
    path = bundle_path(workspace, board.case.ref, name)
    refuse_withheld(board, user)
    with workspace.engine.connect() as conn:
        audit(conn, user, "export", f"case:{board.case.ref}", {"bundle": name,
                                                               "download": True})
    return FileResponse(path, media_type="application/zip", filename=name,
                        headers={"Cache-Control": "no-store"})


@router.post("/cases/{ref}/verify", response_class=HTMLResponse)
def verify_form(request: Request, workspace: WorkspaceDep, user: PageVerify, ref: CaseRef,
                name: Annotated[str, Form(max_length=200)] = "") -> HTMLResponse:
    """Verify one of the case's bundles against the workspace's key; the board shows the
    verdict and every problem in #verify-result."""
    with workspace.engine.connect() as conn:
        board = load_board(conn, user, ref)
    if not name.strip():
        return board_page(request, workspace, user, ref, status_code=400,
                          verify={"name": "", "report": None,
                                  "error": "choose the bundle to verify"})
    bundle_path(workspace, board.case.ref, name)
    report = verify_case_bundle(workspace, board.case.ref, name)
    with workspace.engine.connect() as conn:
        audit(conn, user, "verify", f"case:{board.case.ref}", {
            "bundle": name, "ok": report.ok, "problems": len(report.problems)})
    return board_page(request, workspace, user, ref, verify={"name": name, "report": report,
                                                             "error": None})


def bundle_path(workspace: Workspace, ref: str, name: str) -> FilePath:
    try:
        return find_bundle(workspace, ref, name)
    except BundleNotFound as exc:
        raise NotFound(str(exc)) from exc


def refuse_withheld(board: CaseBoard, user: User) -> None:
    """A bundle holds every exhibit of the case: it is not for a user who may not read all
    of them."""
    if board.withheld:
        raise ApiError(403, "forbidden", f"case {board.case.ref} holds evidence from "
                                         f"collections your account ({user.name}) may not "
                                         "read: its bundles are not yours to export")


def quote_ref(ref: str) -> str:
    return url_quote(ref, safe="")
