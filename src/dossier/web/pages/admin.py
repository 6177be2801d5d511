"""The administration pages: accounts, roles, collections and grants (/admin), and the audit
log (/admin/audit, its CSV and the check of its hash chain). Permission `admin` throughout.

Every change is a form posted with the CSRF field; it goes through `dossier.accounts` (which
writes it to the audit log) and sends the administrator back to /admin with a notice, or shows
the page again with the reason it was refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy import Connection

from dossier import accounts
from dossier.web.api_admin import CSV_TYPE, audit_csv_lines
from dossier.web.deps import User, WorkspaceDep, audit
from dossier.web.i18n import translator
from dossier.web.pages.auth import PageAdmin
from dossier.web.pages.render import page_language, query_string, render

router = APIRouter()

AUDIT_PAGE = 50
Name = Annotated[str, Form(min_length=1, max_length=100)]
Secret = Annotated[str, Form(min_length=1, max_length=1000)]
Choice = Annotated[str, Form(min_length=1, max_length=40)]
ALWAYS_DONE = ("add_user", "set_password")
# The notices a change may send back (a key of admin.yaml each), and nothing else.
NOTICES = ("add_user", "set_role", "set_language", "set_password", "enable_user",
           "disable_user", "grant", "revoke", "unchanged")


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, workspace: WorkspaceDep, user: PageAdmin,
               done: Annotated[str | None, Query(max_length=40)] = None,
               account: Annotated[str | None, Query(max_length=100)] = None) -> HTMLResponse:
    """Accounts, roles, and collections with their grants."""
    notice = done if done in NOTICES else None
    return _admin(request, workspace, user, notice=notice, account=account)


@router.post("/admin/users", response_model=None)
def add_account(request: Request, workspace: WorkspaceDep, user: PageAdmin, username: Name,
                password: Secret, role: Choice, language: Choice = "en",
                display_name: Annotated[str, Form(max_length=200)] = "") -> Response:
    """Make an account from the form."""
    return _change(request, workspace, user, "add_user", username, lambda conn: (
        accounts.create_account(conn, user.name, username, password, role,
                                display_name=display_name.strip() or None, language=language)),
        form={"username": username, "display_name": display_name, "role": role,
              "language": language})


@router.post("/admin/users/role", response_model=None)
def change_role(request: Request, workspace: WorkspaceDep, user: PageAdmin, username: Name,
                role: Choice) -> Response:
    return _change(request, workspace, user, "set_role", username, lambda conn: (
        accounts.change_role(conn, user.name, username, role)))


@router.post("/admin/users/language", response_model=None)
def change_language(request: Request, workspace: WorkspaceDep, user: PageAdmin, username: Name,
                    language: Choice) -> Response:
    return _change(request, workspace, user, "set_language", username, lambda conn: (
        accounts.change_language(conn, user.name, username, language)))


@router.post("/admin/users/password", response_model=None)
def reset_password(request: Request, workspace: WorkspaceDep, user: PageAdmin, username: Name,
                   password: Secret) -> Response:
    return _change(request, workspace, user, "set_password", username, lambda conn: (
        accounts.reset_password(conn, user.name, username, password)))


@router.post("/admin/users/active", response_model=None)
def set_active(request: Request, workspace: WorkspaceDep, user: PageAdmin, username: Name,
               active: Annotated[bool, Form()]) -> Response:
    return _change(request, workspace, user, "enable_user" if active else "disable_user",
                   username, lambda conn: accounts.set_active(conn, user.name, username, active))


@router.post("/admin/grants", response_model=None)
def grant(request: Request, workspace: WorkspaceDep, user: PageAdmin, username: Name,
          collection: Annotated[str, Form(min_length=1, max_length=200)]) -> Response:
    return _change(request, workspace, user, "grant", username, lambda conn: (
        accounts.grant_collection(conn, user.name, username, collection)))


@router.post("/admin/grants/revoke", response_model=None)
def revoke(request: Request, workspace: WorkspaceDep, user: PageAdmin, username: Name,
           collection: Annotated[str, Form(min_length=1, max_length=200)]) -> Response:
    return _change(request, workspace, user, "revoke", username, lambda conn: (
        accounts.revoke_collection(conn, user.name, username, collection)))


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(
    request: Request, workspace: WorkspaceDep, user: PageAdmin,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    target: Annotated[str | None, Query(max_length=300)] = None,
    since: Annotated[str | None, Query(max_length=40)] = None,
    until: Annotated[str | None, Query(max_length=40)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    """The audit log, newest first, searchable by actor, action, target and dates."""
    filters = {"actor": actor, "action": action, "target": target, "since": since,
               "until": until}
    error = None
    try:
        where = accounts.AuditFilter.parse(**filters)
    except accounts.AuditFilterError as exc:
        error, where = str(exc), None
    with workspace.engine.connect() as conn:
        found = (accounts.search_entries(conn, where, AUDIT_PAGE, offset) if where is not None
                 else accounts.AuditPage(0))
        actors = [account.username for account in accounts.list_users(conn)]
    kept = query_string(**filters)
    return render(request, user, "admin_audit.html", status_code=400 if error else 200,
                  found=found, filters=filters, error=error, actions=accounts.ACTIONS,
                  actors=actors, limit=AUDIT_PAGE, offset=offset,
                  pager_base=f"/admin/audit{kept}{'&' if kept else '?'}",
                  csv_url=f"/admin/audit.csv{kept}")


@router.get("/admin/audit.csv", response_model=None)
def audit_csv(
    request: Request, workspace: WorkspaceDep, user: PageAdmin,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    target: Annotated[str | None, Query(max_length=300)] = None,
    since: Annotated[str | None, Query(max_length=40)] = None,
    until: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """The entries the page's filters find, as CSV (oldest first); the export is audited."""
    try:
        where = accounts.AuditFilter.parse(actor, action, target, since, until)
    except accounts.AuditFilterError as exc:
        return render(request, user, "admin_audit.html", status_code=400,
                      found=accounts.AuditPage(0), error=str(exc), actions=accounts.ACTIONS,
                      actors=[], limit=AUDIT_PAGE, offset=0, pager_base="/admin/audit?",
                      csv_url="/admin/audit.csv",
                      filters={"actor": actor, "action": action, "target": target,
                               "since": since, "until": until})
    with workspace.engine.connect() as conn:
        audit(conn, user, "export", "audit_log", where.as_dict())
    return StreamingResponse(audit_csv_lines(workspace, where), media_type=CSV_TYPE, headers={
        "Content-Disposition": 'attachment; filename="audit.csv"', "Cache-Control": "no-store"})


