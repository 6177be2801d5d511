"""Several server processes on one address, each with a listening socket of its own.

uvicorn's `--workers` hands one listening socket to every process, and the first process to
wake up accepts every connection waiting: 32 clients that connect at once all land on one
process, and the others idle. Here each process listens on a socket of its own, bound to the
same address with SO_REUSEPORT, and the kernel spreads new connections over them (on Linux;
elsewhere, where SO_REUSEPORT does not spread them, the processes share one socket).

Each process imports the application itself (a factory named by an import string) and opens
the workspace: the store takes several writers (SQLite in WAL mode with BEGIN IMMEDIATE,
PostgreSQL row locks) and the server only reads the search index.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import signal
import socket
import sys
import threading
import time
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn

log = logging.getLogger("uvicorn.error")

SPREADS_CONNECTIONS = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")
STOP_SECONDS = 30  # how long a process may take to finish its requests before it is killed
FAILED_START_SECONDS = 30
"""A process that ends sooner than this after it started is not started again: it cannot."""


class ServeError(RuntimeError):
    """The address cannot be listened on, or a server process cannot start."""


def listening_socket(host: str, port: int, shared_port: bool) -> socket.socket:
    """A TCP socket bound to (host, port), with Nagle's algorithm off for its connections.

    The protocol is named: asyncio turns Nagle's algorithm off only on connections whose
    socket says TCP, and without that every answer on a kept-alive connection after the
    first waits 40 ms for the client's delayed acknowledgement (uvicorn issue 3149, which its
    own `--workers` has). Connections inherit TCP_NODELAY from the listener on Linux.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if shared_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host.strip("[]"), port))
    except OSError as error:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {error.strerror or error}") from error
    sock.set_inheritable(True)
    return sock


def _serve_one(config: uvicorn.Config, sockets: list[socket.socket]) -> None:
    """The body of one server process."""
    config.configure_logging()
    uvicorn.Server(config).run(sockets=sockets)


class Processes:
    """`count` processes serving `config` (whose app is an import string), each started
    again when it ends on its own, until SIGINT or SIGTERM stops them all."""

    def __init__(self, config: uvicorn.Config, count: int) -> None:
        self.config = config
        self.count = count
        self._context = multiprocessing.get_context("spawn")
        self._stop = threading.Event()
        self._failed: str | None = None
        self.sockets: list[socket.socket] = []

    def bind(self) -> None:
        if SPREADS_CONNECTIONS:
            self.sockets = [listening_socket(self.config.host, self.config.port, True)
                            for _ in range(self.count)]
        else:
            self.sockets = [listening_socket(self.config.host, self.config.port, False)]

    def _start(self, number: int) -> tuple[BaseProcess, float]:
        mine = [self.sockets[number]] if len(self.sockets) > 1 else self.sockets
        process = self._context.Process(target=_serve_one, args=(self.config, mine),
                                        name=f"dossier-serve-{number + 1}")
        process.start()
        return process, time.monotonic()

    def _on_signal(self, number: int, _frame: FrameType | None) -> None:
        self._stop.set()

    def run(self) -> None:
        """Serve until stopped; raises ServeError when a process cannot start."""
        if not self.sockets:
            self.bind()
        previous = {sig: signal.signal(sig, self._on_signal)
                    for sig in (signal.SIGINT, signal.SIGTERM)}
        running = [self._start(number) for number in range(self.count)]
        try:
            while not self._stop.wait(0.5):
                for number, (process, started) in enumerate(running):
                    if process.is_alive():
                        continue
                    if time.monotonic() - started < FAILED_START_SECONDS:
                        self._failed = (f"server process {process.pid} ended with code "
                                        f"{process.exitcode} as it started")
                        self._stop.set()
                        break
                    log.warning("server process %s ended (code %s): starting another",
                                process.pid, process.exitcode)
                    running[number] = self._start(number)
        finally:
            for process, _ in running:
                if process.is_alive() and process.pid is not None:
                    with contextlib.suppress(ProcessLookupError):
                        process.terminate()
            deadline = time.monotonic() + STOP_SECONDS
            for process, _ in running:
                process.join(max(0.0, deadline - time.monotonic()))
                if process.is_alive():
                    process.kill()
                    process.join()
            for sock in self.sockets:
                sock.close()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if self._failed:
            raise ServeError(self._failed)
