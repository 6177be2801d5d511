"""`dossier registry …`, and the top-level `profile` and `screen` commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dossier import spreadsheet
from dossier.cli.common import console, fail, open_workspace, print_json

app = typer.Typer(help="The registry: entities, names, claims with sources; import and export.",
                  no_args_is_help=True)

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(
        help="CSV files (entities: id,kind,name,names,unit_type,number,parent,birth_date,"
             "attributes; claims: subject,predicate,object,role,value,valid_from,valid_to,"
             "precision,confidence,status,source_item,source_page,quote,citation) or "
             "FollowTheMoney JSON lines (.json, .jsonl, .ftm).")],
    as_json: AsJson = False,
) -> None:
    """Import entities and claims; bad rows are reported (file:line: field) and skipped."""
    from dossier.registry.exchange import import_files
    from dossier.registry.importing import RegistryIOError

    with open_workspace() as workspace:
        try:
            report = import_files(workspace.engine, files, actor=workspace.actor)
        except RegistryIOError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json(report.as_dict())
    else:
        console.print(f"imported {report.entities:,} entities, {report.names:,} names, "
                      f"{report.claims:,} claims, {report.sources:,} sources")
        for problem in report.problems:
            console.print(f"[red]skipped[/] {problem}", markup=True)
    if report.problems:
        raise typer.Exit(1)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="ftm (JSON lines) or csv.")] = "ftm",
    out: Annotated[Path | None, typer.Option(
        help="The FtM file (default: standard output), or the folder for the CSV files.")]
    = None,
) -> None:
    """Export every entity and claim, with sources (a custody event records it)."""
    from dossier.registry.exchange import export_registry
    from dossier.registry.importing import RegistryIOError

    with open_workspace() as workspace, workspace.engine.begin() as conn:
        try:
            written = export_registry(conn, fmt, out, actor=workspace.actor, stream=sys.stdout)
        except RegistryIOError as exc:
            raise fail(str(exc)) from exc
    for path in written:
        console.print(f"wrote {path}")


@app.command("add-entity")
def add_entity_cmd(
    kind: Annotated[str, typer.Argument(help="person, unit, facility or place.")],
    name: Annotated[str, typer.Argument(help="The display name.")],
    alias: Annotated[list[str] | None, typer.Option(
        "--alias", help="Another name (repeat for more).")] = None,
    unit_type: Annotated[str | None, typer.Option(help="agency, branch, prison …")] = None,
    number: Annotated[str | None, typer.Option(help="The unit's number.")] = None,
    parent: Annotated[str | None, typer.Option(help="The unit above (id or name).")] = None,
) -> None:
    """Add an entity with its names."""
    from dossier.registry.entities import EntityError, add_entity
    from dossier.registry.lookup import EntityReferenceError, entity_by_reference

    with open_workspace() as workspace, workspace.engine.begin() as conn:
        try:
            parent_id = entity_by_reference(conn, parent, "unit") if parent else None
            entity = add_entity(conn, kind, name, names=alias or [], unit_type=unit_type,
                                number=number, parent_id=parent_id, actor=workspace.actor)
        except (EntityError, EntityReferenceError) as exc:
            raise fail(str(exc)) from exc
    console.print(f"added entity #{entity}")


@app.command("claims")
def claims_cmd(
    entity: Annotated[str, typer.Option(help="The entity (id or name).")],
    as_json: AsJson = False,
) -> None:
    """The claims about an entity, with their status and sources."""
    from dossier.registry.claims import list_claims
    from dossier.registry.lookup import EntityReferenceError, entity_by_reference

    with open_workspace() as workspace, workspace.engine.connect() as conn:
        try:
            found = list_claims(conn, entity_by_reference(conn, entity))
        except EntityReferenceError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json([claim.as_dict() for claim in found])
        return
    table = Table("id", "subject", "predicate", "object / value", "role", "from", "to",
                  "precision", "status", "sources")
    for claim in found:
        table.add_row(str(claim.id), claim.subject_name, claim.predicate,
                      claim.object_name or claim.value or "", claim.role or "",
                      claim.valid_from or "", claim.valid_to or "", claim.time_precision,
                      claim.status, "; ".join(_source(s.as_dict()) for s in claim.sources))
    console.print(table)


def _source(source: dict[str, object]) -> str:
    if source.get("item") is not None:
        quote = f' "{source["quote"]}"' if source.get("quote") else ""
        return f"{source.get('path')} p.{source.get('page') or '?'}{quote}"
    return str(source.get("citation") or "")


def _review(claim_id: int, status: str, reason: str | None) -> None:
    from dossier.registry.claims import ClaimError, review_claim

    with open_workspace() as workspace, workspace.engine.begin() as conn:
        try:
            claim = review_claim(conn, claim_id, status, author=workspace.actor, reason=reason)
        except ClaimError as exc:
            raise fail(str(exc)) from exc
    console.print(f"claim {claim.id} ({claim.subject_name} {claim.predicate} "
                  f"{claim.object_name or claim.value}) is now {claim.status}")


Reason = Annotated[str | None, typer.Option(help="Why (kept with the decision).")]


@app.command()
def accept(claim_id: Annotated[int, typer.Argument(help="The claim.")],
           reason: Reason = None) -> None:
    """Accept a claim."""
    _review(claim_id, "accepted", reason)


@app.command()
def reject(claim_id: Annotated[int, typer.Argument(help="The claim.")],
           reason: Annotated[str, typer.Option(help="Why (required).")]) -> None:
    """Reject a claim (it stays recorded, with the reason; command queries ignore it)."""
    _review(claim_id, "rejected", reason)


@app.command()
def dispute(claim_id: Annotated[int, typer.Argument(help="The claim.")],
            reason: Annotated[str, typer.Option(help="Why (required).")]) -> None:
    """Mark a claim as disputed."""
    _review(claim_id, "disputed", reason)


def profile(
    entity: Annotated[str, typer.Argument(help="The entity (id or name).")],
    as_json: AsJson = False,
) -> None:
    """Names, posts over time, documents by year, and who is most often mentioned with it."""
    from dossier.registry.lookup import EntityReferenceError, entity_by_reference
    from dossier.registry.profile import profile as build_profile

    with open_workspace() as workspace, workspace.engine.connect() as conn:
        try:
            result = build_profile(conn, entity_by_reference(conn, entity))
        except EntityReferenceError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json(result.as_dict())
        return
    console.print(f"#{result.entity.id} {result.entity.name} ({result.entity.kind})"
                  + (f", merged with {result.members}" if len(result.members) > 1 else ""))
    console.print("names: " + " · ".join(n.name for n in result.names))
    table = Table("from", "to", "precision", "role", "unit / holder", "status", title="posts")
    for claim in result.posts:
        other = claim.object_name if claim.subject_id in result.members else claim.subject_name
        table.add_row(claim.valid_from or "", claim.valid_to or "", claim.time_precision,
                      claim.role or "", other or "", claim.status)
    console.print(table)
    console.print("documents by year: " + (", ".join(
        f"{y.year} {y.documents}" for y in result.documents_by_year) or "none"))
    for title, found in (("units", result.units), ("persons", result.persons)):
        console.print(f"most mentioned {title}: " + (", ".join(
            f"{c.name} (#{c.entity_id}, {c.pages} pages)" for c in found) or "none"))


def screen(
    file: Annotated[Path, typer.Argument(
        help="Suspects: CSV with a header (name, date_of_birth) or JSON lines.")],
    as_json: AsJson = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV: one row per document.")]
    = False,
    collection: Annotated[str | None, typer.Option(help="Search only this collection.")] = None,
) -> None:
    """Screen a list of suspects against the registry and every document."""
    from dossier.registry.screen import ROW_COLUMNS, ScreenInputError, read_suspects
    from dossier.registry.screen import screen as run_screen

    try:
        suspects = read_suspects(file)
    except ScreenInputError as exc:
        raise fail(str(exc)) from exc
    with open_workspace() as workspace, workspace.engine.connect() as conn:
        results = run_screen(conn, workspace.index, suspects, collection=collection)
    if as_json:
        print_json([result.as_dict() for result in results])
        return
    if as_csv:
        writer = spreadsheet.writer(sys.stdout)
        writer.writerow(ROW_COLUMNS)
        for result in results:
            writer.writerows(result.rows())
        return
    for result in results:
        console.print(f"[bold]{result.suspect.name}[/] {result.suspect.date_of_birth or ''}",
                      markup=True)
        for entity in result.entities:
            console.print(f"  entity #{entity.match.entity_id} {entity.match.name} "
                          f"score {entity.score:.2f} ({entity.match.decision}, birth "
                          f"{entity.birth})")
        for doc in result.documents:
            via = [f"{doc.mentions} linked mentions"] if doc.mentions else []
            via += [f"found as {', '.join(doc.spellings)}"] if doc.spellings else []
            console.print(f"  {doc.path} score {doc.score:.2f}: {'; '.join(via)}")
        if not result.entities and not result.documents:
            console.print("  nothing found")


def register(main: typer.Typer) -> None:
    """Add the top-level `profile` and `screen` commands."""
    main.command()(profile)
    main.command()(screen)
