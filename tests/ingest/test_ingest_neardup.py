"""Near-duplicate signatures: copies with OCR noise group, different orders do not."""

from __future__ import annotations

import random

import pytest

from dossier.ingest import grouping
from dossier.ingest.grouping import BandIndex, KnownSignatures, band_number
from dossier.ingest.neardup import (
    BANDS,
    NEAR_DUPLICATE_THRESHOLD,
    estimate_similarity,
    lsh_keys,
    signature,
)

NAMES = ["سامر خليل", "أحمد يوسف", "محمد علي", "خالد حسن", "ياسر سليمان", "عمر فاروق"]
CITIES = ["حمص", "حماة", "دمشق", "حلب", "درعا", "إدلب"]
UNITS = ["٢١٥", "٢٢٧", "٢٣٥", "٢٤٨", "٢٥١", "٢٩٠"]


def order(seed: int) -> str:
    """One synthetic order on a fixed form; the seed picks names, places and numbers."""
    pick = random.Random(seed)
    return (
        "الجمهورية العربية السورية\n"
        f"شعبة المخابرات العسكرية - الفرع {pick.choice(UNITS)}\n"
        f"الرقم: {pick.randint(1000, 9999)} / ص التاريخ: {pick.randint(1, 28)}/"
        f"{pick.randint(1, 12)}/2012\n"
        "إلى رئيس قسم التحقيق\n"
        f"بناء على التعليمات الصادرة عن القيادة، تم توقيف المدعو {pick.choice(NAMES)} من "
        f"أهالي مدينة {pick.choice(CITIES)} بتهمة التواصل مع جهات معادية والمشاركة في "
        "المظاهرات. يرجى التحقيق معه أصولا وإعلامنا بالنتيجة. كما يرجى إحالة الموقوفين "
        f"{pick.choice(NAMES)} و{pick.choice(NAMES)} إلى الفرع {pick.choice(UNITS)} للمتابعة.\n"
        f"رئيس الفرع العميد {pick.choice(NAMES)}"
    )


CONFUSIONS = {"ب": "ت", "ت": "ث", "ن": "ب", "ي": "ى", "ة": "ه", "ح": "ج", "ع": "غ", "ر": "ز"}


def ocr_noise(text: str, rate: float, seed: int) -> str:
    """Letter confusions, lost letters, split and merged words, as a re-scan produces."""
    pick = random.Random(seed)
    out = []
    for ch in text:
        roll = pick.random()
        if roll < rate * 0.5 and not ch.isspace():
            out.append(CONFUSIONS.get(ch, "ه"))
        elif roll < rate * 0.7:
            continue
        elif roll < rate * 0.85:
            out.append(ch + " ")
        elif roll < rate and ch == " ":
            continue
        else:
            out.append(ch)
    return "".join(out)


def test_identical_texts_are_identical_and_keys_are_stable() -> None:
    text = order(1)
    assert signature(text) == signature(text)
    assert estimate_similarity(signature(text), signature(text)) == 1.0
    keys = lsh_keys(signature(text))
    assert len(keys) == BANDS and len(set(keys)) == BANDS
    assert all(len(key) <= 48 for key in keys)  # fits the neardup_keys column


def test_a_noisy_rescan_is_a_near_duplicate_and_shares_a_key() -> None:
    for seed in range(10):
        original, rescan = order(seed), ocr_noise(order(seed), 0.01, seed)
        similarity = estimate_similarity(signature(original), signature(rescan))
        assert similarity >= NEAR_DUPLICATE_THRESHOLD
        assert set(lsh_keys(signature(original))) & set(lsh_keys(signature(rescan)))


def test_formatting_and_spelling_variants_do_not_matter() -> None:
    text = order(3)
    variant = text.replace("أ", "ا").replace("\n", "  ").replace("٢", "2").upper()
    assert estimate_similarity(signature(text), signature(variant)) == 1.0


def test_different_orders_on_the_same_form_are_not_near_duplicates() -> None:
    for seed in range(10):
        similarity = estimate_similarity(signature(order(seed)), signature(order(seed + 100)))
        assert similarity < NEAR_DUPLICATE_THRESHOLD


def test_signatures_of_another_version_never_match() -> None:
    sig = signature(order(1))
    other = bytes([sig[0] + 1]) + sig[1:]
    assert estimate_similarity(sig, other) == 0.0


def test_short_and_empty_texts_have_signatures() -> None:
    assert estimate_similarity(signature(""), signature("abc")) < 1.0
    assert len(signature("")) == len(signature(order(1)))



def test_known_signatures_give_each_pair_its_similarity_in_one_operation() -> None:
    first = signature(order(1))
    others = [signature(order(seed)) for seed in range(1, 6)]
    known = KnownSignatures()
    for item_id, other in enumerate(others, start=10):
        known.add(item_id, other, group=item_id)
    known.add(20, b"\x00" + others[1][1:], group=20)  # another version never compares
    for item_id in range(100, 2200):  # past the first allocation
        known.add(item_id, others[0], group=7)
    assert list(known.similarities(first, [10, 11, 12, 13, 14, 20])) == [
        *(estimate_similarity(first, other) for other in others), 0.0]
    assert known.similarities(first, [2199])[0] == 1.0 and known.group(2199) == 7
    assert known.unknown({10, 20, 99}) == {99}
    assert len(known.similarities(first, [])) == 0


def test_the_band_index_finds_every_holder_of_a_key_before_and_after_merging(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grouping, "MERGE_EVERY", 8)  # merge after every second item
    bands = BandIndex()
    forms = [lsh_keys(signature(order(seed))) for seed in range(6)]
    numbers = [[band_number(key) for key in keys] for keys in forms]
    for item_id, keys in enumerate(numbers, start=1):
        bands.add(item_id, keys[:4])
    bands.add(7, numbers[2][:1])  # another item on the first band key of item 3
    assert bands.holders(numbers[2][:1]) == {3, 7}
    assert bands.holders(numbers[5][3:4]) == {6}  # merged
    assert bands.holders(numbers[0][:4]) == {1}
    assert bands.holders(numbers[0][4:]) == set()  # keys never added
    assert band_number(forms[0][3]) >> 56 == 3  # the band leads the number


def test_keys_of_the_same_band_from_equal_signatures_are_equal_numbers() -> None:
    first, again = lsh_keys(signature(order(1))), lsh_keys(signature(order(1)))
    assert [band_number(key) for key in first] == [band_number(key) for key in again]
    assert len({band_number(key) for key in first}) == len(first)
