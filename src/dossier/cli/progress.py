"""Showing a long run's progress: a live line on a terminal, periodic lines in a log."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.live import Live
from rich.text import Text

from dossier.cli.common import errors
from dossier.ingest.progress import IngestProgress, ProgressCallback


@contextmanager
def progress_display(quiet: bool = False) -> Iterator[ProgressCallback]:
    if quiet:
        yield lambda _progress: None
        return
    if sys.stderr.isatty():
        with Live(Text(""), console=errors, refresh_per_second=4, transient=False) as live:
            yield lambda progress: live.update(Text(progress.line()))
        return
    last = [0.0]

    def log_line(progress: IngestProgress) -> None:
        now = time.monotonic()
        if progress.phase == "done" or now - last[0] >= 5:
            last[0] = now
            errors.print(progress.line())

    yield log_line
