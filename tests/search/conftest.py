"""A real Tantivy index in tmp_path holding a small synthetic archive in three languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.search import PageDoc, SearchIndex

# Synthetic pages only: no real person is named here.
PAGES = [
    PageDoc(1, 100, 1, "leak-a", "branch/report-17.pdf", "pdf", "ar",
            "نُقِلَ المعتقلون إلى الفرع ٢٥١ التابع لإدارة المخابرات العامة.\n"
            "وقام المحقق مُحَمَّد بتعذيب السجناء في قبو المبنى."),
    PageDoc(2, 100, 2, "leak-a", "branch/report-17.pdf", "pdf", "ar",
            "أُرسلت القائمة إلى رئيس قسم التحقيق في المدرسة القديمة بعد نقل المعتقلين."),
    PageDoc(3, 101, 1, "leak-a", "memos/memo-3.docx", "docx", "en",
            "Detainees were transferred to Branch 251 of the General Intelligence "
            "Directorate. Torture of prisoners was reported by two witnesses."),
    PageDoc(4, 102, 1, "ngo-b", "testimony/t-9.txt", "text", "fr",
            "La Sécurité militaire a arrêté les témoins. Les prisonniers ont été torturés "
            "dans la prison centrale."),
    PageDoc(5, 103, 1, "ngo-b", "photos/IMG_0042.jpg", "image", None,
            "الفرع 251 — صورة رقم ٤٢ من أرشيف الشرطة العسكرية"),
]  # fmt: skip


@pytest.fixture
def pages() -> list[PageDoc]:
    return list(PAGES)


@pytest.fixture
def index(tmp_path: Path, pages: list[PageDoc]) -> Iterator[SearchIndex]:
    """The synthetic archive, indexed and committed."""
    search_index = SearchIndex(tmp_path / "index")
    search_index.add(pages)
    search_index.commit()
    yield search_index
    search_index.close()
