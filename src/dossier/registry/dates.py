"""The valid time of claims: an ISO date, a year-month or a year, and the days it stands for.

One reading for everyone: claims are checked with it, imports (CSV, FollowTheMoney) read
with it, and command queries compare with it. A day is written YYYY-MM-DD, a month YYYY-MM,
a year YYYY; anything else is not a date of the registry.
"""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date

FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"
# a plausible year of a person's or a document's life, wherever it is written
YEAR = re.compile(r"(1[89]\d\d|20\d\d)")
_WRITTEN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# an ISO date with a time after it, as FollowTheMoney and spreadsheets write them
_DATETIME = re.compile(r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:[T ]\d{2}(?::\d{2}){0,2}\S*)?")


class DateError(ValueError):
    """A value that is not a registry date (YYYY, YYYY-MM or YYYY-MM-DD, and a real one)."""


@functools.lru_cache(maxsize=65_536)  # the same few thousand dates recur in every answer
def bounds(value: str) -> tuple[date, date]:
    """The first and last day an ISO date, year-month or year stands for; DateError when
    ``value`` is none of them ("2011-04-01T00:00:00", "spring 2011", "2011-02-30")."""
    match = _WRITTEN.fullmatch(value)
    if match is None:
        raise DateError(f"not a date ({FORMS}): {value!r}")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last)
        found = date(year, month, day)
    except (ValueError, calendar.IllegalMonthError) as exc:
        raise DateError(f"not a date ({FORMS}): {value!r}: {exc}") from None
    return found, found


def is_date(value: str) -> bool:
    """Is ``value`` a registry date?"""
    try:
        bounds(value)
    except DateError:
        return False
    return True


def date_part(value: str) -> str:
    """The registry date of a date or date-time ("2011-04-01T00:00:00" → "2011-04-01");
    DateError when there is none ("spring 2011")."""
    match = _DATETIME.fullmatch(value.strip())
    if match is None:
        raise DateError(f"not a date ({FORMS}, optionally with a time): {value!r}")
    bounds(match.group(1))
    return match.group(1)
