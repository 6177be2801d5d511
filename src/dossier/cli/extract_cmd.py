"""`dossier extract`."""

from __future__ import annotations

from typing import Annotated

import typer

from dossier.cli.common import console, fail, open_workspace, print_json
from dossier.cli.progress import progress_display


def extract(
    collection: Annotated[str | None, typer.Option(
        help="Only the pages of this collection (default: every collection).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines.")] = False,
) -> None:
    """Find persons, units, facilities, places, dates and reference numbers on every page not
    yet extracted, link them to the registry, and propose the claims the text supports."""
    from dossier.extract.runner import ExtractError
    from dossier.extract.runner import extract as run_extract

    with open_workspace() as workspace, progress_display(quiet or as_json) as on_progress:
        try:
            report = run_extract(workspace, collection, on_progress)
        except ExtractError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json(report.as_dict())
        return
    kinds = ", ".join(f"{count:,} {kind}" for kind, count in report.mentions.items()) or "none"
    console.print(f"extracted {report.pages:,} pages in {report.seconds:,.1f}s: "
                  f"mentions {kinds}; {report.linked:,} linked to the registry")
    console.print(f"claims proposed: {report.claims_new:,} new, "
                  f"{report.claim_sources_new:,} new sources")
    if report.failed_pages:
        console.print(f"{report.failed_pages:,} pages failed: see `dossier status`; "
                      "they are tried again by the next `dossier extract`")


def register(app: typer.Typer) -> None:
    app.command()(extract)
