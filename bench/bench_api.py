"""The search API under load, and how fast the page of a document opens.

    .venv/bin/python bench/bench_api.py [--workspace DIR | --docs 300] [--clients 32]
        [--seconds 20] [--workers 1 2] [--rounds 1] [--generator auto|wrk|python]
        [--before DIR] [--record]

Serves a workspace with `dossier serve --no-access-log --workers N` on a free loopback port,
once for each --workers value given (side by side, in turn, --rounds times; with --before, an
earlier Dossier as well, served its default way), and drives it with
--clients concurrent keep-alive connections for --seconds: searches drawn in turn from Arabic,
English and French queries. The load comes from `wrk` (C, one thread, with a Lua script of the
queries) when it is installed, else from this process (asyncio streams writing ready-made
requests: far lighter than an HTTP client library, but Python still, on the same cores as the
server). Then opens the pages of documents one after another. Without --workspace it generates
and ingests the demo leak (--docs files) first.

The baseline, in the same run, is the same searches made by the library in this process, one
after another (no HTTP), before and after the load: what the server adds is the ratio. The
server's CPU time per request (all its processes) is given too: unlike requests per second it
hardly moves when other programs share the machine.
Targets (issue 7): >= 200 requests/s at p99 <= 250 ms with 32 clients; a page opens in
<= 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).parent))

from common import record  # noqa: E402

from dossier.workspace import Workspace  # noqa: E402

QUERIES = ("الفرع", "فرع فلسطين", "تعذيب", "Branch 251", "interrogation", "transfert",
           '"مشفى تشرين"', "detainee", "سجن صيدنايا", "arrest OR توقيف", "interrog*", "الأمن")
PATHS = [f"/api/v1/search?q={quote(query)}&limit=10" for query in QUERIES]
START_SECONDS = 180  # a loaded 2-core machine takes long to import the server's processes

WRK_SCRIPT = """
local paths = {%(paths)s}
local turn = 0
request = function()
  turn = turn + 1
  return wrk.format("GET", paths[(turn %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT {\\"requests\\": %%d, \\"seconds\\": %%.4f, \\"non2xx\\": %%d, \\"errors\\": %%d, " ..
    "\\"p50\\": %%d, \\"p95\\": %%d, \\"p99\\": %%d}\\n",
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99)))
end
"""


@dataclass
class Load:
    """One run of the load: requests per second and latency percentiles in seconds."""

    rate: float
    p50: float
    p95: float
    p99: float
    errors: int
    cpu_per_request: float  # seconds of the server's CPU (user + system, every process)
    load_average: float  # the machine's 1-minute load average before the run

    def line(self) -> str:
        return (f"{self.rate:,.0f} requests/s, p50 {self.p50 * 1000:.1f} ms, "
                f"p95 {self.p95 * 1000:.1f} ms, p99 {self.p99 * 1000:.1f} ms, "
                f"{self.errors} errors; server CPU {self.cpu_per_request * 1000:.2f} ms/request; "
                f"load average before {self.load_average:.1f}")


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


def start_server(workspace: Path, port: int, workers: int,
                 before: Path | None = None) -> subprocess.Popen[bytes]:
    """`dossier serve` on `port`; with `before`, the Dossier of that source tree, as it serves
    by default (it may not know the options)."""
    dossier = Path(sys.executable).with_name("dossier")
    command = [str(dossier), "-w", str(workspace), "serve", "--port", str(port)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    if before is None:
        command += ["--workers", str(workers), "--no-access-log"]
    else:
        env["PYTHONPATH"] = str(before / "src")
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env=env)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and server.poll() is None:
        if _ready(port, workers):
            return server
        time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not start: " + (server.stderr.read().decode()
                                                     if server.stderr else ""))


def _ready(port: int, workers: int) -> bool:
    """Whether every process answers: as many answers in a row as there are processes, each on
    a connection of its own (the kernel hands new connections to the processes in turn)."""
    try:
        return all(httpx.get(f"http://127.0.0.1:{port}/api/v1/cases", timeout=5).status_code
                   < 500 for _ in range(workers * 4))
    except httpx.HTTPError:
        return False


def server_cpu(server: subprocess.Popen[bytes]) -> float:
    """CPU seconds used so far by the server and its worker processes."""
    total = 0.0
    parent = psutil.Process(server.pid)
    for process in (parent, *parent.children(recursive=True)):
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def run_wrk(base: str, clients: int, seconds: float, folder: Path) -> tuple[int, float, dict[
        str, int]]:
    script = folder / "queries.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in PATHS)},
                      encoding="utf-8")
    wrk = shutil.which("wrk") or "wrk"
    output = subprocess.run([wrk, "-t1", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "30s",
                             "-s", str(script), base], capture_output=True, text=True,
                            check=True).stdout
    found = json.loads(output.split("RESULT ", 1)[1].splitlines()[0])
    return int(found["requests"]), float(found["seconds"]), found


async def python_load(port: int, clients: int, seconds: float) -> tuple[list[float], int]:
    """Keep-alive connections sending ready-made GET requests and reading each answer whole
    (Content-Length); latencies in seconds and the count of answers that were not 200."""
    requests = [(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").encode()
                for path in PATHS]
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds

    async def client(number: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        turn = number
        try:
            while time.monotonic() < stop:
                started = time.perf_counter()
                writer.write(requests[turn % len(requests)])
                turn += clients
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length:"))
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - started)
                if not head.startswith(b"HTTP/1.1 200 "):
                    errors += 1
        finally:
            writer.close()

    await asyncio.gather(*(client(n) for n in range(clients)))
    return latencies, errors


def load(server: subprocess.Popen[bytes], port: int, clients: int, seconds: float,
         generator: str, folder: Path) -> Load:
    base = f"http://127.0.0.1:{port}"
    if generator == "wrk":  # warm the server's processes and the page cache
        run_wrk(base, 8, 3, folder)
    else:
        asyncio.run(python_load(port, 8, 3))
    load_average = os.getloadavg()[0]
    cpu_before = server_cpu(server)
    if generator == "wrk":
        count, elapsed, found = run_wrk(base, clients, seconds, folder)
        cpu = server_cpu(server) - cpu_before
        return Load(count / elapsed, found["p50"] / 1e6, found["p95"] / 1e6, found["p99"] / 1e6,
                    found["non2xx"] + found["errors"], cpu / max(count, 1), load_average)
    started = time.perf_counter()
    latencies, errors = asyncio.run(python_load(port, clients, seconds))
    elapsed = time.perf_counter() - started
    cpu = server_cpu(server) - cpu_before
    return Load(len(latencies) / elapsed, percentile(latencies, 0.5),
                percentile(latencies, 0.95), percentile(latencies, 0.99), errors,
                cpu / max(len(latencies), 1), load_average)


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


def serve_and_load(workspace: Path, workers: int, args: argparse.Namespace, generator: str,
                   folder: Path, pages: list[float] | None, before: Path | None = None) -> Load:
    port = free_port()
    server = start_server(workspace, port, workers, before)
    try:
        found = load(server, port, args.clients, args.seconds, generator, folder)
        if pages is not None:
            pages.extend(open_pages(f"http://127.0.0.1:{port}", 50))
        return found
    finally:
        server.terminate()
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="server processes; each value is run in turn, side by side")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--before", type=Path, metavar="DIR", help=(
        "an earlier Dossier's source tree (DIR/src), served as it serves by default in turn "
        "with the others: e.g. `git archive COMMIT src | tar -x -C DIR`"))
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
    scratch = Path(tempfile.mkdtemp(prefix="dossier-bench-api-"))
    configurations: list[tuple[str, int, Path | None]] = [
        (f"`serve --workers {workers} --no-access-log`", workers, None)
        for workers in args.workers]
    if args.before is not None:
        configurations.insert(0, (f"before ({args.before}), `serve`", 1, args.before))
    runs: dict[str, list[Load]] = {name: [] for name, _, _ in configurations}
    pages: list[float] = []
    try:
        workspace = args.workspace or demo_workspace(args.docs, scratch / "demo")
        baselines = [library_baseline(workspace, 600)]
        for turn in range(args.rounds):
            for name, workers, before in configurations:
                runs[name].append(serve_and_load(
                    workspace, workers, args, generator, scratch,
                    pages if turn == 0 and name == configurations[-1][0] else None, before))
        baselines.append(library_baseline(workspace, 600))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    baseline = statistics.mean(baselines)
    described = (f"`wrk` {_wrk_version()}, one thread" if generator == "wrk"
                 else "this process (Python asyncio streams)")
    lines = [
        f"workspace: {args.workspace or f'the demo leak, {args.docs} files'}; "
        f"{args.clients} clients for {args.seconds:g} s; load from {described}; "
        f"{args.rounds} round(s), the server configurations in turn",
        "target: >= 200 requests/s at p99 <= 250 ms",
    ]
    for name, found in runs.items():
        median = sorted(found, key=lambda run: run.rate)[len(found) // 2]
        met = "met" if median.rate >= 200 and median.p99 <= 0.250 else "not met"
        lines.append(f"{name}: {median.line()} "
                     f"({median.rate / baseline:.2f}x the library alone; {met})")
        if len(found) > 1:
            lines.append("  rounds: " + "; ".join(
                f"{run.rate:,.0f}/s p99 {run.p99 * 1000:.0f} ms" for run in found))
    lines += [
        f"baseline, the library alone in one process: {baseline:,.0f} searches/s "
        f"({' before, '.join(f'{value:,.0f}' for value in baselines)} after the load), "
        f"{1000 / baseline:.2f} ms each",
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


def _wrk_version() -> str:
    try:
        output = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    except OSError:
        return ""
    words = (output.stdout + output.stderr).split()
    return words[1] if len(words) > 1 else ""


if __name__ == "__main__":
    main()
