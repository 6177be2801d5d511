"""Where the system's font files are looked for: by the demo, which draws its synthetic
documents with them, and by OCR, which draws the digits it tells apart (`ingest.ocr_glyphs`).
"""

from __future__ import annotations

import os
from pathlib import Path

#: Folders searched in order; ``DOSSIER_FONT_DIRS`` (os.pathsep-separated) is tried first.
FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
)


def font_dirs(defaults: tuple[str, ...] = FONT_DIRS) -> list[Path]:
    """The folders of ``DOSSIER_FONT_DIRS``, then ``defaults``, that exist."""
    extra = [d for d in os.environ.get("DOSSIER_FONT_DIRS", "").split(os.pathsep) if d]
    folders = (Path(d).expanduser() for d in (*extra, *defaults))
    return [folder for folder in folders if folder.is_dir()]


def installed_font(file_name: str, folders: list[Path] | None = None) -> Path | None:
    """The first file called ``file_name`` in ``folders`` (default: `font_dirs`), directly in
    one or anywhere below it; None when there is none."""
    for folder in font_dirs() if folders is None else folders:
        direct = folder / file_name
        if direct.is_file():
            return direct
        for found in sorted(folder.rglob(file_name)):
            if found.is_file():
                return found
    return None
