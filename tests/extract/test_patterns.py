"""Dates, ranks, numbered units, reference numbers and post titles, as documents write them."""

from __future__ import annotations

import pytest

from dossier.extract.dates import find_dates
from dossier.extract.ranks import find_roles, ranked_persons
from dossier.extract.refs import find_refs
from dossier.extract.units import NumberedEntity, find_numbered_units


@pytest.mark.parametrize(("text", "written", "iso"), [
    ("التاريخ: ٤ آذار ٢٠١٢", "٤ آذار ٢٠١٢", "2012-03-04"),
    ("بتاريخ ١٢ تشرين الأول ٢٠١٤ تم", "١٢ تشرين الأول ٢٠١٤", "2014-10-12"),
    ("في ١ كانون الثاني ٢٠١٣", "١ كانون الثاني ٢٠١٣", "2013-01-01"),
    ("يوم 4 يناير 2012", "4 يناير 2012", "2012-01-04"),
    ("٤ أيار ٢٠١٢م", "٤ أيار ٢٠١٢م", "2012-05-04"),
    ("التاريخ: ٤/٣/٢٠١٢", "٤/٣/٢٠١٢", "2012-03-04"),
    ("٤/٣/٢٠١٢م", "٤/٣/٢٠١٢م", "2012-03-04"),
    ("تاريخ ٤-٣-٢٠١٢", "٤-٣-٢٠١٢", "2012-03-04"),
    ("٢٠١٢/٣/٤", "٢٠١٢/٣/٤", "2012-03-04"),
    ("٢٠١٢\u061c-\u061c٣\u061c-\u061c٤", "٢٠١٢\u061c-\u061c٣\u061c-\u061c٤", "2012-03-04"),
    ("Date: 2012/03/04", "2012/03/04", "2012-03-04"),
    ("on 2012-03-04.", "2012-03-04", "2012-03-04"),
    ("le 04.03.2012.", "04.03.2012", "2012-03-04"),
    ("arrêté le 4 mars 2012", "4 mars 2012", "2012-03-04"),
    ("le 1er mars 2012", "1er mars 2012", "2012-03-01"),
    ("le 15 août 2013", "15 août 2013", "2013-08-15"),
    ("on March 4, 2012 he", "March 4, 2012", "2012-03-04"),
    ("on 4 March 2012 he", "4 March 2012", "2012-03-04"),
    ("Sept. 4, 2012", "Sept. 4, 2012", "2012-09-04"),
    ("04/03/2012", "04/03/2012", "2012-03-04"),  # day first, as these documents write
    ("05/13/2012", "05/13/2012", "2012-05-13"),  # 13 cannot be a month: month first
])
def test_dates_in_every_common_form(text: str, written: str, iso: str) -> None:
    dates = find_dates(text)
    assert [(d.text, d.value) for d in dates] == [(written, iso)]
    assert text[dates[0].start:dates[0].end] == written


def test_partial_dates_and_things_that_are_not_dates() -> None:
    assert [d.value for d in find_dates("en mars 2012")] == ["2012-03"]
    assert [d.value for d in find_dates("كانون الثاني ٢٠١٣")] == ["2013-01"]
    assert [d.value for d in find_dates("le 1er mars")] == ["--03-01"]
    for text in ("31/02/2012", "Ref. 2991/215", "١٤٣٣/٤/١٢هـ", "الساعة ٠٩:١٥", "1234/SEC"):
        assert find_dates(text) == [], text


@pytest.mark.parametrize(("text", "written", "iso"), [
    ("نعلمكم بأنه بتاريخ ١٨ حزبران ٢٠١٤ تم توقيف", "١٨ حزبران ٢٠١٤", "2014-06-18"),  # ي -> ب
    ("التاريخ: ٢٩ زيران ٢٠١٢", "٢٩ زيران ٢٠١٢", "2012-06-29"),  # the ح lost
    ("التاريخ: ٣ نشرين الثاني ٢٠١٢م", "٣ نشرين الثاني ٢٠١٢م", "2012-11-03"),
])
def test_a_month_name_misread_by_one_letter_between_a_day_and_a_year(text: str, written: str,
                                                                      iso: str) -> None:
    dates = find_dates(text)
    assert [(d.text, d.value) for d in dates] == [(written, iso)]
    assert dates[0].score < find_dates("٣ حزيران ٢٠١٢")[0].score  # surer when spelt right


def test_words_near_a_month_name_are_not_dates() -> None:
    for text in ("لمدة ٣ أيام ٢٠١٢",  # أيام is one letter from أيار: four-letter names stay exact
                 "٥ يوتيو ٢٠١٢",  # as near يونيو as يوليو
                 "حزبران ٢٠١٤",  # no day: a misreading is read only between a day and a year
                 "١٨ حزبران"):
        assert find_dates(text) == [], text


