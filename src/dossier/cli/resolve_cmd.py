"""`dossier resolve …`: link mentions, review candidate persons, merge and split entities."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from dossier.cli.common import console, fail, open_workspace, print_json

if TYPE_CHECKING:
    from dossier.registry.candidates import ReviewItem, ReviewOutcome
    from dossier.workspace import Workspace

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
    if links.moved or links.unlinked or links.unlinked_by_judgement:
        console.print(f"after merges and splits: {links.moved:,} links moved, "
                      f"{links.unlinked + links.unlinked_by_judgement:,} taken off")
    console.print(f"candidates: {clusters.created:,} new, {clusters.grown:,} grown "
                  f"({clusters.mentions:,} mentions); review them with `dossier resolve review`")


@app.command()
def review(
    as_json: AsJson = False,
    as_list: Annotated[bool, typer.Option(
        "--list", help="List the candidates; never ask.")] = False,
    status: Annotated[str, typer.Option(
        help="Which candidates to list: open, accepted or dismissed.")] = "open",
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
) -> None:
    """Walk the open candidate persons, most mentioned first, and decide on each.

    For each: its mentions in their context, the existing persons that may be the same (score
    and features), then [n]ew person, [l]ink to an existing one, [d]ismiss (with a reason),
    [s]kip or [q]uit. Each decision is kept at once, with your name and reason.

    It asks on a terminal; answers piped on stdin are read one per line, as if typed. It lists
    instead, asking nothing, with --list, --json, a --status other than open, or when stdin is
    not a terminal and holds no answers (`</dev/null`, a script).
    """
    from dossier.registry.candidates import CandidateError, list_candidates

    ask = None if as_json or as_list or status != "open" else _asker()
    with open_workspace() as workspace:
        if ask is not None:
            _walk(workspace, ask, limit)
            return
        with workspace.engine.connect() as conn:
            try:
                found = list_candidates(conn, status)[:limit]
            except CandidateError as exc:
                raise fail(str(exc)) from exc
    if as_json:
        print_json([candidate.as_dict() for candidate in found])
        return
    if not found:
        console.print(f"no {status} candidates")
        return
    table = Table("candidate", "label", "mentions", "where", *(
        () if status == "open" else ("entity", "by", "reason")))
    for candidate in found:
        where = "; ".join(f"{m.path} p.{m.page}: {m.text}" for m in candidate.mentions[:3])
        decided = () if status == "open" else (
            f"#{candidate.entity_id}" if candidate.entity_id else "", candidate.resolved_by or "",
            candidate.reason or "")
        table.add_row(str(candidate.id), candidate.label, str(len(candidate.mentions)), where,
                      *decided)
    console.print(table)
    if status == "open":
        console.print("walk them with `dossier resolve review` on a terminal, or decide with: "
                      "dossier resolve accept CANDIDATE [--as-entity E] | "
                      "dossier resolve dismiss CANDIDATE", markup=False)


Ask = Callable[[str], str]


def _asker() -> Ask | None:
    """How to ask: at the terminal; else from the answers piped on stdin; None for none."""
    stdin = typer.get_text_stream("stdin")
    if stdin.isatty():
        return lambda question: str(typer.prompt(question, default="", show_default=False))
    answers = stdin.read().splitlines()
    if not any(line.strip() for line in answers):
        return None
    queue = iter(answers)

    def ask(question: str) -> str:
        answer = next(queue, None)
        if answer is None:
            raise EOFError
        console.print(f"{question}: {answer}", markup=False)
        return answer

    return ask


def _walk(workspace: Workspace, ask: Ask, limit: int) -> None:
    from dossier.registry.candidates import review_item, review_queue

    with workspace.engine.connect() as conn:
        queue = review_queue(conn, limit)
    if not queue:
        console.print("no open candidates")
        return
    done: Counter[str] = Counter()
    for position, candidate in enumerate(queue, start=1):
        with workspace.engine.connect() as conn:
            item = review_item(conn, candidate)
        if item.candidate.status != "open":
            continue  # decided elsewhere since the walk began
        _show(item, position, len(queue))
        try:
            outcome = _decide(workspace, item, ask)
        except (EOFError, typer.Abort):
            console.print("\nno more answers: stopped")
            break
        if outcome.action == "quit":
            break
        console.print(outcome.message, markup=False)
        done[outcome.action] += 1
    console.print(f"reviewed: {done['new']} new, {done['link']} linked, {done['dismiss']} "
                  f"dismissed, {done['skip']} skipped")


def _show(item: ReviewItem, position: int, total: int) -> None:
    candidate = item.candidate
    count = len(candidate.mentions)
    lines = [f"\ncandidate {position} of {total}: #{candidate.id} {candidate.label!r}, "
             f"{count} mention{'s' if count != 1 else ''}"]
    for shown in item.mentions:
        m = shown.mention
        lines.append(f"  {m.path} (item {m.item_id}) p.{m.page} {m.text!r}: {shown.snippet}")
    if count > len(item.mentions):
        lines.append(f"  … and {count - len(item.mentions)} more")
    if item.matches:
        lines.append("existing persons that may be the same:")
        for number, match in enumerate(item.matches, start=1):
            why = "; ".join(f["detail"] or f["name"] for f in match.features)
            lines.append(f"  {number}. #{match.entity_id} {match.name} (as {match.matched_name!r})"
                         f" {match.score:.2f} {match.decision}: {why}")
    else:
        lines.append("no existing person matches")
    console.print("\n".join(lines), markup=False)


def _decide(workspace: Workspace, item: ReviewItem, ask: Ask) -> ReviewOutcome:
    from dossier.registry.candidates import CandidateError, decide, review_action

    while True:
        answer = ask("[n]ew person, [l]ink to an existing one, [d]ismiss, [s]kip, [q]uit")
        try:
            action = review_action(answer)
        except CandidateError as exc:
            console.print(str(exc), markup=False)
            continue
        target = reason = None
        if action == "link":
            target = ask("which person: a number from the list, #id, or a name")
        elif action == "dismiss":
            reason = ask("why") or None
        try:
            with workspace.engine.begin() as conn:
                return decide(conn, item, action, author=workspace.actor, target=target,
                              reason=reason)
        except CandidateError as exc:
            console.print(str(exc), markup=False)


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
