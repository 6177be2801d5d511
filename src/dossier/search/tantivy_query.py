"""Turn a parsed query into Tantivy Query objects over the analysed text field.

The field holds ``dossier.text.index_text`` output split on spaces, so a term query on a
stem, a phrase query on consecutive stems and a regex query on term starts are all exact:
no Tantivy analysis is involved on either side.
"""

from __future__ import annotations

import re

import tantivy

from dossier.search.query import Clause, ParsedQuery, Pattern, WordMatcher

BODY = "body"
_REGEX_SPECIAL = re.compile(r"([\\.+*?()|\[\]{}^$#&\-~])")

Query = tantivy.Query
Occur = tantivy.Occur


def build_query(
    schema: tantivy.Schema, parsed: ParsedQuery, filters: dict[str, str | None]
) -> tantivy.Query:
    """The whole query: every clause required or excluded, filters scored zero."""
    subqueries: list[tuple[tantivy.Occur, tantivy.Query]] = []
    for clause in parsed.clauses:
        occur = Occur.MustNot if clause.excluded else Occur.Must
        subqueries.append((occur, _clause_query(schema, clause)))
    for field_name, value in filters.items():
        if value is not None:
            # Zero score: a filter decides which pages, never their order.
            term = Query.term_query(schema, field_name, value)
            subqueries.append((Occur.Must, Query.const_score_query(term, 0.0)))
    return Query.boolean_query(subqueries)


def _clause_query(schema: tantivy.Schema, clause: Clause) -> tantivy.Query:
    queries = [_pattern_query(schema, pattern) for pattern in clause.alternatives]
    return _any(queries)


def _pattern_query(schema: tantivy.Schema, pattern: Pattern) -> tantivy.Query:
    *head, last = pattern.words
    if not head:
        return _word_query(schema, last)
    terms = [word.term for word in head]
    exact = Query.phrase_query(schema, BODY, [*terms, last.term])
    if not last.prefixes:
        return exact
    # Tantivy expands the last word of a phrase prefix to at most 50 terms.
    prefixed = [
        Query.phrase_prefix_query(schema, BODY, [*terms, prefix]) for prefix in last.prefixes
    ]
    return _any([exact, *prefixed])


def _word_query(schema: tantivy.Schema, word: WordMatcher) -> tantivy.Query:
    if not word.prefixes:
        return Query.term_query(schema, BODY, word.term)
    # One automaton over the term dictionary: every matching term, however rare, counts.
    starts = "|".join(_escape(prefix) for prefix in word.prefixes)
    return Query.regex_query(schema, BODY, f"(?:{starts}).*|{_escape(word.term)}")


def _any(queries: list[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Should, query) for query in queries])


def _escape(term: str) -> str:
    return _REGEX_SPECIAL.sub(r"\\\1", term)
