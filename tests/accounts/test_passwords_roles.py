"""Passwords, roles, grants and protected persons, on every store backend."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import insert

from dossier.accounts import (
    AccountError,
    WeakPassword,
    add_user,
    can,
    disable_user,
    grant,
    may_see_collection,
    may_see_entity,
    revoke,
    roles,
    set_role,
    visible_collections,
)
from dossier.accounts.passwords import hash_password, needs_rehash, password_matches
from dossier.registry.entities import Entity, add_entity, get_entity
from dossier.store.schema import collections
from dossier.workspace import utcnow

PASSWORD = "correct horse battery"


def test_a_password_is_stored_as_argon2id_and_checked() -> None:
    stored = hash_password(PASSWORD)
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert password_matches(stored, PASSWORD)
    assert not password_matches(stored, PASSWORD + "!")
    assert not password_matches(None, PASSWORD)


def test_a_short_password_is_refused() -> None:
    with pytest.raises(WeakPassword, match="at least 12 characters"):
        hash_password("short-pass!")


def test_a_hash_made_with_older_parameters_asks_to_be_redone() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password(PASSWORD))
    assert password_matches(weak, PASSWORD)


def test_the_roles_file_defines_five_roles_and_what_each_may_do() -> None:
    assert list(roles()) == ["administrator", "investigator", "analyst", "reviewer",
                             "read_only"]
    table = {name: role.permissions for name, role in roles().items()}
    assert "admin" in table["administrator"] and "admin" not in table["investigator"]
    assert "read_protected" in table["investigator"]
    assert "read_protected" not in table["analyst"]
    assert "edit_cases" not in table["analyst"] and "judge" in table["reviewer"]
    assert table["read_only"] == {"read_items", "search", "verify"}


def _collection(conn, name: str) -> int:
    return int(conn.execute(insert(collections).values(name=name, created_at=utcnow())
                            .returning(collections.c.id)).scalar_one())


def test_roles_grants_and_visible_collections(workspace) -> None:
    with workspace.engine.begin() as conn:
        leak, photos = _collection(conn, "leak"), _collection(conn, "photos")
        admin = add_user(conn, "amina", PASSWORD, "administrator")
        reader = add_user(conn, "omar", PASSWORD, "read_only", language="ar",
                          display_name="عمر")
        assert visible_collections(conn, admin) == {leak, photos}
        assert visible_collections(conn, reader) == set()
        assert grant(conn, reader, "leak", granted_by="amina")
        assert not grant(conn, reader, "leak", granted_by="amina")
        assert visible_collections(conn, reader) == {leak}
        assert may_see_collection(conn, reader, leak)
        assert not may_see_collection(conn, reader, photos)
        with pytest.raises(AccountError, match="no collection 'nope'.*leak, photos"):
            grant(conn, reader, "nope", granted_by="amina")
        assert revoke(conn, reader, "leak") and not revoke(conn, reader, "leak")
        assert visible_collections(conn, reader) == set()
        assert can(admin, "admin") and not can(reader, "edit_registry")
        assert can(reader, "search")
        promoted = set_role(conn, "omar", "investigator")
        assert can(promoted, "edit_cases")
        assert grant(conn, promoted, "photos", granted_by="amina")
        assert visible_collections(conn, disable_user(conn, "omar")) == set()


def test_accounts_refuse_bad_names_roles_languages_and_duplicates(workspace) -> None:
    with workspace.engine.begin() as conn:
        add_user(conn, "amina", PASSWORD, "analyst")
        with pytest.raises(AccountError, match="already an account 'amina'"):
            add_user(conn, "amina", PASSWORD, "analyst")
        with pytest.raises(AccountError, match="unknown role 'boss'.*administrator"):
            add_user(conn, "karim", PASSWORD, "boss")
        with pytest.raises(AccountError, match="language must be one of ar, en"):
            add_user(conn, "karim", PASSWORD, "analyst", language="fr")
        with pytest.raises(AccountError, match="without spaces"):
            add_user(conn, "karim h", PASSWORD, "analyst")
        with pytest.raises(AccountError, match="unknown role"):
            set_role(conn, "amina", "boss")
        with pytest.raises(AccountError, match="no account 'ghost'"):
            set_role(conn, "ghost", "analyst")


def test_a_protected_person_is_visible_only_to_roles_that_may_read_protected(workspace) -> None:
    with workspace.engine.begin() as conn:
        witness_id = add_entity(conn, "person", "Witness W-7", protected=True)
        officer_id = add_entity(conn, "person", "Jamil Hassan")
        witness, officer = get_entity(conn, witness_id), get_entity(conn, officer_id)
        people = {name: add_user(conn, name, PASSWORD, name)
                  for name in ("administrator", "investigator", "analyst", "reviewer",
                               "read_only")}
    assert isinstance(witness, Entity) and witness.protected
    seeing = {name for name, user in people.items() if may_see_entity(user, witness)}
    assert seeing == {"administrator", "investigator"}
    assert all(may_see_entity(user, officer) for user in people.values())
    assert not may_see_entity(people["analyst"], {"protected": True})
