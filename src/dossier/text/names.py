"""Personal names: reading the parts of a name, its keys, and the spellings to search for.

A name reaches us as "العميد جميل حسن", "Brig. Gen. Jamil Hassan", "HASSAN Jamil",
"Hassan, Jamil", "J. Hassan" or "Jameel al-Hasan". :func:`parse_name` removes ranks and titles
(Arabic, English, French), reads "Family, Given" and French upper-case family names, joins the
particles that belong to the next word (the article al-/el-/Al/ال, "Abd"/"Abdul"/عبد, "Abu"/أبو
of a kunya, "al-Din"/الدين after a word) and marks the nasab ("bin"/"ibn"/بن/ابن: the next
part is a father). The parts are then read as Arabic names are written: given name, the
father's (and grandfather's) names, family name last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice, product

from dossier.text.name_table import (
    arabic_spelling,
    canonicals,
    latin_spellings,
    name_kinds,
    ranked_canonicals,
)
from dossier.text.normalize import normalize
from dossier.text.romanize import compact_word, has_arabic, romanize, token_key

__all__ = ["ParsedName", "name_key", "name_variants", "parse_name"]

RANKS: tuple[str, ...] = (
    # Arabic, with and without the article (normalised: bare alef); see _is_name for a rank
    # that is also a given name (رائد Raed). العماد only with the article: عماد is Imad.
    "العماد", "اللواء", "لواء", "اللوا", "العميد", "عميد", "العقيد", "عقيد", "المقدم", "مقدم",
    "الرائد", "رائد", "النقيب", "نقيب", "الملازم اول", "ملازم اول", "الملازم", "ملازم",
    "المساعد اول", "المساعد", "الرقيب", "رقيب", "المجند", "مجند",
    # English
    "brigadier general", "brigadier-general", "brig gen", "brig-gen", "brig", "brigadier",
    "major general", "major-general", "maj gen", "maj-gen", "lieutenant general", "lt gen",
    "general", "gen", "lieutenant colonel", "lieutenant-colonel", "lt col", "lt-col", "ltc",
    "colonel", "col", "major", "maj", "captain", "capt", "cpt", "first lieutenant",
    "1st lt", "second lieutenant", "2nd lt", "lieutenant", "lt", "sergeant", "sgt",
    "warrant officer",
    # French
    "general de brigade", "general de division", "general de corps d'armee",
    "lieutenant colonel", "commandant", "capitaine", "sous-lieutenant", "adjudant", "sergent",
)  # fmt: skip
TITLES: tuple[str, ...] = (
    "الدكتور", "دكتور", "د", "السيد", "سيد", "الشيخ", "شيخ", "الحاج", "حاج", "المهندس",
    "dr", "doctor", "mr", "mrs", "ms", "sheikh", "shaykh", "prof", "professor",
    "docteur", "m", "mme", "monsieur", "madame",
)  # fmt: skip
ARTICLE_WORDS = ("le", "la", "the")
"""Put before a rank in running text ("le général Jamil Hassan")."""

ABD = frozenset({"abd", "abdul", "abdel", "abdal", "abdoul", "abdu", "abdol", "عبد"})
KUNYA = frozenset({"abu", "abou", "abo", "ابو", "um", "umm", "oum", "ام"})
NASAB = frozenset({"bin", "ibn", "bint", "ben", "بن", "ابن", "بنت"})
ARTICLES = frozenset({"al", "el", "il", "ul", "ال"})
SUN_ARTICLES = frozenset({"as", "ash", "an", "ad", "ar", "az", "at", "ath", "adh", "es", "ed",
                          "er", "en", "ez", "et", "ech"})
JOIN_BEFORE = frozenset({"din", "deen", "dine", "دين", "لله", "له", "lah", "llah", "allah"})
"""Second halves of compounds ("Nour al-Din", "نصر الله"): joined to the word before."""


def _phrases(words: tuple[str, ...]) -> dict[tuple[str, ...], str]:
    return {tuple(normalize(phrase).split()): phrase for phrase in words}


_RANK_PHRASES = _phrases(RANKS)
_TITLE_PHRASES = _phrases(TITLES)
_LONGEST = max(len(phrase) for phrase in (*_RANK_PHRASES, *_TITLE_PHRASES))
_SPLIT = re.compile(r"\s+|(?<=[,()«»\"])|(?=[,()«»\"])")
_WORD_CLEAN = re.compile(r"^[.\s]+|[.\s]+$")


@dataclass(frozen=True)
class ParsedName:
    """A name read into its parts; every part keeps the spelling it was written in.

    ``tokens`` are the name's parts in reading order (kunya, given, fathers, family), with
    their particles joined ("al-Hasan", "Abd al-Rahman", "أبو علي"). ``initials`` are the
    letters of the parts written as initials ("J. Hassan" → ("j",)). ``rank`` and ``title``
    are the words removed from the front ("Brig. Gen.", "العميد"; "Dr.", "السيد").
    ``reordered`` is true when the name was written family name first ("Hassan, Jamil",
    "HASSAN Jamil").
    """

    text: str
    given: str | None
    fathers: tuple[str, ...]
    family: str | None
    kunya: str | None
    initials: tuple[str, ...]
    rank: str | None
    title: str | None
    tokens: tuple[str, ...]
    reordered: bool = False

    @property
    def parts(self) -> tuple[str, ...]:
        """Given name, fathers and family name, those present, without the kunya."""
        return tuple(
            part for part in (self.given, *self.fathers, self.family) if part is not None
        )

    @property
    def script(self) -> str:
        """"arabic", "latin" or "mixed", from the parts."""
        scripts = {has_arabic(token) for token in self.tokens}
        if scripts == {True}:
            return "arabic"
        return "latin" if scripts <= {False} else "mixed"


@dataclass
class _Part:
    text: str
    kunya: bool = False
    father: bool = False
    initial: bool = False
    parenthesised: bool = False


def _norm_word(word: str) -> str:
    return _WORD_CLEAN.sub("", normalize(word))


def _strip_front(words: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Remove ranks and titles from the front of the words (several may follow each other)."""
    ranks: list[str] = []
    titles: list[str] = []
    whole = tuple(_norm_word(word) for word in words)
    if whole in _RANK_PHRASES or whole in _TITLE_PHRASES:  # a rank and no name: "Brig. Gen."
        (ranks if whole in _RANK_PHRASES else titles).append(" ".join(words))
        return [], ranks, titles
    while len(words) > 1:
        start = 1 if _norm_word(words[0]) in ARTICLE_WORDS else 0
        normalized = [_norm_word(word) for word in words[start : start + _LONGEST]]
        for size in range(min(_LONGEST, len(normalized)), 0, -1):
            phrase = tuple(normalized[:size])
            rest = len(words) - start - size
            if phrase in _RANK_PHRASES and rest >= 1 and (rest >= 3 or not _is_name(phrase)):
                ranks.append(" ".join(words[: start + size]))
            elif phrase in _TITLE_PHRASES and rest >= 1 and _title_applies(phrase, words,
                                                                           start + size):
                titles.append(" ".join(words[: start + size]))
            else:
                continue
            words = words[start + size :]
            break
        else:
            break
    return words, ranks, titles


