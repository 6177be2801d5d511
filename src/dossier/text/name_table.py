"""The table of known names: common Arabic given and family names with their Latin spellings.

The data is ``data/arabic_names.json`` (one entry per name: the Arabic without the article,
its Latin spellings in English and French habits, whether it is used as a given or a family
name), loaded once. Every spelling and every Arabic form is looked up by its compact form
(:func:`dossier.text.romanize.compact_word`), so "Abd al-Rahman", "Abdul Rahman" and
"عبد الرحمن" find the same entry.

A name's identity in the table is its *canonical* form: the compact Arabic. A Latin spelling
may belong to several names ("Hamid" is حامد and حميد, "Amir" is أمير and عامر); an Arabic
form belongs to one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from dossier.text.romanize import compact_word, word_shape

__all__ = [
    "KnownName",
    "arabic_spelling",
    "canonical_key",
    "canonicals",
    "known_names",
    "latin_spellings",
    "name_kinds",
    "ranked_canonicals",
]


@dataclass(frozen=True)
class KnownName:
    """One entry of the table."""

    ar: str
    latin: tuple[str, ...]
    kinds: tuple[str, ...]

    @property
    def canonical(self) -> str:
        return compact_word(self.ar)


@dataclass(frozen=True)
class _Table:
    by_canonical: dict[str, KnownName]
    by_spelling: dict[str, frozenset[str]]


@cache
def _table() -> _Table:
    raw = json.loads(
        resources.files("dossier.text").joinpath("data/arabic_names.json").read_text("utf-8")
    )
    by_canonical: dict[str, KnownName] = {}
    spellings: dict[str, set[str]] = {}
    for row in raw["names"]:
        name = KnownName(row["ar"], tuple(row["latin"]), tuple(row["kinds"]))
        canonical = name.canonical
        if canonical in by_canonical:
            raise ValueError(f"arabic_names.json: {row['ar']} is listed twice")
        by_canonical[canonical] = name
        spellings.setdefault(canonical, set()).add(canonical)
        for latin in name.latin:
            spellings.setdefault(compact_word(latin), set()).add(canonical)
    return _Table(by_canonical, {key: frozenset(value) for key, value in spellings.items()})


def known_names() -> tuple[KnownName, ...]:
    """Every entry, in the order of the data file."""
    return tuple(_table().by_canonical.values())


def canonicals(compact: str) -> frozenset[str]:
    """The names (canonical forms) that this compact spelling is known to write."""
    return _table().by_spelling.get(compact, frozenset())


@cache
def canonical_key(compact: str) -> str | None:
    """The skeleton key of the Arabic name this spelling writes, when the table knows it and
    its names agree on one key; otherwise None."""
    names = canonicals(compact)
    keys = {word_shape(name).key for name in names}
    return keys.pop() if len(keys) == 1 else None


@cache
def ranked_canonicals(compact: str) -> tuple[str, ...]:
    """The names this spelling writes, the one it is the most usual spelling of first (then
    names used both as given and family names, then the table's order)."""
    table = _table()
    order = {name: index for index, name in enumerate(table.by_canonical)}

    def rank(canonical: str) -> tuple[int, int, int]:
        name = table.by_canonical[canonical]
        spellings = [compact_word(latin) for latin in name.latin]
        place = spellings.index(compact) if compact in spellings else -1
        return place, -len(name.kinds), order[canonical]

    return tuple(sorted(canonicals(compact), key=rank))


def latin_spellings(compact: str) -> tuple[str, ...]:
    """Latin spellings of the name(s) this compact spelling writes, most usual first."""
    table = _table()
    found: list[str] = []
    for canonical in ranked_canonicals(compact):
        found.extend(table.by_canonical[canonical].latin)
    return tuple(dict.fromkeys(found))


def arabic_spelling(canonical: str) -> str:
    """The Arabic form of a known name, as written in the table (without the article)."""
    return _table().by_canonical[canonical].ar


def name_kinds(canonical: str) -> tuple[str, ...]:
    """How a known name is used: ("given",), ("family",) or both."""
    return _table().by_canonical[canonical].kinds
