"""`dossier proceedings …` and `dossier extradition …`: files in courts, their stages, requests
between states, and how many files each country has opened, closed or taken to trial."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from dossier.cli.common import console, fail, open_workspace, print_json

if TYPE_CHECKING:
    from dossier.cases.proceedings import Proceeding

app = typer.Typer(help="Proceedings: files before prosecutors and courts, with dated stages.",
                  no_args_is_help=True, rich_markup_mode=None)
extradition_app = typer.Typer(help="Extradition requests between states.",
                              no_args_is_help=True, rich_markup_mode=None)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _parties(pairs: list[str] | None) -> list[tuple[str, str]]:
    parties = []
    for pair in pairs or []:
        role, sep, name = pair.partition("=")
        if not sep or not role.strip() or not name.strip():
            raise fail(f"--party {pair!r}: expected ROLE=NAME (a name, or #ID of a registry "
                       "entity)")
        parties.append((role.strip(), name.strip()))
    return parties


def _show(p: Proceeding) -> None:
    console.print(f"[bold]{escape(p.ref)}[/] {escape(p.forum)} ({p.country or 'international'}"
                  f", {p.kind}) — current stage: {p.current_stage or 'none recorded'}; "
                  f"file {'closed' if p.closed else 'open'}", markup=True)
    for label, value in (("case", p.case_ref), ("legal basis", p.legal_basis),
                         ("ground", p.ground), ("subject", p.subject_name and
                                                f"#{p.subject_entity_id} {p.subject_name}"),
                         ("description", p.description), ("source", p.source)):
        if value:
            console.print(f"  {label}: {value}", markup=False)
    for party in p.parties:
        entity = f" (#{party.entity_id})" if party.entity_id else ""
        console.print(f"  {party.role}: {party.name}{entity}", markup=False)
    console.print("stages, by date:" if p.stages else "no stage recorded", markup=False)
    for s in p.stages:  # as lines: notes and citations are long, a table would crush them
        console.print(f"  {s.on_date or 'date not given':<15} [bold]{s.stage}[/]", markup=True)
        for label, value in (("reason", s.reason), ("note", s.note), ("source", s.source)):
            if value:
                console.print(f"  {'':<15} {label}: {value}", markup=False)


@app.command()
def add(
    ref: Annotated[str, typer.Argument(help="The proceeding's ref, e.g. DE-KOBLENZ-251.")],
    forum: Annotated[str, typer.Option(help="The court or prosecutor.")],
    kind: Annotated[str, typer.Option(help="criminal, state_responsibility or civil.")],
    country: Annotated[str | None, typer.Option(
        help="ISO code of the forum's state (none for an international court).")] = None,
    legal_basis: Annotated[str | None, typer.Option(
        help="The law invoked, e.g. 'VStGB §7'.")] = None,
    ground: Annotated[str | None, typer.Option(
        help="universal, territorial, active_personality, passive_personality, state_party "
             "or other.")] = None,
    case: Annotated[str | None, typer.Option(help="The ref of the case it belongs to.")] = None,
    subject: Annotated[str | None, typer.Option(
        help="The accused: a registry person's id (#N) or name.")] = None,
    party: Annotated[list[str] | None, typer.Option(
        help="ROLE=NAME, e.g. complainant=ECCHR; NAME may be #ID of a registry entity. "
             "Repeat for more.")] = None,
    description: Annotated[str | None, typer.Option(help="What the file is about.")] = None,
    source: Annotated[str | None, typer.Option(help="The citation the record rests on.")]
    = None,
    as_json: JsonOption = False,
) -> None:
    """Record a proceeding; add its stages with `dossier proceedings stage`."""
    from dossier.cases.proceedings import ProceedingError, add_proceeding

    parties = _parties(party)
    with open_workspace() as workspace:
        try:
            added = add_proceeding(workspace.engine, ref, forum=forum, kind=kind,
                                   country=country, legal_basis=legal_basis, ground=ground,
                                   case=case, subject=subject, parties=parties,
                                   description=description, source=source)
        except ProceedingError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json(added.as_dict())
        return
    console.print(f"proceeding {added.ref} recorded", markup=False)


@app.command("stage")
def stage_(
    ref: Annotated[str, typer.Argument(help="The proceeding's ref.")],
    stage: Annotated[str, typer.Argument(
        help="complaint, investigation, structural_investigation, individual_investigation, "
             "investigating_judge, arrest_warrant, arrest, indictment, trial, verdict, appeal, "
             "final, declined, closed; for a case between states notification, application, "
             "provisional_measures.")],
    date: Annotated[str | None, typer.Option(
        help="When: YYYY-MM-DD, or YYYY-MM or YYYY when only that is known.")] = None,
    reason: Annotated[str | None, typer.Option(
        help="Why the file was declined or closed (required for those).")] = None,
    note: Annotated[str | None, typer.Option(help="What happened.")] = None,
    source: Annotated[str | None, typer.Option(help="The citation for this stage.")] = None,
) -> None:
    """Record a stage of a proceeding; stages are listed by date, whatever the order given."""
    from dossier.cases.proceedings import ProceedingError, add_stage, load_proceeding

    with open_workspace() as workspace:
        try:
            add_stage(workspace.engine, ref, stage, on_date=date, reason=reason, note=note,
                      source=source)
            now = load_proceeding(workspace.engine, ref)
        except ProceedingError as exc:
            raise fail(str(exc)) from exc
    console.print(f"{ref}: {stage} recorded; current stage {now.current_stage}"
                  f"{' (closed)' if now.closed else ''}", markup=False)


@app.command("list")
def list_(
    country: Annotated[str | None, typer.Option(help="Only this country (ISO code).")] = None,
    case: Annotated[str | None, typer.Option(help="Only the proceedings of this case.")] = None,
    stage: Annotated[str | None, typer.Option(help="Only files at this current stage.")]
    = None,
    as_json: JsonOption = False,
) -> None:
    """Proceedings by country, with their current stage."""
    from dossier.cases.proceedings import ProceedingError, list_proceedings

    with open_workspace() as workspace:
        try:
            found = list_proceedings(workspace.engine, country=country, case=case, stage=stage)
        except ProceedingError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json([p.as_dict() for p in found])
        return
    table = Table(title=f"{len(found)} proceedings")
    for column in ("ref", "country", "forum", "kind", "current stage", "since", "closed"):
        table.add_column(column)
    for p in found:
        table.add_row(escape(p.ref), p.country or "—", escape(p.forum), p.kind,
                      p.current_stage or "—", (p.current and p.current.on_date) or "",
                      "yes" if p.closed else "")
    console.print(table)


@app.command()
def show(
    ref: Annotated[str, typer.Argument(help="The proceeding's ref.")],
    as_json: JsonOption = False,
) -> None:
    """A proceeding with its parties and its stages by date, each with its source."""
    from dossier.cases.proceedings import ProceedingError, load_proceeding

    with open_workspace() as workspace:
        try:
            found = load_proceeding(workspace.engine, ref)
        except ProceedingError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json(found.as_dict())
        return
    _show(found)


@app.command()
def stats(
    country: Annotated[str | None, typer.Option(help="Only this country (ISO code).")] = None,
    by: Annotated[str, typer.Option(help="Group by country, stage, forum or ground.")]
    = "country",
    as_json: JsonOption = False,
) -> None:
    """Files opened, ongoing, closed (with reasons), before an investigating judge, with
    arrest warrants, at trial, with verdicts; extradition requests by state and outcome."""
    from dossier.cases.proceedings import ProceedingError
    from dossier.cases.proceedings_stats import COUNTS, LABELS, proceedings_stats

    with open_workspace() as workspace:
        try:
            result = proceedings_stats(workspace.engine, country=country, by=by)
        except ProceedingError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json(result.as_dict())
        return
    table = Table(title=f"proceedings by {result.by}")
    table.add_column(result.by)
    for name in COUNTS:
        table.add_column(LABELS[name], justify="right")
    for group in (*result.groups, result.total):
        table.add_row(escape(group.key), *(str(group.counts[name]) for name in COUNTS))
    console.print(table)
    for group in result.groups:
        for reason, count in group.closed_reasons.items():
            console.print(f"  {group.key}: {count} {reason}", markup=False)
    if result.extraditions:
        requests = Table(title="extradition requests")
        for column in ("requested state", "outcome", "requests"):
            requests.add_column(column)
        for row in result.extraditions:
            requests.add_row(row.requested_state, row.outcome, str(row.requests))
        console.print(requests)


@app.command("import-reference")
def import_reference(as_json: JsonOption = False) -> None:
    """Add the public proceedings named in the seed documents, each fact with its source;
    running it again adds nothing."""
    from dossier.cases.proceedings import ProceedingError
    from dossier.cases.reference import import_reference as run_import

    with open_workspace() as workspace:
        try:
            report = run_import(workspace.engine)
        except ProceedingError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json(report.as_dict())
        return
    console.print(f"{report.proceedings_added} proceedings, {report.stages_added} stages, "
                  f"{report.extraditions_added} extradition requests added; "
                  f"{len(report.already_present)} already present", markup=False)


@app.command()
def vocabulary(as_json: JsonOption = False) -> None:
    """The stages, kinds, grounds and extradition outcomes, with what each means."""
    from dossier.cases.proceedings import vocabulary as load

    vocab = load()
    sections = {"stage": vocab.stages, "kind": vocab.kinds, "ground": vocab.grounds,
                "outcome": vocab.outcomes}
    if as_json:
        print_json({name: {t.name: t.description for t in terms.values()}
                    for name, terms in sections.items()})
        return
    for name, terms in sections.items():
        table = Table(title=f"{name}s")
        table.add_column(name)
        table.add_column("meaning")
        for term in terms.values():
            table.add_row(term.name, escape(term.description))
        console.print(table)


@extradition_app.command("add")
def extradition_add(
    ref: Annotated[str, typer.Argument(help="The request's ref.")],
    requesting: Annotated[str, typer.Option("--from", help="The requesting state (ISO code).")],
    requested: Annotated[str, typer.Option("--to", help="The requested state (ISO code).")],
    subject: Annotated[str, typer.Option(help="Who is sought, as the source puts it.")],
    channel: Annotated[str | None, typer.Option(
        help="How: diplomatic note, judicial committee, Interpol…")] = None,
    date: Annotated[str | None, typer.Option(
        help="When it was requested: YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
    status: Annotated[str | None, typer.Option(
        help="Where the subject is and on what footing (residency, detention).")] = None,
    person: Annotated[str | None, typer.Option(
        help="Link the subject to a registry person: id (#N) or name.")] = None,
    outcome: Annotated[str, typer.Option(
        help="pending, granted, refused or withdrawn.")] = "pending",
    note: Annotated[str | None, typer.Option(help="What else is known.")] = None,
    source: Annotated[str | None, typer.Option(help="The citation.")] = None,
) -> None:
    """Record an extradition request."""
    from dossier.cases.extradition import add_extradition
    from dossier.cases.proceedings import ProceedingError

    with open_workspace() as workspace:
        try:
            added = add_extradition(workspace.engine, ref, requesting_state=requesting,
                                    requested_state=requested, subject=subject,
                                    channel=channel, requested_on=date, subject_status=status,
                                    person=person, outcome=outcome, note=note, source=source)
        except ProceedingError as exc:
            raise fail(str(exc)) from exc
    console.print(f"extradition request {added.ref} recorded: {added.requesting_state} → "
                  f"{added.requested_state}, {added.outcome}", markup=False)


@extradition_app.command("list")
def extradition_list(
    requested: Annotated[str | None, typer.Option(
        "--to", help="Only requests to this state.")] = None,
    requesting: Annotated[str | None, typer.Option(
        "--from", help="Only requests from this state.")] = None,
    outcome: Annotated[str | None, typer.Option(help="Only this outcome.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Extradition requests by requested state."""
    from dossier.cases.extradition import list_extraditions
    from dossier.cases.proceedings import ProceedingError

    with open_workspace() as workspace:
        try:
            found = list_extraditions(workspace.engine, requested_state=requested,
                                      requesting_state=requesting, outcome=outcome)
        except ProceedingError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json([e.as_dict() for e in found])
        return
    table = Table(title=f"{len(found)} extradition requests")
    for column in ("ref", "from", "to", "date", "subject", "status", "outcome"):
        table.add_column(column)
    for e in found:
        table.add_row(escape(e.ref), e.requesting_state, e.requested_state,
                      e.requested_on or "", escape(e.subject), escape(e.subject_status or ""),
                      e.outcome)
    console.print(table)


@extradition_app.command("outcome")
def extradition_outcome(
    ref: Annotated[str, typer.Argument(help="The request's ref.")],
    outcome: Annotated[str, typer.Argument(help="pending, granted, refused or withdrawn.")],
    note: Annotated[str | None, typer.Option(help="Why, or what was decided.")] = None,
) -> None:
    """Record a new outcome; the change is kept in the request's note with date and author."""
    from dossier.cases.extradition import set_outcome
    from dossier.cases.proceedings import ProceedingError

    with open_workspace() as workspace:
        try:
            changed = set_outcome(workspace.engine, ref, outcome, note=note)
        except ProceedingError as exc:
            raise fail(str(exc)) from exc
    console.print(f"{changed.ref}: {changed.outcome}", markup=False)


def register(root: typer.Typer) -> None:
    """Attach `dossier proceedings …` and `dossier extradition …` to the root app."""
    root.add_typer(app, name="proceedings")
    root.add_typer(extradition_app, name="extradition")
