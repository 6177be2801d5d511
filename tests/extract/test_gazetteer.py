"""The gazetteer finds registry names across scripts in one pass, and knows when not to link."""

from __future__ import annotations

from dossier.extract import Gazetteer, Named, extract_page

REGISTRY = [
    Named(1, "person", "Jamil Hassan"),
    Named(2, "person", "عبد الرحمن نور الدين"),
    Named(3, "unit", "Branch 251", number="251"),
    Named(3, "unit", "فرع الخطيب", number="251"),
    Named(3, "unit", "al-Khatib branch", number="251"),
    Named(4, "unit", "General Intelligence Directorate"),
    Named(5, "unit", "General Intelligence Directorate Branch 300", number="300"),
    Named(6, "person", "Mohammad Hassan"),
    Named(7, "person", "محمد حسن"),
    Named(8, "facility", "Saydnaya Military Prison"),
    Named(8, "facility", "صيدنايا"),
    Named(9, "person", "وائل عواد"),
    Named(9, "person", "Awad, Wael"),
    Named(10, "person", "Wael"),
]


def _found(text: str) -> list[tuple[str, str, int | None]]:
    gazetteer = Gazetteer(REGISTRY)
    return [(f.kind, f.text, f.entity_id) for f in gazetteer.find(text)]


def test_an_arabic_page_finds_a_name_registered_in_latin_script_and_back() -> None:
    assert _found("رئيس الفرع العميد جميل الحسن") == [("person", "جميل الحسن", 1)]
    assert _found("Brig. Gen. Jameel al-Hasan, head") == [("person", "Jameel al-Hasan", 1)]
    assert _found("signed by Abdul Rahman Nour El Din") == [
        ("person", "Abdul Rahman Nour El Din", 2)]
    assert _found("Abd al-Rahman Nour al-Din") == [("person", "Abd al-Rahman Nour al-Din", 2)]
    assert _found("transferred to Sednaya") == [("facility", "Sednaya", 8)]


def test_the_longest_name_wins() -> None:
    assert _found("General Intelligence Directorate Branch 300 and Branch 251") == [
        ("unit", "General Intelligence Directorate Branch 300", 5), ("unit", "Branch 251", 3)]
    assert _found("Saydnaya Military Prison") == [("facility", "Saydnaya Military Prison", 8)]


def test_a_name_shared_by_two_entities_is_kept_unlinked_with_its_candidates() -> None:
    gazetteer = Gazetteer(REGISTRY)
    [mention] = gazetteer.find("التقرير موقع من محمد حسن")
    assert mention.kind == "person" and mention.entity_id is None
    assert mention.attributes["candidates"] == [6, 7]


def test_names_do_not_run_across_lines_cells_or_into_function_words() -> None:
    assert _found("Jamil\nHassan") == []
    assert _found("AWAD\tWael\t1946") == []  # two cells of a DOCX or XLSX table
    assert _found("AWAD Wael\t1946") == [("person", "AWAD Wael", 9)]
    assert _found("Wael went home") == []  # one given name alone is not a person
    assert _found("la branche DE LA prison de la ville") == []  # "de la" ~ "Awad, Wael"
    # a family-first Latin form is never read in Arabic, where it is two other names
    assert _found("عواد وائل") == []
    assert _found("وائل عواد") == [("person", "وائل عواد", 9)]


def test_within_arabic_script_the_registered_spelling_is_required() -> None:
    # "العمر" and "مرعي" share a skeleton; Arabic spells them apart
    gazetteer = Gazetteer([Named(1, "person", "زياد رياض مرعي")])
    assert gazetteer.find("زياد رياض العمر") == []
    assert [f.entity_id for f in gazetteer.find("زياد رياض مرعي")] == [1]


