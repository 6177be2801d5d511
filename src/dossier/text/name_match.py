"""Do two names write the same person? A score that explains itself.

Both names are read by :func:`dossier.text.names.parse_name`. Their parts are then compared
role by role: given name with given name, family name with family name, the first father's
name with the first father's name, the kunya with the kunya. Each comparison is settled by the
first *part feature* that fires (same spelling, known variant, same skeleton, ...); each
feature is a small function below with its docstring, and its weight depends on the role
(PART_WEIGHTS): two different fathers' names weigh more against a match than two spellings of
a family name weigh for it, because two men called Mohammad Hassan are common and their
fathers' names are what tells them apart. Name-level features (NAME_FEATURES) add what the
parts alone do not say (one name is a single word, the family name is the other's father).

The score is the logistic of BIAS plus the weights of the features that fired. It is "same"
from SAME_THRESHOLD, "different" up to DIFFERENT_THRESHOLD, "unsure" between.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dossier.text.name_table import arabic_spelling, canonicals
from dossier.text.names import ParsedName, parse_name
from dossier.text.romanize import (
    LONG,
    compact_word,
    has_arabic,
    romanize,
    word_shape,
)

__all__ = [
    "BIAS",
    "DIFFERENT_THRESHOLD",
    "SAME_THRESHOLD",
    "NameFeature",
    "NameMatch",
    "match_names",
]

SAME_THRESHOLD = 0.85
"""From this score on, the two names are taken to write the same person."""
DIFFERENT_THRESHOLD = 0.25
"""Up to this score, they are taken to write different persons."""
BIAS = -1.0
"""The log-odds before any feature: two names are more often different than not."""


@dataclass(frozen=True)
class NameFeature:
    """One reason for (positive weight) or against (negative weight) a match."""

    name: str
    weight: float
    detail: str


@dataclass(frozen=True)
class NameMatch:
    """The verdict on two names: a score in [0, 1], a decision and the features behind it."""

    a: str
    b: str
    score: float
    decision: str  # same | different | unsure
    features: tuple[NameFeature, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "score": round(self.score, 4),
            "decision": self.decision,
            "features": [
                {"name": f.name, "weight": f.weight, "detail": f.detail} for f in self.features
            ],
        }


# --- one part against another ----------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    text: str
    arabic: bool
    compact: str
    initial: str | None  # the letter, when the part is written as an initial
    initials: frozenset[str]  # the letters a Latin initial of this part may be
    known: frozenset[str]
    readings: tuple[tuple[str, tuple[int, ...]], ...]

    @property
    def key(self) -> str:
        return self.readings[0][0] if self.readings else ""


_ARABIC_INITIALS: dict[str, str] = {
    "ا": "aeiou", "ع": "aeiou", "ء": "aeiou", "ب": "bp", "ت": "t", "ط": "t", "ث": "ts",
    "ج": "jdg", "ح": "h", "ه": "h", "خ": "k", "د": "d", "ض": "d", "ذ": "dz", "ر": "r", "ز": "z",
    "ظ": "zd", "س": "s", "ص": "s", "ش": "sc", "غ": "g", "ف": "f", "ق": "qkg", "ك": "kc",
    "ل": "l", "م": "m", "ن": "n", "و": "wo", "ي": "yi",
}  # fmt: skip
_LATIN_INITIALS: dict[str, str] = {"a": "aeiou", "e": "aeiou", "i": "aeiouy", "o": "aeiouw",
                                   "u": "aeiouw", "q": "qkg", "k": "qkc", "c": "cksq",
                                   "g": "gqkj", "j": "jdg", "y": "yi", "w": "wou"}


@lru_cache(maxsize=200_000)
def _part(text: str) -> _Part:
    letters = text.rstrip(".")
    arabic = has_arabic(text)
    if len(letters) == 1 and letters.isalpha():
        return _Part(text, arabic, letters.casefold(), letters.casefold(), frozenset(),
                     frozenset(), ())
    compact = compact_word(text)
    known = canonicals(compact)
    shape = word_shape(text, dh_as_z=not known)
    if not known and not arabic and compact.startswith(("al", "el")) and canonicals(compact[2:]):
        compact = compact[2:]  # "Alali", "Alisa": the article joined on a short name
        known = canonicals(compact)
        shape = word_shape(compact, dh_as_z=not known)
    if arabic:
        first = compact[:1]
        starts = frozenset(_ARABIC_INITIALS.get(first, romanize(first)[:1]))
    else:
        first = compact[:1]
        starts = frozenset(_LATIN_INITIALS.get(first, first))
    return _Part(text, arabic, compact, None, starts, known, shape.readings)


def _slots_agree(a: _Part, slots_a: tuple[int, ...], b: _Part, slots_b: tuple[int, ...]) -> bool:
    """Do the vowels written between the consonants fit one pronunciation?"""
    last = len(slots_a) - 1
    for index, (x, y) in enumerate(zip(slots_a, slots_b, strict=True)):
        if a.arabic and b.arabic:
            if x != y and not (index == last and x & y):
                return False
            continue
        if a.arabic or b.arabic:
            arabic, latin = (x, y) if a.arabic else (y, x)
            if arabic & latin & 7 or not latin & 7 and not latin & LONG:
                continue
            if arabic == 0 and not latin & LONG:
                continue
            return False
        if x & 7 and y & 7 and not x & y & 7:
            return False
    return True


def _edit_distance_one(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


PartFeature = Callable[[_Part, _Part], str | None]


def same_spelling(a: _Part, b: _Part) -> str | None:
    """Spelled the same once case, accents, vowel marks, hamza forms and the article are set
    aside ("al-Hasan" / "Hasan", "أحمد" / "احمد")."""
    if a.initial is None and b.initial is None and a.compact == b.compact:
        return f"{a.text} = {b.text}"
    return None


def initial_agrees(a: _Part, b: _Part) -> str | None:
    """One part is an initial ("J.") that the other part can begin with."""
    if a.initial is not None and b.initial is not None:
        return f"{a.text} = {b.text}" if a.initial == b.initial else None
    if a.initial is not None or b.initial is not None:
        short, full = (a, b) if a.initial is not None else (b, a)
        if short.initial in full.initials:
            return f"{short.text} is the initial of {full.text}"
    return None


def initial_differs(a: _Part, b: _Part) -> str | None:
    """An initial that the other part cannot begin with ("M." / "Jamil")."""
    if a.initial is not None or b.initial is not None:
        return f"{a.text} cannot be the initial of {b.text}"
    return None


def known_variant(a: _Part, b: _Part) -> str | None:
    """The table of known names lists both as spellings of one name ("Jameel" / "جميل",
    "Osman" / "Othman")."""
    shared = a.known & b.known
    if shared:
        return f"{a.text} and {b.text} are spellings of {arabic_spelling(min(shared))}"
    return None


def known_different(a: _Part, b: _Part) -> str | None:
    """The table knows both as spellings of different names ("Hassan" حسن / "Hussein" حسين),
    however alike they look."""
    if a.known and b.known:
        names_a = "/".join(sorted(map(arabic_spelling, a.known)))
        names_b = "/".join(sorted(map(arabic_spelling, b.known)))
        return f"{a.text} ({names_a}) and {b.text} ({names_b}) are different names"
    return None


def skeleton_equal(a: _Part, b: _Part) -> str | None:
    """Same romanised consonant skeleton and the written vowels fit ("Rasslan" / "رسلان")."""
    for key_a, slots_a in a.readings:
        for key_b, slots_b in b.readings:
            if key_a == key_b and key_a and _slots_agree(a, slots_a, b, slots_b):
                return f"{a.text} ~ {b.text}: skeleton {key_a}"
    return None


def vowels_differ(a: _Part, b: _Part) -> str | None:
    """Same consonants, but a long vowel one spelling writes cannot be read in the other
    ("Hassan" / "حسين", "Jamal" / "Jamil")."""
    keys_a = {key for key, _ in a.readings}
    if keys_a & {key for key, _ in b.readings}:
        return f"{a.text} and {b.text} share the skeleton {a.key} but not the long vowels"
    return None


def edit_distance_1(a: _Part, b: _Part) -> str | None:
    """Skeletons one consonant apart (a typing or OCR slip, or a different name)."""
    if min(len(a.key), len(b.key)) >= 3 and _edit_distance_one(a.key, b.key):
        return f"{a.text} ~ {b.text}: skeletons {a.key} / {b.key}"
    return None


def differs(a: _Part, b: _Part) -> str | None:
    """None of the above: different names."""
    return f"{a.text} ≠ {b.text}"


PART_FEATURES: tuple[PartFeature, ...] = (
    initial_agrees, initial_differs, same_spelling, known_variant, known_different,
    skeleton_equal, vowels_differ, edit_distance_1, differs,
)  # fmt: skip
"""Tried in this order; the first that fires settles the comparison of two parts."""

PART_WEIGHTS: dict[str, dict[str, float]] = {
    "given": {"same_spelling": 2.5, "known_variant": 2.5, "skeleton_equal": 2.0,
              "initial_agrees": 0.6, "edit_distance_1": -0.5, "vowels_differ": -2.5,
              "known_different": -4.0, "initial_differs": -3.5, "differs": -4.0},
    "family": {"same_spelling": 2.5, "known_variant": 2.5, "skeleton_equal": 2.0,
               "initial_agrees": 0.6, "edit_distance_1": -0.5, "vowels_differ": -2.5,
               "known_different": -4.0, "initial_differs": -3.5, "differs": -4.5},
    "father": {"same_spelling": 1.5, "known_variant": 1.5, "skeleton_equal": 1.2,
               "initial_agrees": 0.3, "edit_distance_1": -4.0, "vowels_differ": -5.0,
               "known_different": -6.0, "initial_differs": -5.0, "differs": -6.0},
    "grandfather": {"same_spelling": 0.5, "known_variant": 0.5, "skeleton_equal": 0.4,
                    "initial_agrees": 0.1, "edit_distance_1": -1.5, "vowels_differ": -2.0,
                    "known_different": -3.0, "initial_differs": -2.0, "differs": -3.0},
    "kunya": {"same_spelling": 1.0, "known_variant": 1.0, "skeleton_equal": 1.0,
              "initial_agrees": 0.0, "edit_distance_1": -0.5, "vowels_differ": -1.0,
              "known_different": -1.5, "initial_differs": -1.5, "differs": -1.5},
}  # fmt: skip
MATCHING = frozenset({"same_spelling", "known_variant", "skeleton_equal", "initial_agrees"})


@lru_cache(maxsize=500_000)
def compare_parts(a: str, b: str) -> tuple[str, str]:
    """The first part feature that fires for two parts: (its name, its detail)."""
    part_a, part_b = _part(a), _part(b)
    for feature in PART_FEATURES:
        detail = feature(part_a, part_b)
        if detail is not None:
            return feature.__name__, detail
    raise AssertionError("differs always fires")


def _role_feature(role: str, a: str, b: str) -> NameFeature:
    name, detail = compare_parts(a, b)
    return NameFeature(f"{role}_{name}", PART_WEIGHTS[role][name], detail)


# --- name-level features ---------------------------------------------------------------------


@dataclass
class _Pair:
    a: ParsedName
    b: ParsedName
    features: list[NameFeature]


def cross_script(pair: _Pair) -> NameFeature | None:
    """One name is in Arabic script, the other in Latin: compared through the skeleton and the
    table (no weight: it explains, it does not decide)."""
    scripts = {pair.a.script, pair.b.script}
    if scripts == {"arabic", "latin"}:
        return NameFeature("cross_script", 0.0, "Arabic script against Latin script")
    return None


def rank_or_title_removed(pair: _Pair) -> NameFeature | None:
    """Ranks and titles were set aside before comparing (no weight)."""
    removed = [text for p in (pair.a, pair.b) for text in (p.rank, p.title) if text]
    if removed:
        return NameFeature("rank_removed", 0.0, "removed: " + ", ".join(removed))
    return None


def family_name_first(pair: _Pair) -> NameFeature | None:
    """A name written family name first ("Hassan, Jamil", "HASSAN Jamil") was put back in
    order (no weight)."""
    turned = [p.text for p in (pair.a, pair.b) if p.reordered]
    if turned:
        return NameFeature("family_name_first", 0.0, "read given name first: " + "; ".join(turned))
    return None


def patronymic_missing(pair: _Pair) -> NameFeature | None:
    """Only one name gives a father's name: nothing to check it against, a little less sure."""
    if bool(pair.a.fathers) != bool(pair.b.fathers):
        having = pair.a if pair.a.fathers else pair.b
        return NameFeature("patronymic_missing", -0.3,
                           f"father's name {having.fathers[0]} only in {having.text}")
    return None


