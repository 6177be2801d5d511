"""`dossier search` and `dossier batch-search`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from dossier import spreadsheet
from dossier.cli.common import console, errors, fail, open_workspace, print_json
from dossier.workspace import Workspace


def warn_if_stale(workspace: Workspace) -> None:
    if workspace.index.stale:
        errors.print("warning: the search index was built by an older version of Dossier's "
                     "text analysis; run `dossier reindex` for complete results")


def search(
    query: Annotated[str, typer.Argument(
        help='Words (all must match), "exact phrases", OR, -exclusion, prefix*.')],
    collection: Annotated[str | None, typer.Option(help="Only this collection.")] = None,
    lang: Annotated[str | None, typer.Option(help="Only pages in this language: ar, en, fr.")]
        = None,
    media_type: Annotated[str | None, typer.Option(
        "--type", help="Only this type: pdf, image, docx, xlsx, csv, html, text, email.")] = None,
    limit: Annotated[int, typer.Option(help="How many hits to show.", min=1)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search the text of every page, ranked by BM25, with highlighted snippets."""
    from dossier.search import QuerySyntaxError

    with open_workspace() as workspace:
        warn_if_stale(workspace)
        try:
            results = workspace.index.search(query, collection=collection, language=lang,
                                             media_type=media_type, limit=limit)
        except QuerySyntaxError as exc:
            raise fail(f"bad query: {exc}") from exc
    if as_json:
        print_json({"query": results.query, "total": results.total, "hits": [{
            "item": hit.item_id, "path": hit.path, "page": hit.page,
            "score": round(hit.score, 4), "snippet": hit.marked(),
            "collection": hit.collection, "type": hit.media_type, "lang": hit.language,
        } for hit in results.hits]})
        return
    console.print(f"{results.total:,} matching pages for {query!r}")
    for rank, hit in enumerate(results.hits, 1):
        console.print(f"[bold]{rank}. item {hit.item_id}[/] {escape(hit.path)} p. {hit.page} "
                      f"[dim]({hit.media_type}, {hit.language or '?'}, "
                      f"score {hit.score:.2f})[/]", markup=True)
        console.print("   " + hit.marked("[reverse]", "[/reverse]", escape_html=False)
                      .replace("\n", " "), markup=True)


def batch_search(
    file: Annotated[Path, typer.Argument(
        help="Names or terms, one per line, or a CSV file (first column, or --column).")],
    column: Annotated[str | None, typer.Option(help="The CSV column that holds the terms.")]
        = None,
    collection: Annotated[str | None, typer.Option(help="Only this collection.")] = None,
    top: Annotated[int, typer.Option(help="Top hits kept per term.", min=0)] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """Search a list of names or terms; for each, the number of documents and the top hits."""
    from dossier.search.batch import BatchInputError, read_terms
    from dossier.search.batch import batch_search as run_batch

    try:
        terms = read_terms(file, column)
    except BatchInputError as exc:
        raise fail(str(exc)) from exc
    with open_workspace() as workspace:
        warn_if_stale(workspace)
        rows = run_batch(workspace.index, terms, collection=collection, top=top)
    if as_json:
        print_json([row.as_dict() for row in rows])
    elif as_csv:
        writer = spreadsheet.writer(sys.stdout)
        writer.writerow(["term", "documents", "pages", "top_hits", "error"])
        for row in rows:
            writer.writerow([row.term, row.documents, row.pages,
                             "; ".join(f"item {h.item_id} {h.path} p. {h.page}" for h in row.hits),
                             row.error or ""])
    else:
        for row in rows:
            if row.error:
                console.print(f"{escape(row.term)}: [red]{escape(row.error)}[/]", markup=True)
                continue
            console.print(f"[bold]{escape(row.term)}[/]: {row.documents:,} documents, "
                          f"{row.pages:,} pages", markup=True)
            for hit in row.hits:
                console.print(f"   item {hit.item_id} {escape(hit.path)} p. {hit.page}")


def register(app: typer.Typer) -> None:
    app.command()(search)
    app.command("batch-search")(batch_search)
