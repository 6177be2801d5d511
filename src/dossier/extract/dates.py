"""Dates as clerks, translators and investigators write them, in Arabic, English and French.

Each date becomes a ``date`` mention whose value is an ISO date ("2012-03-04"), or a year and
month ("2012-03") when no day is written, or "--03-01" when no year is written.

Forms found:

- month names: Levantine (كانون الثاني … كانون الأول), Egyptian/MSA (يناير … ديسمبر),
  French (janvier … décembre, with or without accents, "1er"), English (January, Jan., Sept.);
  "٤ آذار ٢٠١٢", "4 mars 2012", "le 1er mars 2012", "4 March 2012", "March 4, 2012",
  "4th of March 2012", "mars 2012";
- an Arabic month name misread by one letter (OCR: "١٨ حزبران ٢٠١٤", "٢٩ زيران ٢٠١٢"), only
  between a day and a year, only for names of five letters or more (a four-letter name is one
  letter from common words: أيام, تمور), and only when one month is that near;
- numbers: "2012/03/04", "2012-3-4", "04/03/2012", "4-3-2012", "04.03.2012", "٤/٣/٢٠١٢م",
  with Arabic-Indic or European digits, and the invisible direction marks PDF text layers put
  around punctuation.

Which number is the day: a four-digit first number is the year (year/month/day). Otherwise the
last number is the year and the day comes first (day/month/year), as in Syrian, French and
British usage — unless the first number cannot be a day-of-month-first reading and the second
can (05/13/2012 is 13 May), which reads month-first. A two-digit year is 20xx below 50, 19xx
above, and scores lower. Impossible dates (31/02/2012) and years outside 1900–2099 are not
dates (Hijri years such as 1433 are left alone).
"""

from __future__ import annotations

import re
from datetime import date

from dossier.extract.model import INVISIBLE, Found, found_at
from dossier.text.edits import edit_distance

EXTRACTOR = "rules:date"
MISREAD_MONTH_SCORE = 0.85

_A = "[اأإآ]"  # any alef, as typed
_AR_MONTHS: tuple[tuple[int, str], ...] = (
    (1, "كانون\\s+(?:ال)?ثان[يى]"),
    (2, "شباط"),
    (3, f"{_A}ذار"),
    (4, "نيسان"),
    (5, f"{_A}يار"),
    (6, "حزيران"),
    (7, "تموز"),
    (8, f"{_A}ب"),
    (9, f"{_A}يلول"),
    (10, f"تشرين\\s+(?:ال)?{_A}ول"),
    (11, "تشرين\\s+(?:ال)?ثان[يى]"),
    (12, f"كانون\\s+(?:ال)?{_A}ول"),
    (1, "يناير"),
    (2, "فبراير"),
    (3, "مارس"),
    (4, f"{_A}بريل"),
    (5, "مايو"),
    (6, "يوني[وه]"),
    (7, "يولي[وه]"),
    (8, f"{_A}غسطس"),
    (9, "سبتمبر"),
    (10, f"{_A}كتوبر"),
    (11, "نوفمبر"),
    (12, "ديسمبر"),
)
_LATIN_MONTHS: tuple[tuple[int, str], ...] = (
    (1, "january|jan\\.?|janvier|janv\\.?"),
    (2, "february|feb\\.?|f[ée]vrier|f[ée]vr?\\."),
    (3, "march|mar\\.|mars"),
    (4, "april|apr\\.?|avril|avr\\.?"),
    (5, "may|mai"),
    (6, "june|jun\\.?|juin"),
    (7, "july|jul\\.?|juillet|juil\\.?"),
    (8, "august|aug\\.?|ao[uû]t"),
    (9, "september|sept?\\.?|septembre"),
    (10, "october|oct\\.?|octobre"),
    (11, "november|nov\\.?|novembre"),
    (12, "december|dec\\.?|d[ée]cembre|d[ée]c\\."),
)


def _month_group(months: tuple[tuple[int, str], ...]) -> str:
    # Longest alternatives first, so "تشرين الثاني" is not read as a shorter name.
    alternatives = sorted((pattern for _, pattern in months), key=len, reverse=True)
    return "(?P<month>" + "|".join(alternatives) + ")"