def _is_name(phrase: tuple[str, ...]) -> bool:
    """A one-word Arabic rank without the article that is also a known given name: before a
    name of one or two words it is read as the given name ("رائد حسن" Raed Hassan), before
    three or more as the rank ("رائد نبيل احمد حمدان")."""
    return len(phrase) == 1 and not phrase[0].startswith("ال") and bool(canonicals(phrase[0]))


def _title_applies(phrase: tuple[str, ...], words: list[str], after: int) -> bool:
    """"M." is a title before two words or an upper-case family name, else an initial."""
    if phrase not in (("m",), ("د",)):
        return True
    rest = [word for word in words[after:] if word not in ",()"]
    return len(rest) >= 2 or (len(rest) == 1 and rest[0].isupper() and len(rest[0]) > 1)


def _reorder(words: list[str]) -> tuple[list[str], bool]:
    """"Hassan, Jamil" and "HASSAN Jamil" → given name first."""
    if "," in words:
        comma = words.index(",")
        before, after = words[:comma], [word for word in words[comma + 1 :] if word != ","]
        if before and after:
            return after + before, True
        return before + after, False
    letters = [word for word in words if word not in "()«»\""]
    if len(letters) >= 2 and not any(has_arabic(word) for word in letters):
        upper = 0
        for word in letters:
            if word.isupper() and sum(char.isalpha() for char in word) >= 2:
                upper += 1
            else:
                break
        if 0 < upper < len(letters) and not any(
            word.isupper() and len(word) > 1 for word in letters[upper:]
        ):
            return letters[upper:] + letters[:upper], True
    return words, False


