"""The search API under load, and how fast the page of a document opens.

    .venv/bin/python bench/bench_api.py [--workspace DIR | --docs 300] [--clients 32]
                                        [--seconds 20] [--record]

Serves a workspace with `dossier serve` (uvicorn, one process) on a free loopback port
and drives it from this process with --clients concurrent HTTP clients (httpx, asyncio) for
--seconds: searches drawn in turn from Arabic, English and French queries; then opens the pages
of documents one after another. Without --workspace it generates and ingests the demo leak
(--docs files) first. The baseline, in the same run, is the same searches made by the library
in this process, one after another (no HTTP): what the server adds is the ratio.
Targets (issue 7): >= 200 requests/s at p99 <= 250 ms with 32 clients; a page opens in
<= 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from common import record  # noqa: E402

from dossier.workspace import Workspace  # noqa: E402

QUERIES = ("الفرع", "فرع فلسطين", "تعذيب", "Branch 251", "interrogation", "transfert",
           '"مشفى تشرين"', "detainee", "سجن صيدنايا", "arrest OR توقيف", "interrog*", "الأمن")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def demo_workspace(docs: int, folder: Path) -> Path:
    from dossier.demo.tour import run_tour

    run_tour(folder, docs=docs, seed=7)
    return folder / "workspace"


def start_server(workspace: Path, port: int) -> subprocess.Popen[bytes]:
    dossier = Path(sys.executable).with_name("dossier")
    command = [str(dossier), "-w", str(workspace), "serve", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env={**os.environ, "PYTHONWARNINGS": "ignore"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/cases", timeout=2).status_code < 500:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start: " + (server.stderr.read().decode()
                                                     if server.stderr else ""))


async def load(base: str, clients: int, seconds: float) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(number: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        turn = number
        while time.monotonic() < stop:
            query = QUERIES[turn % len(QUERIES)]
            turn += clients
            started = time.perf_counter()
            answer = await http.get(f"{base}/api/v1/search", params={"q": query, "limit": 10})
            latencies.append(time.perf_counter() - started)
            if answer.status_code != 200:
                errors += 1

    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        await asyncio.gather(*(client(n, http) for n in range(clients)))
    return latencies, errors


def open_pages(base: str, count: int) -> list[float]:
    times: list[float] = []
    with httpx.Client(timeout=30) as http:
        listed = http.get(f"{base}/api/v1/items", params={"limit": count}).json()["items"]
        for item in [i for i in listed if i["pages"]][:count]:
            started = time.perf_counter()
            http.get(f"{base}/api/v1/items/{item['id']}")
            http.get(f"{base}/api/v1/items/{item['id']}/pages/1")
            times.append(time.perf_counter() - started)
    return times


def library_baseline(workspace: Path, rounds: int) -> float:
    """Searches per second made by the library itself, in this process, one after another."""
    opened = Workspace.open(workspace)
    try:
        started = time.perf_counter()
        for turn in range(rounds):
            opened.index.search(QUERIES[turn % len(QUERIES)], limit=10)
        return rounds / (time.perf_counter() - started)
    finally:
        opened.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="dossier-bench-api-"))
    try:
        workspace = args.workspace or demo_workspace(args.docs, scratch / "demo")
        baseline = library_baseline(workspace, 600)
        port = free_port()
        server = start_server(workspace, port)
        base = f"http://127.0.0.1:{port}"
        try:
            asyncio.run(load(base, 4, 2))  # warm the server and the page cache
            started = time.perf_counter()
            latencies, errors = asyncio.run(load(base, args.clients, args.seconds))
            elapsed = time.perf_counter() - started
            pages = open_pages(base, 50)
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    rate = len(latencies) / elapsed
    lines = [
        f"workspace: {args.workspace or f'the demo leak, {args.docs} files'}; "
        f"{args.clients} clients for {args.seconds:g} s; one server process",
        f"search API: {rate:,.0f} requests/s, p50 {percentile(latencies, 0.5) * 1000:.1f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.1f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms, {errors} errors "
        "(target >= 200 requests/s at p99 <= 250 ms)",
        f"baseline, the library alone in one process: {baseline:,.0f} searches/s "
        f"(the API serves {rate / baseline:.2f}x that)",
        f"document page (item + page with mentions): p50 "
        f"{statistics.median(pages) * 1000:.1f} ms, max {max(pages) * 1000:.1f} ms over "
        f"{len(pages)} documents (target <= 300 ms)",
    ]
    command = " ".join(arg for arg in sys.argv[1:] if arg != "--record")
    if args.record:
        record("Search API under load (issue 7)",
               f".venv/bin/python bench/bench_api.py {command}".strip(), lines)
    else:
        print("\n".join(lines))


if __name__ == "__main__":
    main()
