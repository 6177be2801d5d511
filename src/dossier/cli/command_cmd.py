"""`dossier command who|chain`: who held a unit's posts on a date; the command above a person."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from dossier.cli.common import console, fail, open_workspace, print_json

if TYPE_CHECKING:

    from dossier.registry.command import PostHolder

app = typer.Typer(help="Command: who held which post when, says which document.",
                  no_args_is_help=True)

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
On = Annotated[str, typer.Option("--on", help="The date, YYYY-MM-DD.")]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise fail(f"--on {text!r} is not a date (YYYY-MM-DD)") from exc


def _holders_table(holders: Sequence[PostHolder], title: str | None = None) -> Table:
    table = Table("role", "person", "standing", "basis", "confidence", "sources", title=title)
    for holder in holders:
        sources = [s for claim in holder.claims for s in claim.sources]
        shown = "; ".join(
            f"{s.path} p.{s.page_number or '?'}" + (f' "{s.quote}"' if s.quote else "")
            if s.item_id is not None else str(s.citation) for s in sources[:3])
        table.add_row(holder.role or "", f"#{holder.person_id} {holder.person_name}",
                      holder.standing, holder.basis, f"{holder.confidence:.2f}", shown)
    return table


@app.command()
def who(
    unit: Annotated[str, typer.Option(help="The unit or facility (id, number or name).")],
    on: On,
    role: Annotated[list[str] | None, typer.Option(
        help="Only this role (head, deputy, interrogator, …); repeat for more. Default: the "
             "command posts (head, deputy).")] = None,
    as_json: AsJson = False,
) -> None:
    """Who held the command posts of a unit on a date (or the roles asked), with the claims
    and sources that say so."""
    from dossier.registry.command import who as find_holders
    from dossier.registry.lookup import EntityReferenceError, unit_by_reference
    from dossier.registry.vocabulary import command_roles

    day = _day(on)
    with open_workspace() as workspace, workspace.engine.connect() as conn:
        try:
            unit_id = unit_by_reference(conn, unit)
        except EntityReferenceError as exc:
            raise fail(str(exc)) from exc
        holders = find_holders(conn, unit_id, day, role or command_roles())
    if as_json:
        print_json({"unit": unit_id, "on": day.isoformat(),
                    "holders": [h.as_dict() for h in holders]})
        return
    if not holders:
        console.print(f"no post holder of unit #{unit_id} is known on {day}")
        return
    console.print(_holders_table(holders, f"unit #{unit_id} on {day}"))


@app.command()
def chain(
    person: Annotated[str, typer.Option(help="The person (id or name).")],
    on: On,
    as_json: AsJson = False,
) -> None:
    """The posts a person held on a date, and who headed each unit above them.

    The units above follow subordinate_to claims valid on the date, which override the
    registry's hierarchy; each line says which one it rests on.
    """
    from dossier.registry.command import chain as find_chain
    from dossier.registry.lookup import EntityReferenceError, entity_by_reference

    day = _day(on)
    with open_workspace() as workspace, workspace.engine.connect() as conn:
        try:
            person_id = entity_by_reference(conn, person, "person")
        except EntityReferenceError as exc:
            raise fail(str(exc)) from exc
        result = find_chain(conn, person_id, day)
    if as_json:
        print_json(result.as_dict())
        return
    if not result.posts:
        console.print(f"no post of #{result.person_id} {result.person_name} is known on {day}")
        return
    for link in result.posts:
        console.print(f"#{result.person_id} {result.person_name}: {link.post.role} of "
                      f"{link.unit_name} (#{link.post.unit_id}) — {link.post.basis}",
                      markup=False)
        for above in link.superiors:
            names = ", ".join(f"#{h.person_id} {h.person_name} ({h.basis})"
                              for h in above.holders) or "unknown"
            via = above.link if above.link != "claim" else above.link_basis
            if above.overrides is not None:
                via += f", instead of the hierarchy's #{above.overrides}"
            console.print(f"  {above.unit_name} (#{above.unit_id}) [{via}]: {names}",
                          markup=False)
