"""ZIP and TAR archives (plain, gzip, bzip2, xz): members become children in the blob store.

Members are streamed into the blob store, never unpacked to a folder, so a member named
"../../etc/passwd" can write nothing anywhere; its name is still made safe ("etc/passwd")
because it becomes the item's path, and the original name is kept in the metadata.
Directories, links, devices and FIFOs are skipped and listed.

Bomb defence, in three layers: the member count and the sizes the archive declares (checked
before anything is inflated), the bytes actually produced while streaming (declared sizes can
lie), and the compression ratio. Nesting is bounded by `limits.max_nesting_depth`: the
pipeline extracts children with depth + 1.

An archive with any encrypted member fails as a whole, naming the encrypted members, before
anything is extracted: a partial extraction that looks complete would mislead, and the
original is preserved either way. Each archive gets one listing page (member paths and
sizes): searching for a file name then finds the archive that holds it.
"""

from __future__ import annotations

import lzma
import stat
import tarfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from dossier.ingest.context import ExtractContext, check_nesting
from dossier.ingest.detect import MIME, detect_type
from dossier.ingest.encoding import decode_text
from dossier.ingest.model import BombFile, Child, CorruptFile, Extraction, Limits, PageText
from dossier.ingest.textfile import paginate
from dossier.ingest.ziplimits import RATIO_MIN_BYTES, check_zip_directory

LISTING_TOOL = "dossier archive listing"
_STREAM_ERRORS = (zipfile.BadZipFile, tarfile.TarError, zlib.error, lzma.LZMAError, EOFError,
                  OSError, ValueError, NotImplementedError)


@dataclass
class _Budget:
    """What is left of the limits while members stream out of one archive."""

    limits: Limits
    archive_bytes: int
    produced: int = 0
    children: list[Child] = field(default_factory=list)
    listing: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    skipped: list[dict[str, str]] = field(default_factory=list)
    used_paths: set[str] = field(default_factory=set)


class _GuardedReader:
    """A member stream that raises BombFile as soon as its output breaks a limit."""

    def __init__(self, stream: IO[bytes], budget: _Budget, name: str,
                 compressed: int | None) -> None:
        self._stream = stream
        self._budget = budget
        self._name = name
        self._compressed = compressed
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self.size += len(chunk)
        self._budget.produced += len(chunk)
        limits = self._budget.limits
        if self.size > limits.max_member_bytes:
            raise BombFile(f"member {self._name!r} expands to more than "
                           f"{limits.max_member_bytes:,} bytes, the limit for one member")
        if self._budget.produced > limits.max_archive_total_bytes:
            raise BombFile(f"the archive expands to more than {limits.max_archive_total_bytes:,}"
                           " bytes in all, the limit for one archive")
        ratio = limits.max_compression_ratio
        if self._compressed is not None and self.size >= RATIO_MIN_BYTES \
                and self.size > ratio * max(self._compressed, 1):
            raise BombFile(f"member {self._name!r} expands more than {ratio:g} times its "
                           "compressed size: a zip bomb")
        if self._compressed is None and self._budget.produced >= RATIO_MIN_BYTES \
                and self._budget.produced > ratio * max(self._budget.archive_bytes, 1):
            raise BombFile(f"the archive expands more than {ratio:g} times its size on "
                           "disk: a decompression bomb")
        return chunk


def safe_member_path(name: str) -> str:
    """A member name without absolute roots, drive letters, "." or ".." parts."""
    parts = [part for part in name.replace("\\", "/").split("/")
             if part not in ("", ".", "..")]
    if parts and len(parts[0]) == 2 and parts[0][1] == ":":
        parts = parts[1:]
    return "/".join(parts)


def _unique(budget: _Budget, path: str) -> str:
    unique, counter = path, 2
    while unique in budget.used_paths:
        unique = f"{path} ({counter})"
        counter += 1
    budget.used_paths.add(unique)
    return unique


def _store(stream: IO[bytes], ctx: ExtractContext, budget: _Budget, original: str,
           compressed: int | None) -> None:
    path = safe_member_path(original) or f"member-{len(budget.children) + 1}"
    path = _unique(budget, path)
    if path != original:
        budget.renamed[path] = original
    guarded = _GuardedReader(stream, budget, original, compressed)
    try:
        sha256, size = ctx.blobs.put_stream(guarded)  # type: ignore[arg-type]
    except _STREAM_ERRORS as exc:
        raise CorruptFile(f"member {original!r} of the archive is damaged and cannot be "
                          f"extracted: {exc}") from exc
    budget.children.append(Child(path=path, sha256=sha256, size=size))
    budget.listing.append(f"{path}\t{size:,} bytes")


