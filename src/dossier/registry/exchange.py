"""`dossier registry import` and `export`: files in, files out, each a custody event.

Formats: FollowTheMoney JSON lines (``.json``, ``.jsonl``, ``.ftm``, ``.ndjson``) and CSV
(``.csv``: an entities file or a claims file, told apart by their header; see `csv_io`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from sqlalchemy import Connection, Engine

from dossier.registry import csv_io, ftm
from dossier.registry.importing import (
    ClaimRow,
    EntityRow,
    ImportProblem,
    ImportReport,
    RegistryIOError,
    export_rows,
    import_rows,
    log_export,
    log_import,
)

FTM_SUFFIXES = (".json", ".jsonl", ".ftm", ".ndjson")
FORMATS = ("ftm", "csv")


def file_format(path: Path) -> str:
    """"ftm", "entities" or "claims"; RegistryIOError for anything else."""
    suffix = path.suffix.lower()
    if suffix in FTM_SUFFIXES:
        return "ftm"
    if suffix == ".csv":
        return csv_io.csv_kind(path)
    raise RegistryIOError(f"{path}: not a registry file (CSV, or FollowTheMoney JSON lines "
                          f"with one of {', '.join(FTM_SUFFIXES)})")


def import_files(engine: Engine, paths: list[Path], *, actor: str) -> ImportReport:
    """Import files, entity files before claim files; each file in its own transaction.

    Bad rows are reported (file, line, field) and skipped; the rest is imported.
    """
    for path in paths:
        if not path.is_file():
            raise RegistryIOError(f"{path}: no such file")
    kinds = {path: file_format(path) for path in paths}
    order = {"entities": 0, "ftm": 1, "claims": 2}
    report = ImportReport()
    for path in sorted(paths, key=lambda p: order[kinds[p]]):
        with engine.begin() as conn:
            import_file(conn, path, kinds[path], actor=actor, report=report)
    return report


def import_file(conn: Connection, path: Path, kind: str, *, actor: str,
                report: ImportReport) -> None:
    """Import one file in the caller's transaction, adding what it holds to ``report``."""
    name = str(path)
    entity_rows: list[EntityRow] = []
    claim_rows: list[ClaimRow] = []
    if kind == "ftm":
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise RegistryIOError(f"{path}: cannot be read as UTF-8 text: {exc}") from exc
        entity_rows, claim_rows, problems = ftm.read_ftm(lines)
    elif kind == "entities":
        entity_rows, problems = csv_io.read_entities(path)
    else:
        claim_rows, problems = csv_io.read_claims(path)
    before = len(report.problems)
    report.problems += [ImportProblem(name, line, field, message)
                        for line, field, message in problems]
    file_report = ImportReport()
    import_rows(conn, name, entity_rows, claim_rows, actor=actor, report=file_report)
    report.entities += file_report.entities
    report.names += file_report.names
    report.claims += file_report.claims
    report.sources += file_report.sources
    report.problems += file_report.problems
    file_report.problems = report.problems[before:]
    log_import(conn, path, "ftm" if kind == "ftm" else "csv", file_report, actor)


def export_registry(conn: Connection, fmt: str, out: Path | None, *, actor: str,
                    stream: TextIO | None = None) -> list[Path]:
    """Write the registry as FtM JSON lines (to ``out``, or to ``stream``) or as CSV (into the
    folder ``out``: entities.csv and claims.csv); returns the files written."""
    if fmt not in FORMATS:
        raise RegistryIOError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    entity_rows, claim_rows = export_rows(conn)
    counts = {"entities": len(entity_rows), "claims": len(claim_rows)}
    written: list[Path] = []
    if fmt == "ftm":
        if out is None:
            if stream is None:
                raise RegistryIOError("give a file to write the FtM export to")
            ftm.write_ftm(stream, entity_rows, claim_rows)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            with out.open("w", encoding="utf-8") as handle:
                ftm.write_ftm(handle, entity_rows, claim_rows)
            written.append(out)
    else:
        if out is None:
            raise RegistryIOError("give a folder to write entities.csv and claims.csv into")
        out.mkdir(parents=True, exist_ok=True)
        csv_io.write_entities(out / "entities.csv", entity_rows)
        csv_io.write_claims(out / "claims.csv", claim_rows)
        written += [out / "entities.csv", out / "claims.csv"]
    log_export(conn, written or [Path("-")], fmt, counts, actor)
    return written