def given_missing(pair: _Pair) -> NameFeature | None:
    """Only one name has a given name ("Hassan" against "Jamil Hassan"): it cannot confirm."""
    if (pair.a.given is None) != (pair.b.given is None):
        return NameFeature("given_missing", -0.5, "only one name has a given name")
    return None


def family_missing(pair: _Pair) -> NameFeature | None:
    """Only one name has a family name ("Jamil" against "Jamil Hassan")."""
    if (pair.a.family is None) != (pair.b.family is None) and (pair.a.parts and pair.b.parts):
        return NameFeature("family_missing", -0.5, "only one name has a family name")
    return None


NAME_FEATURES = (cross_script, rank_or_title_removed, family_name_first, patronymic_missing,
                 given_missing, family_missing)
"""Features of the two names as wholes, beside the part-by-part comparisons."""

FAMILY_IS_FATHER_WEIGHT = -1.0
"""A two-part name ("Mohammad Ali") whose second part is the other's father: given name and
father's name without the family name is a common way of writing a name."""
ORDER_REVERSED_WEIGHT = -0.5
"""Given and family names match crosswise ("HASSAN JAMIL" / "Jamil Hassan")."""


def _role_features(a: ParsedName, b: ParsedName) -> list[NameFeature]:
    found: list[NameFeature] = []
    if a.given and b.given and a.family and b.family:
        given = _role_feature("given", a.given, b.given)
        family = _role_feature("family", a.family, b.family)
        if given.weight < 0 and family.weight < 0:
            crossed_given = _role_feature("given", a.given, b.family)
            crossed_family = _role_feature("family", a.family, b.given)
            if crossed_given.weight > 0 and crossed_family.weight > 0:
                return [crossed_given, crossed_family, NameFeature(
                    "order_reversed", ORDER_REVERSED_WEIGHT,
                    f"{a.text} and {b.text} match with given and family names swapped")]
        found += [given, family]
        if family.weight < 0:
            rescue = _family_is_father(a, b) or _family_is_father(b, a)
            if rescue is not None:
                found[-1] = rescue
    else:
        single = _single_part(a, b) or _single_part(b, a)
        if single is not None:
            found.append(single)
        else:
            if a.given and b.given:
                found.append(_role_feature("given", a.given, b.given))
            if a.family and b.family:
                found.append(_role_feature("family", a.family, b.family))
    if a.fathers and b.fathers:
        found.append(_role_feature("father", a.fathers[0], b.fathers[0]))
        if len(a.fathers) > 1 and len(b.fathers) > 1:
            found.append(_role_feature("grandfather", a.fathers[1], b.fathers[1]))
    if a.kunya and b.kunya:
        found.append(_role_feature("kunya", a.kunya, b.kunya))
    return found


