"""Reading names into their parts, name keys and the spellings to search for."""

from __future__ import annotations

import pytest

from dossier.text import name_key, name_variants, parse_name


@pytest.mark.parametrize(
    ("written", "rank"),
    [
        ("العميد جميل حسن", "العميد"),
        ("اللواء جميل حسن", "اللواء"),
        ("الملازم أول جميل حسن", "الملازم أول"),
        ("Brig. Gen. Jamil Hassan", "Brig. Gen."),
        ("Brigadier General Jamil Hassan", "Brigadier General"),
        ("Maj. Gen. Jamil Hassan", "Maj. Gen."),
        ("Lt. Col. Jamil Hassan", "Lt. Col."),
        ("Capt. Jamil Hassan", "Capt."),
        ("Général de brigade Jamil HASSAN", "Général de brigade"),
        ("le général Jamil Hassan", "le général"),
        ("Lieutenant-Colonel Jamil Hassan", "Lieutenant-Colonel"),
        ("Commandant Jamil Hassan", "Commandant"),
    ],
)
def test_ranks_are_removed_in_three_languages(written: str, rank: str) -> None:
    parsed = parse_name(written)
    assert parsed.rank == rank
    assert parsed.family is not None and parsed.given is not None
    assert name_key(written) == "jml hsn"


def test_titles_are_removed() -> None:
    assert parse_name("Dr. Ahmad Khalil").title == "Dr."
    assert parse_name("السيد أحمد خليل").title == "السيد"
    assert parse_name("M. Ahmad KHALIL").title == "M."
    assert parse_name("M. HASSAN").family == "HASSAN"


def test_a_rank_that_is_also_a_given_name() -> None:
    assert parse_name("رائد حسن").given == "رائد"  # Raed Hassan
    assert parse_name("رائد نبيل احمد حمدان").rank == "رائد"  # Major Nabil Ahmad Hamdan
    assert parse_name("عماد خضور").given == "عماد"  # Imad, not the rank العماد


def test_family_given_order() -> None:
    for written in ("Hassan, Jamil", "HASSAN Jamil", "EL HASSAN Jamil"):
        parsed = parse_name(written)
        assert parsed.reordered
        assert parsed.given == "Jamil"
        assert parsed.family is not None and "HASSAN".casefold() in parsed.family.casefold()
    assert not parse_name("Jamil HASSAN").reordered


def test_nasab_kunya_particles_and_initials() -> None:
    parsed = parse_name("Mohammad bin Ali bin Hassan al-Ahmad")
    assert (parsed.given, parsed.fathers, parsed.family) == (
        "Mohammad", ("Ali", "Hassan"), "al-Ahmad")
    assert parse_name("محمد بن علي").fathers == ("علي",)
    kunya = parse_name("أبو علي محمد الحسن")
    assert kunya.kunya == "أبو علي" and kunya.given == "محمد" and kunya.family == "الحسن"
    assert parse_name("Jamil Hassan (Abu Ali)").kunya == "Abu Ali"
    assert parse_name("Ahmad Abu Khalil").family == "Abu Khalil"  # a family name, not a kunya
    assert parse_name("Abd al-Rahman Al Hassan").given == "Abd al-Rahman"
    assert parse_name("Abdul Karim el-Khatib").family == "el-Khatib"
    assert parse_name("Nour al-Din Hassan").given == "Nour al-Din"
    initial = parse_name("J. Hassan")
    assert initial.initials == ("j",) and initial.given == "J." and initial.family == "Hassan"


def test_three_parts_are_given_father_family() -> None:
    parsed = parse_name("Mohammad Ali Hassan")
    assert (parsed.given, parsed.fathers, parsed.family) == ("Mohammad", ("Ali",), "Hassan")
    assert parsed.tokens == ("Mohammad", "Ali", "Hassan")


def test_name_key_is_shared_across_scripts() -> None:
    keys = {name_key(name) for name in (
        "العميد جميل حسن", "Brig. Gen. Jamil Hassan", "Jameel al-Hasan", "Hassan, Jamil")}
    assert keys == {"jml hsn"}
    assert name_key("J. Hassan") == "j hsn"
    assert name_key("أنور رسلان") == name_key("Anouar Rasslan")


def test_variants_of_an_arabic_name() -> None:
    found = name_variants("جميل حسن")
    assert found[0] == "جميل حسن"
    for expected in ("Jamil Hassan", "Jameel Hassan", "Jamil Hasan", "Jamil al-Hassan",
                     "جميل الحسن"):
        assert expected in found
    assert found == name_variants("جميل حسن")  # deterministic
    assert len(name_variants("جميل حسن", limit=5)) == 5


def test_variants_of_a_latin_name() -> None:
    found = name_variants("Mohammad al-Hasan")
    assert found[0] == "Mohammad al-Hasan"
    for expected in ("Muhammad al-Hasan", "Mohamed al-Hasan", "Mohammad el-Hasan",
                     "Mohammad Hasan", "Mohammad al-Hassan", "محمد الحسن"):
        assert expected in found, expected


def test_variants_of_an_unknown_arabic_name_are_romanised() -> None:
    found = name_variants("كنان طباخ")
    assert found[0] == "كنان طباخ"
    assert any(variant.isascii() for variant in found)
