"""What every extractor is given besides the file: where to put children, and the limits."""

from __future__ import annotations

from dataclasses import dataclass

from dossier.blobs import BlobStore
from dossier.ingest.model import BombFile, Limits


@dataclass(frozen=True)
class ExtractContext:
    """The settings of one extraction.

    `depth` is how deep the file sits inside archives and e-mails (0 for a file given to
    `dossier ingest`); `name` is its path as received, for messages; `ocr` switches OCR off
    for quick runs (pages that need it are then left empty and listed in the metadata).
    """

    blobs: BlobStore
    limits: Limits
    ocr_languages: str = "ara+eng+fra"
    depth: int = 0
    name: str = ""
    ocr: bool = True


def check_nesting(ctx: ExtractContext, what: str) -> None:
    """Refuse to open a container nested deeper than the limit (an archive-in-archive bomb)."""
    if ctx.depth > ctx.limits.max_nesting_depth:
        raise BombFile(f"{what} is nested {ctx.depth} levels deep inside other archives or "
                       f"e-mails, more than the limit of {ctx.limits.max_nesting_depth}: "
                       "a recursive archive bomb is likely")
