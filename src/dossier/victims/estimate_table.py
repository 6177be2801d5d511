"""An estimate report as the table a person reads: one row per stratum, the total, the
unstratified estimate beside it, and the remarks that go with them.

The same rows as `dossier victims estimate` prints: stratum, recorded, estimate, unrecorded and
the 95% interval (None where unbounded), a refused stratum with its reason, and a remark for
each pooled or refused stratum and each warning. A page or a report renders them; the caveats
are the report's own (`StrataReport.caveats`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dossier.victims.estimate import StrataReport
from dossier.victims.mse import Estimate

__all__ = ["EstimateRow", "EstimateTable", "estimate_table"]

TOTAL = "total"
UNSTRATIFIED = "unstratified"


@dataclass(frozen=True)
class EstimateRow:
    stratum: str  # a stratum's name ("2013 / Homs"), "other", "total" or "unstratified"
    kind: str  # stratum | total | unstratified
    recorded: int | None
    estimate: int | None  # None: refused, or unbounded
    unrecorded: int | None
    interval: tuple[int | None, int | None] | None  # None bound: unbounded; None: refused
    refused: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"stratum": self.stratum, "kind": self.kind, "recorded": self.recorded,
                "estimate": self.estimate, "unrecorded": self.unrecorded,
                "interval": list(self.interval) if self.interval else None,
                "refused": self.refused}


@dataclass(frozen=True)
class EstimateTable:
    rows: tuple[EstimateRow, ...]
    remarks: tuple[str, ...]
    notes: tuple[str, ...]
    caveats: tuple[str, ...]
    method: str
    seed: int | None
    strata_by: tuple[str, ...]
    total: EstimateRow | None = None  # the headline: the total, else the unstratified

    def as_dict(self) -> dict[str, Any]:
        return {"rows": [row.as_dict() for row in self.rows], "remarks": list(self.remarks),
                "notes": list(self.notes), "caveats": list(self.caveats),
                "method": self.method, "seed": self.seed, "strata_by": list(self.strata_by),
                "total": self.total.as_dict() if self.total else None}


def _row(stratum: str, kind: str, result: Estimate) -> EstimateRow:
    shown = result.as_dict()
    low, high = shown["interval"]
    return EstimateRow(stratum, kind, result.recorded, shown["estimate"], shown["unrecorded"],
                       (low, high))


def estimate_table(report: StrataReport) -> EstimateTable:
    """The rows and remarks of ``report`` (what `dossier victims estimate` prints). A warning
    that every one of several estimates gives (what the method assumes) is one remark, last,
    "every estimate: ..."."""
    rows: list[EstimateRow] = []
    remarks: list[str] = []
    results = [s.estimate for s in report.strata if s.estimate is not None]
    if report.unstratified is not None:
        results.append(report.unstratified)
    shared = set.intersection(*(set(r.warnings) for r in results)) if len(results) > 1 \
        else set()
    for stratum in report.strata:
        if stratum.pooled:
            remarks.append(f"'{stratum.name}' pools: {'; '.join(stratum.pooled)}")
        if stratum.estimate is None:
            rows.append(EstimateRow(stratum.name, "stratum", stratum.recorded, None, None, None,
                                    stratum.refused))
            remarks.append(f"'{stratum.name}' refused: {stratum.refused}")
            continue
        remarks += [f"'{stratum.name}': {warning}" for warning in stratum.estimate.warnings
                    if warning not in shared]
        rows.append(_row(stratum.name, "stratum", stratum.estimate))
    headline: EstimateRow | None = None
    total = report.total
    if total.get("estimate") is not None and report.strata:
        low, high = total["interval"]
        headline = EstimateRow(TOTAL, TOTAL, total["recorded"], total["estimate"],
                               total["estimate"] - total["recorded"], (low, high))
        rows.append(headline)
        remarks.append("total: the sum of the strata's estimates (refused strata as "
                       "recorded); its interval adds independent draws of each stratum")
    if report.unstratified is not None:
        unstratified = _row(UNSTRATIFIED, UNSTRATIFIED, report.unstratified)
        rows.append(unstratified)
        headline = headline or unstratified
        remarks += [f"'{UNSTRATIFIED}': {warning}" for warning in report.unstratified.warnings
                    if warning not in shared]
    elif report.unstratified_refused:
        rows.append(EstimateRow(UNSTRATIFIED, UNSTRATIFIED, None, None, None, None,
                                report.unstratified_refused))
        remarks.append(f"'{UNSTRATIFIED}' refused: {report.unstratified_refused}")
    remarks += [f"every estimate: {warning}" for warning in sorted(shared)]
    return EstimateTable(tuple(rows), tuple(remarks), tuple(report.notes),
                         tuple(report.caveats), report.method, report.seed,
                         tuple(report.strata_by), headline)
