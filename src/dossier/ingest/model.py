"""What an extractor hands back to the pipeline, and the errors that put a file in quarantine.

An extractor never touches the store: it reads one original and returns an :class:`Extraction`.
The pipeline writes it, with its custody events, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The media types Dossier knows; `detect_type` returns one of these.
MEDIA_TYPES = (
    "pdf", "image", "docx", "xlsx", "csv", "html", "text", "email", "zip", "tar", "unknown",
)


@dataclass(frozen=True)
class PageText:
    """The text of one page, as extracted, in logical (reading) order.

    `method` is "text" for born-digital text or "ocr"; `confidence` is Tesseract's mean word
    confidence (0-100) for OCR pages and None otherwise; `tool` names the tool and version that
    produced the text (for example "pypdfium2 4.30.0" or "tesseract 5.3.0 ara+eng+fra").
    """

    number: int
    text: str
    method: str
    tool: str
    confidence: float | None = None
    language: str | None = None


@dataclass(frozen=True)
class Child:
    """A member of an archive or an attachment of an email, already written to the blob store."""

    path: str
    sha256: str
    size: int


@dataclass
class Extraction:
    """Everything derived from one original."""

    media_type: str
    mime: str
    pages: list[PageText] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile or broken input from exhausting the machine."""

    max_file_bytes: int = 2 * 1024**3
    max_pages: int = 5_000
    max_image_pixels: int = 120_000_000
    max_archive_members: int = 50_000
    max_member_bytes: int = 1024**3
    max_archive_total_bytes: int = 8 * 1024**3
    max_compression_ratio: float = 200.0
    max_nesting_depth: int = 8
    ocr_timeout_seconds: float = 300.0


class IngestError(Exception):
    """A file that cannot be taken in fully. `kind` is shown in `dossier status`."""

    kind = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EmptyFile(IngestError):
    kind = "empty"


class CorruptFile(IngestError):
    kind = "corrupt"


class EncryptedFile(IngestError):
    kind = "encrypted"


class UnsupportedFile(IngestError):
    kind = "unsupported"


class OversizedFile(IngestError):
    kind = "oversized"


class BombFile(IngestError):
    """Decompression bombs, images with absurd pixel counts, PDFs with a million pages."""

    kind = "bomb"


class OcrFailed(IngestError):
    kind = "ocr"
