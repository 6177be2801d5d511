"""Logging in, sessions, CSRF and login rate limiting, on every store backend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from dossier.accounts import (
    LoginRefused,
    add_user,
    check_csrf,
    disable_user,
    entries,
    login,
    logout,
    session_for,
)
from dossier.accounts.sessions import IDLE, LIFETIME
from dossier.store.schema import sessions, users
from dossier.workspace import utcnow

PASSWORD = "correct horse battery"


@pytest.fixture
def engine(workspace):
    with workspace.engine.begin() as conn:
        add_user(conn, "amina", PASSWORD, "investigator", language="ar")
    return workspace.engine


def test_login_opens_a_session_found_by_its_token_which_is_never_stored(engine) -> None:
    session, token, csrf = login(engine, "amina", PASSWORD, "10.0.0.1", user_agent="firefox")
    assert session.user.username == "amina" and session.user.language == "ar"
    found = session_for(engine, token)
    assert found is not None and found.id == session.id
    with engine.connect() as conn:
        stored = conn.execute(select(sessions)).one()
        user = conn.execute(select(users)).one()
    assert token not in stored and csrf not in stored
    assert stored.user_agent == "firefox"
    assert user.last_login_at is not None
    assert session_for(engine, token + "x") is None
    with engine.connect() as conn:
        assert [entry.action for entry in entries(conn)] == ["login"]


def test_unknown_user_and_wrong_password_are_refused_alike(engine) -> None:
    with pytest.raises(LoginRefused) as unknown:
        login(engine, "nobody", PASSWORD, "10.0.0.1")
    with pytest.raises(LoginRefused) as wrong:
        login(engine, "amina", "not the password", "10.0.0.1")
    assert str(unknown.value) == str(wrong.value)
    assert unknown.value.retry_after is None
    with engine.connect() as conn:
        refused = list(entries(conn, action="login_refused"))
    assert [entry.details["reason"] for entry in refused] == ["unknown_user", "wrong_password"]


def test_a_disabled_account_cannot_log_in_and_loses_its_sessions(engine) -> None:
    _session, token, _csrf = login(engine, "amina", PASSWORD, "10.0.0.1")
    with engine.begin() as conn:
        disable_user(conn, "amina")
    assert session_for(engine, token) is None
    with pytest.raises(LoginRefused, match="unknown username or wrong password"):
        login(engine, "amina", PASSWORD, "10.0.0.1")


def test_a_session_ends_when_idle_too_long_and_after_its_lifetime(engine) -> None:
    start = utcnow()
    _session, token, _csrf = login(engine, "amina", PASSWORD, "10.0.0.1", now=start)
    assert session_for(engine, token, now=start + IDLE - timedelta(minutes=1)) is not None
    assert session_for(engine, token, now=start + 2 * IDLE - timedelta(minutes=2)) is not None
    assert session_for(engine, token, now=start + 3 * IDLE) is None

    _session, busy, _csrf = login(engine, "amina", PASSWORD, "10.0.0.1", now=start)
    moment = start
    while moment + IDLE / 2 < start + LIFETIME:
        moment += IDLE / 2
        assert session_for(engine, busy, now=moment) is not None
    assert session_for(engine, busy, now=start + LIFETIME) is None


def test_logout_revokes_the_session(engine) -> None:
    _session, token, _csrf = login(engine, "amina", PASSWORD, "10.0.0.1")
    assert logout(engine, token)
    assert session_for(engine, token) is None
    assert not logout(engine, token)
    with engine.connect() as conn:
        assert [entry.action for entry in entries(conn)] == ["login", "logout"]


def test_the_csrf_token_belongs_to_its_session(engine) -> None:
    session, _token, csrf = login(engine, "amina", PASSWORD, "10.0.0.1")
    other, _other_token, other_csrf = login(engine, "amina", PASSWORD, "10.0.0.1")
    assert check_csrf(session, csrf)
    assert not check_csrf(session, other_csrf)
    assert not check_csrf(session, None) and not check_csrf(session, "")
    assert check_csrf(other, other_csrf)


def test_five_failures_for_a_username_refuse_even_the_right_password(engine) -> None:
    start = utcnow()
    for minute in range(5):
        with pytest.raises(LoginRefused):
            login(engine, "amina", "guess number x", f"10.0.0.{minute}",
                  now=start + timedelta(minutes=minute))
    with pytest.raises(LoginRefused, match="too many failed logins") as refused:
        login(engine, "amina", PASSWORD, "10.9.9.9", now=start + timedelta(minutes=5))
    # the first failure leaves the 15-minute window at start + 15 min: ten minutes from here
    assert refused.value.retry_after == 600
    session, _token, _csrf = login(engine, "amina", PASSWORD, "10.9.9.9",
                                   now=start + timedelta(minutes=15, seconds=1))
    assert session.user.username == "amina"


def test_five_failures_from_one_address_refuse_other_usernames_too(engine) -> None:
    with engine.begin() as conn:
        add_user(conn, "omar", PASSWORD, "analyst")
    start = utcnow()
    for number in range(5):
        with pytest.raises(LoginRefused):
            login(engine, f"guess{number}", PASSWORD, "203.0.113.5", now=start)
    with pytest.raises(LoginRefused, match="try again in 900 seconds"):
        login(engine, "omar", PASSWORD, "203.0.113.5", now=start)
    assert login(engine, "omar", PASSWORD, "198.51.100.7", now=start)[0].user.username == "omar"


def test_a_successful_login_clears_the_count_for_its_username(engine) -> None:
    start = utcnow()
    for remote in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"):
        with pytest.raises(LoginRefused):
            login(engine, "amina", "guess number x", remote, now=start)
    login(engine, "amina", PASSWORD, "10.0.0.5", now=start)
    for remote in ("10.0.0.6", "10.0.0.7", "10.0.0.8", "10.0.0.9"):
        with pytest.raises(LoginRefused, match="unknown username"):
            login(engine, "amina", "guess number x", remote, now=start)
    assert login(engine, "amina", PASSWORD, "10.0.0.10", now=start)[0].user.username == "amina"


def test_login_rehashes_a_password_hashed_with_older_parameters(engine) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.username == "amina")
                     .values(password_hash=weak))
    login(engine, "amina", PASSWORD, "10.0.0.1")
    with engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored != weak and "m=8192" not in stored
    assert login(engine, "amina", PASSWORD, "10.0.0.1")[0].user.username == "amina"