@router.get("/admin/audit/check", response_class=HTMLResponse)
def audit_check(request: Request, workspace: WorkspaceDep, user: PageAdmin) -> HTMLResponse:
    """Re-check the audit log's hash chain and say whether it is whole, or where it breaks."""
    with workspace.engine.connect() as conn:
        problems = accounts.verify_audit(conn)
        total = accounts.count_entries(conn)
        audit(conn, user, "verify", "audit_log", {"ok": not problems})
    return render(request, user, "admin_check.html", problems=problems, total=total)


def _admin(request: Request, workspace: Any, user: User, *, status_code: int = 200,
           notice: str | None = None, account: str | None = None, error: str | None = None,
           form: dict[str, str] | None = None) -> HTMLResponse:
    with workspace.engine.connect() as conn:
        listed = accounts.list_accounts(conn)
        access = accounts.collection_access(conn)
    return render(request, user, "admin.html", status_code=status_code,
                  accounts=[found.as_dict() for found in listed], collections=access,
                  roles=list(accounts.roles().values()), permissions=accounts.permissions(),
                  languages_known=accounts.LANGUAGES, notice=notice, notice_account=account,
                  error=error, form=form or {}, min_length=accounts.MIN_LENGTH)


def _change(request: Request, workspace: Any, user: User, op: str, username: str,
            change: Callable[[Connection], object],
            form: dict[str, str] | None = None) -> Response:
    """Make one change; back to /admin with its notice ("unchanged" when there was nothing to
    do), or the page again with the reason (400)."""
    try:
        with workspace.engine.begin() as conn:
            was = accounts.find_user(conn, username)
            result = change(conn)
            now = accounts.find_user(conn, username)
    except accounts.WeakPassword:
        message = translator(page_language(request, user))("admin.error.weak_password",
                                                           min=accounts.MIN_LENGTH)
        return _admin(request, workspace, user, status_code=400, error=message, form=form)
    except accounts.AccountError as exc:
        return _admin(request, workspace, user, status_code=400, error=str(exc), form=form)
    # grant and revoke say whether they did anything; a setting did if the account differs
    did = result if isinstance(result, bool) else was != now or op in ALWAYS_DONE
    target = query_string(done=op if did else "unchanged", account=username)
    return RedirectResponse(f"/admin{target}#accounts", status_code=303)