@pytest.mark.parametrize(("text", "name", "rank"), [
    ("رئيس الفرع\nالعميد جميل حسن\n", "جميل حسن", "Brigadier General"),
    ("مدير المشفى العقيد حسن وليد صالح", "حسن وليد صالح", "Colonel"),
    ("كان رئيس الفرع في تلك الفترة اللواء عبد الله محمد الخطيب.", "عبد الله محمد الخطيب",
     "Major General"),
    ("الضابط المناوب الملازم أول سامر يوسف", "سامر يوسف", "First Lieutenant"),
    ("headed by Brigadier General Jamil al-Hassan. Witnesses", "Jamil al-Hassan",
     "Brigadier General"),
    ("Head of Branch\nBrig. Gen. J. Hassan", "J. Hassan", "Brigadier General"),
    ("Major General Ali Mamlouk, head of", "Ali Mamlouk", "Major General"),
    ("dirigée par le général de brigade Hassan SALEH.", "Hassan SALEH", "Brigadier General"),
    ("le lieutenant-colonel Karim AL-CHAMI a", "Karim AL-CHAMI", "Lieutenant Colonel"),
])
def test_a_rank_introduces_a_person_even_unknown_to_the_registry(text: str, name: str,
                                                                 rank: str) -> None:
    persons = ranked_persons(text)
    assert [(p.text, p.attributes["rank"]) for p in persons] == [(name, rank)]
    assert persons[0].entity_id is None


def test_rank_words_that_introduce_no_one() -> None:
    for text in ("General Intelligence Directorate", "رائد فضاء", "مقدم من الفرع",
                 "عماد الدين", "a major change", "السيد رئيس الفرع المحترم"):
        assert ranked_persons(text) == [], text


@pytest.mark.parametrize(("text", "written", "number", "kind"), [
    ("إلى الفرع ٢٥١", "الفرع ٢٥١", "251", "unit"),
    ("نقل إلى فرع ٢٥١ للتحقيق", "فرع ٢٥١", "251", "unit"),
    ("أودع بالفرع 251", "الفرع 251", "251", "unit"),
    ("المشفى العسكري ٦٠١", "المشفى العسكري ٦٠١", "601", "facility"),
    ("transferred to Branch 251.", "Branch 251", "251", "unit"),
    ("the 251 Branch", "251 Branch", "251", "unit"),
    ("Branch No. 251", "Branch No. 251", "251", "unit"),
    ("détenu à la branche 251", "branche 251", "251", "unit"),
    ("l'hôpital militaire 601", "hôpital militaire 601", "601", "facility"),
    ("section 40 of the branch", "section 40", "40", "unit"),
])
def test_units_and_facilities_by_number(text: str, written: str, number: str, kind: str) -> None:
    numbers = {"251": [NumberedEntity(7, "unit", "branch")],
               "601": [NumberedEntity(9, "facility", "hospital")]}
    found = find_numbered_units(text, numbers)
    assert [(f.text, f.value, f.kind) for f in found] == [(written, number, kind)]
    expected = {"251": 7, "601": 9}.get(number)
    assert found[0].entity_id == expected  # section 40: no unit of that number, unlinked


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("الرقم: ٢٦٦٠/ص", "ref", "2660/ص"),
    ("رقم: ص/٦٧٩٨", "ref", "ص/6798"),
    ("رقم الملف: ٤٥٢١", "ref", "4521"),
    ("كتابنا ٢٦٦٠/ص تاريخ", "ref", "2660/ص"),
    ("Ref.: 1234/SEC", "ref", "1234/SEC"),
    ("No. 123/4", "ref", "123/4"),
    ("Réf. : 1234/251", "ref", "1234/251"),
    ("رقم الجثة: ٢٩٩١/٢١٥", "detainee_number", "2991/215"),
    ("Body number: 4521/215", "detainee_number", "4521/215"),
    ("Numéro du corps : 4521/215", "detainee_number", "4521/215"),
])
def test_reference_and_detainee_numbers(text: str, kind: str, value: str) -> None:
    assert [(f.kind, f.value) for f in find_refs(text)] == [(kind, value)]


def test_post_titles_in_three_languages() -> None:
    roles = {"رئيس الفرع": "head", "نائب رئيس الفرع": "deputy", "المحقق": "interrogator",
             "الضابط المناوب": "officer", "Head of Branch": "head",
             "Deputy Head of Branch": "deputy", "Duty Officer": "officer",
             "chef adjoint de la branche": "deputy", "enquêteur": "interrogator",
             "directeur de l'hôpital": "head"}
    for text, role in roles.items():
        assert [r.role for r in find_roles(text)] == [role], text
