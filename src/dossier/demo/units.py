"""The agencies, branches and facilities of the synthetic world (public structure).

The structure follows what is publicly documented about the Syrian security services
(agencies, branch numbers, the best-known prisons and military hospitals); the people who
staff them in the synthetic world are all invented. Arabic names use Arabic-Indic digits
first ("الفرع ٢٥١"), as the documents do, with European-digit and nickname variants after.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["FACILITIES", "RANKS", "UNITS", "Rank", "Unit"]

UnitKind = Literal["agency", "branch", "prison", "hospital"]


@dataclass(frozen=True)
class Unit:
    """A unit or facility; the first name of each language is the usual one."""

    id: str
    kind: UnitKind
    parent: str | None
    number: int | None
    ar: tuple[str, ...]
    en: tuple[str, ...]
    fr: tuple[str, ...]
    head_ar: str
    head_en: str
    head_fr: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "parent": self.parent,
            "number": self.number,
            "names": {"ar": list(self.ar), "en": list(self.en), "fr": list(self.fr)},
            "head_title": {"ar": self.head_ar, "en": self.head_en, "fr": self.head_fr},
        }


def _agency(uid: str, ar: str, en: str, fr: str, head_ar: str) -> Unit:
    return Unit(
        uid,
        "agency",
        None,
        None,
        tuple(ar.split("|")),
        tuple(en.split("|")),
        tuple(fr.split("|")),
        head_ar,
        "Director",
        "directeur",
    )


def _branch(uid: str, parent: str, number: int | None, ar: str, en: str, fr: str) -> Unit:
    return Unit(
        uid,
        "branch",
        parent,
        number,
        tuple(ar.split("|")),
        tuple(en.split("|")),
        tuple(fr.split("|")),
        "رئيس الفرع",
        "Head of Branch",
        "chef de la branche",
    )


UNITS: tuple[Unit, ...] = (
    _agency(
        "MI",
        "شعبة المخابرات العسكرية|الأمن العسكري|شعبة الاستخبارات العسكرية",
        "Military Intelligence Directorate|Military Intelligence|Military Security",
        "Direction du renseignement militaire|renseignement militaire|Sécurité militaire",
        "رئيس شعبة المخابرات العسكرية",
    ),
    _agency(
        "GI",
        "إدارة المخابرات العامة|أمن الدولة|المخابرات العامة",
        "General Intelligence Directorate|State Security|General Intelligence",
        "Direction générale du renseignement|Sûreté de l'État|renseignement général",
        "مدير إدارة المخابرات العامة",
    ),
    _agency(
        "PS",
        "إدارة الأمن السياسي|الأمن السياسي",
        "Political Security Directorate|Political Security",
        "Direction de la sécurité politique|Sécurité politique",
        "مدير إدارة الأمن السياسي",
    ),
    _agency(
        "AF",
        "إدارة المخابرات الجوية|المخابرات الجوية",
        "Air Force Intelligence Directorate|Air Force Intelligence",
        "Direction du renseignement de l'armée de l'air|renseignement de l'armée de l'air",
        "مدير إدارة المخابرات الجوية",
    ),
    _agency(
        "CS",
        "إدارة الأمن الجنائي|الأمن الجنائي",
        "Criminal Security Department|Criminal Security",
        "Direction de la sécurité criminelle|Sécurité criminelle",
        "مدير إدارة الأمن الجنائي",
    ),
    _branch(
        "MI-215",
        "MI",
        215,
        "الفرع ٢١٥|فرع المداهمة|فرع ٢١٥|الفرع 215",
        "Branch 215|Raids Branch|Branch 215 (Raids)|215 Branch",
        "branche 215|branche des raids|section 215",
    ),
    _branch(
        "MI-227",
        "MI",
        227,
        "الفرع ٢٢٧|فرع المنطقة|فرع ٢٢٧|الفرع 227",
        "Branch 227|Damascus Region Branch|Region Branch|227 Branch",
        "branche 227|branche de la région|section 227",
    ),
    _branch(
        "MI-235",
        "MI",
        235,
        "الفرع ٢٣٥|فرع فلسطين|فرع ٢٣٥|الفرع 235",
        "Branch 235|Palestine Branch|Branch 235 (Palestine)|Far' Falastin",
        "branche 235|branche Palestine|section Palestine",
    ),
    _branch(
        "MI-248",
        "MI",
        248,
        "الفرع ٢٤٨|فرع التحقيق العسكري|فرع ٢٤٨|الفرع 248",
        "Branch 248|Military Interrogation Branch|Military Investigation Branch",
        "branche 248|branche des interrogatoires militaires|section 248",
    ),
    _branch(
        "MI-291",
        "MI",
        291,
        "الفرع ٢٩١|فرع ٢٩١|الفرع 291",
        "Branch 291|291 Branch",
        "branche 291|section 291",
    ),
    _branch(
        "GI-251",
        "GI",
        251,
        "الفرع ٢٥١|فرع الخطيب|الفرع الداخلي|فرع ٢٥١|الفرع 251",
        "Branch 251|al-Khatib branch|Internal Branch|Al Khatib Branch|Branch 251 (al-Khatib)",
        "branche 251|branche al-Khatib|branche intérieure|section 251",
    ),
    _branch(
        "GI-285",
        "GI",
        285,
        "الفرع ٢٨٥|فرع ٢٨٥|فرع التحقيق|الفرع 285",
        "Branch 285|Investigation Branch|285 Branch",
        "branche 285|branche d'enquête|section 285",
    ),
    _branch(
        "GI-300",
        "GI",
        300,
        "الفرع ٣٠٠|فرع ٣٠٠|الفرع 300",
        "Branch 300|300 Branch",
        "branche 300|section 300",
    ),
    _branch(
        "PS-INV",
        "PS",
        None,
        "فرع التحقيق في الأمن السياسي|فرع التحقيق السياسي",
        "Political Security Investigation Branch|PS Investigation Branch",
        "branche d'enquête de la Sécurité politique",
    ),
    _branch(
        "AF-MEZZEH",
        "AF",
        None,
        "فرع التحقيق في مطار المزة العسكري|فرع التحقيق في المخابرات الجوية|فرع مطار المزة",
        "Mezzeh Airport Investigation Branch|Air Force Intelligence Investigation Branch",
        "branche d'enquête de l'aéroport de Mezzeh|branche d'enquête de Mezzeh",
    ),
    _branch(
        "CS-DAM",
        "CS",
        None,
        "فرع الأمن الجنائي بدمشق|فرع الأمن الجنائي",
        "Damascus Criminal Security Branch|Criminal Security Branch, Damascus",
        "branche de la sécurité criminelle de Damas",
    ),
)

FACILITIES: tuple[Unit, ...] = (
    Unit(
        "F-SAYDNAYA",
        "prison",
        None,
        None,
        ("سجن صيدنايا العسكري", "سجن صيدنايا", "صيدنايا"),
        ("Saydnaya Military Prison", "Sednaya prison", "Saydnaya"),
        ("prison militaire de Saydnaya", "prison de Sednaya"),
        "مدير السجن",
        "Prison Director",
        "directeur de la prison",
    ),
    Unit(
        "F-ADRA",
        "prison",
        None,
        None,
        ("سجن عدرا المركزي", "سجن عدرا", "سجن دمشق المركزي"),
        ("Adra Central Prison", "Adra prison", "Damascus Central Prison"),
        ("prison centrale d'Adra", "prison d'Adra"),
        "مدير السجن",
        "Prison Director",
        "directeur de la prison",
    ),
    Unit(
        "F-TISHREEN",
        "hospital",
        None,
        None,
        ("مشفى تشرين العسكري", "مستشفى تشرين العسكري", "مشفى تشرين"),
        ("Tishreen Military Hospital", "Tishrin military hospital", "Tishreen Hospital"),
        ("hôpital militaire Tichrine", "hôpital militaire de Tishreen"),
        "مدير المشفى",
        "Hospital Director",
        "directeur de l'hôpital",
    ),
    Unit(
        "F-601",
        "hospital",
        None,
        None,
        ("المشفى العسكري ٦٠١", "مشفى المزة العسكري", "المشفى ٦٠١", "المشفى العسكري 601"),
        ("Military Hospital 601", "Mezzeh Military Hospital", "Hospital 601"),
        ("hôpital militaire 601", "hôpital militaire de Mezzeh"),
        "مدير المشفى",
        "Hospital Director",
        "directeur de l'hôpital",
    ),
)


@dataclass(frozen=True)
class Rank:
    """A military rank; ``order`` grows with seniority."""

    order: int
    ar: str
    en: str
    fr: str


RANKS: tuple[Rank, ...] = (
    Rank(1, "ملازم", "Second Lieutenant", "sous-lieutenant"),
    Rank(2, "ملازم أول", "First Lieutenant", "lieutenant"),
    Rank(3, "نقيب", "Captain", "capitaine"),
    Rank(4, "رائد", "Major", "commandant"),
    Rank(5, "مقدم", "Lieutenant Colonel", "lieutenant-colonel"),
    Rank(6, "عقيد", "Colonel", "colonel"),
    Rank(7, "عميد", "Brigadier General", "général de brigade"),
    Rank(8, "لواء", "Major General", "général de division"),
)
