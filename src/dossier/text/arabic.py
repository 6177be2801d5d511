"""Arabic normalisation and light stemming.

Leaked files are typed by many hands on many keyboards, scanned, OCR-ed and exported from old
PDF tools. The same word reaches us with or without vowel marks, with any of four alefs, with
tatweel stretching, in presentation forms, with Arabic-Indic or Western digits. Search, mention
extraction and name matching must all see one form, so the rules live here and nowhere else.

Normalisation rules (applied by :func:`normalize_arabic`):

- NFKC first, so presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF) and ligatures such as
  "ﻻ" become base letters;
- harakat and other marks are removed: U+0610–U+061A, U+064B–U+065F, U+0670 (superscript
  alef), the Quranic marks U+06D6–U+06ED and U+08D3–U+08FF;
- tatweel (U+0640) and zero-width joiners and direction marks (U+200B–U+200F) are removed;
- every alef with a hamza or madda, and alef wasla, becomes a bare alef ا;
- hamza on a carrier loses the hamza: ؤ → و, ئ → ي; a standalone hamza ء is KEPT, because
  dropping it merges different names ("علاء" Alaa and "علا" Ola);
- alef maqsura ى → ي, teh marbuta ة → ه, Persian yeh ی → ي and keheh ک → ك (Persian keyboards);
- Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹) digits become ASCII, so "٢٥١" is "251";
- the Arabic comma, semicolon, question mark, percent, decimal and thousands separators and full
  stop become their ASCII counterparts.

Light stemming (:func:`stem_arabic`) is described on the function.
"""

from __future__ import annotations

import re
import unicodedata

# A letter of the Arabic blocks: Arabic, its supplement and extended-A, and the presentation
# forms some PDFs still carry. One definition for "is this written in Arabic script".
ARABIC_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


_EUROPEAN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)


def european_digits(text: str) -> str:
    """Arabic-Indic (٠-٩) and Extended Arabic-Indic (۰-۹) digits as 0-9; nothing else changed."""
    return text.translate(_EUROPEAN_DIGITS)


def has_arabic(text: str) -> bool:
    """Whether the text has a character of the Arabic blocks."""
    return ARABIC_LETTER.search(text) is not None

# Marks removed everywhere: harakat, Quranic annotation signs, tatweel, invisible joiners, and
# the bidirectional controls (Arabic letter mark U+061C, embeddings, isolates) that PDF
# producers put around numbers and that must not split or change a word.
ARABIC_MARKS = (
    "\u0610-\u061a\u061c\u064b-\u065f\u0670\u06d6-\u06ed\u08d3-\u08ff\u0640\u200b-\u200f"
    "\u202a-\u202e\u2066-\u2069"
)

# Characters that make up an Arabic word in raw (un-normalised) text: letters, marks, tatweel,
# presentation forms and the invisible joiners typed inside words. Digits and punctuation of
# the Arabic block are deliberately absent so that "الفرع٢٥١" splits into a word and a number.
ARABIC_WORD_CHARS = (
    "\u0610-\u061a\u0620-\u065f\u066e-\u06d3\u06d5-\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08ff\ufb50-\ufd3d\ufd50-\ufdfb\ufe70-\ufefc\u200c-\u200f"
)

# The Arabic blocks as a whole: what is never a Latin/other-script letter.
ARABIC_BLOCKS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"

# Letters of normalised Arabic text. The presentation-form blocks stay in: a few of their
# letters (U+FE73 tail fragment) have no decomposition.
ARABIC_LETTERS = "\u0620-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"

ARABIC_MAP: dict[str, str] = {
    "\u0622": "\u0627",  # آ alef with madda
    "\u0623": "\u0627",  # أ alef with hamza above
    "\u0625": "\u0627",  # إ alef with hamza below
    "\u0671": "\u0627",  # ٱ alef wasla
    "\u0672": "\u0627",  # ٲ alef with wavy hamza above
    "\u0673": "\u0627",  # ٳ alef with wavy hamza below
    "\u0675": "\u0627",  # ٵ high hamza alef
    "\u0624": "\u0648",  # ؤ waw with hamza
    "\u0626": "\u064a",  # ئ yeh with hamza
    "\u0649": "\u064a",  # ى alef maqsura
    "\u06cc": "\u064a",  # ی farsi yeh
    "\u0629": "\u0647",  # ة teh marbuta
    "\u06c3": "\u0647",  # ۃ teh marbuta goal
    "\u06a9": "\u0643",  # ک keheh
    "\u060c": ",",  # ، comma
    "\u061b": ";",  # ؛ semicolon
    "\u061f": "?",  # ؟ question mark
    "\u066a": "%",  # ٪ percent
    "\u066b": ".",  # ٫ decimal separator
    "\u066c": ",",  # ٬ thousands separator
    "\u066d": "*",  # ٭ five-pointed star
    "\u06d4": ".",  # ۔ full stop
    **{chr(0x0660 + digit): str(digit) for digit in range(10)},  # ٠-٩
    **{chr(0x06F0 + digit): str(digit) for digit in range(10)},  # ۰-۹
}
"""Letters, digits and punctuation replaced by one form."""

