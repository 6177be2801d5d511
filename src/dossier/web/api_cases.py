"""Cases: the list, one case file, its proof matrix; statistics of proceedings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from sqlalchemy import Connection

from dossier.cases.casefile import CaseError, CaseFile, list_cases, load_case
from dossier.cases.matrix import build_matrix
from dossier.cases.proceedings_stats import BREAKDOWNS, proceedings_stats
from dossier.web.deps import ConnectionDep, PagingDep, ReadItems, WorkspaceDep
from dossier.web.errors import NotFound

router = APIRouter(tags=["cases"])

CaseRef = Annotated[str, Path(min_length=1, max_length=100, description="The case reference.")]


@router.get("/cases")
def cases(workspace: WorkspaceDep, _: ReadItems, paging: PagingDep) -> dict[str, Any]:
    """Every case by reference, with its counts and gaps (elements with no evidence)."""
    found = list_cases(workspace.engine)
    return paging.page(len(found), [case.as_dict() for case in
                                    found[paging.offset:paging.offset + paging.limit]])


@router.get("/cases/{ref}")
def case(conn: ConnectionDep, _: ReadItems, ref: CaseRef) -> dict[str, Any]:
    """The case file: suspects, charges and the evidence linked to their elements."""
    return _case(conn, ref).as_dict()


@router.get("/cases/{ref}/matrix")
def matrix(conn: ConnectionDep, _: ReadItems, ref: CaseRef) -> dict[str, Any]:
    """The proof matrix: each element of each charge, its evidence and its status (gaps)."""
    return build_matrix(_case(conn, ref)).as_dict()


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


def _case(conn: Connection, ref: str) -> CaseFile:
    try:
        return load_case(conn, ref)
    except CaseError as exc:  # the only refusal of load_case: no such case
        raise NotFound(str(exc)) from exc
