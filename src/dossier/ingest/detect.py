"""Telling what a file is from its content, never from its name.

Leaked material arrives renamed, truncated, or with extensions stripped by the tools that
moved it: a PDF called `IMG_0031.jpg`, a Word file called `archive.zip`. The extension is
therefore ignored; the first bytes (and, for ZIP and compressed TAR, a look inside) decide.

Text formats have no magic number, so they are told apart by structure, in this order:
e-mail (a block of RFC 822 header lines at the very top), HTML (markup at the start), CSV (a
delimiter that splits every line into the same number of fields), and plain text (anything
that decodes to mostly printable characters).
"""

from __future__ import annotations

import bz2
import csv
import lzma
import re
import zipfile
import zlib
from pathlib import Path

from dossier.ingest.encoding import looks_binary, sniff_encoding
from dossier.ingest.model import EmptyFile

HEAD_BYTES = 64 * 1024
OLE_SCAN_BYTES = 64 * 1024 * 1024

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "zip": "application/zip",
    "tar": "application/x-tar",
    "email": "message/rfc822",
    "html": "text/html",
    "csv": "text/csv",
    "text": "text/plain",
    "xml": "application/xml",
    "unknown": "application/octet-stream",
}

# The mime type of a password-protected Office file (an OLE container holding an
# "EncryptedPackage" stream); the extractors turn it into an EncryptedFile error.
ENCRYPTED_OOXML_MIME = "application/x-ooxml-encrypted"
OLE_MIME = "application/x-ole-storage"

_IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"II+\x00", "image/tiff"),
    (b"MM\x00+", "image/tiff"),
)

# Formats we recognise only to name them in the "unsupported" message.
_OTHER_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (0, b"Rar!\x1a\x07", "application/vnd.rar"),
    (0, b"\x7fELF", "application/x-executable"),
    (0, b"MZ", "application/x-msdownload"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"OggS", "audio/ogg"),
    (0, b"fLaC", "audio/flac"),
    (0, b"\x1aE\xdf\xa3", "video/webm"),
    (4, b"ftyp", "video/mp4"),
    (0, b"SQLite format 3\x00", "application/vnd.sqlite3"),
    (0, b"{\\rtf", "application/rtf"),
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

