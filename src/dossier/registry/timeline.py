"""Claims laid out on a time axis: the posts of a person, the holders of a unit's posts.

Each dated claim becomes a bar from the first day its valid time stands for to the last, as a
fraction of the axis (0 at the first of January of the first year shown, 1 after the last
day of the last year), so that a page can draw it at any width and in either direction. A
term with an unknown start or end runs to the edge of the axis and says so (``open_start``,
``open_end``); a claim "within" a period (a dated document) is marked as an attestation, not
a term. Claims with no date at all are listed apart (``undated``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from dossier.registry.claims import ClaimView
from dossier.registry.dates import DateError, bounds


@dataclass(frozen=True)
class Bar:
    claim: ClaimView
    start: float  # fraction of the axis, 0..1
    end: float
    first_day: date | None  # None: unknown (open)
    last_day: date | None
    within: bool  # attested at least once within the period, not a term

    @property
    def open_start(self) -> bool:
        return self.first_day is None

    @property
    def open_end(self) -> bool:
        return self.last_day is None

    @property
    def period(self) -> str:
        """The valid time as written: "2011 – 2013", "2012-03-04", "2010 – …"."""
        if self.within and self.claim.valid_from and self.claim.valid_from == self.claim.valid_to:
            return self.claim.valid_from
        start = self.claim.valid_from or "…"
        end = self.claim.valid_to or "…"
        return start if start == end else f"{start} – {end}"


@dataclass
class Timeline:
    first_year: int
    last_year: int
    bars: list[Bar] = field(default_factory=list)
    undated: list[ClaimView] = field(default_factory=list)

    def ticks(self, most: int = 12) -> list[tuple[int, float]]:
        """The years to label on the axis with their place, at most ``most`` of them (none
        when nothing is dated)."""
        if not self.bars:
            return []
        years = self.last_year - self.first_year + 1
        step = max(1, -(-years // most))
        return [(year, self.fraction(date(year, 1, 1)))
                for year in range(self.first_year, self.last_year + 1, step)]

    def fraction(self, day: date) -> float:
        start, end = date(self.first_year, 1, 1), date(self.last_year + 1, 1, 1)
        return min(1.0, max(0.0, (day - start).days / (end - start).days))


def _days(claim: ClaimView) -> tuple[date | None, date | None] | None:
    """The first and last day of the claim's valid time (None: unknown), or None when the
    claim has no readable date."""
    try:
        low = bounds(claim.valid_from)[0] if claim.valid_from else None
        high = bounds(claim.valid_to)[1] if claim.valid_to else None
        if claim.time_precision == "within":  # a single bound stands for its own period
            if low is None and claim.valid_to:
                low = bounds(claim.valid_to)[0]
            if high is None and claim.valid_from:
                high = bounds(claim.valid_from)[1]
    except DateError:
        return None
    if low is None and high is None:
        return None
    return low, high


def timeline(claims: Iterable[ClaimView], *, today: date | None = None) -> Timeline:
    """The claims on one axis spanning their dates (a year either side of an open term, and
    never past ``today``'s year for an open end when one is given)."""
    dated: list[tuple[ClaimView, date | None, date | None]] = []
    undated: list[ClaimView] = []
    for claim in claims:
        days = _days(claim)
        if days is None:
            undated.append(claim)
        else:
            dated.append((claim, *days))
    known = [d for _, low, high in dated for d in (low, high) if d is not None]
    if not known:
        return Timeline(0, 0, [], undated)
    first, last = min(known).year, max(known).year
    if any(low is None for _, low, _ in dated):
        first -= 1
    if any(high is None for _, _, high in dated):
        last = max(last, min(last + 1, today.year if today else last + 1))
    axis = Timeline(first, last, [], undated)
    for claim, low, high in sorted(dated, key=lambda d: (d[1] or date.min, d[0].id)):
        start = axis.fraction(low) if low else 0.0
        # a bar covers the whole of its last day
        end = axis.fraction(high + timedelta(days=1)) if high else 1.0
        axis.bars.append(Bar(claim, start, max(end, start), low, high,
                             claim.time_precision == "within"))
    return axis
