"""Find the system fonts the synthetic documents are drawn with.

The demo never ships font files: Amiri, Noto Naskh Arabic and DejaVu come from the
distribution's packages. When one is missing the error names the package to install,
because "font not found" alone leaves an investigator's IT person guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dossier.fonts import FONT_DIRS, font_dirs, installed_font

__all__ = ["FONTS", "FontNotFoundError", "FontSpec", "find_font"]

#: Folders searched in order; ``DOSSIER_FONT_DIRS`` (os.pathsep-separated) is tried first.
SEARCH_DIRS: tuple[str, ...] = FONT_DIRS


@dataclass(frozen=True)
class FontSpec:
    """One font the demo needs: its file name and the package that provides it."""

    key: str
    file_name: str
    apt_package: str


FONTS: dict[str, FontSpec] = {
    spec.key: spec
    for spec in (
        FontSpec("amiri", "Amiri-Regular.ttf", "fonts-hosny-amiri"),
        FontSpec("amiri-bold", "Amiri-Bold.ttf", "fonts-hosny-amiri"),
        FontSpec("naskh", "NotoNaskhArabic-Regular.ttf", "fonts-noto-core"),
        FontSpec("naskh-bold", "NotoNaskhArabic-Bold.ttf", "fonts-noto-core"),
        FontSpec("dejavu", "DejaVuSans.ttf", "fonts-dejavu-core"),
        FontSpec("dejavu-bold", "DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
    )
}


class FontNotFoundError(FileNotFoundError):
    """A font the synthetic documents need is not installed."""


@cache
def find_font(key: str) -> Path:
    """Return the path of the font called ``key`` (a key of :data:`FONTS`).

    Raises :class:`FontNotFoundError` naming the apt package when it is not installed.
    """
    spec = FONTS.get(key)
    if spec is None:
        raise KeyError(f"unknown font {key!r}; known: {', '.join(sorted(FONTS))}")
    folders = font_dirs(SEARCH_DIRS)
    found = installed_font(spec.file_name, folders)
    if found is not None:
        return found
    searched = [str(folder) for folder in folders]
    raise FontNotFoundError(
        f"font {spec.file_name} not found (searched: {', '.join(searched) or 'no folder'}); "
        f"install it with: apt-get install {spec.apt_package} "
        f"(or point DOSSIER_FONT_DIRS at a folder holding it)"
    )
