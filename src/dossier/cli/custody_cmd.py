"""`dossier custody …`."""

from __future__ import annotations

from typing import Annotated

import typer

from dossier.cli.common import console, open_workspace, print_json
from dossier.custody import events

app = typer.Typer(help="The chain-of-custody log.", no_args_is_help=True)


@app.command("log")
def show_log(
    item: Annotated[int | None, typer.Option(help="Only the events of this item.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show custody events in order: who did what to which original, when, and the hashes."""
    with open_workspace() as workspace, workspace.engine.connect() as conn:
        if as_json:
            print_json([event.as_dict() for event in events(conn, item_id=item)])
            return
        for event in events(conn, item_id=item):
            subject = f" item {event.item_id}" if event.item_id is not None else ""
            digest = f" sha256 {event.subject_sha256[:16]}…" if event.subject_sha256 else ""
            console.print(f"{event.seq:>7} {event.at} {event.actor} {event.action}{subject}"
                          f"{digest} {_summary(event.details)} hash {event.hash[:16]}…")


def _summary(details: dict[str, object]) -> str:
    keys = ("path", "pages", "kind", "message", "collection", "ok", "problems")
    return " ".join(f"{key}={details[key]}" for key in keys if key in details)
