"""`dossier victims link | review | judge | show`: link victim records, review, decide, look.

Plain functions: the victims command group registers them.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from dossier.cli.common import console, errors, fail, open_workspace, print_json

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def link(
    backend: Annotated[str, typer.Option(
        help="Where the model runs: duckdb (this machine) or spark (a local or cluster "
             "session).")] = "duckdb",
    threshold: Annotated[float, typer.Option(
        help="Match probability at or above which two records are judged the same.")] = 0.7,
    review_low: Annotated[float, typer.Option(
        help="Pairs from this probability up to --review-high go to the review queue.")] = 0.3,
    review_high: Annotated[float, typer.Option(
        help="Upper end (exclusive) of the review band.")] = 0.9,
    as_json: AsJson = False,
) -> None:
    """Link the victim records of every list with Splink; rebuild the victims.

    Pairs at or above the threshold become machine "same" judgements, pairs in the review band
    go to `dossier victims review`. Human judgements always win and are never replaced.
    """
    from dossier.victims.linkage import LinkageError, link_records

    def say(message: str) -> None:
        if not as_json:
            errors.print(message)

    with open_workspace() as workspace:
        try:
            report = link_records(workspace, backend=backend, threshold=threshold,
                                  review_band=(review_low, review_high), progress=say)
        except LinkageError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json(report.as_dict())
        return
    console.print(f"{report.records:,} records, {report.pairs_scored:,} pairs compared "
                  f"({report.backend}): {report.pairs_linked:,} linked, "
                  f"{report.pairs_for_review:,} to review")
    console.print(f"{report.victims:,} victims (linkage run {report.run_id})")
    if report.refused:
        console.print(f"{report.refused:,} machine links kept apart by a person's judgement")
    if report.guarded:
        console.print(f"{report.guarded:,} machine links refused because the records contradict "
                      "each other (another given or father's name, birth years apart, a third "
                      "record of one list); they wait in `dossier victims review`")


def review(
    limit: Annotated[int, typer.Option(help="Show at most this many pairs.")] = 20,
    as_json: AsJson = False,
) -> None:
    """The pairs the model was least sure of, side by side; decide with `victims judge`."""
    from dossier.victims.review import review_queue

    with open_workspace() as workspace, workspace.engine.connect() as conn:
        items = review_queue(conn, limit=limit)
    if as_json:
        print_json([item.as_dict() for item in items])
        return
    if not items:
        console.print("nothing to review")
        return
    for item in items:
        table = Table(title=f"records {item.left['id']} and {item.right['id']}: "
                            f"p = {item.score:.3f} (model: {item.verdict}), "
                            f"names {item.name_score:.2f}")
        table.add_column("field")
        table.add_column(str(item.left["id"]))
        table.add_column(str(item.right["id"]))
        for field, value in item.left.items():
            other = item.right.get(field)
            if field != "id" and (value is not None or other is not None):
                table.add_row(field, _text(value), _text(other))
        console.print(table)
        for feature in item.name_features:
            console.print(f"  {feature['weight']:+.1f} {feature['name']}: {feature['detail']}")
        console.print(f"  decide: dossier victims judge {item.left['id']} "
                      f"{item.right['id']} same|not_same|unsure --reason …")


def _text(value: object) -> str:
    return "" if value is None else str(value)


def judge(
    a: Annotated[int, typer.Argument(help="A victim record id.")],
    b: Annotated[int, typer.Argument(help="Another victim record id.")],
    verdict: Annotated[str, typer.Argument(help="same, not_same or unsure.")],
    reason: Annotated[str, typer.Option(help="Why (kept with the judgement).")] = "",
    as_json: AsJson = False,
) -> None:
    """Judge two records to be (not) the same victim; overrides the model, now and later."""
    from dossier.victims.review import ReviewError
    from dossier.victims.review import judge as judge_pair

    with open_workspace() as workspace, workspace.engine.begin() as conn:
        try:
            judgement, counts = judge_pair(conn, a, b, verdict, author=workspace.actor,
                                           reason=reason or None)
        except ReviewError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json({"judgement": judgement.as_dict(), "victims": counts.victims,
                    "guarded": counts.guarded})
        return
    console.print(f"judged records {a} and {b}: {verdict}; {counts.victims:,} victims")
    if counts.guarded:
        console.print(f"{counts.guarded:,} of the model's links kept apart by the cluster "
                      "guard: through this judgement they would join records that contradict "
                      "each other (they wait in `dossier victims review`)")


def show(
    victim: Annotated[int, typer.Argument(help="A victim id, or any of its record ids.")],
    as_json: AsJson = False,
) -> None:
    """A victim: its records and the lists that hold it."""
    from dossier.victims.clusters import VictimError
    from dossier.victims.clusters import victim as victim_of

    with open_workspace() as workspace, workspace.engine.connect() as conn:
        try:
            found = victim_of(conn, victim)
        except VictimError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json(found.as_dict())
        return
    console.print(f"victim {found.id}: {len(found.records)} records in "
                  f"{len(found.lists)} lists ({', '.join(found.lists)})")
    table = Table()
    for column in ("id", "list", "full_name", "sex", "age", "birth_date", "death_date",
                   "governorate", "status"):
        table.add_column(column)
    for record in found.records:
        table.add_row(*[_text(record.get(column)) for column in
                        ("id", "list", "full_name", "sex", "age", "birth_date", "death_date",
                         "governorate", "status")])
    console.print(table)
