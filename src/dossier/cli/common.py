"""What every command shares: opening the workspace, printing, turning errors into exits."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from dossier.workspace import Workspace, WorkspaceError

console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False)


class State:
    workspace_path: Path | None = None


state = State()


def fail(message: str, code: int = 1) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", markup=True)
    return typer.Exit(code)


@contextmanager
def open_workspace() -> Iterator[Workspace]:
    try:
        workspace = Workspace.open(state.workspace_path)
    except WorkspaceError as exc:
        raise fail(str(exc)) from exc
    try:
        yield workspace
    finally:
        workspace.close()


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")
