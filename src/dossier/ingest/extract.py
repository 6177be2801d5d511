"""One entry point for every format: check the size, detect the type, call its extractor.

The extractor modules are imported when first needed, so that a worker that only ever sees
text files never loads PDFium or Pillow. What an extractor returns is cleaned here, once for
every format, of the characters a database cannot store: NUL (PostgreSQL refuses it in text)
and lone surrogates (what Python makes of undecodable bytes; not valid UTF-8).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from importlib import import_module
from pathlib import Path
from typing import Any

from dossier.ingest.context import ExtractContext, check_nesting
from dossier.ingest.detect import ENCRYPTED_OOXML_MIME, OLE_MIME, detect_type
from dossier.ingest.model import (
    EmptyFile,
    EncryptedFile,
    Extraction,
    OversizedFile,
    UnsupportedFile,
)

__all__ = ["ExtractContext", "extract"]

# media type -> (module, function)
EXTRACTORS: dict[str, tuple[str, str]] = {
    "pdf": ("dossier.ingest.pdf", "extract_pdf"),
    "image": ("dossier.ingest.image", "extract_image"),
    "docx": ("dossier.ingest.office", "extract_docx"),
    "xlsx": ("dossier.ingest.office", "extract_xlsx"),
    "text": ("dossier.ingest.textfile", "extract_text"),
    "csv": ("dossier.ingest.textfile", "extract_csv"),
    "html": ("dossier.ingest.textfile", "extract_html"),
    "email": ("dossier.ingest.email", "extract_email"),
    "zip": ("dossier.ingest.archives", "extract_zip"),
    "tar": ("dossier.ingest.archives", "extract_tar"),
}
CONTAINERS = {"zip", "tar", "email"}

_UNSUPPORTED_NAMES = {
    OLE_MIME: "an old-format (97-2003) Office document or another OLE container",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation":
        "a PowerPoint presentation",
    "application/x-7z-compressed": "a 7-Zip archive",
    "application/vnd.rar": "a RAR archive",
    "application/gzip": "a gzip-compressed file that is not a TAR archive",
    "application/x-bzip2": "a bzip2-compressed file that is not a TAR archive",
    "application/x-xz": "an xz-compressed file that is not a TAR archive",
    "application/octet-stream": "binary data of no recognised format",
}


def extractor_for(media_type: str) -> Callable[[Path, ExtractContext], Extraction]:
    module, function = EXTRACTORS[media_type]
    extractor: Callable[[Path, ExtractContext], Extraction] = getattr(import_module(module),
                                                                      function)
    return extractor


def extract(path: Path, ctx: ExtractContext) -> Extraction:
    """Everything Dossier can derive from one original, or an IngestError saying why not."""
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile("the file is empty (0 bytes)")
    if size > ctx.limits.max_file_bytes:
        raise OversizedFile(f"the file is {size:,} bytes, more than the limit of "
                            f"{ctx.limits.max_file_bytes:,} bytes for one file")
    media_type, mime = detect_type(path)
    if mime == ENCRYPTED_OOXML_MIME:
        raise EncryptedFile("the Office document is protected by a password (an encrypted "
                            "package); it cannot be read without it")
    if media_type not in EXTRACTORS:
        described = _UNSUPPORTED_NAMES.get(mime, "a format Dossier does not read")
        raise UnsupportedFile(f"the content is {described} ({mime}); it is preserved but no "
                              "text can be extracted from it")
    if media_type in CONTAINERS:
        check_nesting(ctx, "the archive" if media_type != "email" else "the e-mail")
    extraction = extractor_for(media_type)(path, ctx)
    extraction.media_type, extraction.mime = media_type, mime
    return storable(extraction)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _UNSTORABLE.sub(lambda match: "" if match.group() == "\x00" else "\ufffd", value)
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def storable(extraction: Extraction) -> Extraction:
    """The extraction without NUL characters or lone surrogates anywhere in its text."""
    extraction.pages = [page if not _UNSTORABLE.search(page.text) else
                        replace(page, text=_clean(page.text)) for page in extraction.pages]
    extraction.children = [child if not _UNSTORABLE.search(child.path) else
                           replace(child, path=_clean(child.path))
                           for child in extraction.children]
    extraction.metadata = _clean(extraction.metadata)
    return extraction
