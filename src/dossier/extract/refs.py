"""Reference numbers of documents, and the numbers given to detainees and bodies.

Registries number what they send: "الرقم: ٢٦٦٠/ص", "رقم: ص/٦٧٩٨", "Ref.: 1234/SEC", "Réf. :
1234/251", "No. 17", "رقم الملف: ٤٥٢١". Detainees and the dead are numbered too: "رقم الجثة:
٢٩٩١/٢١٥", "Body number: 4521/215", "Numéro du corps : 4521/215", "detainee No. 88". A number
after one of these labels is a ``ref`` or a ``detainee_number`` mention; a number with a one-
or two-letter registry suffix or prefix ("٢٦٦٠/ص", "ص/٢٦٦٠") is a ``ref`` even without a label.
The value is the number as written with European digits ("2660/ص").
"""

from __future__ import annotations

import re

from dossier.extract.model import INVISIBLE, Found
from dossier.text import european_digits

EXTRACTOR = "rules:ref"

_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")

_DETAINEE_LABELS = (
    "رقم\\s+(?:الجثة|الجثه|الموقوف|المعتقل|السجين|الضحية)",
    "(?i:body\\s+(?:number|no\\.?)|(?:detainee|prisoner)\\s+(?:number|no\\.?)"
    "|num[ée]ro\\s+(?:du\\s+corps|de\\s+corps|du\\s+d[ée]tenu|de\\s+d[ée]tenu)"
    "|n°\\s+(?:du\\s+corps|de\\s+d[ée]tenu))",
)
_REF_LABELS = (
    "(?:ال)?رقم(?:\\s+(?:الملف|الكتاب|المرجع|القيد|الصادر|الإضبارة|الاضبارة))?|(?:ال)?مرجع",
    "(?i:our\\s+ref\\.?|ref\\.?|reference|file\\s+(?:number|no\\.?)|r[ée]f\\.?|r[ée]f[ée]rence"
    "|dossier\\s+n°|n°|no\\.|num[ée]ro)",
)
_VALUE = (
    f"(?P<value>(?:[^\\W\\d_]{{1,4}}[{INVISIBLE}]*/[{INVISIBLE}]*)?\\d+"
    f"(?:[{INVISIBLE}]*[/\\-][{INVISIBLE}]*(?:\\d+|[^\\W\\d_]{{1,4}}))*)(?![\\w/])"
)
_LABELLED = re.compile(
    "(?<![\\w])(?:(?P<detainee>" + "|".join(_DETAINEE_LABELS) + ")|(?P<ref>"
    + "|".join(_REF_LABELS) + f"))[\\s{INVISIBLE}]*[:：]?[\\s{INVISIBLE}]*" + _VALUE
)
_UNLABELLED = re.compile(
    f"(?<![\\w/])(?P<value>\\d{{2,6}}[{INVISIBLE}]*/[{INVISIBLE}]*[\u0621-\u064a]{{1,2}}"
    f"|[\u0621-\u064a]{{1,2}}[{INVISIBLE}]*/[{INVISIBLE}]*\\d{{2,6}})(?![\\w/])"
)


def normalize_ref(written: str) -> str:
    """European digits, no invisible marks: the value two spellings of one number share."""
    return _INVISIBLE_RE.sub("", european_digits(written))


def find_refs(text: str) -> list[Found]:
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for match in _LABELLED.finditer(text):
        kind = "detainee_number" if match["detainee"] else "ref"
        start, end = match.span("value")
        if kind == "ref" and re.fullmatch(r"\d{1,2}", match["value"]) and not match["ref"].strip(
                ).startswith(("رقم", "الرقم")):
            continue  # "No. 3" in a list is a row, not a reference
        label = match["detainee"] or match["ref"]
        found.append(Found(kind, start, end, text[start:end], EXTRACTOR, 0.9,
                           value=normalize_ref(match["value"]), attributes={"label": label}))
        taken.append((start, end))
    for match in _UNLABELLED.finditer(text):
        start, end = match.span("value")
        if any(start < e and s < end for s, e in taken):
            continue
        found.append(Found("ref", start, end, text[start:end], EXTRACTOR, 0.6,
                           value=normalize_ref(match["value"])))
    return found
