"""All the extractors over one page, their results merged into one list of mentions.

Merging rules:

- units, facilities and places: of overlapping mentions the longest wins; on a tie the
  gazetteer's (it knows the entity) before a numbered pattern's;
- persons: a rank-introduced name that overlaps a gazetteer name gives the gazetteer mention
  its rank (the registry's spelling of the extent is the better one); one that overlaps none
  is kept on its own, unlinked; a name inside a unit's or facility's name is not a person;
- a registry name written where a detainee's name goes (after "المدعو", "الموقوف", "Name:",
  "le nommé" and up to two more words, on its line or at the end of the line before, or among
  the first words of a numbered row that no rank introduces) is kept as a person mention but
  not linked: the registry's candidates go into its attributes (``context: detainee``) for
  resolution to decide, since detainees and officers share the common names;
- a registry name that follows other name words where a detainee's name goes (in a numbered
  row, "4 Riad AL-KHALIL Amina 1946", "٢,محمود فادي الخليل,ليلى", or after a cue, "اسم
  الموقوف: رامي عبد الله مازن الشامي") is no person at all: it is the detainee's father's or
  grandfather's name with the family's (Arabic names are chains of fathers' names), or his
  family name run into the next column of a table whose cells a PDF's text layer joins with a
  space;
- on a page read by OCR, a rank-introduced name the gazetteer did not find is linked to the
  one registry person it can only be a misreading of, if there is one (`ocr_names`);
- dates and references are kept as their extractors return them.

The page's header is then read (see :func:`mark_header`): which date is the document's
date and which unit issued it, which is what claims are dated and placed with.
"""

from __future__ import annotations

import re

from dossier.extract.dates import find_dates
from dossier.extract.gazetteer import LATIN_PARTICLES, Gazetteer
from dossier.extract.model import INVISIBLE, Found
from dossier.extract.ranks import EXTRACTOR as RANKS_EXTRACTOR
from dossier.extract.ranks import ranked_persons
from dossier.extract.refs import find_refs
from dossier.extract.units import find_numbered_units
from dossier.text import analyze

_ORGANISATIONS = ("unit", "facility", "place")
_DATE_LABEL = re.compile(
    f"(?:^|\\n)[ \\t{INVISIBLE}]*(?:(?:ال)?تاريخ|(?i:date|dated))"
    f"[ \\t{INVISIBLE}]*[:：]?[ \\t{INVISIBLE}]*$"
)
# On a page read by OCR the label may have lost or misread its last letters ("التارج:", "تار:",
# measured on the demo's scans): its first three letters and at most two more, then a colon.
_DATE_LABEL_OCR = re.compile(
    f"(?:^|\\n)[ \\t{INVISIBLE}]*(?:ال)?تار[\u0621-\u064a]{{0,2}}"
    f"[ \\t{INVISIBLE}]*[:：][ \\t{INVISIBLE}]*$"
)
_FROM_LABEL = re.compile(
    f"(?:^|\\n)[ \\t{INVISIBLE}]*(?:من|(?i:from|de|exp[ée]diteur))[ \\t{INVISIBLE}]*[:：]"
    f"[ \\t{INVISIBLE}]*$"
)
_LOOKBACK = 40
_BLANK = re.compile(f"[ \\t{INVISIBLE}]*")
# Words that introduce the name of a detainee, and the start of a numbered row or list item:
# a registry name there is more likely a namesake among the detainees than the officer.
_GAP = f"[ \\t{INVISIBLE}]"
# the cues his name follows directly (also `_CUE_NAME_WORDS`); `_DETAINEE_CUE` adds looser
# ones, "اسم الموقوف", "بأن" ("that ..."), "the person"
_NAMING_CUE = ("المدعو|المدعوه|المدعوة|الموقوف|الموقوفه|الموقوفة|المعتقل|المعتقله|المعتقلة"
               "|السجين|الاسم|(?i:named|name|detainee|prisoner|nomm[ée]e?|nom|d[ée]tenue?)")
