"""Showing a long run's progress: a live line on a terminal, periodic lines in a log."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.live import Live
from rich.text import Text

from dossier.cli.common import errors


class Progress(Protocol):
    """What a long run reports: its phase ("done" at the end) and a line for people."""

    phase: str

    def line(self) -> str: ...


@contextmanager
def progress_display(quiet: bool = False) -> Iterator[Callable[[Progress], None]]:
    """A live line on a terminal, a line every 5 seconds in a log, nothing when quiet."""
    if quiet:
        yield lambda _progress: None
        return
    if sys.stderr.isatty():
        with Live(Text(""), console=errors, refresh_per_second=4, transient=False) as live:
            yield lambda progress: live.update(Text(progress.line()))
        return
    last = [0.0]

    def log_line(progress: Progress) -> None:
        now = time.monotonic()
        if progress.phase == "done" or now - last[0] >= 5:
            last[0] = now
            errors.print(progress.line())

    yield log_line
