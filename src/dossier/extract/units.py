"""Numbered units and facilities written in ways the registry may not list.

The names of units and facilities ("فرع الخطيب", "Air Force Intelligence", "Saydnaya") come from
the registry through the gazetteer. These patterns catch what a gazetteer cannot enumerate: a
branch, section or military hospital named by its number, in any of the usual wordings —
"الفرع ٢٥١", "فرع ٢٥١", "بالفرع 251", "القسم ٤٠", "المشفى العسكري ٦٠١", "Branch 251",
"the 251 Branch", "Branch No. 251", "Section 40", "Military Hospital 601", "la branche 251",
"section 40", "l'hôpital militaire 601". The value of the mention is the number; it is linked
to the registry's unit of that number when exactly one unit of a fitting kind has it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dossier.extract.model import Found

EXTRACTOR = "rules:unit"

_AR_UNIT_WORDS = {
    "فرع": "branch",
    "قسم": "section",
    "مفرزه": "section",
    "مفرزة": "section",
    "شعبه": "directorate",
    "شعبة": "directorate",
}
_AR_FACILITY_WORDS = {"مشفى": "hospital", "مستشفى": "hospital", "سجن": "prison"}
_LATIN_UNIT_WORDS = {"branch": "branch", "branche": "branch", "section": "section",
                     "division": "section"}
_LATIN_FACILITY_WORDS = {"hospital": "hospital", "hôpital": "hospital", "hopital": "hospital",
                         "prison": "prison"}

_NUMBER = r"(?P<number>\d{1,4})(?![\d/])"
_AR_NO = r"(?:رقم\s+)?"
_AR_UNIT = re.compile(
    r"(?<![\w])[وبلف]?(?P<word>(?:ال|لل)?(?:فرع|قسم|مفرز[ةه]|شعب[ةه]))"
    rf"(?:\s+(?:العسكري|العسكريه|العسكرية))?\s+{_AR_NO}{_NUMBER}"
)
_AR_FACILITY = re.compile(
    r"(?<![\w])[وبلف]?(?P<word>(?:ال|لل)?(?:مشفى|مستشفى|سجن))"
    rf"(?:\s+(?:العسكري|العسكريه|العسكرية))?\s+{_AR_NO}{_NUMBER}"
)
_LATIN_NO = r"(?:(?:No\.?|N°|n°|no\.|number|numéro)\s*)?"
_LATIN_UNIT = re.compile(
    rf"(?i:(?<![\w])(?:(?:la|the|l')\s+)?(?P<word>branch|branche|section)\s+{_LATIN_NO}){_NUMBER}"
    r"|(?<![\w\d/])(?P<number2>\d{1,4})(?:st|nd|rd|th)?\s+(?P<word2>(?i:branch|section))(?![\w])"
)
_LATIN_FACILITY = re.compile(
    rf"(?i:(?<![\w])(?:(?:la|the|l')\s*)?(?:military\s+)?(?P<word>hospital|h[ôo]pital|prison)"
    rf"(?:\s+militaire)?\s+{_LATIN_NO}){_NUMBER}"
)


@dataclass(frozen=True)
class NumberedEntity:
    """A registry unit or facility that has a number: what a numbered mention can link to."""

    entity_id: int
    kind: str  # unit | facility
    unit_type: str | None


NumberIndex = Mapping[str, Sequence[NumberedEntity]]


def _kind_and_type(word: str) -> tuple[str, str]:
    bare = word.lower()
    for prefix in ("ال", "لل"):
        if bare.startswith(prefix) and bare[len(prefix):] in {**_AR_UNIT_WORDS,
                                                              **_AR_FACILITY_WORDS}:
            bare = bare[len(prefix):]
    if bare in _AR_UNIT_WORDS:
        return "unit", _AR_UNIT_WORDS[bare]
    if bare in _LATIN_UNIT_WORDS:
        return "unit", _LATIN_UNIT_WORDS[bare]
    if bare in _AR_FACILITY_WORDS:
        return "facility", _AR_FACILITY_WORDS[bare]
    return "facility", _LATIN_FACILITY_WORDS.get(bare, "hospital")


def _link(number: str, kind: str, unit_type: str,
          numbers: NumberIndex) -> tuple[int | None, list[int]]:
    """The entity of that number and kind; a section only links to a section."""
    candidates = [entity for entity in numbers.get(number, ()) if entity.kind == kind]
    if unit_type == "section":
        typed = [entity for entity in candidates if entity.unit_type == "section"]
        candidates = typed or [entity for entity in candidates if entity.unit_type is None
                               or entity.unit_type == "branch"]
    ids = sorted({entity.entity_id for entity in candidates})
    return (ids[0] if len(ids) == 1 else None), ids


def find_numbered_units(text: str, numbers: NumberIndex) -> list[Found]:
    """Branches, sections and facilities named by their number (see the module)."""
    found: list[Found] = []
    for pattern in (_AR_UNIT, _AR_FACILITY, _LATIN_UNIT, _LATIN_FACILITY):
        for match in pattern.finditer(text):
            groups = match.groupdict()
            word = groups.get("word") or groups.get("word2") or ""
            number_text = groups.get("number") or groups.get("number2") or ""
            number = str(int(number_text))
            kind, unit_type = _kind_and_type(word)
            start = match.start("word") if groups.get("word") else match.start()
            entity_id, candidates = _link(number, kind, unit_type, numbers)
            attributes: dict[str, object] = {"unit_type": unit_type}
            if len(candidates) > 1:
                attributes["candidates"] = candidates
            found.append(Found(kind, start, match.end(), text[start:match.end()], EXTRACTOR,
                               0.9, value=number, attributes=attributes, entity_id=entity_id,
                               link_score=0.9 if entity_id is not None else None))
    return found
