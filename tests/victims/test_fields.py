"""Reading a victim list's cells: dates, sex, age, governorate and status in three languages."""

from __future__ import annotations

from datetime import datetime

import pytest

from dossier.victims.fields import (
    FieldError,
    cell_text,
    read_age,
    read_date,
    read_governorate,
    read_sex,
    read_status,
)


@pytest.mark.parametrize(("text", "iso"), [
    ("04/03/2012", "2012-03-04"),
    ("٤/٣/٢٠١٢", "2012-03-04"),
    ("٤/٣/٢٠١٢م", "2012-03-04"),
    ("2012/03/04", "2012-03-04"),
    ("2012-03-04", "2012-03-04"),
    ("04.03.2012", "2012-03-04"),
    ("4 March 2012", "2012-03-04"),
    ("March 4, 2012", "2012-03-04"),
    ("1er mars 2012", "2012-03-01"),
    ("4 mars 2012", "2012-03-04"),
    ("٤ آذار ٢٠١٢", "2012-03-04"),
    ("15 كانون الثاني 2013", "2013-01-15"),
    ("2012", "2012"),
    ("٢٠١٢", "2012"),
    ("حوالي 2012", "2012"),
    ("2012-03", "2012-03"),
    ("03/2012", "2012-03"),
    ("mars 2012", "2012-03"),
    ("2012-03-04T00:00:00", "2012-03-04"),
])
def test_dates_in_three_languages_and_partial_dates(text: str, iso: str) -> None:
    assert read_date(text) == iso


@pytest.mark.parametrize("text", ["", "  ", "غير معروف", "unknown", "inconnu", "-"])
def test_an_unknown_value_is_empty_not_a_problem(text: str) -> None:
    assert read_date(text) is None
    assert read_governorate(text) is None
    assert read_status(text) is None


@pytest.mark.parametrize(("text", "message"), [
    ("31/02/2012", "not a possible date"),
    ("1850", "outside 1900-2099"),
    ("yesterday", "not a date"),
    ("2012-13", "no month 13"),
])
def test_a_bad_date_says_why(text: str, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        read_date(text)


def test_spreadsheet_cells_are_written_back_as_text() -> None:
    assert cell_text(datetime(2012, 3, 4)) == "2012-03-04"
    assert cell_text(35.0) == "35"
    assert cell_text(None) == ""
    assert read_date(cell_text(datetime(2012, 3, 4))) == "2012-03-04"


@pytest.mark.parametrize(("text", "sex"), [
    ("M", "m"), ("m", "m"), ("male", "m"), ("ذكر", "m"), ("H", "m"), ("homme", "m"),
    ("F", "f"), ("Female", "f"), ("أنثى", "f"), ("انثى", "f"), ("femme", "f"),
])
def test_sex_words(text: str, sex: str) -> None:
    assert read_sex(text) == sex


def test_an_unknown_sex_word_is_a_problem() -> None:
    with pytest.raises(FieldError, match="not a sex"):
        read_sex("x")


@pytest.mark.parametrize(("text", "age"), [
    ("35", 35), ("٣٥", 35), ("35 years", 35), ("٣٥ سنة", 35), ("35 ans", 35), ("35.0", 35),
])
def test_ages(text: str, age: int) -> None:
    assert read_age(text) == age


@pytest.mark.parametrize("text", ["200", "thirty", "3x"])
def test_impossible_ages_are_problems(text: str) -> None:
    with pytest.raises(FieldError):
        read_age(text)


@pytest.mark.parametrize(("text", "canonical"), [
    ("ريف دمشق", "Rif Dimashq"), ("Rif Dimashq", "Rif Dimashq"), ("Rural Damascus", "Rif Dimashq"),
    ("Rif Damascus", "Rif Dimashq"), ("محافظة إدلب", "Idlib"), ("ادلب", "Idlib"),
    ("Idleb", "Idlib"), ("Lattaquié", "Latakia"), ("اللاذقية", "Latakia"),
    ("Deir Ezzor", "Deir ez-Zor"), ("دير الزور", "Deir ez-Zor"), ("Hassaké", "Al-Hasakah"),
    ("الحسكه", "Al-Hasakah"), ("Soueïda", "As-Suwayda"), ("Sweida", "As-Suwayda"),
    ("Damas", "Damascus"), ("Aleppo Governorate", "Aleppo"), ("Dara'a", "Daraa"),
    ("Hamma", "Hama"), ("حماه", "Hama"),
])
def test_governorates_in_three_languages_and_variants(text: str, canonical: str) -> None:
    assert read_governorate(text) == canonical


def test_an_unknown_governorate_is_a_problem() -> None:
    with pytest.raises(FieldError, match="unknown governorate"):
        read_governorate("Atlantis")


@pytest.mark.parametrize(("text", "status"), [
    ("توفي تحت التعذيب", "died_in_detention"), ("قضى في المعتقل", "died_in_detention"),
    ("Died in detention", "died_in_detention"), ("Death in custody", "died_in_detention"),
    ("Mort sous la torture", "died_in_detention"), ("décédé en détention", "died_in_detention"),
    ("استشهد", "killed"), ("Killed", "killed"), ("tué", "killed"),
    ("مختفي قسرياً", "disappeared"), ("مجهول المصير", "disappeared"),
    ("Enforced disappearance", "disappeared"), ("Disparu", "disappeared"),
    ("معتقل", "detained"), ("معتقل في الفرع ٢١٥", "detained"), ("Detained", "detained"),
    ("détenu", "detained"),
    ("أفرج عنه", "released"), ("Released", "released"), ("libéré", "released"),
    ("died_in_detention", "died_in_detention"),
])
def test_status_words(text: str, status: str) -> None:
    assert read_status(text) == status


def test_words_that_only_contain_a_status_word_are_not_read_as_it() -> None:
    # "معلومات" (information) contains "مات" (died); it is not a death.
    with pytest.raises(FieldError, match="unknown status"):
        read_status("بانتظار معلومات")
