"""Snippets: the part of a page's original text that best shows why it matched.

The page text is analysed with the same ``dossier.text.analyze`` as at indexing time, so a
token matches exactly when the index matched it, and its offsets point at the word as
written (with its vowel marks, its tatweel, its article "بال"). The window shown is the one
holding the most distinct query terms, then the most matches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dossier.search.query import Pattern
from dossier.text import Token, analyze

SNIPPET_CHARS = 200
SCAN_CHARS = 50_000
"""Pages are analysed in pieces of this size, stopping at the first piece with a match, so
that a 5 MB spreadsheet page does not cost a second per hit."""
_BOUNDARY_SEARCH = 30  # how far to look for a space to avoid cutting a word in half
_WHITESPACE = re.compile(r"\s")
_FLATTEN = {ord(c): " " for c in "\n\r\t\f\v\x85\u2028\u2029"}


@dataclass
class MatchedSpan:
    """[start, end) of matched original text, and the indexes of the patterns it matched."""

    start: int
    end: int
    patterns: set[int]


def find_matches(tokens: Sequence[Token], patterns: Sequence[Pattern]) -> list[MatchedSpan]:
    """Spans of the original text matched by the patterns, sorted and merged when they touch.

    A phrase is one span from its first word to its last.
    """
    spans: list[MatchedSpan] = []
    terms = [token.term for token in tokens]
    for index, pattern in enumerate(patterns):
        first, rest = pattern.words[0], pattern.words[1:]
        candidates = terms[: len(terms) - len(rest)]
        for position, term in enumerate(candidates):
            if not first.matches(term):
                continue
            if all(m.matches(terms[position + 1 + k]) for k, m in enumerate(rest)):
                end = tokens[position + len(rest)].end
                spans.append(MatchedSpan(tokens[position].start, end, {index}))
    spans.sort(key=lambda span: (span.start, span.end))
    merged: list[MatchedSpan] = []
    for span in spans:
        if merged and span.start < merged[-1].end:
            merged[-1].end = max(merged[-1].end, span.end)
            merged[-1].patterns |= span.patterns
        else:
            merged.append(span)
    return merged


def make_snippet(
    text: str, patterns: Sequence[Pattern], width: int = SNIPPET_CHARS
) -> tuple[str, list[tuple[int, int]]]:
    """The snippet of text around the best window of matches, and the highlights inside it.

    Line breaks become spaces (one for one, so offsets are unchanged); no word is cut.
    Without any match (cannot happen for a search hit) the start of the page is shown.
    """
    spans = _first_matches(text, patterns)
    if spans:
        first, last = _best_window(spans, width)
        keep = (spans[first].start, spans[last].end)
    else:
        keep = (0, 0)
    start, end = _pad(*keep, width, len(text))
    start, end = _word_boundaries(text, start, end)
    start, end = min(start, keep[0]), max(end, keep[1])
    snippet = text[start:end]
    lead = len(snippet) - len(snippet.lstrip())
    snippet = snippet.strip().translate(_FLATTEN)
    start += lead
    end = start + len(snippet)
    highlights = [
        (span.start - start, span.end - start)
        for span in spans
        if span.start >= start and span.end <= end
    ]
    return snippet, highlights


def _first_matches(text: str, patterns: Sequence[Pattern]) -> list[MatchedSpan]:
    start = 0
    while start < len(text):
        boundary = _WHITESPACE.search(text, start + SCAN_CHARS)
        end = boundary.start() if boundary else len(text)
        spans = find_matches(analyze(text[start:end]), patterns)
        if spans:
            for span in spans:
                span.start += start
                span.end += start
            return spans
        start = end
    return []


def _best_window(spans: list[MatchedSpan], width: int) -> tuple[int, int]:
    """Indexes of the first and last span of the window with the best (terms, matches)."""
    best = (-1, -1)
    best_range = (0, 0)
    for first in range(len(spans)):
        limit = spans[first].start + width
        terms: set[int] = set()
        last = first
        while last < len(spans) and (last == first or spans[last].end <= limit):
            terms |= spans[last].patterns
            last += 1
        score = (len(terms), last - first)
        if score > best:
            best, best_range = score, (first, last - 1)
    return best_range


def _pad(start: int, end: int, width: int, length: int) -> tuple[int, int]:
    """Widen [start, end) to width characters, centred, inside [0, length)."""
    spare = max(0, width - (end - start))
    start -= spare // 2
    end += spare - spare // 2
    if start < 0:
        end, start = end - start, 0
    if end > length:
        start, end = max(0, start - (end - length)), length
    return start, end


def _word_boundaries(text: str, start: int, end: int) -> tuple[int, int]:
    """Move start and end to spaces: outwards if one is near, else inwards."""
    if 0 < start < len(text) and not text[start - 1].isspace():
        before = _last_space(text, max(0, start - _BOUNDARY_SEARCH), start)
        if before is not None:
            start = before + 1
        else:
            after = _WHITESPACE.search(text, start, start + _BOUNDARY_SEARCH)
            start = after.end() if after else start
    if 0 < end < len(text) and not text[end].isspace():
        after = _WHITESPACE.search(text, end, end + _BOUNDARY_SEARCH)
        if after is not None:
            end = after.start()
        else:
            before = _last_space(text, max(start, end - _BOUNDARY_SEARCH), end)
            end = before if before is not None else end
    return start, end


def _last_space(text: str, low: int, high: int) -> int | None:
    found = None
    for match in _WHITESPACE.finditer(text, low, high):
        found = match.start()
    return found