def _pieces(words: list[str]) -> list[tuple[str, bool, bool]]:
    """Words cut at hyphens: (text, followed by a hyphen, inside parentheses)."""
    pieces: list[tuple[str, bool, bool]] = []
    inside = False
    for word in words:
        if word == "(":
            inside = True
            continue
        if word == ")":
            inside = False
            continue
        if word in ",«»\"":
            continue
        bits = re.split(r"[-\u2010\u2011]", word)
        for index, bit in enumerate(bits):
            if bit.strip("'’"):
                pieces.append((bit, index < len(bits) - 1, inside))
    return pieces


def _join(pieces: list[tuple[str, bool, bool]]) -> list[_Part]:
    """Join particles to the word they belong to; mark kunyas, fathers and initials."""
    parts: list[_Part] = []
    index = 0
    pending_father = False
    while index < len(pieces):
        text, hyphen, inside = pieces[index]
        norm = _norm_word(text)
        if norm in NASAB and index + 1 < len(pieces) and (parts or norm != "ben"):
            pending_father = True
            index += 1
            continue
        take = 1
        if (norm in ARTICLES or (hyphen and norm in SUN_ARTICLES)) and index + 1 < len(pieces):
            take = 2
        if norm in ABD | KUNYA and index + 1 < len(pieces):
            take = 2
            follow = _norm_word(pieces[index + 1][0])
            if (follow in ARTICLES or (pieces[index + 1][1] and follow in SUN_ARTICLES)) and (
                index + 2 < len(pieces)
            ):
                take = 3
        words = pieces[index : index + take]
        joined = "".join(word + ("-" if hyph else " ") for word, hyph, _ in words[:-1])
        joined += words[-1][0]
        compact = compact_word(joined)
        if parts and compact in JOIN_BEFORE and not parts[-1].initial:
            parts[-1].text += " " + joined
        else:
            part = _Part(joined, kunya=norm in KUNYA and take > 1, father=pending_father,
                         parenthesised=inside)
            letters = joined.rstrip(".")
            part.initial = len(letters) == 1 and letters.isalpha()
            parts.append(part)
            pending_father = False
        index += take
    return parts


@lru_cache(maxsize=100_000)
def parse_name(text: str) -> ParsedName:
    """Read a personal name into its parts (see the module docstring)."""
    words = [word for word in _SPLIT.split(text.strip()) if word and not word.isspace()]
    words, ranks, titles = _strip_front(words)
    words, reordered = _reorder(words)
    parts = _join(_pieces(words))
    kunya_parts = [
        part for position, part in enumerate(parts)
        if part.kunya and (position < len(parts) - 1 or part.parenthesised or position == 0)
    ]  # fmt: skip
    names = [part for part in parts if part not in kunya_parts]
    given: _Part | None = None
    family: _Part | None = None
    fathers: list[_Part] = []
    if len(names) == 1:
        only = names[0]
        known = canonicals(compact_word(only.text))
        if only.father:
            fathers = [only]
        elif only.initial or (known and _only_given(known)):
            given = only
        else:
            family = only
    elif names:
        given, *middle = names
        if middle[-1].father:
            fathers = middle
        else:
            fathers, family = middle[:-1], middle[-1]
    ordered = [*kunya_parts, *([given] if given else []), *fathers, *([family] if family else [])]
    return ParsedName(
        text=text,
        given=given.text if given else None,
        fathers=tuple(part.text for part in fathers),
        family=family.text if family else None,
        kunya=kunya_parts[0].text if kunya_parts else None,
        initials=tuple(part.text[0].casefold() for part in ordered if part.initial),
        rank=" ".join(ranks) or None,
        title=" ".join(titles) or None,
        tokens=tuple(part.text for part in ordered),
        reordered=reordered,
    )


def _only_given(known: frozenset[str]) -> bool:
    return all(name_kinds(name) == ("given",) for name in known)


def _part_key(part: str) -> str:
    letters = part.rstrip(".")
    if len(letters) == 1 and letters.isalpha():
        return letters.casefold()
    return token_key(part)


def name_key(text: str) -> str:
    """The space-joined keys of a name's parts (given, fathers, family; the kunya only when it
    is all there is), ranks and titles removed: "Brig. Gen. Jamil Hassan" and "العميد جميل
    حسن" are both "jml hsn". For blocking and gazetteer look-ups."""
    parsed = parse_name(text)
    parts = parsed.parts or ((parsed.kunya,) if parsed.kunya else ())
    return " ".join(key for key in map(_part_key, parts) if key)


