"""Linking an officer's name that OCR misread to the one registry person it can only be.

On scanned Arabic pages the name after a rank ("رئيس الفرع العميد خالد مصطفى حمدان") is found
by `ranks`, but Tesseract drops and confuses letters inside it: "خاد مصطقى مدان", "هيئم باسل
إبراحم", "سام جميل مر عي" (measured on the scans of bench/bench_extract.py --with-scans: of the
Arabic officers' names on OCR'd pages, a third were found but left unlinked this way). The
gazetteer matches names exactly, and rightly: two men's names are often one letter apart.

So a rank-introduced name on an OCR'd page that the gazetteer did not link is compared, as
one string of letters (the words' compact forms joined, so that a word split in two, "مر عي",
costs nothing), with the Arabic names of the registry's persons. It is linked only when
exactly one person's name is within a few edits (one per five letters, rounded, at most
three) and every other person's name is at least two edits further: a namesake one letter
away leaves it unlinked. Such a link scores lower than an exact one, and the mention says
what was written and what the registry spells, for review.

A misread first name can leave the last names of another registry person: "العميد مصطقى جهاد
بكور" holds "جهاد بكور", which the gazetteer links exactly. On an OCR'd page the whole name
after the rank is then compared too, and when it is within reach of exactly one other person
the mention is that person's, read loosely (`extract.page`); on a typed page the exact match
stands. On the scans of `bench_extract --with-scans --seed 11` this took the Arabic persons
from 0.85/0.87 to 0.88/0.89 (precision/recall) and `command who` from 252 to 254 of 260;
seed 7 unchanged.

A full name written whole (three words or more) is told from another man's shorter name by
the words that name lacks: "سام ممد حاتم" is two edits from سامر محمد حاتم and three from محمد
حاتم, another man's short name, and is linked to the first; only names of as many words as the
nearest compete with it for the margin.

Candidates come from the words: every registry word is indexed under itself and each of its
one-letter deletions, so a word of the page finds the registry words within about one edit
of it; a name is compared in full only when two of its words are near words of the page (or
its only word is, for a name of one word). A word of the page too short to be indexed is
looked up joined with the word beside it ("ال غسان مر عي": مرعي split in two). Built on first
use, from the gazetteer's names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from dossier.text.arabic import ARABIC_LETTER
from dossier.text.edits import deletions, edit_distance
from dossier.text.romanize import compact_word

# one edit per this many letters of the registry's name, and never more than _MOST_EDITS
_LETTERS_PER_EDIT, _MOST_EDITS = 5, 3
# the next nearest person must be at least this many edits further than the nearest
_MARGIN = 2
_SHORTEST_WORD = 3  # shorter words (bin, abu) are not indexed: they find everyone
_FULL_NAME_WORDS = 3  # a name of given name, father's name and family name
_LETTER_COLUMNS = 64


@dataclass(frozen=True)
class NearName:
    entity_id: int
    spelled: str  # the registry's name, as registered
    edits: int


def _words(name: str) -> list[str]:
    return [word for word in (compact_word(piece) for piece in name.split()) if word]


class NearNames:
    """The Arabic names of the registry's persons, for `nearest`."""

    def __init__(self) -> None:
        self._names: list[tuple[int, str, str, int]] = []  # entity, spelled, joined, words
        self._by_word: dict[str, set[int]] = defaultdict(set)  # word -> name rows
        self._by_key: dict[str, set[str]] = defaultdict(set)  # word or deletion -> words
        # how many times each letter is in each name: half the letters that two names do not
        # share, rounded up, is a floor of their edit distance, cheap to take for many names;
        # counted for all the names at once when first needed
        self._counts = np.zeros((0, _LETTER_COLUMNS), np.uint8)

    def add(self, entity_id: int, name: str) -> None:
        if not ARABIC_LETTER.search(name):
            return
        words = _words(name)
        if not words:
            return
        row = len(self._names)
        self._names.append((entity_id, name, "".join(words), len(words)))
        for word in words:
            if len(word) >= _SHORTEST_WORD:
                if word not in self._by_word:
                    for key in deletions(word):
                        self._by_key[key].add(word)
                self._by_word[word].add(row)

    def __len__(self) -> int:
        return len(self._names)

    def nearest(self, written: str) -> NearName | None:
        """The one person whose name `written` can only be a misreading of (see the
        module), or None."""
        words = _words(written)
        if len(words) < 2:
            return None
        joined = "".join(words)
        found: list[set[int]] = []  # per word of the page: the names with a word near it
        for word in _index_words(words):
            named: set[int] = set()
            for key in deletions(word):
                for near in self._by_key.get(key, ()):
                    named |= self._by_word[near]
            found.append(named)
        # a name with two words near words of the page (or one, if it has only one)
        candidates = {row for one, two in combinations(found, 2) for row in one & two}
        candidates |= {row for named in found for row in named if self._names[row][3] == 1}
        if not candidates:
            return None
        if len(self._counts) < len(self._names):
            self._counts = _all_letter_counts([joined for _, _, joined, _ in self._names])
        rows = np.fromiter(candidates, np.intp, len(candidates))
        written_counts = _all_letter_counts([joined])[0].astype(np.int16)
        floors = (np.abs(self._counts[rows].astype(np.int16) - written_counts)
                  .sum(axis=1) + 1) // 2
        order = np.argsort(floors, kind="stable")
        within: list[tuple[int, int, str, str, int]] = []  # edits, entity, spellings, words
        fewest: int | None = None
        for row, floor in zip(rows[order].tolist(), floors[order].tolist(), strict=True):
            if fewest is not None and floor >= fewest + _MARGIN:
                break  # no name further on can come within the margin of the nearest
            entity_id, spelled, registered, word_count = self._names[row]
            limit = _allowed_edits(registered) + _MARGIN
            if fewest is not None:
                limit = min(limit, fewest + _MARGIN - 1)
            if floor > limit:
                continue
            edits = edit_distance(joined, registered, limit)
            if edits is None:
                continue
            fewest = edits if fewest is None else min(fewest, edits)
            within.append((edits, entity_id, spelled, registered, word_count))
        if not within:
            return None
        # the nearest; of names as near, the longest (so that which is nearest does not hang
        # on the order of the registry's ids)
        edits, entity_id, spelled, registered, word_count = min(
            within, key=lambda near: (near[0], -near[4], near[1]))
        if edits > _allowed_edits(registered):
            return None
        # a full name written whole (three words or more) is told from another man's shorter
        # name by the words that name lacks: only names as long compete with it
        full = _FULL_NAME_WORDS <= word_count <= len(words)
        if any(rival[0] < edits + _MARGIN for rival in within
               if rival[1] != entity_id and (rival[4] >= word_count or not full)):
            return None
        return NearName(entity_id, spelled, edits)


