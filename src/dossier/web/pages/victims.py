"""Pages: documented victims counted once, their breakdowns as charts and tables, the CSV of
the breakdown shown, and estimates of the unrecorded computed when the user asks for them."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from dossier.victims.estimate import DEFAULT_MIN_RECORDS, STRATA, parse_strata, victims_estimate
from dossier.victims.estimate_table import EstimateTable, estimate_table
from dossier.victims.mse import METHODS, EstimationError
from dossier.victims.stats import BREAKDOWNS, VictimStats, victim_stats
from dossier.web.deps import WorkspaceDep, audit
from dossier.web.errors import ApiError
from dossier.web.pages.auth import PageExport, PageReadItems
from dossier.web.pages.render import render

router = APIRouter()

MAX_SEED = 2**31 - 1
CHART_BARS = 15
IN_ORDER = ("year", "age_group")  # breakdowns in their own order, not by size


class _Wrong(ValueError):
    """A value of the page's forms that cannot be used; the message key says which."""


def _breakdowns(by: str | None) -> list[str]:
    if not by:
        return list(BREAKDOWNS)
    if by not in BREAKDOWNS:
        raise _Wrong("victims.error.by")
    return [by]


def _whole(text: str, key: str, low: int, high: int) -> int:
    try:
        value = int(text.strip())
    except ValueError as exc:
        raise _Wrong(key) from exc
    if not low <= value <= high:
        raise _Wrong(key)
    return value


@router.get("/victims", response_class=HTMLResponse)
def victims(
    request: Request,
    workspace: WorkspaceDep,
    user: PageReadItems,
    by: Annotated[str | None, Query(max_length=40)] = None,
    estimate: Annotated[str | None, Query(max_length=10)] = None,
    method: Annotated[str, Query(max_length=20)] = METHODS[0],
    seed: Annotated[str, Query(max_length=20)] = "",
    strata: Annotated[list[str] | None, Query()] = None,
    min_records: Annotated[str, Query(max_length=10)] = str(DEFAULT_MIN_RECORDS),
) -> HTMLResponse:
    """The counts and breakdowns; with ``estimate``, the estimate of the unrecorded by
    ``method`` with ``seed`` (a new one, shown, when blank) within ``strata``."""
    errors: list[str] = []
    try:
        shown = _breakdowns(by)
    except _Wrong as exc:
        errors.append(str(exc))
        shown, by = list(BREAKDOWNS), None
    with workspace.engine.connect() as conn:
        stats = victim_stats(conn, shown)
    chosen = list(dict.fromkeys(strata or []))
    form = {"method": method, "seed": seed, "strata": chosen, "min_records": min_records}
    table: EstimateTable | None = None
    refused: str | None = None
    if estimate:
        try:
            table, refused = _estimate(workspace, method, seed, chosen, min_records)
        except _Wrong as exc:
            errors.append(str(exc))
    return render(request, user, "victims.html", status_code=400 if errors else 200,
                  stats=stats, by=by, breakdowns=BREAKDOWNS, shown=shown, errors=errors,
                  chart=_chart_data(stats), form=form, methods=METHODS, strata=STRATA,
                  estimated=bool(estimate) and not errors, table=table, refused=refused,
                  estimate_chart=_estimate_chart(table))


def _estimate(workspace: Any, method: str, seed: str, strata: list[str],
              min_records: str) -> tuple[EstimateTable | None, str | None]:
    """The estimate table, or the reason the library refused to estimate."""
    if method not in METHODS:
        raise _Wrong("victims.error.method")
    try:
        by = parse_strata(strata)
    except EstimationError as exc:
        raise _Wrong("victims.error.strata") from exc
    chosen_seed = _whole(seed, "victims.error.seed", 0, MAX_SEED) if seed.strip() \
        else secrets.randbelow(MAX_SEED)
    minimum = _whole(min_records, "victims.error.min_records", 1, 10**9)
    with workspace.engine.connect() as conn:
        try:
            report = victims_estimate(conn, by, method, chosen_seed, minimum)
        except EstimationError as exc:
            return None, str(exc)
    return estimate_table(report), None


def _chart_data(stats: VictimStats) -> dict[str, Any]:
    """Each breakdown's bars; one listed by size (not by year or age) shows its largest
    values only, so that the bars stay readable (the table lists them all)."""
    found = {}
    for name, rows in stats.breakdowns.items():
        shown = rows if name in IN_ORDER else rows[:CHART_BARS]
        found[name] = {"labels": [value for value, _ in shown],
                       "values": [count for _, count in shown],
                       "cut": len(shown) < len(rows)}
    return found


def _estimate_chart(table: EstimateTable | None) -> list[dict[str, Any]]:
    if table is None:
        return []
    return [{"label": row.stratum, "recorded": row.recorded, "estimate": row.estimate,
             "interval": list(row.interval) if row.interval else None}
            for row in table.rows if row.estimate is not None]


@router.get("/victims/export.csv")
def export_csv(workspace: WorkspaceDep, user: PageExport,
               by: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    """The breakdown shown on the page (all of them without ``by``) as CSV:
    breakdown,value,victims, the total first."""
    try:
        shown = _breakdowns(by)
    except _Wrong as exc:
        raise ApiError(400, "bad_request", f"unknown breakdown {by!r} (choose from "
                                           f"{', '.join(BREAKDOWNS)})") from exc
    with workspace.engine.connect() as conn:
        stats = victim_stats(conn, shown)
        audit(conn, user, "export", "victims", {"format": "csv", "by": shown,
                                                "victims": stats.victims})
    name = f"victims-{by or 'all'}.csv"
    return Response(stats.to_csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})