# --- variants -------------------------------------------------------------------------------


def _article_forms(spelling: str) -> list[str]:
    return [f"al-{spelling}", f"el-{spelling}", f"Al {spelling}", spelling]


def _has_article(part: str) -> bool:
    norm = normalize(part)
    return norm.startswith(("al-", "el-", "al ", "el ", "ال")) and not norm.startswith("الله")


def _bare(part: str) -> str:
    """The part without its article, as written."""
    for prefix in ("al-", "el-", "al ", "el ", "ال"):
        if normalize(part[: len(prefix)]) == prefix:
            return part[len(prefix) :]
    return part


def _part_spellings(part: str, family: bool) -> tuple[list[str], list[str]]:
    """(Latin spellings, Arabic spellings) of one part; the part as written comes first."""
    compact = compact_word(part)
    known = list(ranked_canonicals(compact))
    article = _has_article(part)
    if has_arabic(part):
        arabic = [normalize(part)]
        latin_bases = list(latin_spellings(compact)) or [romanize(_bare(part))]
        arabic += [("ال" if article else "") + arabic_spelling(name) for name in known]
        if family:
            arabic += [normalize(_bare(part)) if article else "ال" + normalize(part)]
    else:
        latin_bases = [_bare(part), *latin_spellings(compact)]
        arabic = [("ال" if article else "") + arabic_spelling(name) for name in known]
        if family and not article and known:
            arabic += ["ال" + arabic_spelling(name) for name in known]
    latin_bases = [base[:1].upper() + base[1:] for base in dict.fromkeys(latin_bases)]
    if article:
        latin = [form for base in latin_bases for form in _article_forms(base)]
    elif family:
        latin = [*latin_bases, *(f"al-{base}" for base in latin_bases)]
    else:
        latin = latin_bases
    if not has_arabic(part):
        latin.insert(0, part)
    return list(dict.fromkeys(latin)), list(dict.fromkeys(arabic))


def _single_changes(choices: list[list[str]]) -> list[str]:
    """The first choices, then one part varied at a time."""
    if not choices or not all(choices):
        return []
    out = [" ".join(choice[0] for choice in choices)]
    for index, options in enumerate(choices):
        for option in options[1:]:
            out.append(" ".join(option if i == index else c[0] for i, c in enumerate(choices)))
    return out


def _every_combination(choices: list[list[str]], limit: int) -> list[str]:
    if not choices or not all(choices):
        return []
    return [" ".join(combination) for combination in islice(product(*choices), limit)]


def _alternate(own: list[str], other: list[str]) -> list[str]:
    """Two from the name's own script, then one from the other, and so on."""
    out: list[str] = []
    own_index = other_index = 0
    while own_index < len(own) or other_index < len(other):
        out += own[own_index : own_index + 2]
        own_index += 2
        out += other[other_index : other_index + 1]
        other_index += 1
    return out


def name_variants(text: str, limit: int = 50) -> list[str]:
    """Spellings Dossier searches for: the name as written first, then its Latin and Arabic
    spellings (known spellings from the table, a romanisation of unknown Arabic words, with
    and without the article, given and family name without the fathers' names).

    The order is fixed: one part changed at a time (two spellings in the name's own script
    for one in the other), then the short forms, then every combination, until ``limit``.
    """
    parsed = parse_name(text)
    parts = list(parsed.parts) or ([parsed.kunya] if parsed.kunya else [])
    if not parts:
        return [text] if text.strip() else []
    family_index = len(parts) - 1 if parsed.family else -1
    spelled = [_part_spellings(part, index == family_index) for index, part in enumerate(parts)]
    latin = [spellings[0] for spellings in spelled]
    arabic = [spellings[1] for spellings in spelled]
    first, second = (arabic, latin) if parsed.script == "arabic" else (latin, arabic)
    short = [0, len(parts) - 1] if len(parts) > 2 else []
    found: list[str] = [text.strip()]
    found += _alternate(_single_changes(first), _single_changes(second))
    if short:
        found += _alternate(*(_single_changes([c[index] for index in short]) for c in (first,
                                                                                        second)))
    found += _alternate(_every_combination(first, limit), _every_combination(second, limit))
    cleaned = [" ".join(name.split()) for name in found]
    return list(dict.fromkeys(name for name in cleaned if name))[:limit]
