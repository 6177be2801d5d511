"""How fast the page of a document opens in the reader, over HTTP against a real server.

    .venv/bin/python bench/bench_pages.py [--workspace DIR | --docs 300] [--documents 100]
                                          [--record]

Serves a workspace with `dossier serve` (uvicorn, one process) on a free loopback port and
opens, one after another, page 1 of --documents documents (each once, so that no page picture
is in the server's memory yet) as a browser would: the reader's HTML, then the page picture
(PNG) for a PDF or an image. Without --workspace it generates and ingests the demo leak (--docs
files) first. The baseline, in the same run, is what the reader reads from the store for a
page (the item, the page with its mentions, the custody events) through the library in this
process, without HTTP or HTML.
Target (issue 7): the page of a document opens in <= 300 ms.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from bench_api import demo_workspace, free_port, percentile, start_server  # noqa: E402
from common import record  # noqa: E402

from dossier import catalogue  # noqa: E402
from dossier.custody.log import events  # noqa: E402
from dossier.page_images import has_page_images  # noqa: E402
from dossier.workspace import Workspace  # noqa: E402

TARGET_MS = 300


def documents(base: str, count: int) -> list[dict[str, Any]]:
    """Up to `count` items with text, the types taken in turn so that each is measured."""
    found: list[dict[str, Any]] = []
    with httpx.Client(timeout=30) as http:
        offset = 0
        while True:
            page = http.get(f"{base}/api/v1/items", params={"limit": 200, "offset": offset})
            listed = page.json()["items"]
            found += [item for item in listed if item["pages"]]
            offset += len(listed)
            if not listed or offset >= page.json()["total"]:
                break
    by_type: dict[str, list[dict[str, Any]]] = {}
    for item in found:
        by_type.setdefault(item["type"], []).append(item)
    chosen: list[dict[str, Any]] = []
    while len(chosen) < count and any(by_type.values()):
        for kind in sorted(by_type):
            if by_type[kind] and len(chosen) < count:
                chosen.append(by_type[kind].pop(0))
    return chosen


def open_documents(base: str, chosen: list[dict[str, Any]]
                   ) -> tuple[list[float], list[float], list[float], list[float]]:
    """Seconds for the HTML, for the picture, for both (every document) and for both (the
    documents with a picture)."""
    html, pictures, whole, imaged = [], [], [], []
    with httpx.Client(timeout=60) as http:
        for item in chosen:
            started = time.perf_counter()
            answer = http.get(f"{base}/items/{item['id']}", params={"page": 1})
            answer.raise_for_status()
            html.append(time.perf_counter() - started)
            if has_page_images(item["type"]):
                shown = time.perf_counter()
                picture = http.get(f"{base}/items/{item['id']}/pages/1/image")
                if picture.status_code == 200:
                    pictures.append(time.perf_counter() - shown)
                    imaged.append(time.perf_counter() - started)
            whole.append(time.perf_counter() - started)
    return html, pictures, whole, imaged


def library_baseline(workspace: Path, chosen: list[dict[str, Any]]) -> list[float]:
    opened = Workspace.open(workspace)
    times = []
    try:
        with opened.engine.connect() as conn:
            for item in chosen:
                started = time.perf_counter()
                catalogue.get_item(conn, item["id"])
                catalogue.get_page(conn, item["id"], 1)
                list(events(conn, item["id"]))
                times.append(time.perf_counter() - started)
    finally:
        opened.close()
    return times


def summary(name: str, values: list[float]) -> str:
    if not values:
        return f"{name}: none measured"
    return (f"{name}: p50 {statistics.median(values) * 1000:.1f} ms, "
            f"p95 {percentile(values, 0.95) * 1000:.1f} ms, "
            f"max {max(values) * 1000:.1f} ms over {len(values)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="dossier-bench-pages-"))
    try:
        workspace = args.workspace or demo_workspace(args.docs, scratch / "demo")
        port = free_port()
        server = start_server(workspace, port)
        base = f"http://127.0.0.1:{port}"
        try:
            chosen = documents(base, args.documents)
            httpx.get(f"{base}/search", params={"q": "warm"}, timeout=30)  # templates loaded
            html, pictures, whole, imaged_whole = open_documents(base, chosen)
        finally:
            server.terminate()
            server.wait(timeout=30)
        baseline = library_baseline(workspace, chosen)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    kinds = sorted({item["type"] for item in chosen})
    imaged = sum(1 for item in chosen if has_page_images(item["type"]))
    p95 = percentile(whole, 0.95) * 1000
    imaged_p95 = percentile(imaged_whole, 0.95) * 1000 if imaged_whole else 0.0
    lines = [
        f"workspace: {args.workspace or f'the demo leak, {args.docs} files'}; one server "
        f"process; {len(chosen)} documents opened once each at page 1 ({', '.join(kinds)}; "
        f"{imaged} with a page picture rendered on the spot)",
        summary("reader HTML", html),
        summary("page picture (PNG)", pictures),
        summary("the page opened (HTML, then its picture if any)", whole)
        + f" (target <= {TARGET_MS} ms: {'met' if p95 <= TARGET_MS else 'NOT met'} at p95)",
        summary("the page of a PDF or an image opened (HTML, then its picture)", imaged_whole)
        + f" ({'met' if imaged_p95 <= TARGET_MS else 'NOT met'} at p95)",
        summary("baseline, the library's reads alone in one process", baseline)
        + f" (the HTML page takes {statistics.median(html) / statistics.median(baseline):.1f}x "
        "that at p50)",
    ]
    command = " ".join(arg for arg in sys.argv[1:] if arg != "--record")
    if args.record:
        record("Document page", f".venv/bin/python bench/bench_pages.py {command}".strip(),
               lines)
    else:
        print("\n".join(lines))


if __name__ == "__main__":
    main()
