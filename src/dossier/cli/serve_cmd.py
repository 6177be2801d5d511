"""`dossier serve`: the workspace in a browser and over its JSON API."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from dossier.cli.common import console, errors, fail, open_workspace


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
) -> None:
    """Serve the workspace: the JSON API under /api/v1, documented at /docs."""
    if not is_loopback(host) and not allow_remote:
        raise fail(f"refusing to listen on {host}: other computers could reach the workspace. "
                   "Serve on 127.0.0.1, or give --allow-remote if that is what you want.", 2)
    import uvicorn

    from dossier.web import create_app

    with open_workspace() as workspace:  # refuse a missing or outdated workspace before start
        root = workspace.root
    if not is_loopback(host):
        errors.print(f"warning: listening on {host}: reachable from other computers")
    console.print(f"serving {root} at http://{host}:{port}/ (Ctrl-C stops)")
    uvicorn.run(create_app(root), host=host, port=port, log_level="info",
                access_log=True, server_header=False)


def register(root: typer.Typer) -> None:
    root.command()(serve)
