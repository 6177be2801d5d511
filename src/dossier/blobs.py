"""Content-addressed originals: each file stored once under its sha256, written once, read-only."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024
LAYOUT_FILE = "LAYOUT"  # "ab" for root/ab/<sha256>; stores without it and with blobs: ab/cd


class BlobTooLarge(Exception):
    """The stream went past the size a caller allowed; nothing was stored."""


class BlobStore:
    """Originals under `root/ab/abcdef…`, named by their sha256, mode 0444.

    One folder per first byte: 256 folders, a few thousand originals each in an archive of a
    million. Stores made before 2026-11-24 have two levels, `root/ab/cd/abcdef…`, and keep
    them; a store says which it is in its LAYOUT file. (The second level made a folder for
    almost every original of a leak of small files, a third of the time of copying them.)

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
        self._known_dirs: set[str] = set()
        self._names = itertools.count()
        self._token = secrets.token_hex(4)  # two stores on one root in one process differ
        self._nested = self._has_nested_layout()

    def _has_nested_layout(self) -> bool:
        marker = self.root / LAYOUT_FILE
        with contextlib.suppress(FileNotFoundError):
            return marker.read_text(encoding="ascii").strip() == "ab/cd"
        tops = [entry for entry in os.scandir(self.root) if len(entry.name) == 2
                and entry.is_dir()]
        nested = bool(tops) and any(len(entry.name) == 2 and entry.is_dir()
                                    for entry in os.scandir(tops[0]))
        # Written whole, then renamed: a reader never sees half of it. Two processes opening
        # the same store find the same layout. A store on read-only media is only read.
        with contextlib.suppress(OSError):
            written = self._tmp / f"{LAYOUT_FILE}-{os.getpid()}-{self._token}"
            written.write_bytes(b"ab/cd\n" if nested else b"ab\n")
            os.replace(written, marker)
        return nested

    def path(self, sha256: str) -> Path:
        if self._nested:
            return self.root / sha256[:2] / sha256[2:4] / sha256
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put_file(self, source: Path, max_bytes: int | None = None) -> tuple[str, int]:
        """Copy a file in; returns (sha256, size).

        A file of at most CHUNK bytes is read in one go and hashed before anything is
        written, so that a copy already stored costs no write at all; on a leak of small
        files this path spares half the system calls of a stream copy.
        """
        fd = os.open(source, os.O_RDONLY)
        try:
            size = os.fstat(fd).st_size
            if size <= CHUNK and (max_bytes is None or size <= max_bytes):
                data = os.read(fd, size + 1)
                if len(data) <= size:  # else the file grew since fstat: copy it as a stream
                    return self.put_bytes(data)
            with os.fdopen(os.dup(fd), "rb") as stream:
                stream.seek(0)
                return self.put_stream(stream, max_bytes=max_bytes)
        finally:
            os.close(fd)

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
        # Process id, store and counter make the temporary name unique without mkstemp's
        # retries. Plain os calls, not file objects: each file object costs a stat, a seek
        # and an ioctl more, and these add up over a leak of a hundred thousand small files.
        tmp_name = f"{self._tmp}/{os.getpid()}-{self._token}-{next(self._names)}"
        fd = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            try:
                for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    view = memoryview(chunk)
                    while view:
                        view = view[os.write(fd, view):]
                os.fchmod(fd, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
                if self.sync_each:
                    os.fsync(fd)
            finally:
                os.close(fd)
            sha256 = digest.hexdigest()
            assert expected is None or expected == sha256
            final = self.path(sha256)
            if expected is None and final.is_file():  # put_bytes looked before writing
                os.unlink(tmp_name)
            else:
                self._make_folder(sha256)
                os.replace(tmp_name, final)
            return sha256, size
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise

    def _make_folder(self, sha256: str) -> None:
        """Create the folder of a blob, with one mkdir when `ab/` is known to exist."""
        top = sha256[:2]
        leaf = top + "/" + sha256[2:4] if self._nested else top
        if leaf in self._known_dirs:
            return
        if top in self._known_dirs:
            with contextlib.suppress(FileExistsError):
                os.mkdir(self.root / leaf)
        else:
            (self.root / leaf).mkdir(parents=True, exist_ok=True)
            self._known_dirs.add(top)
        self._known_dirs.add(leaf)

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
