"""The ZIP-bomb checks shared by archives and Office files (which are ZIPs inside).

The central directory declares every member's sizes; checking them costs nothing and stops
the classic bombs before one byte is inflated. Declared sizes can lie, so the archive
extractor also counts the bytes actually produced (see `archives`).

The compression ratio is only judged on members of at least RATIO_MIN_BYTES: a 20 KB file of
spaces legitimately compresses 500-fold, and only large outputs can hurt.
"""

from __future__ import annotations

import zipfile

from dossier.ingest.model import BombFile, EncryptedFile, Limits, UnsupportedFile

RATIO_MIN_BYTES = 1024 * 1024

# Compression methods the standard library can inflate: stored, deflate, bzip2, LZMA.
SUPPORTED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                     zipfile.ZIP_LZMA}
_AES_METHOD = 99
_METHOD_NAMES = {9: "Deflate64", 93: "Zstandard", 95: "XZ", 96: "JPEG", 97: "WavPack",
                 98: "PPMd"}


def member_ratio(info: zipfile.ZipInfo) -> float:
    return info.file_size / max(info.compress_size, 1)


def is_encrypted(info: zipfile.ZipInfo) -> bool:
    return bool(info.flag_bits & 0x1) or info.compress_type == _AES_METHOD


def check_zip_directory(archive: zipfile.ZipFile, limits: Limits, what: str) -> None:
    """Raise BombFile, EncryptedFile or UnsupportedFile from the central directory alone."""
    members = archive.infolist()
    if len(members) > limits.max_archive_members:
        raise BombFile(f"{what} has {len(members):,} members, more than the limit of "
                       f"{limits.max_archive_members:,}")
    total = 0
    encrypted: list[str] = []
    for info in members:
        if info.is_dir():
            continue
        if is_encrypted(info):
            encrypted.append(info.filename)
            continue
        if info.file_size > limits.max_member_bytes:
            raise BombFile(f"{what}: member {info.filename!r} declares {info.file_size:,} "
                           f"bytes uncompressed, more than the limit of "
                           f"{limits.max_member_bytes:,}")
        ratio = member_ratio(info)
        if info.file_size >= RATIO_MIN_BYTES and ratio > limits.max_compression_ratio:
            raise BombFile(f"{what}: member {info.filename!r} would expand {ratio:,.0f} times "
                           f"({info.compress_size:,} to {info.file_size:,} bytes), more than "
                           f"the limit of {limits.max_compression_ratio:g}: a zip bomb")
        if info.compress_type not in SUPPORTED_METHODS:
            method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
            raise UnsupportedFile(f"{what}: member {info.filename!r} is compressed with "
                                  f"{method}, which Dossier cannot decompress")
        total += info.file_size
        if total > limits.max_archive_total_bytes:
            raise BombFile(f"{what} declares more than {limits.max_archive_total_bytes:,} bytes "
                           "uncompressed in all, more than the limit")
    if encrypted:
        shown = ", ".join(encrypted[:5]) + (" …" if len(encrypted) > 5 else "")
        raise EncryptedFile(f"{what} is password-protected: {len(encrypted):,} of "
                            f"{len(members):,} members are encrypted ({shown}); nothing was "
                            "extracted")
