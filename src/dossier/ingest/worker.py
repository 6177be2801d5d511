"""The work done for one original in a worker process: extract, detect language, fingerprint.

Everything CPU-bound happens here, away from the process that writes the store, and the result
travels back as one picklable value. A worker never writes the store; it writes only blobs
(the members of archives and attachments), which are content-addressed and so safe to repeat.
"""

from __future__ import annotations

import contextlib
import os
import time
import traceback
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from dossier.blobs import BlobStore
from dossier.ingest.model import Extraction, IngestError, Limits

# Tesseract parallelises with OpenMP by default, which fights with our own process pool.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
# The folder of a process's open files, by number (Linux).
_OPEN_FILES = Path("/proc/self/fd")


def release_inherited_locks() -> None:
    """Run first in each worker process: close its copies of the search index's lock files.

    A worker is forked from the ingest, and a fork copies every open file of the parent.
    The index (Tantivy) takes its locks with flock and releases one by closing its file; a
    lock is held as long as any copy of that file stays open, so a worker forked while the
    index held its meta lock kept it locked for as long as it lived, and the ingest's next
    commit waited for it forever (a test run hung on it). Where the open files cannot be
    listed (not Linux), nothing is done.
    """
    try:
        entries = os.listdir(_OPEN_FILES)
    except OSError:
        return
    for entry in entries:
        try:
            target = os.readlink(_OPEN_FILES / entry)
        except OSError:
            continue  # closed since the listing (the listing's own)
        name = os.path.basename(target)
        if name.startswith(".tantivy-") and name.endswith(".lock"):
            with contextlib.suppress(OSError, ValueError):
                os.close(int(entry))


@dataclass(frozen=True)
class Job:
    item_id: int
    sha256: str
    name: str
    depth: int


@dataclass(frozen=True)
class JobSettings:
    blobs_root: Path
    limits: Limits
    ocr_languages: str


@dataclass
class JobResult:
    item_id: int
    extraction: Extraction | None = None
    language: str | None = None
    signature: bytes | None = None
    lsh_keys: list[str] | None = None
    index_terms: list[str] | None = None  # per page: what the search index stores
    error_kind: str | None = None
    error_message: str | None = None
    media_type: str | None = None  # detected even when extraction failed, for `status`
    mime: str | None = None
    seconds: float = 0.0


def _detected_type(path: Path) -> tuple[str | None, str | None]:
    from dossier.ingest.detect import detect_type

    try:
        return detect_type(path)
    except (IngestError, OSError):
        return None, None


@cache
def _blob_store(root: Path) -> BlobStore:
    """One store object per worker process (making one checks its folders on disk)."""
    return BlobStore(root, sync_each=False)  # the writer flushes per batch


def run_job(job: Job, settings: JobSettings) -> JobResult:
    from dossier.ingest.extract import ExtractContext, extract
    from dossier.ingest.language import detect_language
    from dossier.ingest.neardup import item_fingerprint
    from dossier.text import index_text

    started = time.perf_counter()
    blobs = _blob_store(settings.blobs_root)
    context = ExtractContext(blobs=blobs, limits=settings.limits,
                             ocr_languages=settings.ocr_languages, depth=job.depth,
                             name=job.name)
    try:
        extraction = extract(blobs.path(job.sha256), context)
    except IngestError as exc:
        failed = JobResult(job.item_id, error_kind=exc.kind, error_message=exc.message)
        failed.media_type, failed.mime = _detected_type(blobs.path(job.sha256))
        failed.seconds = time.perf_counter() - started
        return failed
    except Exception as exc:  # an extractor bug must not stop the run: quarantine and report
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return JobResult(job.item_id, error_kind="internal",
                         error_message=f"unexpected error in the extractor: {detail}",
                         seconds=time.perf_counter() - started)
    pages = [page if page.language else replace(page, language=detect_language(page.text))
             for page in extraction.pages]
    extraction.pages = pages
    weights: Counter[str] = Counter()
    for page in pages:
        if page.language:
            weights[page.language] += len(page.text)
    result = JobResult(job.item_id, extraction=extraction,
                       language=weights.most_common(1)[0][0] if weights else None,
                       index_terms=[index_text(page.text) for page in pages])
    fingerprint = item_fingerprint([page.text for page in pages])
    if fingerprint is not None:
        result.signature, result.lsh_keys = fingerprint
    result.seconds = time.perf_counter() - started
    return result


def run_jobs(jobs: list[Job], settings: JobSettings) -> list[JobResult]:
    """Several jobs in one task, to spare inter-process traffic on small files."""
    return [run_job(job, settings) for job in jobs]
