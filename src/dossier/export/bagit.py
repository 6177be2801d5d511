"""Writing a BagIt 1.0 bag (RFC 8493) into a ZIP, hashing everything once, as it is written.

An exported bundle can hold gigabytes of originals. Each original is read once: every chunk
goes to the zip (stored, not compressed: the bytes stay the bytes) while its sha256 and sha512
are computed in two threads and the sha256 of the zip itself in a third (hashlib releases the
GIL), so that exporting costs about what hashing with sha512 alone does. The zip is written as
a stream (local headers followed by data descriptors, never a seek back), which is what lets
the zip's own hash be computed on the way out.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from dossier.export.verify_bundle import (
    BAGIT_TXT,
    MANIFESTS,
    TAG_MANIFESTS,
    UNSIGNED,
    DualHasher,
    encode_path,
)

WINDOW = 3  # chunks being hashed while the next is read and written
SOURCE_ORGANIZATION = "Dossier evidence export"


@dataclass(frozen=True)
class Digests:
    sha256: str
    sha512: str
    size: int


class _HashingStream(io.RawIOBase):
    """A write-only, unseekable file that hashes what passes through it in its own thread."""

    def __init__(self, target: BinaryIO) -> None:
        self._target = target
        self._position = 0
        self._sha256 = hashlib.sha256()
        self._pool = ThreadPoolExecutor(1)  # one worker: updates run in the order written
        self._in_flight: deque[Future[None]] = deque()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = 0) -> int:
        raise io.UnsupportedOperation("a bundle is written as a stream")

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._target.write(chunk)
        self._position += len(chunk)
        self._in_flight.append(self._pool.submit(self._sha256.update, chunk))
        if len(self._in_flight) > WINDOW:  # memory stays bounded
            self._in_flight.popleft().result()
        return len(chunk)

    def flush(self) -> None:
        self._target.flush()

    def hexdigest(self) -> str:
        while self._in_flight:
            self._in_flight.popleft().result()
        self.close_pool()
        return self._sha256.hexdigest()

    def close_pool(self) -> None:
        self._pool.shutdown()


class BagWriter:
    """A bag under one top-level folder of a zip: payload under data/, then the tag files.

    Every payload file's digests are kept for the manifests. Call :meth:`write_manifests`
    once the payload is complete, then add the other tag files; :meth:`signed_files` then
    gives the sha256 of each, for the signed statement; add signature.json, then
    :meth:`close`.
    """

    def __init__(self, path: Path, folder: str) -> None:
        self.folder = folder
        self._file = open(path, "wb")  # noqa: SIM115 - closed in close()
        self._stream = _HashingStream(self._file)
        self._zip = zipfile.ZipFile(self._stream, "w", allowZip64=True)  # type: ignore[arg-type]
        self._hasher = DualHasher()
        self.payload: dict[str, Digests] = {}
        self.tags: dict[str, Digests] = {}
        self.sha256 = ""

    def _info(self, name: str, size: int, compress: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(f"{self.folder}/{name}", datetime.now(UTC).timetuple()[:6])
        info.file_size = size  # known in advance: decides zip64 before writing
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        return info

    def add_stream(self, name: str, chunks: Iterator[bytes], size: int,
                   on_chunk: Callable[[int], None] | None = None) -> Digests:
        """Copy an original into the bag bit for bit, hashing it on the way."""
        sha256, sha512 = hashlib.sha256(), hashlib.sha512()
        written = 0
        in_flight: deque[list[Future[None]]] = deque()
        with self._zip.open(self._info(name, size, compress=False), "w") as out:
            for chunk in chunks:
                in_flight.append(self._hasher.submit(sha256, sha512, chunk))
                out.write(chunk)  # while the chunks before are still being hashed
                written += len(chunk)
                if len(in_flight) > WINDOW:
                    self._hasher.wait(in_flight.popleft())
                if on_chunk is not None:
                    on_chunk(len(chunk))
            while in_flight:
                self._hasher.wait(in_flight.popleft())
        if written != size:
            raise OSError(f"{name}: read {written} bytes, expected {size}")
        digests = Digests(sha256.hexdigest(), sha512.hexdigest(), written)
        self.payload[name] = digests
        return digests

    def add_bytes(self, name: str, data: bytes, *, compress: bool = True) -> Digests:
        """A small file (derived text, lists, the report): payload under data/, else a tag."""
        info = self._info(name, len(data), compress)
        self._zip.writestr(info, data)
        digests = Digests(hashlib.sha256(data).hexdigest(), hashlib.sha512(data).hexdigest(),
                          len(data))
        (self.payload if name.startswith("data/") else self.tags)[name] = digests
        return digests

    def add_text(self, name: str, text: str) -> Digests:
        return self.add_bytes(name, text.encode("utf-8"))

    def write_manifests(self, bag_info: dict[str, str]) -> None:
        """bagit.txt, bag-info.txt and both payload manifests."""
        self.add_text("bagit.txt", BAGIT_TXT)
        octets = sum(d.size for d in self.payload.values())
        info = {**bag_info, "Payload-Oxum": f"{octets}.{len(self.payload)}",
                "Bag-Size": human_size(octets)}
        self.add_text("bag-info.txt", "".join(f"{key}: {value}\n" for key, value in info.items()))
        for manifest, algorithm in zip(MANIFESTS, ("sha256", "sha512"), strict=True):
            self.add_text(manifest, manifest_text(self.payload, algorithm))

    def signed_files(self) -> dict[str, str]:
        """{tag file: sha256} of every tag file written so far but signature.json and the tag
        manifests: what the bundle's statement binds (the payload through its manifests)."""
        return {name: digests.sha256 for name, digests in sorted(self.tags.items())
                if name not in UNSIGNED}

    def close(self) -> str:
        """Write the tag manifests and finish the zip; returns the zip's sha256."""
        for manifest, algorithm in zip(TAG_MANIFESTS, ("sha256", "sha512"), strict=True):
            self.add_text(manifest, manifest_text(
                {n: d for n, d in self.tags.items() if n not in TAG_MANIFESTS}, algorithm))
        self._zip.close()
        self._hasher.close()
        self.sha256 = self._stream.hexdigest()
        self._file.flush()
        self._file.close()
        return self.sha256

    def abort(self) -> None:
        """Abandon the zip after a failure; the caller deletes the partial file."""
        self._zip.fp = None  # so that the abandoned ZipFile never writes its directory
        self._hasher.close()
        self._stream.close_pool()
        self._file.close()


def manifest_text(files: dict[str, Digests], algorithm: str) -> str:
    return "".join(f"{getattr(files[name], algorithm)}  {encode_path(name)}\n"
                   for name in sorted(files))


def human_size(octets: int) -> str:
    size = float(octets)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")
