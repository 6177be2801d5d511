"""Romanisation of Arabic names and the phonetic skeleton that Arabic and Latin spellings share.

Arabic writes consonants and long vowels; Latin transliterations write every vowel, each in
the habits of one language ("Hussein", "Houssein", "Husain"). What the two scripts agree on is
the consonants, so the key of a word (:func:`token_key`) is its consonant skeleton over one
small alphabet:

======  ==========================  ===============================================
key     Arabic                      Latin
======  ==========================  ===============================================
b       ب پ                         b p
t       ت ط ث                       t th
j       ج چ                         j dj zh
h       ح ه                         h
x       خ                           kh
d       د ض                         d dh
z       ذ ز ظ ژ                     z (dh: a second reading)
r s     ر / س ص                     r / s, c before e i y ("Hacen", "Youcef")
c       ش                           sh ch
g       غ                           gh
f       ف ڤ                         f v ph
k       ق ك گ                       q k g ck, c elsewhere, x (as ks)
l m n   ل م ن                       l m n
======  ==========================  ===============================================

- vowels are not consonants: a e i o u y w and ou/ee are dropped from the key, and so are
  ا و ي ع ء ("Walid" and "وليد" are both "ld"; "Ali" and "علي" are both "l");
- the article is dropped ("al-", "el-", "Al ", joined "Alhassan", "ال"), also inside the
  compounds "Abd al-Rahman", "Abdul Rahman", "Abderrahmane", "عبد الرحمن" (all "bdrhmn");
- a doubled Latin consonant is one consonant ("Hassan" = "Hasan"): Arabic writes it once;
- Latin "dh" writes ض ("Ramadhan") and ذ or ظ ("Mundhir" منذر, "Kadhim" كاظم): a word with
  it has a second reading with z; "th", "dh" and "sh" may also be two letters ("Fathi" فتحي,
  "Adham" أدهم): a reading with the letters apart. The key is the first reading;
- a word-final h after a vowel ("Salameh", "Abdullah") and a final ه or ح (teh marbuta,
  "صالح" = "Saleh") are dropped when another consonant remains: Latin writes them or not.

The skeleton alone merges names that Arabic keeps apart by a long vowel (حسن Hassan and حسين
Hussein are both "hsn"), so :func:`word_shape` also records which vowels each script wrote
between the consonants; name matching (:mod:`dossier.text.name_match`) uses them to tell
"Hassan" from "Hussein" where the table of known names does not already know both.

:func:`romanize` turns Arabic into plain lowercase ASCII: the usual Latin spelling of a name
the table knows (:mod:`dossier.text.name_table`), otherwise letter by letter (consonants,
long vowels; short vowels are not written in Arabic and are not guessed): "جميل حسن" →
"jamil hassan", "رسلان" → "raslan", "فرع" → "fr'".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from dossier.text.arabic import has_arabic
from dossier.text.normalize import normalize

__all__ = ["WordShape", "compact_word", "has_arabic", "romanize", "token_key", "word_shape"]

VOWEL_A, VOWEL_I, VOWEL_U, LONG = 1, 2, 4, 8
"""Bits of a vowel slot: which vowels were written between two consonants; LONG marks a Latin
digraph (ee, ei, ai, ay, oo ...) that only a written long vowel explains."""

ARABIC_KEY: dict[str, str] = {
    "ب": "b", "پ": "b", "ت": "t", "ط": "t", "ث": "t", "ج": "j", "چ": "j", "ح": "h", "ه": "h",
    "خ": "x", "د": "d", "ض": "d", "ذ": "z", "ز": "z", "ظ": "z", "ژ": "z", "ر": "r", "س": "s",
    "ص": "s", "ش": "c", "غ": "g", "ف": "f", "ڤ": "f", "ق": "k", "ك": "k", "گ": "k", "ل": "l",
    "م": "m", "ن": "n",
}  # fmt: skip
ARABIC_VOWELS: dict[str, int] = {"ا": VOWEL_A, "و": VOWEL_U, "ي": VOWEL_I, "ع": 0, "ء": 0}

LATIN_KEY: dict[str, str] = {
    "b": "b", "p": "b", "t": "t", "d": "d", "j": "j", "g": "k", "q": "k", "k": "k", "s": "s",
    "z": "z", "f": "f", "v": "f", "l": "l", "m": "m", "n": "n", "r": "r", "h": "h",
}  # fmt: skip
LATIN_DIGRAPHS: dict[str, str] = {
    "sh": "c", "ch": "c", "kh": "x", "gh": "g", "th": "t", "dh": "d", "ph": "f", "dj": "j",
    "zh": "j",
}  # fmt: skip
LATIN_SPLIT_DIGRAPHS = ("th", "dh", "sh")
"""Digraphs that are also two letters in some names ("Fathi" فتحي, "Adham" أدهم, "Ishaq"
إسحاق): a word with one of them has a second reading, with the letters apart."""
LATIN_VOWELS: dict[str, int] = {
    "a": VOWEL_A, "e": 0, "i": VOWEL_I, "o": VOWEL_U, "u": VOWEL_U, "y": VOWEL_I, "w": VOWEL_U,
    "'": 0, "`": 0,
}  # fmt: skip
LONG_DIGRAPHS = frozenset({"ee", "ei", "ey", "ai", "ay", "ie", "iy", "oo"})

ARTICLES = frozenset({"al", "el", "il", "ul", "ال"})
"""The article written as a word of its own ("Al Hassan", "al-Hasan", "ال حسن")."""
SUN_ARTICLES = frozenset(
    {"as", "ash", "an", "ad", "ar", "az", "at", "ath", "adh", "es", "ed", "er", "en", "ez",
     "et", "ech"}
)
"""The article assimilated to a sun letter; an article only when hyphenated ("as-Sayed")."""

_PIECES = re.compile(r"[\s\-\u2010\u2011_]+")
_NOT_LETTER = re.compile(r"[^\w']+|[\d_]+")
_ABD_LATIN = re.compile(r"^abd(?:oul|ul|el|al|il|ol|u(?=l)|[aeiou](?=([b-df-hj-np-tv-z])\1))?")
_CACHE = 200_000


@dataclass(frozen=True)
class WordShape:
    """How one word sounds: its readings as (skeleton key, vowel slots), primary first.

    ``slots`` has one entry more than the key: the vowels written before the first consonant,
    between each two, and after the last (bits VOWEL_A, VOWEL_I, VOWEL_U, LONG).
    """

    arabic: bool
    readings: tuple[tuple[str, tuple[int, ...]], ...]

    @property
    def key(self) -> str:
        return self.readings[0][0]


def _consonants(word: str) -> int:
    return sum(1 for char in word if char in LATIN_KEY or char in "cx")


@lru_cache(maxsize=_CACHE)
def compact_word(word: str) -> str:
    """One name word (or compound) as the table and the keys see it: normalised, without the
    article, spaces, hyphens and apostrophes, "Abdul Rahman" → "abdrahman", "عبد الرحمن" →
    "عبدرحمن", "al-Hasan" → "hasan", "Alhassan" → "hassan"."""
    pieces = [piece for piece in _PIECES.split(normalize(word)) if piece]
    if not pieces:
        return ""
    arabic = has_arabic(word)
    kept: list[str] = []
    for index, piece in enumerate(pieces):
        piece = piece.strip(".,;:()[]\"'«»")
        if not piece:
            continue
        last = index == len(pieces) - 1
        if not last and (piece in ARTICLES or (piece in SUN_ARTICLES and "-" in word)):
            continue
        if arabic:
            if piece.startswith("ال") and len(piece) >= 4:
                piece = piece[2:]
        elif piece.startswith(("al", "el")) and _consonants(piece[2:]) >= 2 and len(piece) >= 5:
            piece = piece[2:]
        kept.append(piece)
    joined = "".join(kept)
    if arabic:
        if joined.startswith("عبدال") and len(joined) > 6:
            joined = "عبد" + joined[5:]
        return joined
    joined = _NOT_LETTER.sub("", joined).replace("'", "")
    if joined.startswith("abd") and len(joined) > 4:
        joined = _ABD_LATIN.sub("abd", joined, count=1)
    return joined


def _arabic_reading(word: str, whole: bool) -> tuple[str, tuple[int, ...]]:
    key: list[str] = []
    slots: list[int] = [0]
    for index, char in enumerate(word):
        letter = ARABIC_KEY.get(char)
        if letter is None:
            vowel = ARABIC_VOWELS.get(char, 0)
            if char == "ا" and index == 0:
                vowel = 0  # a carrier of the first vowel, which may be any
            elif char == "ي" and index == len(word) - 1 and index > 0:
                vowel |= VOWEL_A  # ى (alef maqsura) was normalised to ي: "مصطفى" Mustafa
            slots[-1] |= vowel
            continue
        key.append(letter)
        slots.append(0)
    if (
        len(key) >= 2
        and word[-1] in "هح"
        and (len(word) > 2 or not whole)
    ):
        key.pop()
        trailing = slots.pop()
        slots[-1] |= trailing
    return "".join(key), tuple(slots)


def _latin_reading(word: str, split: bool) -> tuple[str, tuple[int, ...]]:
    key: list[str] = []
    slots: list[int] = [0]
    vowel_since = True  # no consonant yet: nothing to double
    previous_vowel = ""
    index, length = 0, len(word)
    final_h = False
    while index < length:
        char = word[index]
        pair = word[index : index + 2]
        if pair in LATIN_DIGRAPHS and not (split and pair in LATIN_SPLIT_DIGRAPHS):
            letters, index = LATIN_DIGRAPHS[pair], index + 2
        elif char in LATIN_VOWELS:
            bits = LATIN_VOWELS[char]
            if previous_vowel and previous_vowel + char in LONG_DIGRAPHS:
                bits |= LONG | (VOWEL_U if char == "o" else VOWEL_I)
            slots[-1] |= bits
            previous_vowel = char if char not in "'`" else ""
            vowel_since = True
            index += 1
            continue
        elif char == "c":
            letters = "s" if word[index + 1 : index + 2] in ("e", "i", "y") else "k"
            index += 1
        elif char == "x":
            letters, index = "ks", index + 1
        else:
            letters = LATIN_KEY.get(char, "")
            index += 1
            if char == "h" and index == length and previous_vowel:
                final_h = True
        previous_vowel = ""
        for letter in letters:
            if key and key[-1] == letter and not vowel_since:
                continue
            key.append(letter)
            slots.append(0)
            vowel_since = False
    if final_h and len(key) >= 2:
        key.pop()
        trailing = slots.pop()
        slots[-1] |= trailing
    return "".join(key), tuple(slots)


@lru_cache(maxsize=_CACHE)
def word_shape(word: str, dh_as_z: bool = True) -> WordShape:
    """The readings of one name word (see the module docstring); cached. ``dh_as_z=False``
    leaves out the reading of "dh" as ذ or ظ: for a spelling the table of known names gives
    to a name with ض or with د and ه ("Adham" أدهم is not عزام)."""
    compact = compact_word(word)
    if has_arabic(compact):
        return WordShape(True, (_arabic_reading(compact, whole=" " not in word.strip()),))
    readings = [_latin_reading(compact, split=False)]
    if dh_as_z and "dh" in compact:  # ذ and ظ as well as ض: "Mundhir" منذر, "Kadhim" كاظم
        readings.append(_latin_reading(compact.replace("dh", "z"), split=False))
    if any(digraph in compact for digraph in LATIN_SPLIT_DIGRAPHS):
        readings.append(_latin_reading(compact, split=True))
    unique: dict[str, tuple[str, tuple[int, ...]]] = {}
    for reading in readings:
        unique.setdefault(reading[0], reading)
    return WordShape(False, tuple(unique.values()))


@lru_cache(maxsize=_CACHE)
def token_key(word: str) -> str:
    """The phonetic skeleton of one word, the same for its Arabic and Latin spellings as far
    as the consonants allow: "حسن", "Hassan", "Hasan", "Hacen" → "hsn"; "محمد", "Mohammad",
    "Muhammad", "Mohamed" → "mhmd"; "al-Hasan", "el-Hassan" and "الحسن" lose the article.

    Known spellings that the skeleton cannot bring together ("Gamil" for جميل, "Osman" for
    عثمان) are mapped to the key of their Arabic form by the table of known names.
    """
    from dossier.text.name_table import canonical_key

    compact = compact_word(word)
    known = canonical_key(compact)
    if known is None and compact.startswith(("al", "el")):
        known = canonical_key(compact[2:])  # "Alali", "Alisa": the article joined on
    return known if known is not None else word_shape(word).key


# --- romanisation ---------------------------------------------------------------------------

ROMAN: dict[str, str] = {
    "ب": "b", "پ": "p", "ت": "t", "ث": "th", "ج": "j", "چ": "ch", "ح": "h", "خ": "kh", "د": "d",
    "ذ": "dh", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t",
    "ظ": "z", "ع": "'", "غ": "gh", "ف": "f", "ڤ": "v", "ق": "q", "ك": "k", "گ": "g", "ل": "l",
    "م": "m", "ن": "n", "ه": "h", "ء": "'", "ا": "a",
}  # fmt: skip

_ARABIC_LETTERS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff"
_ARABIC_RUN = re.compile(f"(?:عبد\\s*)?[{_ARABIC_LETTERS}]+")
PARTICLES = {"ابو": "abu", "بن": "bin", "ابن": "ibn", "بنت": "bint", "ام": "umm", "عبد": "abd"}


def _letters(word: str) -> str:
    out: list[str] = []
    for index, char in enumerate(word):
        after_vowel = index == 0 or word[index - 1] in "اوي"
        if char == "و":
            out.append("w" if after_vowel else "u")
        elif char == "ي":
            out.append("y" if after_vowel and index < len(word) - 1 else "i")
        elif char == "ه" and index == len(word) - 1 and index > 1:
            out.append("a")  # teh marbuta, normalised to ه
        else:
            out.append(ROMAN.get(char, ""))
    return "".join(out)


@lru_cache(maxsize=_CACHE)
def _romanize_word(word: str) -> str:
    from dossier.text.name_table import latin_spellings

    if word in PARTICLES:
        return PARTICLES[word]
    article = ""
    if word.startswith("ال") and len(word) >= 4 and not word.startswith("الله"):
        article, word = "al-", word[2:]
    spellings = latin_spellings(compact_word(word))
    if not spellings and word.startswith("عبد") and len(word) > 3:
        rest = word[3:].strip()
        return article + "abd " + _romanize_word(rest if rest.startswith("ال") else "ال" + rest)
    if spellings:
        return article + fold_ascii(spellings[0])
    return article + _letters(word)


def fold_ascii(text: str) -> str:
    """Lowercase ASCII: accents removed, other non-ASCII characters dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return decomposed.encode("ascii", "ignore").decode("ascii")


def romanize(text: str) -> str:
    """Arabic script to plain lowercase ASCII; Latin text is folded (case, accents).

    Known names take their usual Latin spelling ("جميل حسن" → "jamil hassan"), other words
    are written letter by letter without guessing short vowels ("رسلان" → "raslan" from the
    table, "مملوك" → "mamlouk", "فرع" → "fr'"). The article becomes "al-".
    """
    normalized = normalize(text)
    romanized = _ARABIC_RUN.sub(lambda match: _romanize_word(match.group()), normalized)
    return fold_ascii(romanized)
