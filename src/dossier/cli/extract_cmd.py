"""`dossier extract`."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.live import Live
from rich.text import Text

from dossier.cli.common import console, errors, fail, open_workspace, print_json

if TYPE_CHECKING:
    from dossier.extract.runner import ExtractProgress, ExtractProgressCallback


@contextmanager
def _progress(quiet: bool) -> Iterator[ExtractProgressCallback]:
    """A live line on a terminal, a line every 5 seconds in a log, nothing with --quiet."""
    if quiet:
        yield lambda _progress: None
        return
    if sys.stderr.isatty():
        with Live(Text(""), console=errors, refresh_per_second=4, transient=False) as live:
            yield lambda progress: live.update(Text(progress.line()))
        return
    last = [0.0]

    def log_line(progress: ExtractProgress) -> None:
        now = time.monotonic()
        if progress.phase == "done" or now - last[0] >= 5:
            last[0] = now
            errors.print(progress.line())

    yield log_line


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

    with open_workspace() as workspace, _progress(quiet or as_json) as on_progress:
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
