"""`dossier serve`: loopback unless told otherwise, and a real server answering."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
import typer
import uvicorn
from starlette.exceptions import StarletteDeprecationWarning
from typer.testing import CliRunner

from dossier.cli import serve_cmd
from dossier.cli.common import state
from dossier.web import create_app, processes

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=StarletteDeprecationWarning, message=".*httpx2")
    from fastapi.testclient import TestClient


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


def test_serve_refuses_no_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "workspace_path", tmp_path / "missing")
    result = CliRunner().invoke(_cli(), ["serve", "--workers", "0"])
    assert result.exit_code == 2
    assert "--workers" in result.output


@pytest.mark.parametrize("team", [False, True])
def test_each_worker_process_makes_the_application_of_the_command(
        workspace: Any, team: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(serve_cmd.APP_SETTINGS, json.dumps(
        {"root": str(workspace.root), "team": team, "secure_cookies": False}))
    with TestClient(serve_cmd.app_from_environment()) as client:
        response = client.get("/api/v1/search", params={"q": "detainee"})
    assert response.status_code == (401 if team else 200)
    assert response.headers["cache-control"] == "no-store"


def _serving_processes(parent: int, port: int) -> set[int]:
    """The child processes of `parent` holding a connection accepted on `port`."""
    found = set()
    for child in psutil.Process(parent).children():
        with contextlib.suppress(psutil.Error):
            if any(c.laddr and c.laddr.port == port and c.status == psutil.CONN_ESTABLISHED
                   for c in child.net_connections(kind="tcp")):
                found.add(child.pid)
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_serve_with_two_worker_processes_answers_and_stops(workspace: Any,
                                                           tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "serve.log"
    dossier = Path(sys.executable).with_name("dossier")
    with log.open("wb") as output:
        served = subprocess.Popen(
            [str(dossier), "-w", str(workspace.root), "serve", "--port", str(port),
             "--workers", "2", "--no-access-log"], stdout=output, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120  # each process imports the application itself
        while True:
            assert served.poll() is None, log.read_text()
            try:
                response = httpx.get(f"{base}/api/v1/search", params={"q": "detainee"})
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        assert response.status_code == 200
        assert response.json()["total"] == 0
        assert response.headers["x-frame-options"] == "DENY"
        with httpx.Client() as kept_alive:  # Nagle's algorithm off: no 40 ms per answer
            times = []
            for _ in range(10):
                started = time.perf_counter()
                assert kept_alive.get(f"{base}/api/v1/cases").status_code == 200
                times.append(time.perf_counter() - started)
        assert min(times[1:]) < 0.035, times
        # clients that connect at once are spread over both processes
        clients = [httpx.Client() for _ in range(16)]
        try:
            for client in clients:
                assert client.get(f"{base}/api/v1/cases").status_code == 200
            if processes.SPREADS_CONNECTIONS:
                assert len(_serving_processes(served.pid, port)) == 2
        finally:
            for client in clients:
                client.close()
        while log.read_text().count("Application startup complete") < 2:  # the second one
            assert served.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
    finally:
        served.terminate()
        served.wait(timeout=60)
    output = log.read_text()
    assert "2 processes" in output
    started = set(re.findall(r"Started server process \[(\d+)\]", output))
    assert len(started) == 2 and str(served.pid) not in started
    assert "GET /api/v1" not in output  # --no-access-log
    assert served.returncode == 0


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_the_sockets_of_the_processes_are_tcp_without_nagle(host: str) -> None:
    try:
        listening = processes.listening_socket(host, 0, shared_port=False)
    except processes.ServeError:
        pytest.skip(f"no {host} here")
    with listening:
        assert listening.proto == socket.IPPROTO_TCP  # what asyncio looks at
        listening.listen()
        with socket.create_connection(listening.getsockname()[:2]):
            accepted, _ = listening.accept()
            with accepted:
                assert accepted.proto == socket.IPPROTO_TCP
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_an_address_in_use_is_refused_with_its_reason() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(processes.ServeError, match=f"cannot listen on 127.0.0.1:{port}"):
            processes.listening_socket("127.0.0.1", port, shared_port=True)
