"""`dossier serve`: the workspace in a browser and over its JSON API."""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dossier.cli.common import console, errors, fail, open_workspace
from dossier.workspace import Workspace

if TYPE_CHECKING:
    from fastapi import FastAPI


def is_loopback(host: str) -> bool:
    """Whether ``host`` listens only on this computer (127.0.0.0/8, ::1 or localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port to listen on.", min=1, max=65535)] = 8000,
    allow_remote: Annotated[bool, typer.Option(
        "--allow-remote", help="Listen on an address other computers can reach.")] = False,
    team: Annotated[bool, typer.Option(
        "--team", help="Team mode: accounts, roles and collection grants are required.")]
        = False,
    allow_sqlite: Annotated[bool, typer.Option(
        "--allow-sqlite", help="Allow --team on a SQLite store (meant for PostgreSQL).")]
        = False,
    secure_cookies: Annotated[bool, typer.Option(
        "--secure-cookies", help="Mark the session cookie Secure (behind an https proxy).")]
        = False,
    workers: Annotated[int, typer.Option(
        help="Server processes, each with the workspace open (one per core serves most).",
        min=1, max=64)] = 1,
    access_log: Annotated[bool, typer.Option(
        "--access-log/--no-access-log", help="Print a line for every request.")] = True,
) -> None:
    """Serve the workspace: the JSON API under /api/v1, documented at /docs."""
    if not is_loopback(host) and not allow_remote:
        raise fail(f"refusing to listen on {host}: other computers could reach the workspace. "
                   "Serve on 127.0.0.1, or give --allow-remote if that is what you want.", 2)
    import uvicorn

    with open_workspace() as workspace:  # refuse a missing or outdated workspace before start
        root = workspace.root
        if team:
            _check_team(workspace, allow_sqlite)
    if not is_loopback(host):
        errors.print(f"warning: listening on {host}: reachable from other computers")
    if team:
        console.print("team mode: accounts are required (log in at POST /api/v1/login)")
    processes = f", {workers} processes" if workers > 1 else ""
    console.print(f"serving {root} at http://{host}:{port}/{processes} (Ctrl-C stops)")
    settings: dict[str, Any] = {"host": host, "port": port, "log_level": "info",
                                "access_log": access_log, "server_header": False}
    if workers == 1:
        from dossier.web import create_app

        uvicorn.run(create_app(root, team=team, secure_cookies=secure_cookies), **settings)
        return
    # Each process imports the application and opens the workspace itself (see
    # dossier.web.processes for why that is safe, and why not uvicorn's own --workers).
    from dossier.web.processes import Processes, ServeError

    os.environ[APP_SETTINGS] = json.dumps({"root": str(root), "team": team,
                                           "secure_cookies": secure_cookies})
    try:
        Processes(uvicorn.Config(f"{__name__}:app_from_environment", factory=True, **settings),
                  workers).run()
    except ServeError as error:
        raise fail(str(error)) from error


APP_SETTINGS = "DOSSIER_SERVE_APP"
"""The environment variable that hands the application's settings to each server process."""


def app_from_environment() -> FastAPI:
    """The application of one server process of `serve --workers N`, made from the settings
    the command left in the environment."""
    from dossier.web import create_app

    settings = json.loads(os.environ[APP_SETTINGS])
    return create_app(Path(settings["root"]), team=bool(settings["team"]),
                      secure_cookies=bool(settings["secure_cookies"]))


def _check_team(workspace: Workspace, allow_sqlite: bool) -> None:
    """Refuse team mode on a SQLite store (unless allowed) and on a workspace without accounts."""
    if workspace.database_url.startswith("sqlite") and not allow_sqlite:
        raise fail("refusing --team on a SQLite store: team mode is meant for PostgreSQL "
                   "(several people at once). Give --allow-sqlite to serve it anyway.", 2)
    from dossier.accounts import list_users  # here: argon2 is loaded only when needed

    with workspace.engine.connect() as conn:
        if not list_users(conn):
            raise fail("team mode needs an account and this workspace has none: create one "
                       "with `dossier users add`.", 2)


def register(root: typer.Typer) -> None:
    root.command()(serve)
