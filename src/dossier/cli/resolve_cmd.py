"""`dossier resolve …`: link mentions, review candidate persons, merge and split entities."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from dossier.cli.common import console, fail, open_workspace, print_json

app = typer.Typer(help="Resolution: link mentions to entities; review, merge and split.",
                  no_args_is_help=True)

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Reason = Annotated[str, typer.Option(help="Why (kept with the judgement).")]


@app.command()
def run(
    min_mentions: Annotated[int, typer.Option(
        help="Mentions a new candidate person needs.")] = 2,
    as_json: AsJson = False,
) -> None:
    """Link mentions to entities, then group unlinked look-alike persons into candidates."""
    from dossier.registry.candidates import cluster_unlinked
    from dossier.registry.resolve import link_mentions

    with open_workspace() as workspace, workspace.engine.begin() as conn:
        links = link_mentions(conn)
        clusters = cluster_unlinked(conn, min_mentions=min_mentions)
    if as_json:
        print_json({"links": links.as_dict(), "candidates": clusters.as_dict()})
        return
    console.print(f"linked {links.linked:,} mentions by name, {links.by_judgement:,} by "
                  f"judgement; {links.ambiguous:,} ambiguous, {links.unmatched:,} unmatched")
    console.print(f"candidates: {clusters.created:,} new, {clusters.grown:,} grown "
                  f"({clusters.mentions:,} mentions); review them with `dossier resolve review`")


@app.command()
def review(as_json: AsJson = False,
           limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50) -> None:
    """The open candidate persons, most mentioned first, with their mentions."""
    from dossier.registry.candidates import list_candidates

    with open_workspace() as workspace, workspace.engine.connect() as conn:
        found = list_candidates(conn)[:limit]
    if as_json:
        print_json([candidate.as_dict() for candidate in found])
        return
    if not found:
        console.print("no open candidates")
        return
    table = Table("candidate", "label", "mentions", "where")
    for candidate in found:
        where = "; ".join(f"{m.path} p.{m.page}: {m.text}" for m in candidate.mentions[:3])
        table.add_row(str(candidate.id), candidate.label, str(len(candidate.mentions)), where)
    console.print(table)
    console.print("decide with: dossier resolve accept CANDIDATE [--as-entity E] | "
                  "dossier resolve dismiss CANDIDATE")


@app.command()
def accept(
    candidate: Annotated[int, typer.Argument(help="The candidate.")],
    as_entity: Annotated[str | None, typer.Option(
        help="Link it to this existing person (id or name) instead of a new one.")] = None,
    reason: Annotated[str | None, typer.Option(help="Why.")] = None,
) -> None:
    """Accept a candidate as a new person, or as an existing one."""
    from dossier.registry.candidates import CandidateError, accept_candidate
    from dossier.registry.lookup import EntityReferenceError, entity_by_reference

    with open_workspace() as workspace, workspace.engine.begin() as conn:
        try:
            target = entity_by_reference(conn, as_entity, "person") if as_entity else None
            entity = accept_candidate(conn, candidate, author=workspace.actor,
                                      entity_id=target, reason=reason)
        except (CandidateError, EntityReferenceError) as exc:
            raise fail(str(exc)) from exc
    console.print(f"candidate {candidate} accepted as entity #{entity}")


@app.command()
def dismiss(candidate: Annotated[int, typer.Argument(help="The candidate.")],
            reason: Annotated[str | None, typer.Option(help="Why.")] = None) -> None:
    """Dismiss a candidate: its name is not proposed again."""
    from dossier.registry.candidates import CandidateError, dismiss_candidate

    with open_workspace() as workspace, workspace.engine.begin() as conn:
        try:
            dismiss_candidate(conn, candidate, author=workspace.actor, reason=reason)
        except CandidateError as exc:
            raise fail(str(exc)) from exc
    console.print(f"candidate {candidate} dismissed")


def _judge(a: str, b: str, verdict: str, reason: str) -> None:
    from dossier.registry.judgements import JudgementError
    from dossier.registry.lookup import EntityReferenceError, entity_by_reference
    from dossier.registry.resolve import cluster_members, merge, split

    with open_workspace() as workspace, workspace.engine.begin() as conn:
        try:
            left, right = entity_by_reference(conn, a), entity_by_reference(conn, b)
            judge = merge if verdict == "same" else split
            judgement = judge(conn, left, right, author=workspace.actor, reason=reason)
            members = cluster_members(conn, left)
        except (JudgementError, EntityReferenceError) as exc:
            raise fail(str(exc)) from exc
    console.print(f"judgement {judgement.id}: #{left} {verdict.replace('_', ' ')} #{right}; "
                  f"#{left} is now in the cluster {members}")


@app.command("merge")
def merge_cmd(a: Annotated[str, typer.Argument(help="An entity (id or name).")],
              b: Annotated[str, typer.Argument(help="Another entity (id or name).")],
              reason: Reason) -> None:
    """Judge two entities the same (undo with `split`)."""
    _judge(a, b, "same", reason)


@app.command("split")
def split_cmd(a: Annotated[str, typer.Argument(help="An entity (id or name).")],
              b: Annotated[str, typer.Argument(help="Another entity (id or name).")],
              reason: Reason) -> None:
    """Judge two entities not the same (undoes a merge of the pair)."""
    _judge(a, b, "not_same", reason)
