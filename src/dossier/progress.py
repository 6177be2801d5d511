"""The clock every long run keeps: elapsed time, rate and the time left, derived, never stored."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class RunClock:
    started: float = field(default_factory=time.monotonic, kw_only=True)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def per_second(self, done: int) -> float:
        elapsed = self.elapsed
        return done / elapsed if elapsed > 0 else 0.0

    @staticmethod
    def time_left(remaining: int, rate: float) -> float | None:
        return remaining / rate if rate > 0 else None

    @staticmethod
    def eta_text(eta: float | None) -> str:
        return f"{eta:,.0f}s" if eta is not None else "?"
