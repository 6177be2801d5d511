"""The checks that decide whether a PDF's text layer is trusted, reversed, or OCRed."""

from __future__ import annotations

import pytest

from dossier.ingest.text_quality import garbage_reason
from dossier.ingest.visual_order import looks_reversed, order_evidence, to_logical_order

LOGICAL = [
    "الفرع 251 في دمشق",
    "شعبة المخابرات العسكرية (فرع فلسطين)",
    "تم توقيف Branch 251 العميد في مدينة حمص بتاريخ 15/03/2012",
    "Report on الفرع 251 in Damascus",
]
# What PDFium returns for the same lines when the producer wrote them backwards.
VISUAL = [
    "قشمد يف 251 عرفلا",
    "(نيطسلف عرف) ةيركسعلا تارباخملا ةبعش",
    "15/03/2012 خيراتب صمح ةنيدم يف ديمعلا Branch 251 فيقوت مت",
    "Report on عرفلا 251 in Damascus",
]


@pytest.mark.parametrize(("visual", "logical"), list(zip(VISUAL, LOGICAL, strict=True)))
def test_lines_are_put_back_in_reading_order(visual: str, logical: str) -> None:
    assert to_logical_order(visual) == logical


def test_the_direction_is_detected_both_ways() -> None:
    page = "\n".join(LOGICAL[:3])
    assert looks_reversed(page) is False
    assert looks_reversed("\n".join(VISUAL[:3])) is True


def test_too_little_arabic_is_undecided() -> None:
    assert looks_reversed("Branch 251, Damascus") is None
    assert looks_reversed("سامر") is None


def test_evidence_counts_the_article_and_final_letters() -> None:
    logical, reversed_ = order_evidence("المدرسة الكبيرة")
    assert logical == 4 and reversed_ == 0
    assert order_evidence("ةسردملا ةريبكلا") == (0, 4)


@pytest.mark.parametrize("text", [
    "تم توقيف المدعو سامر خليل في مدينة حمص",
    "The witness was held at Branch 251 in Damascus.",
    "1 2 3 4 5 6 7 8 9 10 11 12 13 14",
    "short",
])
def test_real_text_is_not_garbage(text: str) -> None:
    assert garbage_reason(text) is None


@pytest.mark.parametrize(("text", "reason"), [
    ("\ufffd" * 30, "unreadable"),
    ("\ue000\ue001\ue002 " * 10, "unreadable"),
    ("!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~ " * 3, "symbols"),
    ("ÇáÝÑÚ Ýí ÏãÔÞ ÔÚÈÉ ÇáãÎÇÈÑÇÊ", "legacy font"),
])
def test_garbage_is_recognised(text: str, reason: str) -> None:
    found = garbage_reason(text)
    assert found is not None and reason in found
