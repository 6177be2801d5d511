"""Victims: documented victims counted once with their breakdowns, the same as CSV, and the
estimate of the unrecorded (as `dossier victims stats` and `dossier victims estimate`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from dossier.victims.estimate import (
    DEFAULT_MIN_RECORDS,
    STRATA,
    parse_strata,
    victims_estimate,
)
from dossier.victims.estimate_table import estimate_table
from dossier.victims.mse import CAVEATS, METHODS, EstimationError
from dossier.victims.stats import BREAKDOWNS, parse_breakdowns, victim_stats
from dossier.web.deps import ConnectionDep, ReadItems, User, audit, require
from dossier.web.errors import ApiError

router = APIRouter(tags=["victims"])

Export = Annotated[User, Depends(require("export"))]
By = Annotated[str | None, Query(
    max_length=200, description="Breakdowns, comma-separated: " + ", ".join(BREAKDOWNS)
                                + " (default: all).")]


def _breakdowns(by: str | None) -> list[str]:
    try:
        return parse_breakdowns(by)
    except ValueError as exc:
        raise ApiError(400, "bad_request", str(exc)) from exc


@router.get("/victims/stats")
def stats(conn: ConnectionDep, _: ReadItems, by: By = None) -> dict[str, Any]:
    """Victims counted once (a cluster of linked records), with their breakdowns, the counts
    per list, the overlaps between lists, the capture patterns and the counting rules."""
    return victim_stats(conn, _breakdowns(by)).as_dict()


@router.get("/victims/export.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}},
                             "description": "breakdown,value,victims; the total first."}})
def export_csv(conn: ConnectionDep, user: Export, by: By = None) -> Response:
    """The breakdowns as CSV (breakdown,value,victims, the total on the first line). Audited
    as an export."""
    shown = _breakdowns(by)
    found = victim_stats(conn, shown)
    audit(conn, user, "export", "victims", {"format": "csv", "by": shown,
                                            "victims": found.victims})
    return Response(found.to_csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="victims.csv"'})


@router.get("/victims/estimate")
def estimate(
    conn: ConnectionDep,
    _: ReadItems,
    method: Annotated[str, Query(pattern="^(" + "|".join(METHODS) + ")$", description=(
        "The estimator: " + ", ".join(METHODS) + " (latent classes, log-linear models chosen "
        "by BIC, model averaging over decomposable graphs)."))] = METHODS[0],
    seed: Annotated[int | None, Query(ge=0, le=2**32 - 1, description=(
        "Seed of the random numbers: the same seed gives the same result."))] = None,
    strata: Annotated[str | None, Query(max_length=200, description=(
        "Estimate within strata of: " + ", ".join(STRATA) + " (comma-separated), and add "
        "up."))] = None,
    min_records: Annotated[int, Query(ge=1, description=(
        "Strata with fewer victims are pooled into 'other'."))] = DEFAULT_MIN_RECORDS,
    iterations: Annotated[int | None, Query(ge=100, le=1_000_000, description=(
        "lcmcr only: Gibbs sweeps in all, a fifth of them burn-in (default 50,000)."))]
        = None,
) -> dict[str, Any]:
    """How many victims no list recorded, per stratum and in all, with the 95% intervals and
    the caveats. May take a minute (lcmcr). When the lists cannot support an estimate (no
    records, linkage not run, no overlaps) the answer says why in `refused`."""
    try:
        by = parse_strata(strata)
    except EstimationError as exc:
        raise ApiError(400, "bad_request", str(exc)) from exc
    if iterations is not None and method != "lcmcr":
        raise ApiError(400, "bad_request", "iterations applies to method lcmcr only")
    options = {"iterations": iterations} if iterations is not None else {}
    try:
        report = victims_estimate(conn, by, method, seed, min_records, **options)
    except EstimationError as exc:
        return {"refused": str(exc), "method": method, "seed": seed, "strata_by": by,
                "caveats": list(CAVEATS)}
    return {**report.as_dict(), "refused": None, "table": estimate_table(report).as_dict()}
