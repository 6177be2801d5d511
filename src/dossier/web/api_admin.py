"""Administration: accounts, roles, collection grants and the audit log (permission `admin`).

Every change goes through `dossier.accounts` and is written to the audit log as a "change" of
`user:<name>`; the account changed is named in the body, never in the path.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from dossier import accounts
from dossier.web.deps import PagingDep, User, WorkspaceDep, audit, require
from dossier.web.errors import ApiError

router = APIRouter(tags=["admin"])

Admin = Annotated[User, Depends(require("admin"))]
CSV_TYPE = "text/csv; charset=utf-8"

Username = Annotated[str, Field(min_length=1, max_length=100, description="The account.")]
Password = Annotated[str, Field(min_length=1, max_length=1000, description=(
    f"At least {accounts.MIN_LENGTH} characters; never logged."))]


class NewAccount(BaseModel):
    username: Username
    password: Password
    role: str = Field(description="One of: " + ", ".join(accounts.role_names()) + ".")
    language: str = Field("en", description="The interface language: ar or en.")
    name: str | None = Field(None, max_length=200, description="The name shown.")


class RoleChange(BaseModel):
    username: Username
    role: str = Field(description="One of: " + ", ".join(accounts.role_names()) + ".")


class LanguageChange(BaseModel):
    username: Username
    language: str = Field(description="ar or en.")


class PasswordReset(BaseModel):
    username: Username
    password: Password


class ActiveChange(BaseModel):
    username: Username
    active: bool = Field(description="false disables the account and ends its sessions.")


class GrantChange(BaseModel):
    username: Username
    collection: str = Field(min_length=1, max_length=200, description="The collection's name.")


@contextmanager
def refusals() -> Iterator[None]:
    """The library's refusals as 400s that say why."""
    try:
        yield
    except accounts.WeakPassword as exc:
        raise ApiError(400, "weak_password", str(exc)) from exc
    except (accounts.AccountError, accounts.AuditFilterError) as exc:
        raise ApiError(400, "bad_request", str(exc)) from exc


@router.get("/admin/users")
def users(workspace: WorkspaceDep, _: Admin, paging: PagingDep) -> dict[str, Any]:
    """Every account by username: role, language, active, last login, collections granted."""
    with workspace.engine.connect() as conn:
        found = accounts.list_accounts(conn)
    return paging.page(len(found), [account.as_dict() for account in
                                    found[paging.offset:paging.offset + paging.limit]])


@router.post("/admin/users")
def add_user(workspace: WorkspaceDep, user: Admin, body: NewAccount) -> dict[str, Any]:
    """Make an account (400 `weak_password` when the password is too short)."""
    with refusals(), workspace.engine.begin() as conn:
        made = accounts.create_account(conn, user.name, body.username, body.password, body.role,
                                       display_name=body.name, language=body.language)
    return made.as_dict()


@router.post("/admin/users/role")
def change_role(workspace: WorkspaceDep, user: Admin, body: RoleChange) -> dict[str, Any]:
    """Give an account another role; it applies from the account's next request. The last
    active administrator keeps theirs."""
    with refusals(), workspace.engine.begin() as conn:
        return accounts.change_role(conn, user.name, body.username, body.role).as_dict()


@router.post("/admin/users/language")
def change_language(workspace: WorkspaceDep, user: Admin,
                    body: LanguageChange) -> dict[str, Any]:
    """Change an account's interface language."""
    with refusals(), workspace.engine.begin() as conn:
        return accounts.change_language(conn, user.name, body.username,
                                        body.language).as_dict()


@router.post("/admin/users/password")
def reset_password(workspace: WorkspaceDep, user: Admin, body: PasswordReset) -> dict[str, Any]:
    """Set a new password for an account and end its open sessions."""
    with refusals(), workspace.engine.begin() as conn:
        ended = accounts.reset_password(conn, user.name, body.username, body.password)
    return {"username": body.username, "sessions_ended": ended}


@router.post("/admin/users/active")
def set_active(workspace: WorkspaceDep, user: Admin, body: ActiveChange) -> dict[str, Any]:
    """Enable or disable an account (disabling ends its sessions; the last active
    administrator cannot be disabled)."""
    with refusals(), workspace.engine.begin() as conn:
        return accounts.set_active(conn, user.name, body.username, body.active).as_dict()