def test_a_page_links_persons_units_and_keeps_detainees_unlinked() -> None:
    gazetteer = Gazetteer(REGISTRY)
    text = ("الفرع ٢٥١\nالتاريخ: ٤ آذار ٢٠١٢\nيطلب توقيف المدعو محمد حسن\n"
            "١- جميل حسن\nرئيس الفرع\nالعميد جميل حسن\n")
    found = extract_page(text, gazetteer)
    persons = [(f.text, f.entity_id, f.attributes.get("context")) for f in found
               if f.kind == "person"]
    assert persons == [("محمد حسن", None, None), ("جميل حسن", None, "detainee"),
                       ("جميل حسن", 1, None)]
    signer = [f for f in found if f.kind == "person"][-1]
    assert signer.attributes["rank"] == "Brigadier General"
    unit = next(f for f in found if f.kind == "unit")
    assert (unit.text, unit.entity_id, unit.attributes.get("issuer")) == ("الفرع ٢٥١", 3, True)
    date = next(f for f in found if f.kind == "date")
    assert (date.value, date.attributes.get("issued")) == ("2012-03-04", True)


def test_on_an_ocr_page_one_misread_word_of_a_unit_name_is_tolerated() -> None:
    gazetteer = Gazetteer([
        Named(1, "unit", "شعبة المخابرات العسكرية"),
        Named(2, "unit", "فرع التحقيق"),
        Named(3, "unit", "الفرع ٢١٥", number="215"),
        Named(4, "person", "سليمان ماهر منصور"),
        Named(5, "unit", "إدارة الأمن السياسي"),
    ])
    misread = "شعبة الخابرات العسكرية"  # the م of the ligature لم dropped
    assert gazetteer.find(misread) == []  # a text layer is read as written
    [mention] = gazetteer.find(misread, ocr=True)
    assert (mention.entity_id, mention.text) == (1, misread)
    assert mention.attributes["ocr_read_as"] == {"written": "الخابرات", "registry": "مخابرات"}
    assert mention.score < 0.9
    assert [f.entity_id for f in gazetteer.find("إدارة الأمن السيامي", ocr=True)] == [5]
    # a preposition joined on is not a misreading; numbers and persons are never read loosely
    assert gazetteer.find("وسوقه إلى هذا الفرع للتحقيق معه", ocr=True) == []
    assert gazetteer.find("الفرع ٣١٥", ocr=True) == []
    assert gazetteer.find("سليمان ماهر منصوز", ocr=True) == []
    # a word as close to the words of two names is left alone
    gazetteer.add(Named(6, "unit", "إدارة الأمن السياحي"))
    assert gazetteer.find("إدارة الأمن السيامي", ocr=True) == []


def test_on_an_ocr_page_the_first_word_of_a_facility_name_may_be_misread() -> None:
    gazetteer = Gazetteer([
        Named(1, "facility", "المشفى العسكري ٦٠١", number="601"),
        Named(2, "facility", "صيدنايا"),
        Named(3, "unit", "فرع فلسطين"),
        Named(4, "unit", "فرع فلسطيم"),
    ])
    misread = "نقل إلى المشقى العسكري ٦٠١ للعلاج"  # ف read as ق

    assert gazetteer.find(misread) == []
    [mention] = gazetteer.find(misread, ocr=True)
    assert (mention.entity_id, mention.text) == (1, "المشقى العسكري ٦٠١")
    assert mention.attributes["ocr_read_as"] == {"written": "المشقى", "registry": "مشفي"}
    # a name of one word is never read loosely, nor a word near the first words of two names,
    # nor a name with its first word and another misread
    assert gazetteer.find("سجن صيدنابا", ocr=True) == []
    assert gazetteer.find("المشقى العكري ٦٠١", ocr=True) == []


def test_on_an_ocr_page_a_first_word_of_three_letters_is_read_loosely_before_a_long_one(
        ) -> None:
    gazetteer = Gazetteer([
        Named(1, "facility", "سجن عدرا"),
        Named(2, "facility", "سجن عدرا المركزي"),
        Named(3, "facility", "سجن حلب"),
    ])
    # "سجن عدرا المركزي" read "تجن عدرا المړكري": the first word one letter off, the third
    # two: the name of two words is found
    [mention] = gazetteer.find("محال إلى تجن عدرا المړكري", ocr=True)
    assert (mention.entity_id, mention.text) == (1, "تجن عدرا")
    assert mention.attributes["ocr_read_as"] == {"written": "تجن", "registry": "سجن"}
    assert gazetteer.find("محال إلى تجن عدرا", ocr=False) == []
    # not before a word of three letters, nor alone
    assert gazetteer.find("تجن حلب", ocr=True) == []
    assert gazetteer.find("تجن في المدينة", ocr=True) == []
