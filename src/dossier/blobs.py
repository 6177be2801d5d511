"""Content-addressed originals: each file stored once under its sha256, written once, read-only."""

from __future__ import annotations

import hashlib
import itertools
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


class BlobTooLarge(Exception):
    """The stream went past the size a caller allowed; nothing was stored."""


class BlobStore:
    """Originals under `root/ab/cd/abcdef…`, named by their sha256, mode 0444.

    With `sync_each` every blob is flushed to disk before it is renamed into place. Bulk
    writers turn it off and call `flush()` once per batch, before the transaction that records
    the batch commits: the store never names an original that is not on disk.
    """

    def __init__(self, root: Path, sync_each: bool = True) -> None:
        self.root = Path(root)
        self.sync_each = sync_each
        self.root.mkdir(parents=True, exist_ok=True)
        self._tmp = self.root / "tmp"
        self._tmp.mkdir(exist_ok=True)
        self._known_dirs: set[Path] = set()
        self._names = itertools.count()

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put_file(self, source: Path, max_bytes: int | None = None) -> tuple[str, int]:
        with open(source, "rb") as stream:
            return self.put_stream(stream, max_bytes=max_bytes)

    def put_bytes(self, data: bytes) -> tuple[str, int]:
        sha256 = hashlib.sha256(data).hexdigest()
        if not self.exists(sha256):
            self._write_chunks(iter([data]), expected=sha256)
        return sha256, len(data)

    def put_stream(self, stream: BinaryIO, max_bytes: int | None = None) -> tuple[str, int]:
        """Copy a stream in while hashing it; returns (sha256, size).

        The copy goes to a temporary file first and is renamed into place only when complete,
        so a crash never leaves a partial blob under a real name.
        """

        def chunks() -> Iterator[bytes]:
            total = 0
            while chunk := stream.read(CHUNK):
                total += len(chunk)
                if max_bytes is not None and total > max_bytes:
                    raise BlobTooLarge(f"more than {max_bytes} bytes")
                yield chunk

        return self._write_chunks(chunks())

    def _write_chunks(self, chunks: Iterator[bytes], expected: str | None = None
                      ) -> tuple[str, int]:
        digest = hashlib.sha256()
        size = 0
        # Process id and a counter make the temporary name unique without mkstemp's retries.
        tmp_name = str(self._tmp / f"{os.getpid()}-{next(self._names)}")
        fd = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fchmod(out.fileno(), stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
                if self.sync_each:
                    os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            assert expected is None or expected == sha256
            final = self.path(sha256)
            if final.is_file():
                os.unlink(tmp_name)
            else:
                if final.parent not in self._known_dirs:
                    final.parent.mkdir(parents=True, exist_ok=True)
                    self._known_dirs.add(final.parent)
                os.replace(tmp_name, final)
            return sha256, size
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise

    def discard_partial(self) -> int:
        """Delete the temporary files a killed writer left behind; returns how many.

        Only call it while no other process writes to this store (ingest holds the workspace's
        writer lock): a temporary file is never an original, only an unfinished copy of one.
        """
        removed = 0
        for leftover in self._tmp.iterdir():
            leftover.unlink(missing_ok=True)
            removed += 1
        return removed

    def flush(self) -> None:
        """Make every blob written so far durable (one sync for a whole batch)."""
        os.sync()

    def hash_stored(self, sha256: str) -> str:
        """Re-hash a stored original (for verification)."""
        digest = hashlib.sha256()
        with open(self.path(sha256), "rb") as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()
