"""`dossier`: the entry point and the small commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dossier.cli import (
    accounts_cmd,
    bundle_cmd,
    case_cmd,
    command_cmd,
    custody_cmd,
    demo_cmd,
    extract_cmd,
    frameworks_cmd,
    ingest_cmd,
    linkage_cmd,
    mse_cmd,
    names_cmd,
    proceedings_cmd,
    registry_cmd,
    resolve_cmd,
    search_cmd,
    serve_cmd,
    victims_cmd,
)
from dossier.cli.common import console, fail, open_workspace, print_json, state
from dossier.store.engine import StoreError
from dossier.workspace import DEFAULT_DIR, Workspace, WorkspaceError

app = typer.Typer(
    name="dossier",
    help="Preserve, search and verify leaked archives for atrocity-crimes investigations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)


@app.callback()
def main(
    workspace: Annotated[Path | None, typer.Option(
        "--workspace", "-w", envvar="DOSSIER_WORKSPACE",
        help=f"The workspace folder (default ./{DEFAULT_DIR}).")] = None,
) -> None:
    state.workspace_path = workspace


@app.command()
def init(
    directory: Annotated[Path | None, typer.Argument(
        help=f"Folder of the new workspace (default: --workspace, $DOSSIER_WORKSPACE or "
             f"./{DEFAULT_DIR}).")] = None,
    database: Annotated[str | None, typer.Option(
        help="A PostgreSQL URL (postgresql://user@host/db) for a team server; "
             "default: a SQLite file in the workspace.")] = None,
) -> None:
    """Create a workspace, or migrate an existing one to the current schema."""
    try:
        workspace = Workspace.init(directory or state.workspace_path, database=database)
    except (WorkspaceError, StoreError) as exc:
        raise fail(str(exc)) from exc
    console.print(f"workspace ready at {workspace.root}")
    console.print(f"  store: {workspace.settings.database or workspace.root / 'dossier.db'}")
    console.print(f"  custody key: {workspace.signer.public_key_hex}")
    workspace.close()


@app.command()
def status(
    collection: Annotated[str | None, typer.Option(help="Only this collection.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Items by type, language and stage; pages; failures; duplicates; custody head."""
    from dossier.status import workspace_status

    with open_workspace() as workspace:
        report = workspace_status(workspace, collection)
    if as_json:
        print_json(report.as_dict())
        return
    console.print(f"workspace {report.workspace}  ({report.database})")
    console.print(f"items {report.items:,}   pages {report.pages:,} "
                  f"(OCR {report.ocr_pages:,}, indexed {report.indexed_pages:,})")
    for title, counts in (("type", report.by_type), ("language", report.by_language),
                          ("stage", report.by_stage)):
        console.print(f"  by {title}: " + ", ".join(f"{key} {value:,}"
                                                    for key, value in sorted(counts.items())))
    console.print(f"duplicates: {report.duplicate_sightings:,} extra sightings of the same bytes; "
                  f"{report.near_duplicate_groups:,} near-duplicate groups "
                  f"({report.near_duplicate_items:,} items)")
    head = report.custody_head
    signed = (f"signed at event {head['signed_seq']}" if head["signed_seq"] else "not signed")
    console.print(f"custody head: event {head['seq']:,} {head['hash'][:16]}… ({signed})")
    if report.failures:
        table = Table("item", "stage", "kind", "tries", "path and error", title="failures")
        for failure in report.failures:
            table.add_row(str(failure["item"] or "-"), failure["stage"], failure["kind"],
                          str(failure["attempts"]), failure["message"])
        console.print(table)
        console.print("retry them with: dossier ingest --retry-failed --collection NAME")
    else:
        console.print("failures: none")


@app.command()
def verify(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Re-hash every original and re-check the custody chain; exit 1 on any mismatch."""
    from dossier.custody.verify import verify as run_verify

    with open_workspace() as workspace:
        report = run_verify(workspace)
    if as_json:
        print_json(report.as_dict())
    else:
        console.print(f"checked {report.originals:,} originals, {report.pages:,} pages, "
                      f"{report.events:,} custody events (head {report.head_hash[:16]}…)")
        for problem in report.problems:
            console.print(f"[red]{problem.kind}[/]: {problem.where}: {problem.message}",
                          markup=True)
        console.print("verified: everything matches" if report.ok
                      else f"[bold red]{len(report.problems)} problem(s) found[/]", markup=True)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def reindex() -> None:
    """Rebuild the search index from the store."""
    from dossier.ingest.indexing import reindex as rebuild

    with open_workspace() as workspace:
        count = rebuild(workspace)
    console.print(f"reindexed {count:,} pages")


app.add_typer(custody_cmd.app, name="custody")
app.add_typer(demo_cmd.app, name="demo")
app.add_typer(names_cmd.app, name="names")
app.add_typer(registry_cmd.app, name="registry")
app.add_typer(resolve_cmd.app, name="resolve")
app.add_typer(command_cmd.app, name="command")
app.add_typer(victims_cmd.app, name="victims")
ingest_cmd.register(app)
search_cmd.register(app)
extract_cmd.register(app)
registry_cmd.register(app)
mse_cmd.register(app)
victims_cmd.app.command("link")(linkage_cmd.link)
victims_cmd.app.command("review")(linkage_cmd.review)
victims_cmd.app.command("judge")(linkage_cmd.judge)
victims_cmd.app.command("show")(linkage_cmd.show)
victims_cmd.app.command("estimate")(mse_cmd.estimate)
case_cmd.register(app)
bundle_cmd.register(app, case_cmd.app)
proceedings_cmd.register(app)
frameworks_cmd.register(app)
accounts_cmd.register(app)
serve_cmd.register(app)

if __name__ == "__main__":
    app()
