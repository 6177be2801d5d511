"""Counts of proceedings and extradition requests: how many files a country opened, closed,
has before an investigating judge, at trial, with verdicts.

The counts are read from each file's stages, so they follow what was recorded: a file is closed
when its current stage is closed, declined or final, "before an investigating judge" and "at
trial" are current stages, and "with an arrest warrant" and "with a verdict" count files that
ever reached that stage.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine

from dossier.cases.extradition import list_extraditions
from dossier.cases.proceedings import (
    Proceeding,
    ProceedingError,
    check_country,
    list_proceedings,
    transaction,
)

BREAKDOWNS: dict[str, Callable[[Proceeding], str]] = {
    "country": lambda p: p.country or "international",
    "stage": lambda p: p.current_stage or "no stage recorded",
    "forum": lambda p: p.forum,
    "ground": lambda p: p.ground or "not given",
}
COUNTS = ("opened", "ongoing", "closed", "investigating_judge", "arrest_warrant", "trial",
          "verdict")
LABELS = {"opened": "opened", "ongoing": "ongoing", "closed": "closed",
          "investigating_judge": "before an investigating judge",
          "arrest_warrant": "with an arrest warrant", "trial": "at trial",
          "verdict": "with a verdict"}


@dataclass
class Group:
    """The counts of one country (or stage, forum, ground)."""

    key: str
    counts: Counter[str] = field(default_factory=Counter)
    # why files were closed or declined, as recorded on their closing stage
    closed_reasons: Counter[str] = field(default_factory=Counter)

    def add(self, proceeding: Proceeding) -> None:
        current = proceeding.current
        self.counts["opened"] += 1
        self.counts["closed" if proceeding.closed else "ongoing"] += 1
        if proceeding.closed and current is not None and current.stage != "final":
            self.closed_reasons[f"{current.stage}: {current.reason or 'no reason given'}"] += 1
        for stage in ("investigating_judge", "trial"):
            self.counts[stage] += proceeding.current_stage == stage
        for stage in ("arrest_warrant", "verdict"):
            self.counts[stage] += proceeding.had(stage)

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, **{name: self.counts[name] for name in COUNTS},
                "closed_reasons": dict(self.closed_reasons.most_common())}


@dataclass(frozen=True)
class ExtraditionCount:
    requested_state: str
    outcome: str
    requests: int

    def as_dict(self) -> dict[str, Any]:
        return {"requested_state": self.requested_state, "outcome": self.outcome,
                "requests": self.requests}


@dataclass(frozen=True)
class ProceedingStats:
    by: str
    country: str | None
    groups: tuple[Group, ...]
    total: Group
    extraditions: tuple[ExtraditionCount, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"by": self.by, "country": self.country,
                "groups": [g.as_dict() for g in self.groups], "total": self.total.as_dict(),
                "extraditions": [e.as_dict() for e in self.extraditions]}


def proceedings_stats(target: Engine | Connection, *, country: str | None = None,
                      by: str = "country") -> ProceedingStats:
    """Files opened, ongoing, closed (with reasons), before an investigating judge, with an
    arrest warrant, at trial and with a verdict, by ``by``; and extradition requests by
    requested state and outcome (with ``country``: those where it asks or is asked)."""
    if by not in BREAKDOWNS:
        raise ProceedingError(f"by: unknown breakdown {by!r}; one of {', '.join(BREAKDOWNS)}")
    code = check_country("country", country)
    with transaction(target) as conn:
        found = list_proceedings(conn, country=code)
        requests = list_extraditions(conn)
    groups: dict[str, Group] = {}
    total = Group("total")
    for proceeding in found:
        key = BREAKDOWNS[by](proceeding)
        groups.setdefault(key, Group(key)).add(proceeding)
        total.add(proceeding)
    requested = Counter((r.requested_state, r.outcome) for r in requests
                        if code is None or code in (r.requested_state, r.requesting_state))
    return ProceedingStats(by, code, tuple(groups[k] for k in sorted(groups)), total,
                           tuple(ExtraditionCount(state, outcome, n)
                                 for (state, outcome), n in sorted(requested.items())))
