"""Roles and what each may do, read from `data/roles.yaml` and checked at start."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from dossier.yamlfile import read_yaml

ROLES_FILE = Path(__file__).with_name("data") / "roles.yaml"


class HasRole(Protocol):
    @property
    def role(self) -> str: ...


@dataclass(frozen=True)
class Role:
    name: str
    description: str
    permissions: frozenset[str]


class RoleFileError(Exception):
    """roles.yaml is malformed: names the field."""


@cache
def permissions() -> dict[str, str]:
    """Every permission and what it allows."""
    return dict(_load()[0])


@cache
def roles() -> dict[str, Role]:
    """Every role by name, in the order of the file."""
    return dict(_load()[1])


def role_names() -> tuple[str, ...]:
    return tuple(roles())


def check_role(name: str) -> Role:
    """The role called `name`, or a ValueError that lists the roles there are."""
    role = roles().get(name)
    if role is None:
        raise ValueError(f"unknown role {name!r}: choose one of {', '.join(role_names())}")
    return role


def can(user: HasRole, permission: str) -> bool:
    """Whether `user`'s role grants `permission` (an unknown permission is an error)."""
    if permission not in permissions():
        raise ValueError(f"unknown permission {permission!r}")
    role = roles().get(user.role)
    return role is not None and permission in role.permissions


def _load() -> tuple[dict[str, str], dict[str, Role]]:
    data: Any = read_yaml(ROLES_FILE.name, ROLES_FILE.read_text(encoding="utf-8"), RoleFileError)
    where = ROLES_FILE.name
    if not isinstance(data, dict) or not isinstance(data.get("permissions"), dict):
        raise RoleFileError(f"{where}: 'permissions' must map each permission to its meaning")
    perms = {str(key): str(value) for key, value in data["permissions"].items()}
    if not isinstance(data.get("roles"), dict):
        raise RoleFileError(f"{where}: 'roles' must map each role to its permissions")
    loaded: dict[str, Role] = {}
    for name, spec in data["roles"].items():
        if not isinstance(spec, dict) or not isinstance(spec.get("permissions"), list):
            raise RoleFileError(f"{where}: roles.{name}.permissions must be a list")
        unknown = sorted(set(map(str, spec["permissions"])) - set(perms))
        if unknown:
            raise RoleFileError(f"{where}: roles.{name}.permissions names unknown "
                                f"{', '.join(unknown)}")
        loaded[str(name)] = Role(str(name), str(spec.get("description", "")),
                                 frozenset(map(str, spec["permissions"])))
    return perms, loaded
