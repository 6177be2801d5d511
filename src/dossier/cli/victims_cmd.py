"""`dossier victims …`: import documenting organisations' lists, count the victims once."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dossier.cli.common import console, fail, open_workspace, print_json

app = typer.Typer(help="Victim lists: import them as received, link their records, count and "
                       "estimate the victims.", no_args_is_help=True)


def _mapping(pairs: list[str] | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        column, sep, target = pair.rpartition("=")
        if not sep or not column.strip() or not target.strip():
            raise fail(f"--map {pair!r}: expected COLUMN=field")
        mapping[column.strip()] = target.strip()
    return mapping


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="The list as received: a CSV or XLSX file.")],
    list_name: Annotated[str, typer.Option(
        "--list", help="The list's name (created on first import).")],
    mapping: Annotated[list[str] | None, typer.Option(
        "--map", help="COLUMN=field: read a column as a field (full_name, given, father, "
                      "grandfather, family, mother, sex, age, birth_date, arrest_date, "
                      "arrest_place, detention_place, death_date, death_place, governorate, "
                      "status, perpetrator, record_key), or ignore it (COLUMN=ignore). Repeat "
                      "for more.")] = None,
    organisation: Annotated[str | None, typer.Option(
        help="The organisation that documented the list.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Import a victim list; every row is kept as received, problems are reported per row."""
    from dossier.victims.records import VictimImportError, import_list

    columns = _mapping(mapping)
    with open_workspace() as workspace:
        try:
            report = import_list(workspace, file, list_name, columns, organisation=organisation)
        except VictimImportError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json(report.as_dict())
        return
    console.print(f"{report.file} ({report.format}"
                  f"{', ' + report.encoding if report.encoding else ''}) → list "
                  f"{report.list_name!r}: {report.rows:,} rows, {report.imported:,} imported, "
                  f"{report.already_imported:,} already imported")
    for column, target in report.columns.items():
        console.print(f"  {column} → {target}", markup=False)
    if report.unread_columns:
        console.print(f"  kept as received only: {', '.join(report.unread_columns)}",
                      markup=False)
    for problem in report.problems:
        console.print(f"[yellow]problem[/] {problem}", markup=True)
    if report.problems:
        rows = len({p.row for p in report.problems})
        console.print(f"{len(report.problems):,} problems in {rows:,} rows; every row was kept")


@app.command()
def stats(
    by: Annotated[str | None, typer.Option(
        help="Breakdowns, comma-separated: year, governorate, sex, age_group, perpetrator, "
             "status (default: all).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV: breakdown,value,victims.")]
    = False,
    png: Annotated[bool, typer.Option("--png", help="Write bar charts as PNG.")] = False,
    svg: Annotated[bool, typer.Option("--svg", help="Write bar charts as SVG.")] = False,
    out: Annotated[Path | None, typer.Option(
        help="With --png/--svg: a .png/.svg file (all charts in one) or a folder (one file "
             "per breakdown; default: the current folder). With --json/--csv: the file to "
             "write instead of standard output.")] = None,
) -> None:
    """Victims counted once, with breakdowns, per-list counts and overlaps; charts."""
    from dossier.victims.stats import victim_stats

    try:
        from dossier.victims.stats import parse_breakdowns

        breakdowns = parse_breakdowns(by)
    except ValueError as exc:
        raise fail(str(exc)) from exc
    with open_workspace() as workspace, workspace.engine.connect() as conn:
        result = victim_stats(conn, breakdowns)
    if png or svg:
        from dossier.victims.charts import write_charts

        for fmt in [f for f, wanted in (("png", png), ("svg", svg)) if wanted]:
            target = out or Path(".")
            if png and svg and target.suffix.lower() in (".png", ".svg"):
                target = target.with_suffix(f".{fmt}")
            for path in write_charts(result, target, fmt):
                console.print(f"wrote {path}")
        for note in result.notes:
            console.print(f"[yellow]note:[/] {note}", markup=True)
        return
    if as_json or as_csv:
        import json

        text = (result.to_csv() if as_csv
                else json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
        if out is not None:
            out.write_text(text, encoding="utf-8")
            console.print(f"wrote {out}")
        elif as_json:
            print_json(result.as_dict())
        else:
            sys.stdout.write(text)
        return
    console.print(f"{result.victims:,} victims from {result.records:,} records")
    for note in result.notes:
        console.print(f"[yellow]note:[/] {note}", markup=True)
    for name, rows in result.breakdowns.items():
        table = Table(title=f"by {name}")
        table.add_column(name)
        table.add_column("victims", justify="right")
        table.add_column("share", justify="right")
        for value, count in rows:
            share = f"{count / result.victims:.1%}" if result.victims else ""
            table.add_row(value, f"{count:,}", share)
        console.print(table)
    if result.lists:
        table = Table(title="lists")
        for column in ("list", "records", "victims", "only on this list"):
            table.add_column(column, justify="left" if column == "list" else "right")
        for entry in result.lists:
            table.add_row(entry["name"], f"{entry['records']:,}", f"{entry['victims']:,}",
                          f"{entry['only_here']:,}")
        console.print(table)
    if result.overlaps:
        table = Table(title="victims on both lists")
        for column in ("list", "list", "victims"):
            table.add_column(column)
        for overlap in result.overlaps:
            table.add_row(overlap["a"], overlap["b"], f"{overlap['victims']:,}")
        console.print(table)