_DETAINEE_CUE = re.compile(
    f"(?:{_NAMING_CUE}|اسم الموقوف|اسم المعتقل|بان|بأن|(?i:the person))"
    f"{_GAP}*[:：]?(?:{_GAP}+[^\\s:]+){{0,2}}{_GAP}*$"
)
# "١-" may come out "-١" (and "(١)" as ")١(") from a PDF whose Arabic line pdfium misorders
_TABLE_ROW = re.compile(f"{_GAP}*[-(]?\\d+{_GAP}*[-.)]?(?:{_GAP}+\\S+){{0,3}}{_GAP}*$")
# On a scan the row's number may come out as signs or Latin letters ('"' or '1"' for ١١, "U",
# "¥"): up to three digits or such look-alikes of them, then Arabic words; never before a name
# that a rank introduces ("- العميد ...": a list of officers)
_ROW_NUMBER_MISREAD = "\\d\"'’“”¥£€°|!IlVvYyUOo"
_TABLE_ROW_OCR = re.compile(
    f"{_GAP}*[{_ROW_NUMBER_MISREAD}]{{1,3}}(?:{_GAP}+[\u0621-\u064a]+){{0,3}}{_GAP}*$")
# One to three words of a name before a registry name, where a detainee's name goes: a row's
# number (and its dash, point or bracket, or the comma of a CSV row), or a cue that names him.
# A name word is Arabic, or Latin capitalised or a particle ("al-Ahmad", "bin"); the words are
# joined by spaces only (a tab is the next cell).
_SPACE = f"[ {INVISIBLE}]"
_NAME_WORD = ("(?:[\u0621-\u064a][\u0621-\u0652]*|[A-ZÀ-Þ][\\w'’-]*"
              f"|(?:{'|'.join(sorted(LATIN_PARTICLES))})(?:-[\\w'’-]+)?)")
_NAME_WORDS = f"(?:{_NAME_WORD}{_SPACE}+){{1,3}}$"
_ROW_NAME_WORDS = re.compile(f"{_GAP}*[-(]?\\d+{_GAP}*[-.),،]?{_GAP}*{_NAME_WORDS}")
_CUE_NAME_WORDS = re.compile(f"(?<!\\w)(?:{_NAMING_CUE}){_GAP}*[:：]?{_SPACE}*{_NAME_WORDS}")


# The name after a rank that holds a shorter name the gazetteer linked (an attribute of the
# gazetteer's mention until `_link_misread_officers` has looked at it).
_AFTER_RANK = "after_rank"


def extract_page(text: str, gazetteer: Gazetteer, *, ocr: bool = False) -> list[Found]:
    """Every mention on the page, in text order, with the header marked; ``ocr``: the text
    was read by OCR (the gazetteer then allows a misread word in a unit's name)."""
    tokens = analyze(text)
    named = gazetteer.find(text, tokens, ocr=ocr)
    organisations = _longest([f for f in named if f.kind in _ORGANISATIONS]
                             + find_numbered_units(text, gazetteer.numbers))
    persons = _persons(text, [f for f in named if f.kind == "person"], organisations,
                       ranked_persons(text), ocr=ocr)
    if ocr:
        _link_misread_officers(persons, gazetteer)
    for person in persons:
        person.attributes.pop(_AFTER_RANK, None)
    found = organisations + persons + find_dates(text) + find_refs(text)
    found.sort(key=lambda f: (f.start, f.end, f.kind))
    mark_header(text, found, ocr=ocr)
    return found


def _longest(found: list[Found]) -> list[Found]:
    ordered = sorted(found, key=lambda f: (-(f.end - f.start), f.extractor != "gazetteer",
                                           f.start))
    kept: list[Found] = []
    for candidate in ordered:
        if not any(candidate.overlaps(other) for other in kept):
            kept.append(candidate)
    return kept


def _persons(text: str, named: list[Found], organisations: list[Found], ranked: list[Found],
             *, ocr: bool = False) -> list[Found]:
    persons = [f for f in named if not any(f.overlaps(o) and (o.end - o.start) > (f.end - f.start)
                                           for o in organisations)]
    kept: list[Found] = []
    for person in persons:
        # a rank before the name makes it an officer's, whatever begins the line
        after_rank = any(candidate.overlaps(person) for candidate in ranked)
        if not after_rank and _inside_detainee_name(text, person.start):
            continue
        if person.entity_id is not None and _detainee_context(
                text, person.start, ocr=ocr, ranked=after_rank):
            person.attributes["candidates"] = [person.entity_id]
            person.attributes["context"] = "detainee"
            person.entity_id = person.link_score = None
        kept.append(person)
    persons = kept
    for candidate in ranked:
        twin = next((p for p in persons if p.overlaps(candidate)), None)
        if twin is not None:
            for key, value in candidate.attributes.items():
                twin.attributes.setdefault(key, value)
            if candidate.start < twin.start or candidate.end > twin.end:
                twin.attributes[_AFTER_RANK] = candidate  # for `_link_misread_officers`
            continue
        if any(candidate.overlaps(o) for o in organisations):
            continue
        persons.append(candidate)
    return persons