def _family_is_father(short: ParsedName, long: ParsedName) -> NameFeature | None:
    if short.fathers or not long.fathers or short.family is None:
        return None
    name, detail = compare_parts(short.family, long.fathers[0])
    if name in MATCHING:
        return NameFeature("family_is_father", FAMILY_IS_FATHER_WEIGHT,
                           f"{short.family} may be the father's name in {long.text}")
    return None


def _single_part(one: ParsedName, other: ParsedName) -> NameFeature | None:
    """A one-part name ("Hassan", "Jamil") against a name with both given and family names."""
    parts = one.parts
    if len(parts) != 1 or one.given and one.family or not (other.given and other.family):
        return None
    role = "family" if one.family else "given"
    counterpart = other.family if role == "family" else other.given
    assert counterpart is not None
    return _role_feature(role, parts[0], counterpart)


def _score(features: list[NameFeature]) -> float:
    total = BIAS + sum(feature.weight for feature in features)
    return 1.0 / (1.0 + math.exp(-total))


def _decide(score: float) -> str:
    if score >= SAME_THRESHOLD:
        return "same"
    if score <= DIFFERENT_THRESHOLD:
        return "different"
    return "unsure"


def nothing_to_compare(a: ParsedName, b: ParsedName) -> NameFeature | None:
    """A name with no name in it (empty, or only a rank or a title: "Brig. Gen."): it cannot
    write the same person as anything, so the names are "different", with score 0."""
    empty = [p.text for p in (a, b) if not (p.parts or p.kunya)]
    if empty:
        shown = " and ".join(repr(text) for text in empty)
        return NameFeature("nothing_to_compare", 0.0,
                           f"no name in {shown}: empty, or only a rank or a title")
    return None


def match_names(a: str, b: str) -> NameMatch:
    """Score two names (any script, ranks and titles allowed) and say why."""
    parsed_a, parsed_b = parse_name(a), parse_name(b)
    nothing = nothing_to_compare(parsed_a, parsed_b)
    if nothing is not None:
        return NameMatch(a, b, 0.0, "different", (nothing,))
    features = _role_features(parsed_a, parsed_b)
    pair = _Pair(parsed_a, parsed_b, features)
    for feature in NAME_FEATURES:
        found = feature(pair)
        if found is not None:
            features.append(found)
    if not any(f.weight for f in features):
        features.append(NameFeature("no_parts_in_common", 0.0, "no name parts in common roles"))
    score = _score(features)
    return NameMatch(a, b, score, _decide(score), tuple(features))
