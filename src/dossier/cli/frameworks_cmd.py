"""`dossier frameworks …` (offences, elements, modes of liability) and `dossier jurisdictions`.

Both speak of law, so every output carries the line that it is indicative, not legal advice.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from dossier.cli.common import console, fail, open_workspace, print_json

if TYPE_CHECKING:
    from dossier.cases.frameworks import Mode, Offence
    from dossier.cases.jurisdictions import Alert, Assessment

app = typer.Typer(help="Legal frameworks as data: offences, their elements and the modes of "
                       "liability (indicative, not legal advice).",
                  no_args_is_help=True, rich_markup_mode=None)

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
NOT_ADVICE = "Indicative summary of public law, not legal advice."


def _footer(text: str = NOT_ADVICE) -> None:
    console.print(f"note: {text}", markup=False)


@app.command("list")
def list_(as_json: AsJson = False) -> None:
    """The frameworks, with their offences and modes of liability."""
    from dossier.cases.frameworks import FrameworkError, frameworks

    try:
        found = frameworks()
    except FrameworkError as exc:
        raise fail(str(exc)) from exc
    if as_json:
        print_json({"disclaimer": NOT_ADVICE,
                    "frameworks": [f.as_dict(elements=False) for f in found.values()]})
        return
    table = Table("id", "title", "offences", "modes of liability")
    for item in found.values():
        table.add_row(item.id, escape(item.title), escape(", ".join(item.offences)),
                      escape(", ".join(item.modes)))
    console.print(table)
    _footer()


@app.command()
def show(
    framework_id: Annotated[str, typer.Argument(metavar="ID", help="cat, rome or vstgb.")],
    offence: Annotated[str | None, typer.Option(
        help="Only this offence (e.g. 7-1-f), or mode of liability (e.g. 28-a).")] = None,
    as_json: AsJson = False,
) -> None:
    """The offences and modes of a framework, each element with its kind and citation."""
    from dossier.cases.frameworks import FrameworkError, framework

    try:
        found = framework(framework_id)
    except FrameworkError as exc:
        raise fail(str(exc)) from exc
    parts: list[Offence | Mode] = [*found.offences.values(), *found.modes.values()]
    if offence is not None:
        parts = [p for p in parts if p.id == offence]
        if not parts:
            raise fail(f"framework {found.id} has no offence or mode {offence!r}; offences: "
                       f"{', '.join(found.offences)}; modes: {', '.join(found.modes)}")
    if as_json:
        whole = found.as_dict()
        wanted = {p.id for p in parts}
        print_json({**whole, "offences": [o for o in whole["offences"] if o["id"] in wanted],
                    "modes": [m for m in whole["modes"] if m["id"] in wanted]})
        return
    console.print(f"{found.title} ({found.id}) — {found.citation}", markup=False)
    for part in parts:
        kind = "offence" if part.id in found.offences else "mode of liability"
        table = Table(title=escape(f"{kind} {part.id}: {part.title} ({part.citation})"))
        table.add_column("element", overflow="fold")
        table.add_column("kind")
        table.add_column("what must be proven")
        table.add_column("citation")
        for element in part.elements:
            table.add_row(escape(element.id), element.kind, escape(element.text),
                          escape(element.citation))
        console.print(table)
    _footer(found.disclaimer)


@app.command()
def check(
    directory: Annotated[Path | None, typer.Option(
        help="A folder of framework files (*.yaml) to check instead of the shipped ones.")]
    = None,
) -> None:
    """Validate the framework files (and the shipped jurisdiction rules); exit 1 naming the
    file and the field that is wrong."""
    from dossier.cases.countries import JurisdictionError, load_countries
    from dossier.cases.frameworks import FrameworkError, load_frameworks

    try:
        found = load_frameworks(directory)
        rules = load_countries(known=found) if directory is None else {}
    except (FrameworkError, JurisdictionError) as exc:
        raise fail(str(exc)) from exc
    elements = sum(len(o.elements) for f in found.values() for o in f.offences.values())
    elements += sum(len(m.elements) for f in found.values() for m in f.modes.values())
    console.print(f"ok: {len(found)} frameworks ({', '.join(found)}), "
                  f"{sum(len(f.offences) for f in found.values())} offences, "
                  f"{sum(len(f.modes) for f in found.values())} modes of liability, "
                  f"{elements} elements", markup=False)
    if rules:
        console.print(f"ok: jurisdiction rules of {len(rules)} countries "
                      f"({', '.join(rules)}), "
                      f"{sum(len(c.grounds) for c in rules.values())} grounds", markup=False)
    _footer()


def jurisdictions(
    suspect: Annotated[str | None, typer.Argument(
        metavar="SUSPECT", help="The suspect: a person's name in the registry, or #ID.")] = None,
    victim_nationality: Annotated[list[str] | None, typer.Option(
        "--victim-nationality", metavar="CC",
        help="A victim's nationality (code or name, e.g. DE); repeat for more.")] = None,
    on: Annotated[str | None, typer.Option(
        help="The date to assess (YYYY, YYYY-MM or YYYY-MM-DD; default today).")] = None,
    show_alerts: Annotated[bool, typer.Option(
        "--alerts", help="Instead of one suspect: every person whose latest recorded "
                         "whereabouts moved into a country where a ground now applies.")]
    = False,
    since: Annotated[str | None, typer.Option(
        help="With --alerts: only moves on or after this date.")] = None,
    as_json: AsJson = False,
) -> None:
    """Where can he be tried: for each configured country, the grounds of jurisdiction that
    may apply, from the suspect's recorded residence, presence and nationality (indicative)."""
    from dossier.cases.jurisdictions import DISCLAIMER, JurisdictionError, alerts, assess

    if show_alerts == (suspect is not None):
        raise fail("give a SUSPECT, or --alerts for every person (not both)")
    if since is not None and not show_alerts:
        raise fail("--since goes with --alerts")
    if show_alerts and (victim_nationality or on is not None):
        raise fail("--victim-nationality and --on go with a SUSPECT, not --alerts")
    with open_workspace() as workspace:
        try:
            if show_alerts:
                found = alerts(workspace.engine, since)
            else:
                assert suspect is not None
                result = assess(workspace.engine, suspect, victim_nationality or (), on)
        except JurisdictionError as exc:
            raise fail(str(exc)) from exc
    if show_alerts:
        if as_json:
            print_json({"disclaimer": DISCLAIMER, "alerts": [a.as_dict() for a in found]})
            return
        _print_alerts(found)
    else:
        if as_json:
            print_json(result.as_dict())
            return
        _print_assessment(result)
    _footer(DISCLAIMER)


