"""`dossier mse TABLE.csv` and `dossier victims estimate`: how many people no list recorded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from dossier.cli.common import console, fail, open_workspace, print_json
from dossier.victims.capture import CaptureTableError, read_capture_csv
from dossier.victims.estimate import DEFAULT_MIN_RECORDS, STRATA, StrataReport, victims_estimate
from dossier.victims.estimate_table import estimate_table as report_table
from dossier.victims.mse import CAVEATS, METHODS, Estimate, EstimationError
from dossier.victims.mse import estimate as estimate_table

MethodOption = Annotated[str, typer.Option(
    "--method", help=f"Estimator: {' | '.join(METHODS)} (latent classes, log-linear models "
                     "chosen by BIC, Bayesian model averaging over decomposable graphs).")]
SeedOption = Annotated[int | None, typer.Option(
    "--seed", help="Seed of the random numbers: the same seed gives the same result.")]
IterationsOption = Annotated[int | None, typer.Option(
    "--iterations", min=100, help="lcmcr: Gibbs sweeps in all, a fifth of them burn-in "
                                  "(default 50,000).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for programs.")]


def _options(method: str, iterations: int | None) -> dict[str, Any]:
    if iterations is not None and method != "lcmcr":
        raise fail("--iterations applies to --method lcmcr only")
    return {"iterations": iterations} if iterations is not None else {}


def mse(
    table: Annotated[Path, typer.Argument(
        help="Aggregated capture table (CSV): one 0/1 column per list and a 'count' column.")],
    method: MethodOption = "lcmcr",
    seed: SeedOption = None,
    iterations: IterationsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Estimate the total, and how many no list recorded, from a capture table."""
    options = _options(method, iterations)
    try:
        captures = read_capture_csv(table)
        result = estimate_table(captures, method, seed=seed, **options)
    except (CaptureTableError, EstimationError) as exc:
        raise fail(str(exc)) from exc
    if as_json:
        print_json({**result.as_dict(), "lists": list(captures.lists),
                    "caveats": list(CAVEATS)})
        return
    console.print(f"{captures.recorded:,} people recorded by {captures.n_lists} lists "
                  f"({', '.join(captures.lists)})", markup=False)
    _print_estimates([("all", result)])
    _print_details(result)
    _print_caveats()


def estimate(
    strata: Annotated[str | None, typer.Option(
        "--strata", help=f"Estimate within strata of: {', '.join(STRATA)} (comma-separated), "
                         "and add up.")] = None,
    method: MethodOption = "lcmcr",
    seed: SeedOption = None,
    min_records: Annotated[int, typer.Option(
        "--min-records", min=1, help="Strata with fewer victims are pooled into 'other'.")
    ] = DEFAULT_MIN_RECORDS,
    as_json: JsonOption = False,
    iterations: IterationsOption = None,
) -> None:
    """Estimate the victims no list recorded, from the linked lists, per stratum and in all."""
    options = _options(method, iterations)
    with open_workspace() as workspace, workspace.engine.connect() as conn:
        try:
            report = victims_estimate(conn, strata, method, seed, min_records, **options)
        except EstimationError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json(report.as_dict())
        return
    _print_report(report)


def _whole(value: float | None) -> str:
    return "unbounded" if value is None or value == float("inf") else f"{round(value):,}"


def _print_estimates(rows: list[tuple[str, Estimate]]) -> None:
    table = Table("stratum", "recorded", "estimate", "unrecorded", "95% interval")
    for name, result in rows:
        low, high = result.interval
        table.add_row(escape(name), f"{result.recorded:,}", _whole(result.estimate),
                      _whole(result.unrecorded), f"{_whole(low)}–{_whole(high)}")
    console.print(table)


def _print_details(result: Estimate) -> None:
    console.print(f"method: {result.method}", markup=False)
    for key, value in result.model.items():
        text = value if isinstance(value, str | int | float) else json.dumps(value,
                                                                            ensure_ascii=False)
        console.print(f"  {key}: {text}", markup=False)  # formulas are [A][B][A:B]
    for warning in result.warnings:
        console.print(f"warning: {warning}", markup=False)


def _print_caveats() -> None:
    console.print("What this estimate can and cannot claim:")
    for caveat in CAVEATS:
        console.print(f"  - {caveat}", markup=False)


def _print_report(report: StrataReport) -> None:
    by = ", ".join(report.strata_by) or "none"
    console.print(f"method: {report.method}; strata: {by}; seed: {report.seed}", markup=False)
    shown = report_table(report)
    table = Table("stratum", "recorded", "estimate", "unrecorded", "95% interval")
    for row in shown.rows:
        recorded = "" if row.recorded is None else f"{row.recorded:,}"
        if row.interval is None:
            table.add_row(escape(row.stratum), recorded, "refused", "", "")
            continue
        low, high = row.interval
        table.add_row(escape(row.stratum), recorded, _whole(row.estimate), _whole(row.unrecorded),
                      f"{_whole(low)}–{_whole(high)}")
    console.print(table)
    for remark in [*shown.remarks, *(f"note: {note}" for note in shown.notes)]:
        console.print(remark, markup=False)
    _print_caveats()


def register(app: typer.Typer) -> None:
    """Add `mse` to the top-level app."""
    app.command("mse")(mse)
