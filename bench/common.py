"""Shared by the benchmarks: timing, peak memory of a process tree, recording results."""

from __future__ import annotations

import contextlib
import platform
import subprocess
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

RESULTS = Path(__file__).with_name("RESULTS.md")
OUT = Path(__file__).with_name("out")


class PeakRss:
    """Samples the resident memory of this process and its children; keeps the peak of the sum.

    Listing the children walks every process of the machine: it is done once a second, and
    the resident size of the processes listed every `interval`. Listing them at every sample
    cost the ingest it measured a second and a half of CPU at 20,000 files.
    """

    def __init__(self, pid: int | None = None, interval: float = 0.05,
                 relist_every: float = 1.0) -> None:
        self.process = psutil.Process(pid)
        self.interval = interval
        self.relist_every = relist_every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        processes = [self.process]
        listed = float("-inf")
        while not self._stop.is_set():
            if time.monotonic() - listed >= self.relist_every:
                with contextlib.suppress(psutil.Error):
                    processes = [self.process, *self.process.children(recursive=True)]
                    listed = time.monotonic()
            total = 0
            for process in processes:
                with contextlib.suppress(psutil.Error):
                    total += process.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    memory = psutil.virtual_memory().total / 1024**3
    python = platform.python_version()
    return f"{psutil.cpu_count()} cores ({cpu}), {memory:.0f} GiB, Python {python}"


def git_revision() -> str:
    """The commit measured, with "+uncommitted" when the tree (this file of results aside)
    differs from it: such a run measured the change the next commit lands."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        changed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--",
                                  ".", ":!bench/RESULTS.md"], capture_output=True, text=True,
                                 check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}+uncommitted" if changed else head


def record(title: str, command: str, lines: list[str]) -> None:
    """Append one result section to bench/RESULTS.md (newest last)."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = [f"## {title}", "", f"{stamp}, commit {git_revision()}, {machine()}", "",
             "```", command, "```", "", *lines, ""]
    existing = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else (
        "# Benchmark results\n\nEach section: when, on what, the command, the figures.\n\n")
    RESULTS.write_text(existing + "\n".join(block) + "\n", encoding="utf-8")
    print("\n".join(block))


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - started
