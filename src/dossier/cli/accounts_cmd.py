"""`dossier users …` and `dossier audit …`: accounts, roles, grants, and the audit log."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dossier.accounts import (
    AccountError,
    AuditFilter,
    AuditFilterError,
    change_role,
    create_account,
    entries,
    grant_collection,
    list_accounts,
    revoke_collection,
    role_names,
    set_active,
    verify_audit,
    write_csv,
)
from dossier.accounts.audit import ACTIONS
from dossier.cli.common import console, fail, open_workspace, print_json
from dossier.custody.log import default_actor

users_app = typer.Typer(help="Accounts for team mode: roles, languages, collection grants.",
                        no_args_is_help=True)
audit_app = typer.Typer(help="The audit log of views, searches, exports, changes and logins.",
                        no_args_is_help=True)


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="The login name.")],
    role: Annotated[str, typer.Option(help="One of: " + ", ".join(role_names()) + ".")],
    name: Annotated[str | None, typer.Option(help="The name shown in the interface.")] = None,
    language: Annotated[str, typer.Option(help="The interface language: ar or en.")] = "en",
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input.",
    )] = False,
) -> None:
    """Make an account. The password is asked twice (at least 12 characters)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with open_workspace() as workspace, workspace.engine.begin() as conn:
        try:
            user = create_account(conn, default_actor(), username, password, role,
                                  display_name=name, language=language)
        except (AccountError, ValueError) as exc:
            raise fail(str(exc)) from exc
    console.print(f"added {user.username} ({user.role}, {user.language})")


@users_app.command("list")
def users_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the accounts with their roles, languages and collections."""
    with open_workspace() as workspace, workspace.engine.connect() as conn:
        found = list_accounts(conn)
    if as_json:
        print_json([account.as_dict() for account in found])
        return
    if not found:
        console.print("no accounts yet: add one with `dossier users add`")
    for user, names in ((account.user, account.collections) for account in found):
        state = "" if user.active else " [disabled]"
        shown = f" — {user.display_name}" if user.display_name else ""
        collections = ", ".join(names) if names else "-"
        console.print(f"{user.username}{shown}  {user.role}  {user.language}{state}  "
                      f"collections: {collections}", markup=False)


@users_app.command("role")
def users_role(
    username: Annotated[str, typer.Argument(help="The account.")],
    role: Annotated[str, typer.Argument(help="The new role.")],
) -> None:
    """Change an account's role."""
    with open_workspace() as workspace, workspace.engine.begin() as conn:
        try:
            user = change_role(conn, default_actor(), username, role)
        except AccountError as exc:
            raise fail(str(exc)) from exc
    console.print(f"{user.username} is now {user.role}")


@users_app.command("disable")
def users_disable(username: Annotated[str, typer.Argument(help="The account.")]) -> None:
    """Refuse an account from now on and end its open sessions."""
    with open_workspace() as workspace, workspace.engine.begin() as conn:
        try:
            user = set_active(conn, default_actor(), username, False)
        except AccountError as exc:
            raise fail(str(exc)) from exc
    console.print(f"disabled {user.username}")


@users_app.command("grant")
def users_grant(
    username: Annotated[str, typer.Argument(help="The account.")],
    collection: Annotated[str, typer.Argument(help="The collection's name.")],
) -> None:
    """Let an account read a collection."""
    with open_workspace() as workspace, workspace.engine.begin() as conn:
        try:
            added = grant_collection(conn, default_actor(), username, collection)
        except AccountError as exc:
            raise fail(str(exc)) from exc
    console.print(f"{username} may read {collection}" + ("" if added else " (already could)"))


@users_app.command("revoke")
def users_revoke(
    username: Annotated[str, typer.Argument(help="The account.")],
    collection: Annotated[str, typer.Argument(help="The collection's name.")],
) -> None:
    """Take a collection away from an account."""
    with open_workspace() as workspace, workspace.engine.begin() as conn:
        try:
            removed = revoke_collection(conn, default_actor(), username, collection)
        except AccountError as exc:
            raise fail(str(exc)) from exc
    console.print(f"{username} may no longer read {collection}" if removed
                  else f"{username} had no grant for {collection}")


@audit_app.command("log")
def audit_log(
    actor: Annotated[str | None, typer.Option(help="Only this user's entries.")] = None,
    action: Annotated[str | None, typer.Option(
        help="Only this action: " + ", ".join(ACTIONS) + ".")] = None,
    since: Annotated[str | None, typer.Option(
        help="Only entries on or after this date (YYYY-MM-DD) or time (ISO 8601, UTC).")] = None,
    until: Annotated[str | None, typer.Option(
        help="Only entries on or before this date (the whole day) or time.")] = None,
    target: Annotated[str | None, typer.Option(
        help="Only targets that begin with this (user:amina, item:12).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """Show the audit log in order, filtered by actor, action, target and dates (the filters
    of the administration page)."""
    if as_json and as_csv:
        raise fail("choose one of --json and --csv")
    try:
        where = AuditFilter.parse(actor, action, target, since, until)
    except AuditFilterError as exc:  # the dates' messages name their option
        raise fail(f"--{exc}" if exc.field in ("since", "until") else str(exc)) from exc
    with open_workspace() as workspace, workspace.engine.connect() as conn:
        found = entries(conn, where=where)
        if as_csv:
            write_csv(found, sys.stdout)
        elif as_json:
            print_json([entry.as_dict() for entry in found])
        else:
            for entry in found:
                details = " ".join(f"{key}={value}" for key, value in entry.details.items())
                console.print(f"{entry.id:>7} {entry.at} {entry.actor} {entry.action} "
                              f"{entry.target or '-'} {details}", markup=False)


@audit_app.command("verify")
def audit_verify() -> None:
    """Re-check the audit log's hash chain; exit 1 naming the first broken entry."""
    with open_workspace() as workspace, workspace.engine.connect() as conn:
        problems = verify_audit(conn)
    if problems:
        for problem in problems:
            console.print(str(problem), markup=False)
        raise fail(f"the audit log is broken from entry {problems[0].id}")
    console.print("the audit log is whole")


def register(root: typer.Typer) -> None:
    """Attach `dossier users …` and `dossier audit …` to the root app."""
    root.add_typer(users_app, name="users")
    root.add_typer(audit_app, name="audit")
