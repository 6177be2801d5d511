"""What a long ingest tells the person waiting for it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from dossier.progress import RunClock


@dataclass
class IngestProgress(RunClock):
    """Counters of one run; `rate` and `eta_seconds` are derived, never stored."""

    phase: str = "walking"
    files_seen: int = 0
    new_items: int = 0
    sightings: int = 0
    duplicates: int = 0
    children: int = 0
    processed: int = 0
    queued: int = 0
    in_flight: int = 0
    pages: int = 0
    ocr_pages: int = 0
    indexed_pages: int = 0
    failures: int = 0

    @property
    def rate(self) -> float:
        """Originals processed per second."""
        return self.per_second(self.processed)

    @property
    def eta_seconds(self) -> float | None:
        return self.time_left(self.queued + self.in_flight, self.rate)

    def line(self) -> str:
        eta_text = self.eta_text(self.eta_seconds)
        return (f"{self.phase}: {self.files_seen:,} files, {self.processed:,} processed "
                f"({self.queued + self.in_flight:,} queued), {self.pages:,} pages "
                f"({self.ocr_pages:,} OCR), {self.indexed_pages:,} indexed, "
                f"{self.failures:,} failed, {self.rate:,.1f}/s, ETA {eta_text}")


ProgressCallback = Callable[[IngestProgress], None]


class Throttle:
    """Calls the callback at most every `interval` seconds (and always when forced)."""

    def __init__(self, callback: ProgressCallback | None, interval: float = 0.5) -> None:
        self.callback = callback
        self.interval = interval
        self._last = 0.0

    def due(self) -> bool:
        return self.callback is not None and time.monotonic() - self._last >= self.interval

    def __call__(self, progress: IngestProgress, force: bool = False) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if force or now - self._last >= self.interval:
            self._last = now
            self.callback(progress)
