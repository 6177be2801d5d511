"""Login rate limiting: too many failures for one username or one address within a window
refuse further attempts, even with the right password, until the window has passed."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Connection, delete, insert, select

from dossier.store.schema import login_attempts

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)


class RateLimited(Exception):
    """Too many failed logins; `retry_after` is the number of seconds to wait."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins: try again in {retry_after} seconds")
        self.retry_after = retry_after


def check_rate(conn: Connection, username: str, remote: str, now: datetime) -> None:
    """Raise RateLimited when `username` or `remote` has had MAX_FAILURES failures in WINDOW.

    A successful login resets the count for its username (its owner proved who they are), but
    not for its address, which an attacker holding one account could otherwise clear.
    """
    since = now - WINDOW
    by_user = _failures(conn, login_attempts.c.username == username, since,
                        reset_on_success=True)
    by_address = _failures(conn, login_attempts.c.remote == remote, since,
                           reset_on_success=False)
    waits = [_wait(times, now) for times in (by_user, by_address) if len(times) >= MAX_FAILURES]
    if waits:
        raise RateLimited(max(waits))


def note_attempt(conn: Connection, username: str, remote: str, ok: bool, now: datetime) -> None:
    """Record an attempt, and forget those older than the window."""
    conn.execute(insert(login_attempts).values(username=username, remote=remote, at=now, ok=ok))
    conn.execute(delete(login_attempts).where(login_attempts.c.at < now - WINDOW))


def _failures(conn: Connection, condition: ColumnElement[bool], since: datetime,
              reset_on_success: bool) -> list[datetime]:
    rows = conn.execute(select(login_attempts.c.at, login_attempts.c.ok)
                        .where(condition, login_attempts.c.at >= since)
                        .order_by(login_attempts.c.at, login_attempts.c.id)).all()
    times: list[datetime] = []
    for row in rows:
        if row.ok and reset_on_success:
            times = []
        elif not row.ok:
            times.append(_aware(row.at))
    return times


def _wait(failures: list[datetime], now: datetime) -> int:
    """Seconds until enough failures leave the window for one more attempt to be allowed."""
    freed_at = failures[len(failures) - MAX_FAILURES] + WINDOW
    return max(1, math.ceil((freed_at - now).total_seconds()))


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
