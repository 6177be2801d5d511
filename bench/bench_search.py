"""Search latency on a large index, in process: p50/p95 per kind of query, and batch search.

    .venv/bin/python bench/bench_search.py --pages 1000000

Builds (once, kept in bench/out/) an index of synthetic pages whose words follow a Zipf law over
a vocabulary of Arabic, English and French words plus generated ones, so that postings lists
have realistic lengths: a few terms are on almost every page, most are rare. Then runs a mix of
one-word, two-word, phrase and Arabic queries, and a batch search of 1,000 names.
Target (issue 3): p50 <= 20 ms, p95 <= 100 ms; batch of 1,000 names <= 60 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from common import OUT, record  # noqa: E402

from dossier.search import PageDoc, SearchIndex  # noqa: E402
from dossier.search.batch import batch_search  # noqa: E402

DOMAIN_AR = ("الفرع ٢٥١ فرع الخطيب المخابرات العامة العسكرية الأمن السياسي سجن صيدنايا مشفى "
             "تشرين العسكري المعتقل المعتقلين تعذيب تحقيق نقل توقيف برقية رئيس العميد العقيد "
             "اللواء المقدم الرائد النقيب دمشق حمص حلب درعا إدلب حماة اللاذقية طرطوس").split()
DOMAIN_LATIN = ("branch 251 general intelligence directorate military security prison hospital "
                "detainee detainees torture interrogation transfer arrest order cable head "
                "brigadier colonel general damascus homs aleppo branche détenu détenus "
                "interrogatoire sécurité militaire hôpital transfert ordre arrestation").split()
GIVEN = "أحمد محمد خالد حسن علي عمر يوسف سامر رامي فادي كريم ماهر وائل باسل نزار جميل".split()
FAMILY = "الخطيب حداد نصار جابر صالح الحسن العلي يوسف الأحمد الشامي درويش منصور".split()
LATIN_GIVEN = "Ahmad Mohammad Khaled Hassan Ali Omar Youssef Samer Rami Fadi Karim Maher".split()
LATIN_FAMILY = "Khatib Haddad Nassar Jaber Saleh Hasan Ali Youssef Shami Darwish Mansour".split()
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words = list(DOMAIN_AR) + list(DOMAIN_LATIN) + GIVEN + FAMILY + LATIN_GIVEN + LATIN_FAMILY
    while len(words) < size:
        if rng.random() < 0.6:
            words.append("".join(rng.choice(ARABIC_LETTERS) for _ in range(rng.randint(3, 7))))
        else:
            words.append("".join(rng.choice("abcdefghijklmnoprstuvwyz")
                                 for _ in range(rng.randint(3, 9))))
    return words


def pages(count: int, seed: int = 251) -> Iterator[PageDoc]:
    rng = random.Random(seed)
    words = vocabulary(rng, 50_000)
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(words))]
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    for page_id in range(1, count + 1):
        length = rng.randint(120, 320)
        chosen = rng.choices(words, cum_weights=cumulative, k=length)
        if rng.random() < 0.02:  # a name written out, as in the documents
            position = rng.randrange(length)
            chosen[position:position] = [rng.choice(GIVEN), rng.choice(GIVEN),
                                         rng.choice(FAMILY)]
        yield PageDoc(page_id=page_id, item_id=(page_id + 2) // 3, page=(page_id - 1) % 3 + 1,
                      collection="leak" if page_id % 5 else "ngo",
                      path=f"leak/{page_id // 3000}/{(page_id + 2) // 3}.pdf",
                      media_type="pdf", language="ar", text=" ".join(chosen))


QUERIES = {
    "one word": ["torture", "detainees", "المعتقلين", "hospital", "interrogatoire", "صيدنايا"],
    "two words": ["branch torture", "military security", "تعذيب تحقيق", "prison hospital",
                  "détenus transfert", "الأمن السياسي"],
    "phrase": ['"general intelligence"', '"فرع الخطيب"', '"branch 251"', '"مشفى تشرين"',
               '"military security"', '"arrest order"'],
    "arabic": ["الفرع ٢٥١", "بالفرع", "والمعتقلين", "المخابرات العامة", "تعذيب OR تحقيق",
               "معتقل*"],
}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--names", type=int, default=1000)
    args = parser.parse_args()
    path = OUT / f"search-index-{args.pages}"
    index = SearchIndex(path)
    build_seconds = None
    if index.count() != args.pages:
        index.clear()
        started = time.perf_counter()
        batch: list[PageDoc] = []
        for number, doc in enumerate(pages(args.pages), 1):
            batch.append(doc)
            if len(batch) == 20_000:
                index.add(batch)
                batch = []
            if number % 100_000 == 0:
                index.commit()
                print(f"indexed {number:,} pages in {time.perf_counter() - started:,.0f}s",
                      flush=True)
        index.add(batch)
        index.commit()
        build_seconds = time.perf_counter() - started
    assert index.count() == args.pages, index.count()

    for kind in QUERIES.values():  # warm the OS cache once, as a running server would be
        for query in kind:
            index.search(query, limit=20)
    latencies: dict[str, list[float]] = {kind: [] for kind in QUERIES}
    for _ in range(args.rounds):
        for kind, queries in QUERIES.items():
            for query in queries:
                started = time.perf_counter()
                index.search(query, limit=20)
                latencies[kind].append((time.perf_counter() - started) * 1000)
    every = [value for values in latencies.values() for value in values]

    rng = random.Random(5)
    names = [f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}" if rng.random() < 0.5
             else f"{rng.choice(LATIN_GIVEN)} {rng.choice(LATIN_FAMILY)}"
             for _ in range(args.names)]
    started = time.perf_counter()
    rows = batch_search(index, names, top=3)
    batch_seconds = time.perf_counter() - started
    found = sum(1 for row in rows if row.documents)

    lines = [f"- index: {args.pages:,} pages"
             + (f", built in {build_seconds:,.0f}s" if build_seconds else " (reused)"),
             f"- all queries (limit 20, with snippets): p50 {percentile(every, 0.5):.1f} ms, "
             f"p95 {percentile(every, 0.95):.1f} ms, max {max(every):.1f} ms "
             f"over {len(every)} queries (target p50 <= 20 ms, p95 <= 100 ms)"]
    for kind, values in latencies.items():
        lines.append(f"  - {kind}: p50 {statistics.median(values):.1f} ms, "
                     f"p95 {percentile(values, 0.95):.1f} ms")
    lines.append(f"- batch search of {len(names):,} names (phrases, top 3 hits each, document "
                 f"counts): {batch_seconds:,.1f}s, {found} names found (target <= 60 s)")
    record("Search latency", f".venv/bin/python bench/bench_search.py --pages {args.pages}",
           lines)
    index.close()


if __name__ == "__main__":
    main()