@router.get("/admin/roles")
def roles(_: Admin) -> dict[str, Any]:
    """Every permission with its meaning, and every role with its description and permissions
    (from accounts/data/roles.yaml)."""
    return {"permissions": accounts.permissions(),
            "roles": [{"name": role.name, "description": role.description,
                       "permissions": sorted(role.permissions)}
                      for role in accounts.roles().values()]}


@router.get("/admin/grants")
def grants(workspace: WorkspaceDep, _: Admin) -> dict[str, Any]:
    """Every collection with the accounts granted it (administrators read all of them)."""
    with workspace.engine.connect() as conn:
        found = accounts.collection_access(conn)
    return {"collections": [access.as_dict() for access in found]}


@router.post("/admin/grants")
def grant(workspace: WorkspaceDep, user: Admin, body: GrantChange) -> dict[str, Any]:
    """Let an account read a collection; `granted` is false when it already could."""
    with refusals(), workspace.engine.begin() as conn:
        added = accounts.grant_collection(conn, user.name, body.username, body.collection)
    return {"username": body.username, "collection": body.collection, "granted": added}


@router.delete("/admin/grants")
def revoke(workspace: WorkspaceDep, user: Admin, body: GrantChange) -> dict[str, Any]:
    """Take a collection away from an account; `revoked` is false when it was not granted."""
    with refusals(), workspace.engine.begin() as conn:
        removed = accounts.revoke_collection(conn, user.name, body.username, body.collection)
    return {"username": body.username, "collection": body.collection, "revoked": removed}


def audit_filter(
    actor: Annotated[str | None, Query(max_length=200, description="Only this user.")] = None,
    action: Annotated[str | None, Query(description="Only this action: "
                                        + ", ".join(accounts.ACTIONS) + ".")] = None,
    target: Annotated[str | None, Query(max_length=300, description=(
        "Only targets that begin with this (user:amina, item:12, case:…)."))] = None,
    since: Annotated[str | None, Query(description=(
        "On or after this date (YYYY-MM-DD) or ISO time (UTC when no zone)."))] = None,
    until: Annotated[str | None, Query(description=(
        "On or before this date (the whole day) or ISO time."))] = None,
) -> accounts.AuditFilter:
    with refusals():
        return accounts.AuditFilter.parse(actor, action, target, since, until)


AuditFilterDep = Annotated[accounts.AuditFilter, Depends(audit_filter)]


@router.get("/admin/audit")
def audit_entries(workspace: WorkspaceDep, _: Admin, where: AuditFilterDep,
                  paging: PagingDep) -> dict[str, Any]:
    """The audit log, newest first, filtered by actor, action, target and dates."""
    with workspace.engine.connect() as conn:
        found = accounts.search_entries(conn, where, paging.limit, paging.offset)
    return paging.page(found.total, [entry.as_dict() for entry in found.entries])


@router.get("/admin/audit.csv", response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}}, "description": "The entries as CSV."}})
def audit_csv(workspace: WorkspaceDep, user: Admin, where: AuditFilterDep) -> StreamingResponse:
    """The entries the filters find, oldest first, as CSV (details as JSON, with each entry's
    hash and the one before it). The export is itself audited."""
    with workspace.engine.connect() as conn:
        audit(conn, user, "export", "audit_log", where.as_dict())
    return StreamingResponse(audit_csv_lines(workspace, where), media_type=CSV_TYPE, headers={
        "Content-Disposition": 'attachment; filename="audit.csv"'})


def audit_csv_lines(workspace: Any, where: accounts.AuditFilter) -> Iterator[str]:
    """The CSV, read from its own connection while the response is sent."""
    with workspace.engine.connect() as conn:
        yield from accounts.csv_lines(accounts.entries(conn, where=where))


@router.get("/admin/audit/check")
def audit_check(workspace: WorkspaceDep, user: Admin) -> dict[str, Any]:
    """Re-check the audit log's hash chain: `ok`, how many entries, and each problem (the first
    is the first broken entry)."""
    with workspace.engine.connect() as conn:
        problems = accounts.verify_audit(conn)
        total = accounts.count_entries(conn)
        audit(conn, user, "verify", "audit_log", {"ok": not problems})
    return {"ok": not problems, "entries": total,
            "problems": [{"id": problem.id, "message": str(problem)} for problem in problems]}
