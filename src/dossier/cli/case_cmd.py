"""`dossier case …`: suspects, charges, evidence linked to elements, the proof matrix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from dossier.cli.common import console, fail, open_workspace, print_json

if TYPE_CHECKING:
    from dossier.cases.casefile import CaseFile
    from dossier.cases.matrix import Matrix

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


@app.callback()
def _frameworks_first() -> None:
    # Charges name offences and elements of the framework files: a broken file must stop a
    # case command before it starts, with the file and the field, not halfway through.
    from dossier.cases import frameworks as framework_files

    try:
        framework_files.frameworks()
    except framework_files.FrameworkError as exc:
        raise fail(f"the legal framework files are not valid: {exc}") from exc

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
CaseRef = Annotated[str, typer.Argument(help="The case reference (e.g. koblenz-251).")]
Note = Annotated[str | None, typer.Option(help="A note kept with it.")]


@app.command()
def create(
    ref: CaseRef,
    title: Annotated[str, typer.Option(help="The case's title.")],
    description: Annotated[str | None, typer.Option(help="What the case is about.")] = None,
) -> None:
    """Open a case."""
    from dossier.cases.casefile import CaseError, create_case

    with open_workspace() as workspace:
        try:
            create_case(workspace.engine, ref, title, description, author=workspace.actor)
        except CaseError as exc:
            raise fail(str(exc)) from exc
    console.print(f"created case {ref}", markup=False)


@app.command("list")
def list_(as_json: AsJson = False) -> None:
    """The cases, with their suspects, charges, evidence and gaps (elements with no evidence)."""
    from dossier.cases.casefile import list_cases

    with open_workspace() as workspace:
        found = list_cases(workspace.engine)
    if as_json:
        print_json([case.as_dict() for case in found])
        return
    table = Table("ref", "title", "status", "suspects", "charges", "evidence", "gaps")
    for case in found:
        table.add_row(case.ref, case.title, case.status, str(case.suspects), str(case.charges),
                      str(case.evidence), str(case.gaps))
    console.print(table if found else "no cases yet: create one with `dossier case create`",
                  markup=False)


@app.command()
def show(ref: CaseRef, as_json: AsJson = False) -> None:
    """A case: its suspects, charges and every piece of evidence."""
    case = _load(ref)
    if as_json:
        print_json(case.as_dict())
        return
    console.print(f"{case.ref}: {case.title} ({case.status}, opened by {case.created_by} on "
                  f"{case.created_at[:10]})", markup=False)
    if case.description:
        console.print(case.description, markup=False)
    suspects = Table("entity", "name", "protected", "note", title="suspects")
    for suspect in case.suspects:
        suspects.add_row(f"#{suspect.entity_id}", suspect.name,
                         "yes" if suspect.protected else "", suspect.note or "")
    charges = Table("charge", "suspect", "framework", "offence", "mode", "title", title="charges")
    for charge in case.charges:
        charges.add_row(str(charge.id), case.suspect(charge.suspect_id).name, charge.framework,
                        charge.offence, charge.mode, charge.title)
    evidence = Table("id", "charge", "element", "stance", "item", "page", "quote", "source",
                     title="evidence")
    for item in case.evidence:
        evidence.add_row(str(item.id), str(item.charge_id), item.element, item.stance,
                         f"{item.item_id} {item.item_path}", str(item.page_number or ""),
                         " ".join((item.quote or "").split())[:80], item.source)
    for table in (suspects, charges, evidence):
        console.print(table)


@app.command()
def suspect(
    ref: CaseRef,
    person: Annotated[str, typer.Argument(help="A registry person: entity id (#N) or name.")],
    note: Note = None,
) -> None:
    """Name a registry person as a suspect of the case."""
    from dossier.cases.casefile import CaseError, add_suspect

    with open_workspace() as workspace:
        try:
            added = add_suspect(workspace.engine, ref, person, note, author=workspace.actor)
        except CaseError as exc:
            raise fail(str(exc)) from exc
    console.print(f"suspect #{added.entity_id} {added.name} in case {ref}", markup=False)


@app.command()
def charge(
    ref: CaseRef,
    suspect: Annotated[str, typer.Argument(help="A suspect of the case: entity id (#N) or name.")],
    framework: Annotated[str, typer.Option(help="The framework: cat, rome, vstgb …")],
    offence: Annotated[str, typer.Option(help="The offence's id in it (e.g. 7-1-f).")],
    mode: Annotated[str, typer.Option(help="The mode of liability's id (e.g. 25-3-a).")],
    note: Note = None,
) -> None:
    """Charge a suspect with an offence under a mode of liability (see `dossier frameworks`)."""
    from dossier.cases.casefile import CaseError, add_charge

    with open_workspace() as workspace:
        try:
            added = add_charge(workspace.engine, ref, suspect, framework, offence, mode, note,
                               author=workspace.actor)
        except CaseError as exc:
            raise fail(str(exc)) from exc
    console.print(f"charge {added.id}: {added.title}", markup=False)


@app.command()
def evidence(
    ref: CaseRef,
    charge: Annotated[int, typer.Option(help="The charge's id (see `dossier case show`).")],
    element: Annotated[str, typer.Option(help="The element's id (see `dossier case matrix`).")],
    item: Annotated[int, typer.Option(help="The item's id.")],
    page: Annotated[int | None, typer.Option(help="The page cited.")] = None,
    quote: Annotated[str | None, typer.Option(help="The words cited, as on the page.")] = None,
    region: Annotated[str | None, typer.Option(
        help="A region of the page image: x,y,width,height in pixels.")] = None,
    contradicts: Annotated[bool, typer.Option(
        "--contradicts", help="The evidence contradicts the element (default: supports).")]
    = False,
    source: Annotated[str | None, typer.Option(
        help="Who or what the evidence comes from, for independence (default: from the "
             "item: its acquisition, copies counted once).")] = None,
    assessment: Annotated[str | None, typer.Option(help="Your assessment of it.")] = None,
) -> None:
    """Link an item (page and quote, or a region) to an element of a charge."""
    from dossier.cases.casefile import CaseError, add_evidence

    with open_workspace() as workspace:
        try:
            added = add_evidence(
                workspace.engine, ref, charge, element, item, page=page, quote=quote,
                region=region, stance="contradicts" if contradicts else "supports",
                source=source, assessment=assessment, author=workspace.actor)
        except CaseError as exc:
            raise fail(str(exc)) from exc
    console.print(f"evidence {added.id}: item {added.item_id} {added.stance} {added.element} "
                  f"of charge {added.charge_id} (source: {added.source})", markup=False)
    if added.quote_found is False:
        where = f"page {added.page_number}" if added.page_number else "any page"
        console.print(f"warning: the quote is not in the text of {where} of item "
                      f"{added.item_id} (as read: OCR may differ from the page); check it "
                      "against the page", markup=False)


@app.command()
def matrix(
    ref: CaseRef,
    as_json: AsJson = False,
    as_html: Annotated[bool, typer.Option("--html", help="Write an HTML page.")] = False,
    out: Annotated[Path | None, typer.Option(
        help="Write to this file instead of standard output.")] = None,
) -> None:
    """Elements × evidence: proven (independent sources), single source, contradicted, gap."""
    from dossier.cases.casefile import CaseError
    from dossier.cases.matrix import build_matrix
    from dossier.cases.matrix_html import matrix_document

    if as_json and as_html:
        raise fail("--json and --html: choose one")
    case = _load(ref)
    try:
        proof = build_matrix(case)
    except CaseError as exc:
        raise fail(str(exc)) from exc
    if out is not None and not out.parent.is_dir():
        raise fail(f"--out {out}: the folder {out.parent} does not exist")
    if as_json or as_html:
        text = (json.dumps(proof.as_dict(), ensure_ascii=False, indent=2) + "\n" if as_json
                else matrix_document(case, proof))
        if out is None:
            typer.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8")
            console.print(f"wrote {out}", markup=False)
        return
    if out is None:
        _print_matrix(console, case, proof)
        return
    with out.open("w", encoding="utf-8") as stream:
        _print_matrix(Console(file=stream, width=200, no_color=True, highlight=False),
                      case, proof)
    console.print(f"wrote {out}", markup=False)


def _print_matrix(screen: Console, case: CaseFile, proof: Matrix) -> None:
    from dossier.cases.matrix_html import status_words, summary_words

    evidence = {e.id: e for e in case.evidence}
    for charge in proof.charges:
        table = Table("element", "kind", "status", "evidence", "sources",
                      title=f"charge {charge.id}: {case.suspect(charge.suspect_id).name} — "
                            f"{charge.title}")
        for cell in proof.cells_of(charge.id):
            linked = [f"{'✗' if evidence[i].stance == 'contradicts' else '✓'}{i} item "
                      f"{evidence[i].item_id}" + (f" p.{evidence[i].page_number}"
                                                  if evidence[i].page_number else "")
                      for i in (*cell.contradicting, *cell.supporting)]
            table.add_row(cell.element.id, cell.element.kind, status_words(cell),
                          "\n".join(linked) or "—", "\n".join(cell.sources))
        screen.print(table)
    screen.print(summary_words(proof), markup=False)
    for disclaimer in proof.disclaimers.values():
        screen.print(disclaimer, markup=False)


def _load(ref: str) -> CaseFile:
    from dossier.cases.casefile import CaseError, load_case

    with open_workspace() as workspace:
        try:
            return load_case(workspace.engine, ref)
        except CaseError as exc:
            raise fail(str(exc)) from exc


def register(root: typer.Typer) -> None:
    """Attach `dossier case …` to the root app."""
    root.add_typer(app, name="case", help="Cases: suspects, charges, evidence linked to the "
                                          "elements of each charge, the proof matrix.")
