"""Snippets show the original words that matched, and highlights point exactly at them."""

from __future__ import annotations

from pathlib import Path

from dossier.search import Hit, PageDoc, SearchIndex, parse_query
from dossier.search.highlight import make_snippet


def highlighted(hit: Hit) -> list[str]:
    return [hit.snippet[start:end] for start, end in hit.highlights]


def only_hit(index: SearchIndex, query: str, page_id: int) -> Hit:
    return next(hit for hit in index.search(query).hits if hit.page_id == page_id)


def test_highlight_points_at_the_word_as_written_with_its_marks(index: SearchIndex) -> None:
    hit = only_hit(index, "محمد", 1)
    assert highlighted(hit) == ["مُحَمَّد"]


def test_highlight_covers_the_attached_article_and_arabic_digits(index: SearchIndex) -> None:
    hit = only_hit(index, "بالفرع 251", 1)
    assert highlighted(hit) == ["الفرع", "٢٥١"]


def test_a_phrase_is_one_highlight(index: SearchIndex) -> None:
    assert highlighted(only_hit(index, '"branch 251"', 3)) == ["Branch 251"]
    assert highlighted(only_hit(index, '"الفرع ٢٥١"', 1)) == ["الفرع ٢٥١"]


def test_prefix_and_folded_words_are_highlighted(index: SearchIndex) -> None:
    assert highlighted(only_hit(index, "tortur*", 4)) == ["torturés"]
    assert highlighted(only_hit(index, "securite", 4)) == ["Sécurité"]


def test_excluded_words_are_not_highlighted(index: SearchIndex) -> None:
    assert highlighted(only_hit(index, "251 -المخابرات", 3)) == ["251"]


def test_line_breaks_become_spaces_in_the_snippet(index: SearchIndex) -> None:
    hit = only_hit(index, "محمد", 1)
    assert "\n" not in hit.snippet
    assert "المحقق مُحَمَّد بتعذيب" in hit.snippet


def test_long_page_snippet_is_around_the_best_window_without_cut_words(tmp_path: Path) -> None:
    filler = "the archive holds many unrelated administrative pages of routine"
    text = " ".join(
        [filler] * 40
        + ["torture"]
        + [filler] * 20
        + ["witnesses saw torture at Branch 251 that night"]
        + [filler] * 40
    )
    with SearchIndex(tmp_path / "long") as search_index:
        search_index.add([PageDoc(1, 1, 1, "c", "long.txt", "text", "en", text)])
        search_index.commit()
        (hit,) = search_index.search("torture 251").hits
    assert "witnesses saw torture at Branch 251" in hit.snippet
    assert highlighted(hit) == ["torture", "251"]
    assert len(hit.snippet) <= 260
    start = text.index(hit.snippet)
    assert text[start - 1] == " " and text[start + len(hit.snippet)] == " "


def test_marked_escapes_html_but_not_the_markers(tmp_path: Path) -> None:
    text = 'Order <b>"urgent"</b>: move detainees & files to Branch 251.'
    with SearchIndex(tmp_path / "html") as search_index:
        search_index.add([PageDoc(1, 1, 1, "c", "x.html", "html", "en", text)])
        search_index.commit()
        (hit,) = search_index.search("detainees 251").hits
    assert hit.marked() == (
        "Order &lt;b&gt;&quot;urgent&quot;&lt;/b&gt;: move <mark>detainees</mark> &amp; "
        "files to Branch <mark>251</mark>."
    )
    assert hit.marked("[", "]", escape_html=False) == (
        'Order <b>"urgent"</b>: move [detainees] & files to Branch [251].'
    )


def test_make_snippet_without_a_match_shows_the_start() -> None:
    snippet, highlights = make_snippet("نص " * 200, parse_query("torture").positive_patterns)
    assert highlights == []
    assert snippet.startswith("نص") and len(snippet) <= 200


def test_make_snippet_prefers_the_window_with_more_distinct_terms() -> None:
    text = "torture torture torture " + "x " * 200 + "torture branch" + " y" * 200
    snippet, highlights = make_snippet(text, parse_query("torture OR branch").positive_patterns)
    assert [snippet[s:e] for s, e in highlights][-2:] == ["torture", "branch"]
    assert "branch" in snippet


def test_a_match_deep_in_a_very_long_page_is_still_shown() -> None:
    text = "جدول " * 80_000 + "تم نقل المعتقل إلى الفرع ٢٥١ ليلاً " + "جدول " * 1000
    snippet, highlights = make_snippet(text, parse_query("الفرع 251").positive_patterns)
    assert [snippet[s:e] for s, e in highlights] == ["الفرع", "٢٥١"]
