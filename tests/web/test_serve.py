"""`dossier serve`: loopback unless told otherwise, and a real server answering."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer
import uvicorn
from typer.testing import CliRunner

from dossier.cli import serve_cmd
from dossier.cli.common import state
from dossier.web import create_app


def _cli() -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def main() -> None:
        """A root group, as `dossier` has."""

    serve_cmd.register(root)
    return root


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_serve_refuses_a_remote_address_without_allow_remote(
        host: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a missing workspace: the refusal comes before the workspace is opened
    monkeypatch.setattr(state, "workspace_path", tmp_path / "missing")
    result = CliRunner().invoke(_cli(), ["serve", "--host", host])
    assert result.exit_code == 2
    output = " ".join(result.output.split())
    assert f"refusing to listen on {host}" in output
    assert "--allow-remote" in output


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_addresses_are_loopback(host: str) -> None:
    assert serve_cmd.is_loopback(host)


def test_serve_says_when_the_folder_is_not_a_workspace(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "workspace_path", tmp_path / "missing")
    result = CliRunner().invoke(_cli(), ["serve"])
    assert result.exit_code == 1
    assert "is not a Dossier workspace" in " ".join(result.output.split())


@pytest.fixture
def server(workspace: Any) -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(workspace.root), log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    started = threading.Event()
    while thread.is_alive() and not started.wait(0.05):
        if running.started:
            started.set()
    assert running.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join()
    sock.close()


def test_a_served_workspace_answers_over_http(server: str) -> None:
    response = httpx.get(f"{server}/api/v1/cases")
    assert response.status_code == 200
    assert response.json() == {"total": 0, "limit": 20, "offset": 0, "items": []}
    assert response.headers["x-frame-options"] == "DENY"