def _link_misread_officers(persons: list[Found], gazetteer: Gazetteer) -> None:
    """On an OCR'd page, link a rank-introduced name the gazetteer did not know to the one
    registry person it can only be a misreading of (`ocr_names`), for review."""
    for person in persons:
        ranked = person.attributes.get(_AFTER_RANK)
        if person.entity_id is not None and ranked is not None \
                and "candidates" not in person.attributes:
            # the gazetteer knew a shorter name inside the one after the rank, another man's
            # ("جهاد بكور" in "العميد مصطقى جهاد بكور"): the whole name, misread, may be the
            # name of one registry person
            near = gazetteer.near_names.nearest(ranked.text)
            if near is None or near.entity_id == person.entity_id:
                continue
            person.start, person.end, person.text = ranked.start, ranked.end, ranked.text
        elif person.entity_id is not None or person.extractor != RANKS_EXTRACTOR \
                or "candidates" in person.attributes:
            continue
        else:
            near = gazetteer.near_names.nearest(person.text)
            if near is None:
                continue
        person.entity_id = near.entity_id
        person.link_score = 0.6
        person.attributes["ocr_read_as"] = {"written": person.text, "registry": near.spelled,
                                            "edits": near.edits}


def _inside_detainee_name(text: str, start: int) -> bool:
    """Whether a name follows other words of a detainee's name on its line (see the module)."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_ROW_NAME_WORDS.match(text, line_start, start)
                or _CUE_NAME_WORDS.search(text, line_start, start))


def _detainee_context(text: str, start: int, *, ocr: bool = False, ranked: bool = False
                      ) -> bool:
    """Whether the words before a name on its line say it is a detainee's (see the module);
    ``ocr``: the row's number may be misread as signs or Latin letters; ``ranked``: a rank
    introduces the name, which makes a numbered row a list of officers ("١- العميد ...")."""
    line_start = text.rfind("\n", 0, start) + 1
    if _DETAINEE_CUE.search(text, max(line_start, start - _LOOKBACK), start):
        return True
    if not ranked and (_TABLE_ROW.match(text, line_start, start)
                       or ocr and _TABLE_ROW_OCR.match(text, line_start, start)):
        return True
    # prose wraps: "the person named\nMaher Taha" — the cue ends the line before the name's
    if line_start and _BLANK.fullmatch(text, line_start, start):
        previous_end = line_start - 1
        return bool(_DETAINEE_CUE.search(text, max(text.rfind("\n", 0, previous_end) + 1,
                                                   previous_end - _LOOKBACK), previous_end))
    return False


def mark_header(text: str, found: list[Found], *, ocr: bool = False) -> None:
    """Mark the document's date (``issued``) and the unit that wrote it (``issuer``).

    The document's date is the first date written after a date label at the start of a line
    ("التاريخ:", "تاريخ:", "Date:"; on a page read by OCR also the label with its last letters
    misread, "التارج:"), else none on this page. The issuer is the unit or
    facility after a "من:" / "From:" / "De :" label, else the last unit or facility named
    before the document's date (a letterhead names the agency, then the branch).
    """
    dates = [f for f in found if f.kind == "date" and len(f.value or "") == 10]
    labels = (_DATE_LABEL, _DATE_LABEL_OCR) if ocr else (_DATE_LABEL,)
    issued = next((f for f in dates if any(label.search(
        text, max(0, f.start - _LOOKBACK), f.start) for label in labels)), None)
    if issued is None:
        return
    issued.attributes["issued"] = True
    bodies = [f for f in found if f.kind in ("unit", "facility") and f.entity_id is not None]
    sender = next((f for f in bodies if _FROM_LABEL.search(
        text, max(0, f.start - _LOOKBACK), f.start)), None)
    if sender is None:
        before = [f for f in bodies if f.end <= issued.start]
        sender = before[-1] if before else None
    if sender is not None:
        sender.attributes["issuer"] = True