def _print_alerts(found: list[Alert]) -> None:
    if not found:
        console.print("no alerts: no person's latest recorded whereabouts moved into a "
                      "country where a ground requiring presence or residence applies")
        return
    table = Table("person", "moved into", "from", "on", "now", "grounds now met", "shown by")
    for alert in found:
        table.add_row(escape(f"#{alert.person_id} {alert.person_name}"), alert.country,
                      alert.moved_from or "-", alert.moved_on or "undated",
                      "recorded there" if alert.met else "last seen there",
                      escape("; ".join(f"{g.id} ({g.citation})" for g in alert.grounds)),
                      escape(alert.claim.describe()))
    console.print(table)


def _print_assessment(result: Assessment) -> None:
    console.print(f"{result.suspect_name} (#{result.suspect_id}) on {result.on}", markup=False)
    nationalities = "; ".join(n.describe() for n in result.nationalities) or "none recorded"
    console.print(f"  nationality: {nationalities}", markup=False)
    for item in result.whereabouts:
        console.print(f"  {item.describe()}", markup=False)
    if not result.whereabouts:
        console.print("  whereabouts: none recorded", markup=False)
    console.print("  victims' nationalities: "
                  f"{', '.join(result.victim_nationalities) or 'none given'}", markup=False)
    table = Table("country", "ground", "status", "why", "rule")
    table.columns[1].overflow = "fold"
    for country in result.countries:
        for index, graded in enumerate(country.grounds):
            why = "; ".join(
                f"{c.text}: {'met' if c.met else 'unknown' if c.met is None else 'not met'}"
                f" ({c.basis})" for c in graded.conditions) or "no presence or link required"
            if graded.ground.checks:
                why += "; to check: " + "; ".join(graded.ground.checks)
            table.add_row(f"{country.country.name} ({country.country.code})" if index == 0
                          else "", escape(f"{graded.ground.id}: {graded.ground.title}"),
                          graded.status.replace("_", " "), escape(why),
                          escape(graded.ground.citation))
    console.print(table)
    for country in result.countries:
        if country.may_apply:
            console.print(f"{country.country.name}: may apply — {', '.join(country.may_apply)}",
                          markup=False)


def register(root: typer.Typer) -> None:
    """Attach `dossier frameworks …` and `dossier jurisdictions` to the root app."""
    root.add_typer(app, name="frameworks")
    root.command("jurisdictions")(jurisdictions)
