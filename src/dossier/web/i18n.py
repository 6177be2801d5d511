"""The interface in English and Arabic: one catalogue of messages per language.

`web/locales/<lang>/*.yaml` map keys to texts, with `{name}` placeholders, one file per area of
the interface; a key is defined once per language. English is complete; a key missing in another
language falls back to English (a test keeps Arabic whole).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from dossier.yamlfile import read_yaml

LANGUAGES = ("en", "ar")
DEFAULT = "en"
DIRECTION = {"en": "ltr", "ar": "rtl"}
LOCALES = Path(__file__).with_name("locales")

Translate = Callable[..., str]


@cache
def messages(language: str) -> dict[str, str]:
    """The catalogue of `language`, key → text, from every file of its folder."""
    found: dict[str, str] = {}
    for path in sorted((LOCALES / language).glob("*.yaml")):
        name = f"locales/{language}/{path.name}"
        data: Any = read_yaml(name, path.read_text(encoding="utf-8"), ValueError)
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise ValueError(f"{name}: expected a mapping of keys to texts")
        for key, text in data.items():
            if key in found:
                raise ValueError(f"{name}: {key!r} is defined in another file too")
            found[str(key)] = text
    return found


def language_or_default(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT


def translator(language: str) -> Translate:
    """`t(key, **values)`: the text of `key` in `language` (English where it has none), with
    its placeholders filled; an unknown key shows itself, so that it is noticed."""
    own, english = messages(language_or_default(language)), messages(DEFAULT)

    def t(key: str, **values: Any) -> str:
        text = own.get(key) or english.get(key) or key
        return text.format(**values) if values else text

    return t
