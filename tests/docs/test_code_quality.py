"""The code stays ruff- and mypy-clean: CI fails on the first lapse, not a review later."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True,
                          text=True, check=False)


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", "src", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    result = _run("mypy", "src/dossier")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_cli_and_the_web_layer_know_no_sql() -> None:
    # DESIGN.md: a command or a route parses, calls one library function, and answers
    offenders = []
    for layer in ("cli", "web"):
        for module in sorted((ROOT / "src" / "dossier" / layer).glob("*.py")):
            text = module.read_text(encoding="utf-8")
            if "dossier.store.schema" in text or "select(" in text:
                offenders.append(module.name)
    assert offenders == []