def _index_words(words: list[str]) -> set[str]:
    """The words of the page to look names up by: those long enough, and a short word joined
    with the word beside it (a word OCR split in two: "مر عي")."""
    found = {word for word in words if len(word) >= _SHORTEST_WORD}
    found |= {first + second for first, second in zip(words, words[1:], strict=False)
              if min(len(first), len(second)) < _SHORTEST_WORD}
    return found


# Arabic letters (hamza to yeh) each have a column of the letter counts; any other character
# the last one
_COLUMN = np.full(0x700, _LETTER_COLUMNS - 1, np.intp)
_COLUMN[0x621:0x64B] = np.arange(0x64B - 0x621)


def _all_letter_counts(texts: list[str]) -> np.ndarray:
    """(texts, _LETTER_COLUMNS): the letters of each text counted, all in one pass."""
    points = np.frombuffer("".join(texts).encode("utf-32-le"), np.uint32)
    rows = np.repeat(np.arange(len(texts)), [len(text) for text in texts])
    counts = np.zeros((len(texts), _LETTER_COLUMNS), np.uint8)
    np.add.at(counts, (rows, _COLUMN[np.minimum(points, 0x6FF)]), 1)
    return counts


def _allowed_edits(registered: str) -> int:
    """One edit per _LETTERS_PER_EDIT letters of the registry's name, rounded, from one to
    _MOST_EDITS."""
    return min(_MOST_EDITS, max(1, (2 * len(registered) + _LETTERS_PER_EDIT)
                                // (2 * _LETTERS_PER_EDIT)))
