"""Page language: Arabic by script, English and French by their function words."""

from __future__ import annotations

import time

import pytest

from dossier.ingest.language import detect_language


@pytest.mark.parametrize(("text", "language"), [
    ("تم توقيف المدعو سامر خليل في مدينة حمص وإحالته إلى الفرع 251", "ar"),
    ("الفرع 251 - Branch 251 - شعبة المخابرات العسكرية في دمشق", "ar"),
    ("The witness was held at Branch 251 for three months and was beaten.", "en"),
    ("Le témoin a été détenu à la branche 251 pendant trois mois et il a été battu.", "fr"),
    ("Rapport de la commission sur les centres de détention en Syrie", "fr"),
    ("Report of the commission on the detention centres in Syria", "en"),
])
def test_languages(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("text", [
    "", "251", "OK", "Omar Nasser, Fadi Jaber, Rami Saleh, Karim Haddad",
])
def test_too_little_or_no_evidence_is_none(text: str) -> None:
    assert detect_language(text) is None


def test_fast_enough_to_run_on_every_page() -> None:
    page = "The witness was held at Branch 251 for three months. " * 60  # ~3,000 chars
    started = time.perf_counter()
    for _ in range(200):
        detect_language(page)
    assert (time.perf_counter() - started) / 200 < 0.01
