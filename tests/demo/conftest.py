"""Synthetic leaks generated once per test session (generation takes a few seconds)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dossier.demo import generate_leak
from dossier.demo.fonts import FontNotFoundError, find_font

LEAK_DOCS = 40
LEAK_SEED = 11


def _fonts_or_skip() -> None:
    for key in ("amiri", "amiri-bold", "naskh", "naskh-bold", "dejavu", "dejavu-bold"):
        try:
            find_font(key)
        except FontNotFoundError as exc:
            pytest.skip(str(exc))


@pytest.fixture(scope="session")
def leak(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A mixed leak of 40 files: (output folder, truth)."""
    _fonts_or_skip()
    out = tmp_path_factory.mktemp("leak")
    return out, generate_leak(out, docs=LEAK_DOCS, seed=LEAK_SEED)


def _normalise(text: str) -> str:
    """NFKC, invisible format characters (bidi marks) dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return re.sub(r"\s+", " ", text).strip()


def _walk(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for record in records:
        out.append(record)
        out.extend(_walk(record["children"]))
    return out


@pytest.fixture(scope="session")
def normalise() -> Callable[[str], str]:
    """Compare extracted text with the truth: NFKC, no format characters, one space."""
    return _normalise


@pytest.fixture(scope="session")
def walk() -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    """Every truth record, archive members and attachments included."""
    return _walk
