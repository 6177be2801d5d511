"""`dossier ingest`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dossier.cli.common import console, fail, open_workspace
from dossier.cli.progress import progress_display


def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Files and folders to take in (folders are walked).")] = None,
    collection: Annotated[str, typer.Option(help="The collection to add to (created if new).")]
        = ...,  # type: ignore[assignment]
    acquired_from: Annotated[str | None, typer.Option(
        help="From whom or where the material came.")] = None,
    note: Annotated[str | None, typer.Option(help="A note kept with the acquisition.")] = None,
    workers: Annotated[int, typer.Option(
        help="Worker processes (default: one per core).", min=0)] = 0,
    ocr_languages: Annotated[str | None, typer.Option(
        help="Tesseract languages (default from the workspace: ara+eng+fra).")] = None,
    retry_failed: Annotated[bool, typer.Option(
        help="Try the collection's failed items again.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines.")] = False,
) -> None:
    """Take in files: preserve each original, extract its text (OCR where needed), index it."""
    from dossier.ingest.pipeline import IngestError, IngestOptions
    from dossier.ingest.pipeline import ingest as run_ingest

    options = IngestOptions(collection=collection, paths=list(paths or []),
                            acquired_from=acquired_from, note=note, workers=workers,
                            ocr_languages=ocr_languages, retry_failed=retry_failed)
    with open_workspace() as workspace, progress_display(quiet) as on_progress:
        try:
            result = run_ingest(workspace, options, on_progress)
        except IngestError as exc:
            raise fail(str(exc)) from exc
    console.print(f"ingested into {collection!r}: {result.files_seen:,} files seen, "
                  f"{result.new_items:,} new originals, {result.children:,} members and "
                  f"attachments, {result.duplicates:,} duplicates, {result.pages:,} pages "
                  f"({result.ocr_pages:,} OCR), {result.failures:,} failed, "
                  f"in {result.elapsed:,.1f}s")
    if result.failures:
        console.print("see the failures with `dossier status`; try them again with "
                      f"`dossier ingest --retry-failed --collection {collection}`")


def register(app: typer.Typer) -> None:
    app.command()(ingest)
