"""Which of Dossier's three languages a page is in: Arabic, English or French.

It runs on every page, so it is a count, not a model: the share of Arabic-script letters
decides Arabic; between English and French, the frequent function words of each language
decide (words like "the", "of", "was" against "le", "des", "été"), with accented letters as a
tie-breaker. A page with too few letters, or Latin letters but no evidence either way (a list
of names), gets None rather than a guess: the search analyser then treats it neutrally.
"""

from __future__ import annotations

import re

MIN_LETTERS = 20
SAMPLE_CHARACTERS = 20_000
ARABIC_SHARE = 0.5

_WORDS = re.compile(r"[a-zà-öø-ÿœæ']+")


def _words(block: str) -> list[str]:
    return block.split()


ENGLISH_WORDS = frozenset(_words("""
the of and to in is was that for with as by it this from be are were at have has had not
which an but they his her he she their been will would who its into than there these those
what when where our we you your them him also after before about against during between
under over such only other more most some any each all no can could should may might
"""))
FRENCH_WORDS = frozenset(_words("""
le la les des du de et est une un que qui pour dans par sur pas au aux avec ce cette ces il
elle ils elles sont été son sa ses leur leurs mais ou où nous vous je être avait était ont
fait comme plus tout tous aussi sans sous entre après avant lors selon depuis chez dont
"""))
_FRENCH_LETTERS = frozenset("éèêëàâçîïôûùüÿœæ")


_ARABIC_RUN = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+")
_NOT_LETTER = re.compile(r"[\W\d_]+")


def detect_language(text: str) -> str | None:
    """"ar", "en", "fr", or None when the text is too short or gives no evidence."""
    sample = text[:SAMPLE_CHARACTERS]
    letters = _NOT_LETTER.sub("", sample)
    arabic = len(_NOT_LETTER.sub("", "".join(_ARABIC_RUN.findall(sample))))
    latin = len(letters) - arabic
    if arabic + latin < MIN_LETTERS:
        return None
    if arabic >= ARABIC_SHARE * (arabic + latin):
        return "ar"
    words = _WORDS.findall(sample.lower())
    english = sum(word in ENGLISH_WORDS for word in words)
    french = sum(word in FRENCH_WORDS for word in words)
    french += sum(ch in _FRENCH_LETTERS for ch in sample.lower()) // 3
    if english == french:
        return None
    return "en" if english > french else "fr"