# The names as a misreading is compared with them (alefs and final yeh as `_near_month` writes
# them); names under five letters are left out (see the module).
_AR_MONTH_SPELLINGS: tuple[tuple[int, str], ...] = (
    (1, "كانون الثاني"), (4, "نيسان"), (6, "حزيران"), (9, "ايلول"), (10, "تشرين الاول"),
    (11, "تشرين الثاني"), (12, "كانون الاول"), (1, "يناير"), (2, "فبراير"), (4, "ابريل"),
    (6, "يونيو"), (7, "يوليو"), (8, "اغسطس"), (9, "سبتمبر"), (10, "اكتوبر"), (11, "نوفمبر"),
    (12, "ديسمبر"),
)
_MIN_MISREAD_MONTH = 5

_AR_MONTH_RES = [(number, re.compile(pattern + "$")) for number, pattern in _AR_MONTHS]
_LATIN_MONTH_RES = [(number, re.compile(f"(?:{pattern})$", re.IGNORECASE))
                    for number, pattern in _LATIN_MONTHS]

_GAP = f"[\\s{INVISIBLE}]"
_DIGIT_EDGE_BEFORE = r"(?<![\d/.\-])"
_DIGIT_EDGE_AFTER = r"(?!\d|[/.\-]\d)"

# ٤ آذار ٢٠١٢, ٤ من آذار عام ٢٠١٢م, 4 يناير 2012
_AR_DAY_MONTH_YEAR = re.compile(
    f"{_DIGIT_EDGE_BEFORE}(?P<day>\\d{{1,2}}){_GAP}*(?:من{_GAP}+)?{_month_group(_AR_MONTHS)}"
    f"(?:{_GAP}*[،,]?{_GAP}*(?:(?:من{_GAP}+)?(?:عام|سنة|لعام){_GAP}+)?(?P<year>\\d{{4}})"
    f"(?:{_GAP}?م(?![\\w]))?)?(?![\\w])"
)
# آذار ٢٠١٢ (a month)
_AR_MONTH_YEAR = re.compile(
    f"(?<![\\w]){_month_group(_AR_MONTHS)}{_GAP}*(?:(?:عام|سنة){_GAP}+)?(?P<year>\\d{{4}})"
    f"(?:{_GAP}?م(?![\\w]))?{_DIGIT_EDGE_AFTER}"
)
# 4 March 2012, le 1er mars 2012, 4th of March, 2012, 4 mars
_LATIN_DAY_MONTH_YEAR = re.compile(
    f"(?<![\\w.]){_DIGIT_EDGE_BEFORE}(?P<day>\\d{{1,2}})(?:er|st|nd|rd|th|e)?{_GAP}+(?:of{_GAP}+)?"
    f"{_month_group(_LATIN_MONTHS)}(?![^\\W\\d_])(?:,?{_GAP}+(?P<year>\\d{{4}}))?"
    f"{_DIGIT_EDGE_AFTER}",
    re.IGNORECASE,
)
# March 4, 2012; March 4th 2012; March 2012
_LATIN_MONTH_DAY_YEAR = re.compile(
    f"(?<![^\\W\\d_]){_month_group(_LATIN_MONTHS)}{_GAP}+"
    f"(?:(?P<day>\\d{{1,2}})(?:st|nd|rd|th)?,?{_GAP}+)?(?P<year>\\d{{4}}){_DIGIT_EDGE_AFTER}",
    re.IGNORECASE,
)
# 2012/03/04, 04.03.2012, 4-3-2012, ٤/٣/٢٠١٢م, 04/03/12
_NUMERIC = re.compile(
    f"{_DIGIT_EDGE_BEFORE}(?P<a>\\d{{1,4}})[{INVISIBLE}]*(?P<sep>[/.\\-])"
    f"[{INVISIBLE}]*(?P<b>\\d{{1,2}})[{INVISIBLE}]*(?P=sep)[{INVISIBLE}]*(?P<c>\\d{{1,4}})"
    f"(?:[{INVISIBLE}]*م(?![\\w]))?{_DIGIT_EDGE_AFTER}"
)

# ١٨ حزبران ٢٠١٤: a day, one or two Arabic words, a year (see `_near_month`)
_AR_LETTERS = "\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc"
_AR_MISREAD_MONTH = re.compile(
    f"{_DIGIT_EDGE_BEFORE}(?P<day>\\d{{1,2}}){_GAP}+"
    f"(?P<month>[{_AR_LETTERS}]+(?:{_GAP}+[{_AR_LETTERS}]+)?){_GAP}+(?P<year>\\d{{4}})"
    f"(?:{_GAP}?م(?![\\w]))?{_DIGIT_EDGE_AFTER}"
)
_ALEFS = str.maketrans("أإآى", "اااي")