_HEADER_LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9-]*):")  # the value may be empty or folded
_EMAIL_HEADERS = {
    "from", "to", "cc", "subject", "date", "received", "message-id", "mime-version",
    "return-path", "delivered-to", "reply-to", "content-type", "sender", "x-mailer",
    "in-reply-to", "references", "content-transfer-encoding",
}
_EMAIL_KEY_HEADERS = {"from", "to", "subject", "received", "message-id", "mime-version"}
_HTML_START = re.compile(r"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
_MARKUP_PROLOGUE = re.compile(r"\A(?:\s*(?:<\?xml[^>]*\?>|<!--.*?-->))*\s*", re.DOTALL)


def detect_type(path: Path) -> tuple[str, str]:
    """(media_type, mime) of a file from its content; raises EmptyFile for an empty file."""
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile("the file is empty (0 bytes)")
    with open(path, "rb") as stream:
        head = stream.read(HEAD_BYTES)
    if b"%PDF-" in head[:1024]:
        return "pdf", MIME["pdf"]
    image = _image_mime(head)
    if image is not None:
        return "image", image
    if head.startswith(_OLE_MAGIC):
        return "unknown", ENCRYPTED_OOXML_MIME if has_encrypted_package(path) else OLE_MIME
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip_kind(path)
    compressed = _compressed_tar(head)
    if compressed is not None:
        return compressed
    if _is_tar_header(head):
        return "tar", MIME["tar"]
    for offset, magic, mime in _OTHER_SIGNATURES:
        if head[offset:offset + len(magic)] == magic:
            return "unknown", mime
    return _text_kind(head, complete=size <= len(head))


def _image_mime(head: bytes) -> str | None:
    for magic, mime in _IMAGE_SIGNATURES:
        if head.startswith(magic):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    # "BM" alone is two common letters; also require a known DIB header size.
    if head[:2] == b"BM" and len(head) >= 18:
        dib_size = int.from_bytes(head[14:18], "little")
        if dib_size in (12, 40, 52, 56, 64, 108, 124):
            return "image/bmp"
    return None


def has_encrypted_package(path: Path) -> bool:
    """Whether an OLE container holds an EncryptedPackage stream (a protected docx/xlsx).

    The stream is named in the container's directory, whose first sector the header points
    to; Office puts the few entries of an encrypted package there. Only when that sector does
    not name it are the first OLE_SCAN_BYTES scanned for the (UTF-16) name: enough for any
    encrypted package seen in practice, without reading a whole 1 GB legacy .doc to say no.
    """
    with open(path, "rb") as stream:
        header = stream.read(512)
        if len(header) == 512:
            sector_size = 1 << int.from_bytes(header[30:32], "little")
            first_directory = int.from_bytes(header[48:52], "little")
            if sector_size in (512, 4096) and first_directory < 0xFFFFFFFA:
                stream.seek((first_directory + 1) * sector_size)
                if _ENCRYPTED_PACKAGE in stream.read(sector_size):
                    return True
        stream.seek(0)
        overlap = len(_ENCRYPTED_PACKAGE)
        tail = b""
        while stream.tell() < OLE_SCAN_BYTES and (chunk := stream.read(1024 * 1024)):
            if _ENCRYPTED_PACKAGE in tail + chunk:
                return True
            tail = chunk[-overlap:]
    return False


def _zip_kind(path: Path) -> tuple[str, str]:
    """docx, xlsx or a plain zip, from the names of the parts inside."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            mimetype = (archive.read("mimetype")[:200].decode("ascii", "replace").strip()
                        if "mimetype" in names else "")
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, NotImplementedError, RuntimeError,
            ValueError, zlib.error):
        return "zip", MIME["zip"]  # broken: the archive extractor will say how
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return "docx", MIME["docx"]
        if any(name.startswith("xl/") for name in names):
            return "xlsx", MIME["xlsx"]
        if any(name.startswith("ppt/") for name in names):
            return "unknown", MIME["pptx"]
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        return "unknown", mimetype
    return "zip", MIME["zip"]


def _compressed_tar(head: bytes) -> tuple[str, str] | None:
    """A gzip/bzip2/xz stream whose first decompressed block is a TAR header."""
    for magic, mime, make in (
        (b"\x1f\x8b", "application/gzip", lambda: zlib.decompressobj(16 + zlib.MAX_WBITS)),
        (b"BZh", "application/x-bzip2", bz2.BZ2Decompressor),
        (b"\xfd7zXZ\x00", "application/x-xz", lzma.LZMADecompressor),
    ):
        if not head.startswith(magic):
            continue
        try:
            # max_length bounds the output: a bomb cannot expand here.
            inner = make().decompress(head, 1024)
        except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError):
            return "unknown", mime
        return ("tar", mime) if _is_tar_header(inner) else ("unknown", mime)
    return None


def _is_tar_header(block: bytes) -> bool:
    """A POSIX (ustar) magic at offset 257, or an old-style header with a valid checksum."""
    if len(block) < 512:
        return False
    if block[257:262] == b"ustar":
        return True
    field = block[148:156].split(b"\x00", 1)[0].strip()
    if not field or not all(48 <= byte <= 55 for byte in field):
        return False
    expected = int(field, 8)
    actual = sum(block[:148]) + 8 * 32 + sum(block[156:512])
    return expected == actual and block[0] != 0


def _text_kind(head: bytes, complete: bool) -> tuple[str, str]:
    encoding, skip = sniff_encoding(head, complete=complete)
    decoder_input = head[skip:]
    try:
        text = decoder_input.decode(encoding, errors="replace")
    except LookupError:
        return "unknown", MIME["unknown"]
    if not complete:
        text = text[:-4]  # a character cut at the sampling boundary is not evidence
    if looks_binary(text):
        return "unknown", MIME["unknown"]
    if _looks_like_email(text):
        return "email", MIME["email"]
    stripped = _MARKUP_PROLOGUE.sub("", text.lstrip("\ufeff"), count=1)
    if stripped.startswith("<"):
        if _HTML_START.search(stripped[:2048]):
            return "html", MIME["html"]
        if text.lstrip().startswith("<?xml"):
            return "text", MIME["xml"]
    if _looks_like_csv(text, complete):
        return "csv", MIME["csv"]
    return "text", MIME["text"]


def _looks_like_email(text: str) -> bool:
    """A block of header lines at the top, with at least two of the ones mail always has."""
    lines = text.splitlines()
    if lines and lines[0].startswith("From "):  # an mbox separator line
        lines = lines[1:]
    names: set[str] = set()
    header_lines = 0
    for line in lines[:60]:
        if not line.strip():
            break
        if line[0] in " \t" and header_lines:
            continue  # a folded continuation of the previous header
        match = _HEADER_LINE.match(line)
        if match is None:
            return False
        header_lines += 1
        names.add(match.group(1).lower())
    return len(names & _EMAIL_KEY_HEADERS) >= 2 and len(names & _EMAIL_HEADERS) >= 2


def _looks_like_csv(text: str, complete: bool) -> bool:
    """Rows of a table: one delimiter gives every line the same number (>= 2) of fields.

    csv.Sniffer proposes the dialect, but it happily "finds" a delimiter in prose, so its
    answer is checked by parsing the lines and counting fields.
    """
    lines = text.splitlines()
    if not complete and lines:
        lines = lines[:-1]
    lines = [line for line in lines[:100] if line.strip()]
    if len(lines) < 2:
        return False
    sample = "\n".join(lines)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiters = [dialect.delimiter]
    except csv.Error:
        delimiters = [",", ";", "\t"]
    for delimiter in delimiters:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        consistent = counts.count(common) >= 0.9 * len(counts)
        # Two short lines that happen to hold one comma each are not a table.
        enough = common >= 3 or len(counts) >= 3
        short_fields = len(sample) / (len(counts) * common) < 200
        if common >= 2 and consistent and enough and short_fields:
            return True
    return False
