"""The query language investigators type, parsed into words, phrases and prefixes.

    torture تعذيب            both words (AND is the default; an explicit AND is allowed)
    "الفرع 251"              an exact phrase: the words next to each other, in this order
    torture OR تعذيب         either; OR binds the two terms next to it: a b OR c d = a (b|c) d
    -word  -"a phrase"       exclusion (also: NOT word)
                             OR, AND, NOT are operators in capitals only: "or" is a word
    detain*  معتقل*           words starting with the prefix; also "branch 25*" in a phrase

Every word goes through the same analysis as the indexed text (``dossier.text``), so "٢٥١"
finds "251", "Sécurité" finds "securite" and "بالفرع" finds "الفرع". A typed word that the
analysis splits ("al-Assad", "الفرع251") becomes a phrase of its parts. Other punctuation,
parentheses included, is ignored the way the index ignores it.

Prefixes are matched against index terms, which are stems, so the prefix is taken in its
normalised but unstemmed form, with any Arabic article or conjunction at its start also
tried without it ("والمعتق*" also looks for "معتق*", as "والمعتقلين" is indexed as "معتقل"),
and the whole word's own term always matches ("معتقلين*" finds "معتقلين").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dossier.text import index_term, normalized_words
from dossier.text.arabic import ARTICLES, CONJUNCTION, PREPOSITIONS

MIN_PREFIX_CHARS = 2
MIN_PREFIX_AFTER_PREPOSITION = 3


class QuerySyntaxError(ValueError):
    """The query cannot be searched as typed; the message says what to change."""


@dataclass(frozen=True)
class WordMatcher:
    """One position of a pattern: an index term, and for a prefix the starts it accepts."""

    term: str
    prefixes: tuple[str, ...] = ()

    def matches(self, term: str) -> bool:
        return term == self.term or (bool(self.prefixes) and term.startswith(self.prefixes))


@dataclass(frozen=True)
class Pattern:
    """A word (one matcher) or a phrase (matchers at adjacent positions), as typed."""

    typed: str
    words: tuple[WordMatcher, ...]


@dataclass(frozen=True)
class Clause:
    """Patterns joined by OR; an excluded clause removes the pages it matches."""

    alternatives: tuple[Pattern, ...]
    excluded: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    clauses: tuple[Clause, ...]

    @property
    def positive_patterns(self) -> tuple[Pattern, ...]:
        """What highlighting looks for: every pattern that is not excluded."""
        return tuple(p for c in self.clauses if not c.excluded for p in c.alternatives)


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})
_LEXEME = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)(?P<close>"?)|(?P<word>[^\s"]+)')


@dataclass
class _Item:
    kind: str  # "or", "not", "pattern", "nothing" (a word with nothing searchable in it)
    pattern: Pattern | None = None
    excluded: bool = False


def parse_query(query: str) -> ParsedQuery:
    """Parse a query, raising QuerySyntaxError with a message meant for the person typing."""
    items = list(_lex(query.translate(_QUOTES)))
    clauses: list[tuple[list[Pattern], bool]] = []
    awaiting_or_operand = False
    negate_next = False
    for item in items:
        if item.kind == "or":
            if not clauses or awaiting_or_operand or negate_next:
                raise QuerySyntaxError("OR must stand between two words or phrases.")
            if clauses[-1][1]:
                raise QuerySyntaxError(
                    "OR cannot join an excluded term; put the exclusion (-word) on its own."
                )
            awaiting_or_operand = True
        elif item.kind == "not":
            if negate_next:
                raise QuerySyntaxError("NOT NOT: write the word you want to exclude after NOT.")
            negate_next = True
        elif item.kind == "pattern" and item.pattern is not None:
            excluded = item.excluded or negate_next
            negate_next = False
            if awaiting_or_operand:
                if excluded:
                    raise QuerySyntaxError(
                        "OR cannot join an excluded term; put the exclusion (-word) on its own."
                    )
                clauses[-1][0].append(item.pattern)
                awaiting_or_operand = False
            else:
                clauses.append(([item.pattern], excluded))
    if awaiting_or_operand:
        raise QuerySyntaxError("OR must stand between two words or phrases; it ends the query.")
    if negate_next:
        raise QuerySyntaxError("NOT ends the query: write the word to exclude after it.")
    if not clauses:
        raise QuerySyntaxError("The query has no words to search for.")
    if all(excluded for _, excluded in clauses):
        raise QuerySyntaxError(
            "The query only excludes (-word): add at least one word or phrase to find."
        )
    return ParsedQuery(
        text=query,
        clauses=tuple(Clause(tuple(patterns), excluded) for patterns, excluded in clauses),
    )


def _lex(query: str) -> list[_Item]:
    items: list[_Item] = []
    for match in _LEXEME.finditer(query):
        if match.group("word") is not None:
            items.append(_word_item(match.group("word")))
            continue
        if not match.group("close"):
            raise QuerySyntaxError(
                f'The quote opened at "{match.group(0)[:30]}" is never closed: add a closing ".'
            )
        content = match.group("phrase")
        if not content.strip():
            raise QuerySyntaxError('Empty phrase "": put words between the quotes.')
        prefix = content.rstrip().endswith("*")
        pattern = _pattern(f'"{content}"', content, prefix)
        items.append(_Item("pattern" if pattern else "nothing", pattern, bool(match["neg"])))
    return items


def _word_item(word: str) -> _Item:
    if word == "OR":
        return _Item("or")
    if word == "NOT":
        return _Item("not")
    if word == "AND":
        return _Item("nothing")
    excluded = word.startswith("-") and len(word) > 1
    body = word[1:] if excluded else word
    prefix = body.endswith("*")
    pattern = _pattern(word, body, prefix)
    return _Item("pattern" if pattern else "nothing", pattern, excluded)


def _pattern(typed: str, text: str, prefix: bool) -> Pattern | None:
    words = normalized_words(text)
    if not words:
        return None
    matchers = [WordMatcher(index_term(word)) for word in words]
    if prefix:
        last = words[-1]
        if len(last) < MIN_PREFIX_CHARS:
            raise QuerySyntaxError(
                f"The prefix {typed} is too short: give at least {MIN_PREFIX_CHARS} letters "
                "or digits before *."
            )
        matchers[-1] = WordMatcher(index_term(last), tuple(sorted(prefix_forms(last))))
    return Pattern(typed=typed, words=tuple(matchers))


def prefix_forms(word: str) -> set[str]:
    """The starts of index terms that a typed prefix stands for (see the module docstring).

    The article and و are removed as long as MIN_PREFIX_CHARS letters remain, a lone
    preposition (ب ل ك ف) as long as MIN_PREFIX_AFTER_PREPOSITION remain, in every
    combination the indexer could have removed them in.
    """
    forms = {word}
    for proclitic in (*ARTICLES, CONJUNCTION, *PREPOSITIONS):
        rest = word[len(proclitic) :]
        shortest = MIN_PREFIX_AFTER_PREPOSITION if proclitic in PREPOSITIONS else MIN_PREFIX_CHARS
        if word.startswith(proclitic) and len(rest) >= shortest:
            forms |= prefix_forms(rest)
    return forms
