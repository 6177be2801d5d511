"""Sessions: log in, find the session of a request, log out, check its CSRF token.

The browser holds a random token; the store holds only its sha256, so a copy of the database
opens no session. A session ends after IDLE without use, after LIFETIME whatever the use, on
logout, and when its account is disabled.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, insert, select, update

from dossier.accounts.audit import record
from dossier.accounts.passwords import hash_password_unchecked, needs_rehash, password_matches
from dossier.accounts.ratelimit import RateLimited, check_rate, note_attempt
from dossier.accounts.users import User, user_by_id, user_from_row
from dossier.store.schema import sessions, users
from dossier.workspace import utcnow

IDLE = timedelta(hours=12)
LIFETIME = timedelta(days=7)
# last_seen_at is written at most this often, so that reading pages does not write every time
TOUCH_EVERY = timedelta(minutes=1)

REFUSED = "unknown username or wrong password"


class LoginRefused(Exception):
    """A login was refused; the message is the same for an unknown user and a bad password.
    `retry_after` is set (seconds) when refused for too many failures."""

    def __init__(self, message: str = REFUSED, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Session:
    id: int
    user: User
    csrf_hash: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def login(engine: Engine, username: str, password: str, remote: str, *,
          user_agent: str | None = None, now: datetime | None = None
          ) -> tuple[Session, str, str]:
    """Check the password and open a session: (session, raw token, CSRF token).

    Raises LoginRefused for an unknown user, a wrong password, a disabled account, or too many
    recent failures (then even with the right password). Every attempt is audited.
    """
    now = now or utcnow()
    with engine.begin() as conn:
        try:
            check_rate(conn, username, remote, now)
        except RateLimited as exc:
            record(conn, username, "login_refused", f"user:{username}",
                   {"remote": remote, "reason": "rate_limited", "retry_after": exc.retry_after})
            refusal = LoginRefused(str(exc), exc.retry_after)
        else:
            opened = _check_password(conn, username, password, remote, user_agent, now)
            if isinstance(opened, tuple):
                return opened
            refusal = opened
    raise refusal


def _check_password(conn: Connection, username: str, password: str, remote: str,
                    user_agent: str | None, now: datetime
                    ) -> tuple[Session, str, str] | LoginRefused:
    row = conn.execute(select(users).where(users.c.username == username)).first()
    ok = password_matches(row.password_hash if row is not None else None, password)
    if row is None or not ok or not row.active:
        note_attempt(conn, username, remote, False, now)
        reason = "unknown_user" if row is None else "wrong_password" if not ok else "disabled"
        record(conn, username, "login_refused", f"user:{username}",
               {"remote": remote, "reason": reason})
        return LoginRefused()
    note_attempt(conn, username, remote, True, now)
    changes: dict[str, object] = {"last_login_at": now}
    if needs_rehash(row.password_hash):
        changes["password_hash"] = hash_password_unchecked(password)
    conn.execute(update(users).where(users.c.id == row.id).values(**changes))
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session_id = conn.execute(insert(sessions).values(
        token_hash=token_hash(token), user_id=row.id, csrf_hash=token_hash(csrf),
        created_at=now, expires_at=now + LIFETIME, last_seen_at=now, user_agent=user_agent,
        remote=remote,
    ).returning(sessions.c.id)).scalar_one()
    record(conn, username, "login", f"user:{username}", {"remote": remote, "session": session_id})
    user = user_from_row(conn.execute(select(users).where(users.c.id == row.id)).one())
    return Session(session_id, user, token_hash(csrf), now, now + LIFETIME, now), token, csrf


def session_for(engine: Engine, token: str, *, now: datetime | None = None) -> Session | None:
    """The live session of `token`, or None when it is unknown, expired, revoked or its account
    disabled. Marks the session as used."""
    now = now or utcnow()
    with engine.begin() as conn:
        row = conn.execute(select(sessions).where(sessions.c.token_hash == token_hash(token))
                           ).first()
        if row is None or row.revoked_at is not None:
            return None
        last_seen, expires = _aware(row.last_seen_at), _aware(row.expires_at)
        if now >= expires or now >= last_seen + IDLE:
            return None
        user = user_by_id(conn, row.user_id)
        if user is None or not user.active:
            return None
        if now - last_seen >= TOUCH_EVERY:
            conn.execute(update(sessions).where(sessions.c.id == row.id)
                         .values(last_seen_at=now))
            last_seen = now
        return Session(row.id, user, row.csrf_hash, _aware(row.created_at), expires, last_seen)


def logout(engine: Engine, token: str) -> bool:
    """End the session of `token`; False when there was no open one."""
    with engine.begin() as conn:
        row = conn.execute(select(sessions.c.id, users.c.username)
                           .join(users, users.c.id == sessions.c.user_id)
                           .where(sessions.c.token_hash == token_hash(token),
                                  sessions.c.revoked_at.is_(None))).first()
        if row is None:
            return False
        conn.execute(update(sessions).where(sessions.c.id == row.id).values(revoked_at=utcnow()))
        record(conn, row.username, "logout", f"user:{row.username}", {"session": row.id})
        return True


def check_csrf(session: Session, token: str | None) -> bool:
    """Whether `token` is the CSRF token issued with `session` (compared in constant time)."""
    if not token:
        return False
    return hmac.compare_digest(token_hash(token), session.csrf_hash)


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