_ARABIC_MARKS_RE = re.compile(f"[{ARABIC_MARKS}]+")
_ARABIC_TABLE = str.maketrans(ARABIC_MAP)


def normalize_arabic(text: str) -> str:
    """Bring Arabic spelling variants to one form (see the module docstring for the rules).

    Latin text passes through NFKC only: case and accents are :func:`fold_latin`'s job.
    """
    composed = unicodedata.normalize("NFKC", text)
    stripped = _ARABIC_MARKS_RE.sub("", composed).translate(_ARABIC_TABLE)
    # Removing a mark can leave two other marks side by side in the wrong canonical order.
    return unicodedata.normalize("NFC", stripped)


# --- light stemming -------------------------------------------------------------------------

MIN_STEM = 3
"""No rule may leave fewer letters than this: short words and names stay whole."""

MIN_STEM_AFTER_PREPOSITION = 4
"""A lone ب ل ك ف starts many roots ("فرقة" division, "بطاقة" card): strip it only from
long words."""

ARTICLES: tuple[str, ...] = ("وال", "بال", "كال", "فال", "لل", "ال")
"""The definite article, alone or behind a one-letter proclitic; longest first."""

CONJUNCTION = "و"

PREPOSITIONS: tuple[str, ...] = ("ب", "ل", "ك", "ف")
"""One-letter prepositions and the conjunction ف, attached without the article."""

SUFFIX_GROUPS: tuple[tuple[str, ...], ...] = (
    ("هما", "ها", "هم", "هن", "نا"),  # attached pronouns
    ("ات", "ون", "ين", "ان", "يه"),  # plural, dual, nisba feminine (ية after ة→ه)
    ("ه", "ي"),  # teh marbuta (ة→ه), "his", nisba and "my"
)
"""At most one suffix per group is removed, groups in this order."""

_ARABIC_WORD = re.compile(f"[{ARABIC_LETTERS}]+")


def strip_proclitics(word: str) -> str:
    """Remove the definite article and the conjunction و from a normalised word.

    Applied repeatedly so that every way of writing a word reaches the same stem:
    "والمعتقلين" → "معتقلين", and "الوزير" → "وزير" → "زير" just as "وزير" → "زير".
    Each removal must leave MIN_STEM letters.
    """
    while True:
        for article in ARTICLES:
            if word.startswith(article) and len(word) - len(article) >= MIN_STEM:
                word = word[len(article) :]
                break
        else:
            if word.startswith(CONJUNCTION) and len(word) - 1 >= MIN_STEM:
                word = word[1:]
                continue
            return word


def strip_suffixes(word: str) -> str:
    """Remove at most one suffix from each of SUFFIX_GROUPS, keeping MIN_STEM letters.

    "معتقلاتهم" → "معتقلات" → "معتقل"; "عسكرية" (normalised "عسكريه") → "عسكر".
    The pronoun suffixes "كم" and "كن" are left alone: rare in documents, and they end
    plurals that matter ("محاكم" courts, "اماكن" places).
    """
    for group in SUFFIX_GROUPS:
        for suffix in group:
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                word = word[: -len(suffix)]
                break
    return word


def strip_preposition(word: str) -> str:
    """Remove one leading ب ل ك ف when MIN_STEM_AFTER_PREPOSITION letters remain.

    Done after the suffixes, so that the length test sees the word without its ending:
    "بتعذيب" → "تعذيب" and "بمدرسة" → "مدرس" lose it, while "كبيرة" → "كبير" keeps its ك
    (otherwise it would become "بير" and no longer meet "كبير").
    """
    if word.startswith(PREPOSITIONS) and len(word) - 1 >= MIN_STEM_AFTER_PREPOSITION:
        return word[1:]
    return word


def stem_normalized_arabic(word: str) -> str:
    """Stem a word already passed through the normaliser (the fast path used by analysis)."""
    if len(word) <= MIN_STEM or not _ARABIC_WORD.fullmatch(word):
        return word
    return strip_preposition(strip_suffixes(strip_proclitics(word)))


def stem_arabic(token: str) -> str:
    """Light stemming of one Arabic word: normalise, then strip affixes in three steps.

    Light (not root-based) stemming because investigators search for words and names, not
    roots: "المعتقلين", "والمعتقلين" and "معتقلين" must meet at "معتقل", while "مكتب"
    (office) and "كتاب" (book) must stay apart. The steps:

    1. proclitics (:func:`strip_proclitics`): وال بال كال فال لل ال and و, repeatedly, each
       only when at least 3 letters remain;
    2. suffixes (:func:`strip_suffixes`): one of هما ها هم هن نا, then one of ات ون ين ان يه,
       then one of ه ي, each only when at least 3 letters remain;
    3. a lone preposition ب ل ك ف (:func:`strip_preposition`), only when at least 4 letters
       remain.

    Tokens that are not purely Arabic letters (numbers, Latin) and words of 3 letters or fewer
    are returned normalised but otherwise untouched. Stemming merges some unrelated words
    ("سوري" Syrian and "سور" wall, "كتائب" battalions and "تائب"); search accepts that, name
    matching should compare names, not stems.
    """
    return stem_normalized_arabic(normalize_arabic(token))
