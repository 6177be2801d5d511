"""Who sees what: collections granted to an account, and persons marked protected."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.exc import IntegrityError

from dossier.accounts.roles import HasRole, can
from dossier.accounts.users import AccountError, User
from dossier.store.schema import collection_grants, collections, users
from dossier.workspace import utcnow

ALL_COLLECTIONS_ROLE = "administrator"


def collection_id(conn: Connection, name: str) -> int:
    """The id of the collection called `name`, or an AccountError naming the ones there are."""
    row = conn.execute(select(collections.c.id).where(collections.c.name == name)).first()
    if row is None:
        known = conn.execute(select(collections.c.name).order_by(collections.c.name)).scalars()
        listed = ", ".join(known) or "none yet"
        raise AccountError(f"no collection {name!r} (collections: {listed})")
    return int(row.id)


def grant(conn: Connection, user: User, collection: str, *, granted_by: str) -> bool:
    """Let `user` see `collection`; False when it already could."""
    cid = collection_id(conn, collection)
    if cid in granted_collections(conn, user):
        return False
    try:
        conn.execute(insert(collection_grants).values(user_id=user.id, collection_id=cid,
                                                      granted_by=granted_by,
                                                      granted_at=utcnow()))
    except IntegrityError:  # granted at the same moment by someone else: the grant stands
        return False
    return True


def revoke(conn: Connection, user: User, collection: str) -> bool:
    """Take `collection` away from `user`; False when it was not granted."""
    cid = collection_id(conn, collection)
    done = conn.execute(delete(collection_grants).where(collection_grants.c.user_id == user.id,
                                                        collection_grants.c.collection_id == cid))
    return done.rowcount > 0


def granted_collections(conn: Connection, user: User) -> set[int]:
    """The ids of the collections granted to `user` by name (whatever the role)."""
    return set(conn.execute(select(collection_grants.c.collection_id)
                            .where(collection_grants.c.user_id == user.id)).scalars())


def granted_collection_names(conn: Connection, user: User) -> list[str]:
    query = (select(collections.c.name)
             .join(collection_grants, collection_grants.c.collection_id == collections.c.id)
             .where(collection_grants.c.user_id == user.id).order_by(collections.c.name))
    return list(conn.execute(query).scalars())


@dataclass(frozen=True)
class CollectionAccess:
    """A collection and the accounts granted it by name (administrators see it anyway)."""

    name: str
    usernames: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "accounts": self.usernames}


def collection_access(conn: Connection) -> list[CollectionAccess]:
    """Every collection by name, each with the accounts granted it."""
    found = {name: CollectionAccess(name, []) for name in conn.execute(
        select(collections.c.name).order_by(collections.c.name)).scalars()}
    pairs = conn.execute(select(collections.c.name, users.c.username)
                         .join(collection_grants,
                               collection_grants.c.collection_id == collections.c.id)
                         .join(users, users.c.id == collection_grants.c.user_id)
                         .order_by(collections.c.name, users.c.username)).all()
    for collection, username in pairs:
        found[collection].usernames.append(username)
    return list(found.values())


def visible_collections(conn: Connection, user: User) -> set[int]:
    """The ids of the collections `user` may read: all for an administrator, else the grants.

    A disabled account sees nothing.
    """
    if not user.active:
        return set()
    if user.role == ALL_COLLECTIONS_ROLE:
        return set(conn.execute(select(collections.c.id)).scalars())
    return granted_collections(conn, user)


def may_see_collection(conn: Connection, user: User, collection_id: int) -> bool:
    return collection_id in visible_collections(conn, user)


def may_see_entity(user: HasRole, entity: Any) -> bool:
    """Whether `user` may see `entity` (a registry Entity, a row, or a mapping): a person
    marked protected is visible only to roles with `read_protected`."""
    protected = (entity.get("protected") if isinstance(entity, Mapping)
                 else getattr(entity, "protected", False))
    return not protected or can(user, "read_protected")
