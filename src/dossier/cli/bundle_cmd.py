"""Placeholder: filled in by the work on bundles (issue 6)."""

from __future__ import annotations

import typer


def register(root: typer.Typer, case_app: typer.Typer) -> None:
    """Attach `dossier bundle …` to the root app and `export` to `dossier case`."""