def _near_month(written: str) -> int | None:
    """The month whose Arabic name ``written`` is one letter away from, if exactly one is."""
    word = re.sub(f"[\\s{INVISIBLE}]+", " ", written).translate(_ALEFS)
    if len(word) < _MIN_MISREAD_MONTH - 1:
        return None
    near = {number for number, name in _AR_MONTH_SPELLINGS
            if edit_distance(word, name, 1) == 1}
    return near.pop() if len(near) == 1 else None


def _iso(year: int, month: int, day: int) -> str | None:
    if not 1900 <= year <= 2099:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_number(written: str, arabic: bool) -> int:
    table = _AR_MONTH_RES if arabic else _LATIN_MONTH_RES
    compact = re.sub(f"[\\s{INVISIBLE}]+", " ", written)
    for number, pattern in table:
        if pattern.match(compact):
            return number
    raise ValueError(f"not a month name: {written!r}")  # the patterns above are the same


def read_numeric(a: str, b: str, c: str) -> tuple[str, float] | None:
    """The ISO date of three numbers as written (see the module's rules), and a score."""
    first, second, third = int(a), int(b), int(c)
    if len(a) == 4:
        value = _iso(first, second, third)
        return (value, 0.95) if value else None
    if len(a) > 2 or len(c) not in (2, 4):
        return None
    score = 0.95
    year = third
    if len(c) == 2:
        year = 2000 + third if third < 50 else 1900 + third
        score = 0.7
    if first > 12 or second <= 12:
        day, month = first, second
        if first <= 12 and second <= 12 and first != second:
            score -= 0.05  # could be month-first; day-first is the usage of these documents
    else:
        day, month = second, first
    value = _iso(year, month, day)
    return (value, score) if value else None


def find_dates(text: str) -> list[Found]:
    """Every date written in ``text``; overlapping readings keep the longest."""
    found: list[Found] = []
    for match in _NUMERIC.finditer(text):
        reading = read_numeric(match["a"], match["b"], match["c"])
        if reading is not None:
            found.append(found_at(text, "date", match.start(), match.end(), EXTRACTOR,
                                  reading[1], value=reading[0]))
    for pattern, arabic in ((_AR_DAY_MONTH_YEAR, True), (_LATIN_DAY_MONTH_YEAR, False)):
        for match in pattern.finditer(text):
            month = _month_number(match["month"], arabic)
            day = int(match["day"])
            if match["year"]:
                value = _iso(int(match["year"]), month, day)
                score = 0.97
            else:
                value = f"--{month:02d}-{day:02d}" if 1 <= day <= 31 else None
                score = 0.6
            if value:
                found.append(found_at(text, "date", match.start(), match.end(), EXTRACTOR,
                                      score, value=value))
    for match in _AR_MISREAD_MONTH.finditer(text):
        month_read = _near_month(match["month"])
        value = None if month_read is None else _iso(int(match["year"]), month_read,
                                                     int(match["day"]))
        if value:
            found.append(found_at(text, "date", match.start(), match.end(), EXTRACTOR,
                                  MISREAD_MONTH_SCORE, value=value))
    for pattern, arabic in ((_AR_MONTH_YEAR, True), (_LATIN_MONTH_DAY_YEAR, False)):
        for match in pattern.finditer(text):
            month = _month_number(match["month"], arabic)
            year = int(match["year"])
            day_text = match.groupdict().get("day")
            if day_text:
                value, score = _iso(year, month, int(day_text)), 0.97
            else:
                value = f"{year:04d}-{month:02d}" if 1900 <= year <= 2099 else None
                score = 0.8
            if value:
                found.append(found_at(text, "date", match.start(), match.end(), EXTRACTOR,
                                      score, value=value))
    return longest_first(found)


def longest_first(found: list[Found]) -> list[Found]:
    """Drop every mention that overlaps a longer one (ties: the earlier, then the surer)."""
    ordered = sorted(found, key=lambda f: (-(f.end - f.start), f.start, -f.score))
    kept: list[Found] = []
    for candidate in ordered:
        if not any(candidate.overlaps(other) for other in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda f: f.start)
