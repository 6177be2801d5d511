"""Military ranks, post titles and the persons they introduce, in Arabic, English and French.

"العميد جميل حسن", "Brigadier General Jamil Hassan", "Brig. Gen. J. Hassan", "le général de
brigade Jamil HASSAN": a rank followed by a name is a person mention even when the registry does
not know the name. The name runs from the word after the rank (on the same line, or at the start
of the next one: prose wraps, signature blocks stack) to the last name word before a stop:
punctuation, a line end, a digit, a function or title word ("في", "رئيس", "the", "de"),
at most five words (a Latin name word starts with a capital; particles such as al-, bin, abu
may join). An Arabic rank counts with its article only ("العميد", "والعميد"): without it,
عماد, رائد and مقدم are also a given name or an everyday word. The mention spans the name
only; the rank goes into its attributes, in English ("Brigadier General") as the claims use
it, with the rank as written.

Post titles ("رئيس الفرع", "Head of Branch", "chef adjoint de la branche", "المحقق", "Duty
Officer") are found by :func:`find_roles`; extraction's claims read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dossier.extract.model import Found

EXTRACTOR = "rules:rank"
_A = "[اأإآ]"

# (rank in English, Arabic, English, French), most senior last; abbreviations included.
_RANKS: tuple[tuple[str, str, str, str], ...] = (
    ("Sergeant", "رقيب(?:\\s+" + _A + "ول)?", "Sergeant|Sgt\\.?", "sergent(?:-chef)?"),
    ("Warrant Officer", "مساعد\\s+" + _A + "ول", "Warrant\\s+Officer", "adjudant(?:-chef)?"),
    ("Second Lieutenant", "ملازم", "Second\\s+Lieutenant|2nd\\s+Lt\\.?|2nd\\s+Lieutenant",
     "sous-lieutenant"),
    ("First Lieutenant", "ملازم\\s+" + _A + "ول",
     "First\\s+Lieutenant|1st\\s+Lt\\.?|1st\\s+Lieutenant|Lieutenant|Lt\\.", "lieutenant"),
    ("Captain", "نقيب", "Captain|Capt\\.?", "capitaine"),
    ("Major", "رائد", "Major|Maj\\.", "commandant"),
    ("Lieutenant Colonel", "مقدم", "Lieutenant[\\s-]+Colonel|Lt\\.?\\s*Col\\.?",
     "lieutenant-colonel|lieutenant\\s+colonel"),
    ("Colonel", "عقيد", "Colonel|Col\\.", "colonel"),
    ("Brigadier General", "عميد",
     "Brigadier[\\s-]+General|Brig\\.?\\s*Gen\\.?|Brigadier", "g[ée]n[ée]ral\\s+de\\s+brigade"),
    ("Major General", "لواء", "Major[\\s-]+General|Maj\\.?\\s*Gen\\.?",
     "g[ée]n[ée]ral\\s+de\\s+division"),
    ("Lieutenant General", "فريق", "Lieutenant[\\s-]+General|Lt\\.?\\s*Gen\\.?",
     "g[ée]n[ée]ral\\s+de\\s+corps\\s+d['’]arm[ée]e"),
    ("General", "عماد", "General|Gen\\.", "g[ée]n[ée]ral"),
)
_HONORIFICS_AR = "السيد|الدكتور|الطبيب|المهندس"
_HONORIFICS_LATIN = "Mr\\.?|Dr\\.?|Doctor|M\\.|Docteur|Monsieur"


def _alternation(patterns: list[tuple[str, str]]) -> tuple[str, dict[str, str]]:
    """One regex alternation of named groups (longest first) and group name → English rank."""
    ordered = sorted(patterns, key=lambda item: len(item[1]), reverse=True)
    groups: dict[str, str] = {}
    parts: list[str] = []
    for index, (english, pattern) in enumerate(ordered):
        name = f"r{index}"
        groups[name] = english
        parts.append(f"(?P<{name}>{pattern})")
    return "|".join(parts), groups


_AR_ALTERNATION, _AR_GROUPS = _alternation([(en, ar) for en, ar, _, _ in _RANKS])
_LATIN_ALTERNATION, _LATIN_GROUPS = _alternation(
    [(en, latin) for en, _, en_pattern, fr_pattern in _RANKS
     for latin in (en_pattern, fr_pattern)])

_AR_STOP = frozenset("""
في من الى إلى على عن مع حتى لدى منذ بعد قبل عند خلال بتاريخ تاريخ التاريخ بموجب بحق الذي التي
الذين وقد قد كان كانت وكان تم وتم هو هي وهو حيث ثم او أو رئيس نائب مدير قائد معاون المحقق محقق
الضابط ضابط الفرع فرع المشفى السجن المحترم المحترمين الموقوف المدعو المذكور والدته الركن يصادق
اللواء العميد العقيد المقدم الرائد النقيب الملازم العماد الفريق الساعة صفحة
""".split())
_LATIN_STOP = frozenset("""
The He She It In On At Of And To From By For With As Was Were Is Head Deputy Director Chief
Commander Branch Section Prison Hospital Le La Les Il Elle Un Une Des Du De Et Au Aux Par Pour
Dans Sur Chef Directeur Adjoint Branche Selon According Page Date Ref Réf Witnesses Source
Intelligence Security Directorate Department Military Political Criminal State Air Force Staff
Command Headquarters Administration Division Sûreté Sécurité Direction Services Service Army
""".split())

_AR_WORD = "[\u0621-\u064a\u0671-\u06d3\u064b-\u065f\u0640]+"
# The name follows its rank on the same line or, once, on the next: prose wraps there, and a
# signature block may set the rank on a line of its own above the name.
_RANK_GAP = "(?:[ \t\u00a0]*\n[ \t\u00a0]*|[ \t\u00a0]+)"
_AR_NAME = re.compile(f"{_RANK_GAP}{_AR_WORD}(?:[ \t\u00a0]+{_AR_WORD}){{0,5}}")
_LATIN_WORD = (r"(?:(?:al|el|ad|ad|ash|as|az|an|ar|at|Al|El|AL|EL)[-‑’'])?"
               r"[A-ZÀ-ÖØ-ÞĀ-Ž][A-Za-zÀ-ÖØ-öø-ž'’-]*\.?")
_LATIN_PARTICLE = r"(?:bin|ibn|ben|abu|Abu|Abou|abou|Bin|Ibn|Ben|al|el|Al|El)"
_LATIN_NAME = re.compile(
    rf"{_RANK_GAP}(?:{_LATIN_PARTICLE}[ \t\u00a0]+)?{_LATIN_WORD}"
    rf"(?:[ \t\u00a0]+(?:{_LATIN_PARTICLE}[ \t\u00a0]+)?{_LATIN_WORD}){{0,4}}")

_AR_RANK = re.compile(
    f"(?<![\\w])(?P<proclitic>و)?(?P<rank>ال(?:{_AR_ALTERNATION}))"
    f"(?:[ \t\u00a0]+(?:ال)?ركن)?(?![\\w])"
)
_LATIN_RANK = re.compile(
    f"(?<![\\w-])(?P<rank>(?i:{_LATIN_ALTERNATION}))(?![\\w-])"
)
_HONORIFIC = re.compile(
    f"(?<![\\w])(?P<honorific>{_HONORIFICS_AR}|{_HONORIFICS_LATIN})(?=[ \t\u00a0])"
)


@dataclass(frozen=True)
class RankedName:
    """A rank (or honorific) and the name that follows it."""

    rank: str | None  # English, as claims use it
    rank_text: str
    rank_start: int
    name_start: int
    name_end: int


def _english_rank(match: re.Match[str], groups: dict[str, str]) -> str:
    for name, english in groups.items():
        if match.group(name) is not None:
            return english
    raise AssertionError("a rank matched without a rank group")


def _arabic_name(text: str, start: int) -> tuple[int, int] | None:
    match = _AR_NAME.match(text, start)
    if match is None:
        return None
    name_start = end = None
    for word in re.finditer(_AR_WORD, match.group()):
        bare = word.group().replace("\u0640", "")
        if bare in _AR_STOP or (bare.startswith("و") and bare[1:] in _AR_STOP):
            break
        if name_start is None:
            name_start = start + word.start()
        end = start + word.end()
    if name_start is None or end is None:
        return None
    # a compound (عبد الله, أبو علي) never ends a name
    last = text[name_start:end].split()[-1]
    if last in ("عبد", "ابو", "أبو", "بن") and len(text[name_start:end].split()) > 1:
        end = name_start + text[name_start:end].rfind(" ")
    return name_start, end


def _latin_name(text: str, start: int) -> tuple[int, int] | None:
    match = _LATIN_NAME.match(text, start)
    if match is None:
        return None
    name_start = end = None
    for word in re.finditer(r"\S+", match.group()):
        bare = word.group().rstrip(".")
        if bare in _LATIN_STOP:
            break
        if name_start is None:
            name_start = start + word.start()
        end = start + word.end()
        if word.group().endswith(".") and len(bare) > 1:
            end -= 1  # the full stop of the sentence, not of an initial
            break
    if name_start is None or end is None:
        return None
    return name_start, end


def find_ranked_names(text: str) -> list[RankedName]:
    """Every rank or honorific followed by a name, in text order."""
    ranked: list[RankedName] = []
    for match in _AR_RANK.finditer(text):
        span = _arabic_name(text, match.end())
        if span is not None:
            ranked.append(RankedName(_english_rank(match, _AR_GROUPS), match["rank"],
                                     match.start("rank"), *span))
    for match in _LATIN_RANK.finditer(text):
        span = _latin_name(text, match.end())
        if span is not None:
            ranked.append(RankedName(_english_rank(match, _LATIN_GROUPS), match["rank"],
                                     match.start(), *span))
    for match in _HONORIFIC.finditer(text):
        finder = _arabic_name if "\u0600" <= match["honorific"][0] <= "\u06ff" else _latin_name
        span = finder(text, match.end())
        if span is not None:
            ranked.append(RankedName(None, match["honorific"], match.start(), *span))
    ranked.sort(key=lambda r: (r.name_start, -(r.name_start - r.rank_start)))
    kept: list[RankedName] = []
    for item in ranked:  # "Brig. Gen." also reads as "General": keep the longest rank
        if kept and kept[-1].name_start == item.name_start:
            continue
        kept.append(item)
    return kept


def ranked_persons(text: str) -> list[Found]:
    """Person mentions introduced by a rank or an honorific (unlinked)."""
    found = []
    for item in find_ranked_names(text):
        attributes: dict[str, object] = {"rank_text": item.rank_text, "rank_start": item.rank_start}
        if item.rank is not None:
            attributes["rank"] = item.rank
        else:
            attributes["title"] = item.rank_text
        found.append(Found("person", item.name_start, item.name_end,
                           text[item.name_start:item.name_end], EXTRACTOR, 0.85,
                           attributes=attributes))
    return found


# -- post titles --------------------------------------------------------------------------

_ROLES: tuple[tuple[str, str], ...] = (
    ("deputy", "نائب\\s+(?:رئيس|مدير|قائد)|معاون\\s+(?:رئيس|مدير)|(?i:deputy\\s+(?:head|director|"
               "chief|commander)|deputy|chef\\s+adjoint|directeur\\s+adjoint|adjoint)"),
    ("head", "رئيس|مدير|قائد|(?i:head|chief|director|commander|chef|directeur|commandant\\s+de)"),
    ("interrogator", "(?:ال)?محقق|(?i:interrogator|investigator|enqu[êe]teur|interrogateur)"),
    ("officer", "(?:ال)?ضابط(?:\\s+(?:ال)?مناوب)?|"
                "(?i:duty\\s+officer|officer|officier(?:\\s+de\\s+permanence)?)"),
)
_ROLE = re.compile(
    "(?<![\\w])(?:" + "|".join(f"(?P<{role}>{pattern})" for role, pattern in _ROLES)
    + ")(?![\\w])"
)


@dataclass(frozen=True)
class Role:
    role: str  # head | deputy | interrogator | officer
    start: int
    end: int


def find_roles(text: str, start: int = 0, end: int | None = None) -> list[Role]:
    """Post title words between ``start`` and ``end``, in text order."""
    roles = []
    for match in _ROLE.finditer(text, start, len(text) if end is None else end):
        role = next(name for name, _ in _ROLES if match.group(name) is not None)
        roles.append(Role(role, match.start(), match.end()))
    return roles