def _skip(budget: _Budget, name: str, reason: str) -> None:
    budget.skipped.append({"path": name, "reason": reason})
    budget.listing.append(f"{name}\t[{reason}, not extracted]")


def _result(media_type: str, mime: str, budget: _Budget, extra: dict[str, Any]) -> Extraction:
    header = f"Archive contents: {len(budget.children):,} files"
    pages = [PageText(number, text, "text", LISTING_TOOL)
             for number, text in enumerate(paginate([header, *budget.listing]), 1)]
    metadata: dict[str, Any] = {"members": len(budget.children),
                                "uncompressed_bytes": budget.produced, **extra}
    if budget.renamed:
        metadata["renamed_members"] = budget.renamed
    if budget.skipped:
        metadata["skipped_members"] = budget.skipped[:1000]
    return Extraction(media_type=media_type, mime=mime, pages=pages, children=budget.children,
                      metadata=metadata)


# -- ZIP -------------------------------------------------------------------------------------

def _zip_name(info: zipfile.ZipInfo) -> str:
    """The member name, re-read as UTF-8 when the archiver wrote UTF-8 without saying so."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def extract_zip(path: Path, ctx: ExtractContext) -> Extraction:
    """Members of a ZIP archive written to the blob store, with a listing page."""
    check_nesting(ctx, "the ZIP archive")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise CorruptFile(f"the ZIP archive is damaged: its directory cannot be read "
                          f"({exc})") from exc
    budget = _Budget(ctx.limits, path.stat().st_size)
    with archive:
        check_zip_directory(archive, ctx.limits, "the ZIP archive")
        for info in archive.infolist():
            name = _zip_name(info)
            if info.is_dir():
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                _skip(budget, name, "symbolic link")
                continue
            try:
                with archive.open(info) as stream:
                    _store(stream, ctx, budget, name, info.compress_size)
            except _STREAM_ERRORS as exc:
                raise CorruptFile(f"member {name!r} of the ZIP archive is damaged and cannot "
                                  f"be extracted: {exc}") from exc
        comment = archive.comment.decode("utf-8", errors="replace").strip()
    return _result("zip", MIME["zip"], budget, {"comment": comment} if comment else {})


# -- TAR -------------------------------------------------------------------------------------

def _tar_name(name: str) -> str:
    """Names that are not UTF-8 (surrogate-escaped bytes) are decoded like text files."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = name.encode("utf-8", errors="surrogateescape")
        return decode_text(raw)[0]


def extract_tar(path: Path, ctx: ExtractContext) -> Extraction:
    """Members of a TAR archive (optionally gzip/bzip2/xz-compressed) in the blob store."""
    check_nesting(ctx, "the TAR archive")
    _media, mime = detect_type(path)
    budget = _Budget(ctx.limits, path.stat().st_size)
    # A compressed tar has no per-member compressed size; its ratio is judged on the whole.
    count = 0
    try:
        with tarfile.open(path, mode="r|*", encoding="utf-8",
                          errors="surrogateescape") as archive:
            for member in archive:
                count += 1
                if count > ctx.limits.max_archive_members:
                    raise BombFile(f"the TAR archive has more than "
                                   f"{ctx.limits.max_archive_members:,} members, the limit")
                name = _tar_name(member.name)
                if member.isdir():
                    continue
                if member.issym() or member.islnk():
                    kind = "symbolic link" if member.issym() else "hard link"
                    _skip(budget, name, f"{kind} to {_tar_name(member.linkname)}")
                    continue
                if not member.isreg():
                    _skip(budget, name, "device or special file")
                    continue
                if member.size > ctx.limits.max_member_bytes:
                    raise BombFile(f"member {name!r} declares {member.size:,} bytes, more "
                                   f"than the limit of {ctx.limits.max_member_bytes:,}")
                stream = archive.extractfile(member)
                if stream is None:
                    continue
                with stream:
                    _store(stream, ctx, budget, name, None)
    except (tarfile.TarError, zlib.error, lzma.LZMAError, EOFError, OSError) as exc:
        raise CorruptFile(f"the TAR archive is damaged or truncated: {exc}") from exc
    if count == 0:
        raise CorruptFile("the TAR archive holds no members")
    compression = {"application/gzip": "gzip", "application/x-bzip2": "bzip2",
                   "application/x-xz": "xz"}.get(mime)
    return _result("tar", mime, budget, {"compression": compression} if compression else {})
