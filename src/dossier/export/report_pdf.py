"""The report as PDF, rendered from its HTML by WeasyPrint, offline, in parallel when long.

WeasyPrint shapes Arabic with HarfBuzz through Pango and lays it out right to left; fonts come
from fontconfig (Noto Naskh Arabic or Amiri for Arabic, DejaVu for the rest). Nothing may be
fetched while rendering: material is sensitive and a report must not reveal, by a request, that
it is being prepared. Every URL is refused: a stray link is left out of the PDF, never fetched.

Layout costs WeasyPrint about 15 ms per exhibit, which for a case of a thousand exhibits is
longer than copying and hashing their originals. So a long report is rendered in parts
(:func:`dossier.export.report.report_documents`), each in a process of its own, started before
the originals are copied so that both proceed together; the parts are then joined page by page
with PDFium, which keeps their text, fonts and Unicode mapping as WeasyPrint wrote them.
"""

from __future__ import annotations

import io
import logging
import os
import struct
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, NoReturn


class NetworkRefused(RuntimeError):
    """The report asked for a resource by URL; reports carry everything they need inline."""


def refuse_url(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise NetworkRefused(f"the report may not load {url!r}: reports are rendered offline")


def render_pdf(html: str) -> bytes:
    """PDF bytes of a self-contained HTML page."""
    from weasyprint import HTML

    # WeasyPrint logs every unsupported CSS property as a warning: noise for a known page.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = HTML(string=html, base_url=None, url_fetcher=refuse_url)
    pdf = document.write_pdf()
    assert pdf is not None
    return bytes(pdf)


def join_pdfs(parts: Sequence[bytes]) -> bytes:
    """The parts' pages, in order, as one PDF."""
    if len(parts) == 1:
        return parts[0]
    import pypdfium2 as pdfium

    joined = pdfium.PdfDocument.new()
    try:
        for part in parts:
            source = pdfium.PdfDocument(part)
            try:
                joined.import_pages(source)
            finally:
                source.close()
        buffer = io.BytesIO()
        joined.save(buffer)
        return buffer.getvalue()
    finally:
        joined.close()


class PdfRender:
    """A report being rendered: by ``workers`` processes started at once, each rendering its
    share of the documents in turn, or, with none, here when the result is asked for (a short
    report is not worth starting processes).

    A worker is this module run by the same Python (``python -m dossier.export.report_pdf``:
    HTML documents in, PDFs out), not a multiprocessing child: nothing of the exporting
    process (its threads, its database connections, a caller's unguarded main script) is
    forked or re-imported.
    """

    def __init__(self, documents: Sequence[str], workers: int) -> None:
        self._documents = list(documents)
        self._pool: ThreadPoolExecutor | None = None
        self._futures: list[Future[list[bytes]]] = []
        workers = min(workers, len(self._documents))
        if workers > 0:
            self._pool = ThreadPoolExecutor(workers)
            self._futures = [self._pool.submit(_render_elsewhere, self._documents[k::workers])
                             for k in range(workers)]

    def result(self) -> bytes:
        if self._pool is None:
            return join_pdfs([render_pdf(document) for document in self._documents])
        try:
            shares = [future.result() for future in self._futures]
        finally:
            self.close()
        # worker k rendered documents k, k + workers, …: put them back in order
        return join_pdfs([shares[n % len(shares)][n // len(shares)]
                          for n in range(len(self._documents))])

    def close(self) -> None:
        """Stop waiting for the workers (after a failure elsewhere the report is not wanted)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _frames(chunks: Sequence[bytes]) -> bytes:
    return b"".join(struct.pack(">Q", len(chunk)) + chunk for chunk in chunks)


def _unframe(data: bytes) -> list[bytes]:
    chunks, offset = [], 0
    while offset < len(data):
        (size,) = struct.unpack_from(">Q", data, offset)
        chunks.append(data[offset + 8:offset + 8 + size])
        offset += 8 + size
    return chunks


def _render_elsewhere(documents: Sequence[str]) -> list[bytes]:
    package_root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "dossier.export.report_pdf"],
                          input=_frames([d.encode("utf-8") for d in documents]),
                          capture_output=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError("rendering the PDF report failed in a worker: "
                           + done.stderr.decode("utf-8", "replace")[-2000:])
    return _unframe(done.stdout)


if __name__ == "__main__":  # a worker: framed HTML documents in, framed PDFs out
    sys.stdout.buffer.write(_frames([render_pdf(html.decode("utf-8"))
                                     for html in _unframe(sys.stdin.buffer.read())]))
