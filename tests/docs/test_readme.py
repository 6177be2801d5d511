"""The README documents every command and option: a new one without documentation fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from dossier.cli.main import app

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def _commands(group: Any, prefix: str) -> list[tuple[str, Any]]:
    """Typer vendors its own click, so commands are walked by shape, not by class."""
    found = []
    for name, command in group.commands.items():
        full = f"{prefix} {name}"
        found.append((full, command))
        if hasattr(command, "commands"):
            found += _commands(command, full)
    return found


def test_every_command_and_option_is_in_the_readme() -> None:
    root = typer.main.get_command(app)
    missing = []
    for name, command in [("dossier", root), *_commands(root, "dossier")]:
        if f"`{name}" not in README:
            missing.append(name)
        for parameter in command.params:
            is_option = parameter.param_type_name == "option"
            if is_option and not any(option in README for option in parameter.opts):
                missing.append(f"{name} {parameter.opts[0]}")
    assert missing == []


def test_the_readme_test_command_is_what_ci_runs() -> None:
    ci = (Path(__file__).parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    command = ci.strip().splitlines()[-1]
    assert command in README
