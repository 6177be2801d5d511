"""Walking the given folders and copying each file into the blob store, in a thread of its own.

Copying is system calls and hashing, both of which let other threads run, so a thread does it
while the ingest's main loop keeps the extraction workers fed: done in the main loop, each
batch of copies left the workers idle until it was finished. The thread only copies; the main
loop records each batch in the store, after the thread has made the batch durable (one sync
per batch), so the store never names an original that is not on disk. A resumed walk skips
the places its acquisition already recorded.

A process forked while this thread holds a lock (OpenSSL's, in the middle of a hash) would
inherit the lock held forever. The worker processes are therefore forked before the thread
starts, and `paused()` holds the thread between two files while new ones are forked.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from dossier.blobs import BlobStore, BlobTooLarge
from dossier.ingest.register import Found, place_key

WALK_BATCH = 256
WALK_BATCH_BYTES = 256 * 1024**2
BATCHES_AHEAD = 2  # copied batches waiting to be recorded before the thread waits too


def iter_files(paths: list[Path]) -> Iterator[tuple[Path, str]]:
    """Every regular file under the given paths, in a stable order, with its path as received.

    The path as received is relative to the folder that holds the given path, so that
    `dossier ingest /mnt/leak` records `leak/…`.
    """
    for given in paths:
        given = given.resolve()
        if given.is_file():
            yield given, given.name
            continue
        base = given.parent
        for folder, dirnames, filenames in os.walk(given):
            dirnames.sort()
            for name in sorted(filenames):
                full = Path(folder) / name
                if full.is_symlink() or not full.is_file():
                    continue
                yield full, full.relative_to(base).as_posix()


@dataclass
class WalkBatch:
    """Files copied and synced, ready to be recorded; and those that could not be read."""

    found: list[Found] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    files_seen: int = 0  # every file walked for this batch, skipped ones included
    size: int = 0


_END = object()


class Walker:
    """Copies the files under `paths` in a background thread, a batch at a time.

    `take()` hands over the next durable batch, or None when none is ready; `done` turns
    true once the last batch has been taken. An error in the thread is raised by `take()`.
    """

    def __init__(self, blobs_root: Path, paths: list[Path], already: set[str]) -> None:
        self._blobs = BlobStore(blobs_root, sync_each=False)
        self._paths = paths
        self._already = already
        self._ready: queue.Queue[object] = queue.Queue(maxsize=BATCHES_AHEAD)
        self._stop = threading.Event()
        self._running = threading.Event()  # cleared by paused()
        self._running.set()
        self._holding = threading.Event()  # set by the thread while paused between files
        self._thread = threading.Thread(target=self._run, name="dossier-walk", daemon=True)
        self.done = False

    def start(self) -> Walker:
        self._thread.start()
        return self

    def take(self, timeout: float = 0.0) -> WalkBatch | None:
        try:
            item = self._ready.get(timeout=timeout) if timeout else self._ready.get_nowait()
        except queue.Empty:
            return None
        if item is _END:
            self.done = True
            return None
        if isinstance(item, BaseException):
            self.done = True
            raise item
        assert isinstance(item, WalkBatch)
        return item

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Hold the thread between two files (holding no lock) for the time of the block."""
        self._running.clear()
        try:
            while self._thread.is_alive() and not self._holding.wait(timeout=0.05):
                pass
            yield
        finally:
            self._holding.clear()
            self._running.set()

    def _hold_if_paused(self) -> None:
        if not self._running.is_set():
            self._holding.set()
            self._running.wait()

    def stop(self) -> None:
        """Stop the thread (after a failure elsewhere); copies already made stay, unrecorded,
        and a resumed run finds them in the store."""
        self._stop.set()
        self._running.set()
        while self._thread.is_alive():
            with contextlib.suppress(queue.Empty):
                self._ready.get(timeout=0.1)
        self._thread.join()

    def _hand_over(self, item: object) -> bool:
        while not self._stop.is_set():
            self._hold_if_paused()
            try:
                self._ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            batch = WalkBatch()
            for full, received in iter_files(self._paths):
                if self._stop.is_set():
                    return
                self._hold_if_paused()
                batch.files_seen += 1
                if place_key(received, None) in self._already:
                    continue
                try:
                    sha256, size = self._blobs.put_file(full)
                except (OSError, BlobTooLarge) as exc:
                    batch.unreadable.append((received, f"{received}: cannot be read: {exc}"))
                    continue
                batch.found.append(Found(received, sha256, size))
                batch.size += size
                if len(batch.found) >= WALK_BATCH or batch.size >= WALK_BATCH_BYTES:
                    self._blobs.flush()
                    if not self._hand_over(batch):
                        return
                    batch = WalkBatch()
            self._blobs.flush()
            if self._hand_over(batch):
                self._hand_over(_END)
        except BaseException as exc:  # handed to the main loop, which raises it
            self._hand_over(exc)
