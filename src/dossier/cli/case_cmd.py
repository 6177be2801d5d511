"""Placeholder: filled in by the work on cases (issue 6)."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


def register(root: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
