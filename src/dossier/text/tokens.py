"""Tokens and index terms: what the search index stores and what highlighting points back to.

A page is cut into words in its ORIGINAL form first, so every token keeps the offsets of
the text the investigator sees (vowel marks, tatweel and all); the words are then normalised
together in one pass and turned into index terms. The rules:

- a word is a run of letters (with their marks) of one script, or a run of digits. Arabic
  letters, digits and other letters never share a token: "الفرع251" is "فرع" + "251", "B12"
  is "b" + "12". A query word that splits this way is searched as a phrase, so "الفرع251"
  still finds "الفرع 251";
- every word goes through :func:`normalize`;
- Arabic words are light-stemmed (:func:`stem_arabic`), Latin words lose one plural "s"
  (:func:`strip_plural`); numbers are left as they are;
- words longer than MAX_TERM_CHARS after normalisation (base64, scan noise) are dropped.

Speed matters (this runs over every page and every hit), so the work is done by compiled
regexes, str.translate and map() over whole pages; terms are cached per distinct word.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import partial
from itertools import accumulate, compress
from typing import NamedTuple

from dossier.text.arabic import (
    ARABIC_BLOCKS,
    ARABIC_LETTERS,
    ARABIC_WORD_CHARS,
    stem_normalized_arabic,
)
from dossier.text.latin import LATIN_MARKS, strip_plural
from dossier.text.normalize import normalize

MAX_TERM_CHARS = 120


class Token(NamedTuple):
    """One word of a text: its index term and its [start, end) offsets in the original."""

    term: str
    start: int
    end: int


# Words as written: runs of other-script letters with their combining accents, of Arabic
# letters with their marks, of digits of any script, and stray accents (dropped later). The
# whole pattern is one group so that re.split() hands back words and the gaps between them,
# whose lengths give the offsets without building a match object per word. Possessive
# quantifiers: a word never has to give characters back, and saying so makes this, the
# costliest step, a third faster.
_LETTER = f"[^\\W\\d_{ARABIC_BLOCKS}]"
_ACCENTS = f"[{LATIN_MARKS}]"
_RAW_WORD = re.compile(
    f"({_LETTER}++(?:{_ACCENTS}++{_LETTER}*+)*+|[{ARABIC_WORD_CHARS}]++|\\d++|{_ACCENTS}++)"
)
# Words of normalised text.
_NORMALIZED_WORD = re.compile(f"[{ARABIC_LETTERS}]++|\\d++|{_LETTER}++")
# A normalised raw word that is not exactly one normalised word: normalisation turned it
# into several ("ﷺ" → four words, "x²" → "x2", "½" → "1⁄2"). Two patterns that each start
# with a cheap character class, so the regex engine can skip ahead.
_NOT_A_WORD_CHAR = re.compile(r"[^\w\n]")
_LETTER_DIGIT = re.compile(r"\d(?:[^\W\d]|(?<=[^\W\d].))")

_CACHE_LIMIT = 500_000


def index_term(word: str) -> str:
    """The index term of one normalised word (stemmed Arabic, singular Latin, digits)."""
    first = word[0]
    if "\u0620" <= first <= "\u08ff":
        return stem_normalized_arabic(word)
    if first.isdigit():
        return word
    return strip_plural(word)


class _TermCache(dict[str, str]):
    """Normalised word → term; vocabularies are small next to the text, so most lookups hit."""

    def __missing__(self, word: str) -> str:
        term = index_term(word)
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[word] = term
        return term


_TERMS = _TermCache()
_term_of = _TERMS.__getitem__
_make_token = partial(tuple.__new__, Token)


def normalized_words(text: str) -> list[str]:
    """The words of text, normalised but not stemmed (query prefixes need this form)."""
    raw = _RAW_WORD.findall(text)
    if not raw:
        return []
    normalized = normalize("\n".join(raw))
    if _splits_further(normalized):
        words = _NORMALIZED_WORD.findall(normalized)
    else:
        words = list(filter(None, normalized.split("\n")))
    if words and max(map(len, words)) > MAX_TERM_CHARS:
        words = [word for word in words if len(word) <= MAX_TERM_CHARS]
    return words


def index_text(text: str) -> str:
    """The space-separated terms of text: exactly what the search index stores."""
    return " ".join(map(_term_of, normalized_words(text)))


def analyze(text: str) -> list[Token]:
    """Cut text into tokens whose offsets point into text itself (for highlighting).

    The terms are the same, in the same order, as those of :func:`index_text`.
    """
    pieces = _RAW_WORD.split(text)  # gap, word, gap, word, ..., gap
    if len(pieces) == 1:
        return []
    offsets = list(accumulate(map(len, pieces), initial=0))
    starts = offsets[1::2]
    ends = offsets[2::2]
    normalized = normalize("\n".join(pieces[1::2]))
    words = normalized.split("\n")
    if _splits_further(normalized):
        _resplit(normalized, words, starts, ends)
    if max(map(len, words), default=0) > MAX_TERM_CHARS:
        keep = [0 < len(word) <= MAX_TERM_CHARS for word in words]
    else:
        keep = list(map(bool, words))
    terms = map(_term_of, compress(words, keep))
    tokens = zip(terms, compress(starts, keep), compress(ends, keep), strict=True)
    return list(map(_make_token, tokens))


def _splits_further(normalized: str) -> bool:
    return bool(_NOT_A_WORD_CHAR.search(normalized) or _LETTER_DIGIT.search(normalized))


def _resplit(normalized: str, words: list[str], starts: list[int], ends: list[int]) -> None:
    """Split, in place, the raw words that normalised into several words.

    Each piece keeps the offsets of the whole raw word: the original has no finer place
    for "صلى" inside "ﷺ".
    """
    bounds = list(accumulate(len(word) + 1 for word in words))
    odd = {
        bisect_right(bounds, match.start())
        for pattern in (_NOT_A_WORD_CHAR, _LETTER_DIGIT)
        for match in pattern.finditer(normalized)
    }
    for index in sorted(odd, reverse=True):
        pieces = _NORMALIZED_WORD.findall(words[index])
        words[index : index + 1] = pieces
        starts[index : index + 1] = [starts[index]] * len(pieces)
        ends[index : index + 1] = [ends[index]] * len(pieces)
