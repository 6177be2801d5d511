"""The query language: what each form means, and clear errors for what cannot be searched."""

from __future__ import annotations

import pytest

from dossier.search import QuerySyntaxError, parse_query


def test_words_are_all_required_and_or_binds_its_neighbours() -> None:
    parsed = parse_query("torture branch OR فرع 251")
    assert [[p.typed for p in clause.alternatives] for clause in parsed.clauses] == [
        ["torture"],
        ["branch", "فرع"],
        ["251"],
    ]
    assert not any(clause.excluded for clause in parsed.clauses)


def test_explicit_and_is_the_same_as_nothing() -> None:
    assert parse_query("torture AND branch").clauses == parse_query("torture branch").clauses


def test_exclusions_with_minus_and_not() -> None:
    parsed = parse_query('torture -branch NOT prison -"general intelligence"')
    assert [clause.excluded for clause in parsed.clauses] == [False, True, True, True]
    assert [p.typed for p in parsed.positive_patterns] == ["torture"]


def test_phrases_and_split_words_become_adjacent_terms() -> None:
    phrase = parse_query('"الفرع ٢٥١"').clauses[0].alternatives[0]
    glued = parse_query("الفرع251").clauses[0].alternatives[0]
    assert [w.term for w in phrase.words] == [w.term for w in glued.words] == ["فرع", "251"]


def test_typographic_quotes_make_phrases() -> None:
    assert len(parse_query("«الفرع ٢٥١»").clauses) == 1
    assert len(parse_query("“Branch 251”").clauses) == 1


def test_prefix_keeps_the_unstemmed_start_and_drops_arabic_proclitics() -> None:
    matcher = parse_query("والمعتق*").clauses[0].alternatives[0].words[0]
    assert "معتق" in matcher.prefixes
    assert matcher.matches("معتقل")
    assert not matcher.matches("معلم")


def test_prefix_of_a_whole_word_still_finds_the_word() -> None:
    matcher = parse_query("detainees*").clauses[0].alternatives[0].words[0]
    assert matcher.matches("detainee")  # the index term of "detainees"
    assert matcher.matches("detaineesx")
    assert not matcher.matches("detain")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "no words"),
        ("   ", "no words"),
        ("... —", "no words"),
        ("-torture", "only excludes"),
        ('NOT torture -"branch 251"', "only excludes"),
        ("torture OR", "OR must stand between"),
        ("OR torture", "OR must stand between"),
        ("torture OR OR prison", "OR must stand between"),
        ("torture OR -prison", "OR cannot join an excluded term"),
        ("-torture OR prison", "OR cannot join an excluded term"),
        ('"branch 251', "never closed"),
        ('""', "Empty phrase"),
        ("a*", "too short"),
        ("torture NOT", "NOT ends the query"),
    ],
)
def test_unsearchable_queries_say_what_is_wrong(query: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        parse_query(query)


def test_query_syntax_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_query("")
