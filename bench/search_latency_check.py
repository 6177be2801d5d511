"""Rough search latency on synthetic pages; run by hand, not collected by pytest.

    .venv/bin/python bench/search_latency_check.py [pages]

Prints the indexing rate, the analysis rate and the median latency of each kind of query
(search with 20 highlighted hits, and count only). Not an assertion: timings depend on the
machine; recorded figures belong in bench/RESULTS.md.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from dossier.search import PageDoc, SearchIndex
from dossier.text import analyze, index_text

ARABIC_TEXT = (
    "نقل المعتقلون إلى الفرع ٢٥١ التابع لإدارة المخابرات العامة وقام المحقق بتعذيب السجناء "
    "في قبو المبنى وأرسلت القائمة إلى رئيس قسم التحقيق بعد نقل المعتقلين من سجن صيدنايا "
    "الشرطة العسكرية الأمن السياسي العميد الضابط مدرسة محافظة دمشق حمص حلب"
)
LATIN_TEXT = (
    "detainees were transferred to branch 251 of the general intelligence directorate "
    "torture of prisoners was reported by witnesses sécurité militaire témoins prison "
    "officer interrogation report signed date file copy"
)
ARABIC = ARABIC_TEXT.split()
LATIN = LATIN_TEXT.split()
QUERIES = [
    "المعتقلين",
    "251",
    '"الفرع ٢٥١"',
    "torture OR تعذيب",
    "معتقل*",
    "branch -torture",
    '"general intelligence directorate"',
    "صيدنايا العسكرية",
]


def synthetic_pages(count: int, seed: int = 251) -> Iterator[PageDoc]:
    rng = random.Random(seed)
    for page_id in range(1, count + 1):
        words = ARABIC if rng.random() < 0.6 else LATIN
        text = " ".join(rng.choice(words) for _ in range(rng.randint(150, 300)))
        yield PageDoc(
            page_id=page_id,
            item_id=page_id // 10,
            page=page_id % 10 + 1,
            collection=rng.choice(["leak-a", "leak-b", "ngo"]),
            path=f"archive/{page_id // 10}.pdf",
            media_type="pdf",
            language="ar" if words is ARABIC else "en",
            text=text,
        )


def median_ms(action: Callable[[], object], repeat: int = 7) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def main(count: int) -> None:
    pages = list(synthetic_pages(count))
    megabytes = sum(len(p.text.encode()) for p in pages) / 1e6
    start = time.perf_counter()
    for page in pages[:5000]:
        analyze(page.text)
    sample = sum(len(p.text.encode()) for p in pages[:5000]) / 1e6
    print(f"analyze: {sample / (time.perf_counter() - start):.1f} MB/s")
    start = time.perf_counter()
    for page in pages[:5000]:
        index_text(page.text)
    print(f"index_text: {sample / (time.perf_counter() - start):.1f} MB/s")
    with tempfile.TemporaryDirectory() as folder, SearchIndex(Path(folder)) as search_index:
        start = time.perf_counter()
        search_index.add(pages)
        search_index.commit()
        elapsed = time.perf_counter() - start
        print(f"indexed {count} pages ({megabytes:.0f} MB) in {elapsed:.1f} s")
        print(f"page_ids(): {median_ms(search_index.page_ids, 3):.0f} ms")
        for query in QUERIES:
            total = search_index.count_matches(query)
            searched = median_ms(lambda q=query: search_index.search(q, limit=20))
            counted = median_ms(lambda q=query: search_index.count_matches(q))
            print(f"{query:40} {total:7} hits  search {searched:6.1f} ms  count {counted:6.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
