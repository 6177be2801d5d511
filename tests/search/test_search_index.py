"""Searching a real on-disk Tantivy index: every query form, filters, ranking, upkeep."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dossier.search import PageDoc, QuerySyntaxError, SearchIndex, SearchIndexError


def page_ids(index: SearchIndex, query: str, **filters: str) -> set[int]:
    return {hit.page_id for hit in index.search(query, limit=100, **filters).hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("٢٥١", {1, 3, 5}, id="arabic-indic-digits-find-ascii"),
        pytest.param("251", {1, 3, 5}, id="ascii-digits-find-arabic-indic"),
        pytest.param("مُحَمَّد", {1}, id="query-with-harakat"),
        pytest.param("محمد", {1}, id="page-with-harakat"),
        pytest.param("ارسلت", {2}, id="bare-alef-finds-hamza-alef"),
        pytest.param("أرسلت", {2}, id="hamza-alef"),
        pytest.param("مدرسه", {2}, id="heh-finds-teh-marbuta"),
        pytest.param("مدرسة", {2}, id="teh-marbuta"),
        pytest.param("بالفرع", {1, 5}, id="bi-al-prefix"),
        pytest.param("والفرع", {1, 5}, id="wa-al-prefix"),
        pytest.param("فرع", {1, 5}, id="bare-stem"),
        pytest.param("تعذيب", {1}, id="finds-bi-prefixed-word"),
        pytest.param("المعتقلين", {1, 2}, id="plural-forms"),
        pytest.param("securite", {4}, id="unaccented-finds-accented"),
        pytest.param("SÉCURITÉ", {4}, id="capitals-and-accents"),
        pytest.param("detainee", {3}, id="singular-finds-plural"),
        pytest.param("torture", {3, 4}, id="english-and-french"),
    ],
)
def test_words_are_found_in_every_spelling(
    index: SearchIndex, query: str, expected: set[int]
) -> None:
    assert page_ids(index, query) == expected


def test_words_are_all_required(index: SearchIndex) -> None:
    assert page_ids(index, "251 المخابرات") == {1}
    assert page_ids(index, "251 witnesses") == {3}
    assert page_ids(index, "251 témoins") == set()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"الفرع ٢٥١"', {1, 5}),
        ('"branch 251"', {3}),
        ('"251 branch"', set()),  # order matters
        ('"general intelligence directorate"', {3}),
        ('"intelligence general"', set()),
        ('"رئيس قسم التحقيق"', {2}),
        ("الفرع251", {1, 5}),  # a glued word is searched as a phrase
    ],
)
def test_phrases_need_adjacent_words_in_order(
    index: SearchIndex, query: str, expected: set[int]
) -> None:
    assert page_ids(index, query) == expected


def test_or_between_languages(index: SearchIndex) -> None:
    assert page_ids(index, "torture OR تعذيب") == {1, 3, 4}
    assert page_ids(index, '"branch 251" OR "الفرع ٢٥١"') == {1, 3, 5}
    assert page_ids(index, "251 torture OR المحقق") == {1, 3}


def test_exclusions(index: SearchIndex) -> None:
    assert page_ids(index, "251 -torture") == {1, 5}
    assert page_ids(index, '251 -"general intelligence"') == {1, 5}
    assert page_ids(index, "فرع NOT صورة") == {1}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tortur*", {3, 4}),
        ("معتقل*", {1, 2}),
        ("المعتق*", {1, 2}),  # the article is not part of the indexed stem
        ("25*", {1, 3, 5}),
        ('"branch 25*"', {3}),
        ("témoin*", {4}),
    ],
)
def test_prefixes(index: SearchIndex, query: str, expected: set[int]) -> None:
    assert page_ids(index, query) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"collection": "leak-a"}, {1, 3}),
        ({"collection": "ngo-b"}, {5}),
        ({"language": "ar"}, {1}),
        ({"language": "en"}, {3}),
        ({"media_type": "image"}, {5}),
        ({"collection": "leak-a", "media_type": "docx"}, {3}),
        ({"collection": "nowhere"}, set()),
    ],
)
def test_filters(index: SearchIndex, filters: dict[str, str], expected: set[int]) -> None:
    assert page_ids(index, "251", **filters) == expected
    assert index.count_matches("251", **filters) == len(expected)
    assert index.search("251", **filters).total == len(expected)


def test_filters_do_not_change_scores(index: SearchIndex) -> None:
    unfiltered = {hit.page_id: hit.score for hit in index.search("251").hits}
    filtered = {hit.page_id: hit.score for hit in index.search("251", language="ar").hits}
    assert filtered == {1: pytest.approx(unfiltered[1])}


def test_hits_carry_the_page_metadata(index: SearchIndex) -> None:
    (hit,) = index.search("صورة").hits
    assert (hit.page_id, hit.item_id, hit.page) == (5, 103, 1)
    assert (hit.path, hit.collection, hit.media_type) == ("photos/IMG_0042.jpg", "ngo-b", "image")
    assert hit.language is None
    assert hit.score > 0


def test_total_counts_every_match_and_offset_pages_through_them(index: SearchIndex) -> None:
    first = index.search("251", limit=2)
    rest = index.search("251", limit=2, offset=2)
    assert first.total == rest.total == 3
    assert len(first.hits) == 2 and len(rest.hits) == 1
    assert {h.page_id for h in first.hits + rest.hits} == {1, 3, 5}
    assert index.search("251", limit=0).hits == []
    assert index.search("251", limit=0).total == 3


def test_more_occurrences_rank_higher(tmp_path: Path) -> None:
    filler = ["report", "date", "signed", "office", "copy", "file"]
    often = " ".join(["torture"] * 5 + filler * 2)
    once = " ".join(["torture"] + ["archive"] * 4 + filler * 2)  # same length
    with SearchIndex(tmp_path / "ranking") as search_index:
        search_index.add(
            [
                PageDoc(1, 1, 1, "c", "once.txt", "text", "en", once),
                PageDoc(2, 2, 1, "c", "often.txt", "text", "en", often),
                PageDoc(3, 3, 1, "c", "other.txt", "text", "en", " ".join(filler * 3)),
            ]
        )
        search_index.commit()
        hits = search_index.search("torture").hits
    assert [hit.page_id for hit in hits] == [2, 1]
    assert hits[0].score > hits[1].score


def test_readding_a_page_replaces_it(index: SearchIndex, pages: list[PageDoc]) -> None:
    changed = PageDoc(
        3, 101, 1, "leak-a", "memos/memo-3.docx", "docx", "en", "Revised: Branch 227."
    )
    assert index.add([changed, changed]) == 1
    index.add(pages[:2])
    index.commit()
    assert index.count() == len(pages)
    assert index.page_ids() == {1, 2, 3, 4, 5}
    assert page_ids(index, "227") == {3}
    assert page_ids(index, "251") == {1, 5}


def test_readding_before_commit_keeps_the_last_version(tmp_path: Path) -> None:
    with SearchIndex(tmp_path / "idem") as search_index:
        search_index.add([PageDoc(7, 1, 1, "c", "p", "text", "en", "first version")])
        search_index.add([PageDoc(7, 1, 1, "c", "p", "text", "en", "second version")])
        search_index.commit()
        assert search_index.count() == 1
        assert page_ids(search_index, "second") == {7}
        assert page_ids(search_index, "first") == set()


def test_changes_are_visible_only_after_commit(index: SearchIndex, pages: list[PageDoc]) -> None:
    index.add([PageDoc(6, 104, 1, "leak-a", "new.txt", "text", "en", "Branch 215")])
    assert index.count() == len(pages)
    assert page_ids(index, "215") == set()
    index.commit()
    assert index.count() == len(pages) + 1
    assert page_ids(index, "215") == {6}


def test_delete_items_removes_all_their_pages(index: SearchIndex) -> None:
    index.delete_items([100, 102])
    index.commit()
    assert index.count() == 2
    assert index.page_ids() == {3, 5}
    assert page_ids(index, "فرع") == {5}
    index.delete_items([])  # nothing to do is not an error


def test_clear_empties_the_index_at_once(index: SearchIndex, pages: list[PageDoc]) -> None:
    index.clear()
    assert index.count() == 0
    assert index.page_ids() == set()
    assert index.search("251").total == 0
    index.add(pages[:1])
    index.commit()
    assert index.page_ids() == {1}


def test_reopening_from_disk(tmp_path: Path, pages: list[PageDoc]) -> None:
    path = tmp_path / "index"
    first = SearchIndex(path)
    first.add(pages)
    first.commit()
    first.close()
    reopened = SearchIndex(path)
    assert reopened.count() == len(pages)
    assert reopened.page_ids() == {1, 2, 3, 4, 5}
    assert page_ids(reopened, '"الفرع ٢٥١"') == {1, 5}
    assert not reopened.stale
    reopened.close()


def test_close_commits_what_was_queued(tmp_path: Path, pages: list[PageDoc]) -> None:
    path = tmp_path / "index"
    with SearchIndex(path) as search_index:
        search_index.add(pages)
    with SearchIndex(path) as search_index:
        assert search_index.count() == len(pages)


def test_an_error_inside_the_with_block_discards_queued_changes(
    tmp_path: Path, pages: list[PageDoc]
) -> None:
    path = tmp_path / "index"
    with pytest.raises(RuntimeError), SearchIndex(path) as search_index:
        search_index.add(pages)
        raise RuntimeError("extraction failed")
    with SearchIndex(path) as search_index:
        assert search_index.count() == 0


def test_a_second_writer_gets_a_clear_error(index: SearchIndex, pages: list[PageDoc]) -> None:
    index.add(pages[:1])  # holds the writer
    other = SearchIndex(index.path)
    assert other.count() == len(pages)  # reading is fine
    with pytest.raises(SearchIndexError, match="another process is writing"):
        other.add(pages[:1])
    other.close()


def test_an_index_built_with_other_analysis_rules_is_stale(index: SearchIndex) -> None:
    assert not index.stale
    (index.path / "dossier-search.json").write_text(json.dumps({"analysis": 0}))
    assert index.stale
    index.clear()
    assert not index.stale


def test_bad_queries_raise_query_syntax_error(index: SearchIndex) -> None:
    with pytest.raises(QuerySyntaxError):
        index.search("-torture")
    with pytest.raises(QuerySyntaxError):
        index.count_matches("")


def test_count_items_counts_documents_not_pages(index: SearchIndex) -> None:
    assert index.count_matches("المعتقلين") == 2  # two pages of item 100
    assert index.count_items("المعتقلين") == 1
    assert index.count_items("251") == 3
    assert index.count_items("251", collection="ngo-b") == 1
    assert index.count_items("nothing-like-this") == 0
