"""A deterministic synthetic world: officers and their posts over time, units, detainees.

The world is the known truth the leak is generated from. Later stages are scored against
it: who held which post when (command claims), how each person's name may be spelled
(name linkage), which detainees exist and what happened to them (victim statistics).
Everything comes from ``random.Random(seed)``: the same seed gives the same world.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dossier.demo.names import (
    DENYLIST_FAMILY,
    DENYLIST_PAIRS,
    FAMILY,
    FEMALE,
    MALE,
    NamePart,
    article_forms,
)
from dossier.demo.units import FACILITIES, RANKS, UNITS, Rank, Unit

__all__ = ["GOVERNORATES", "Detainee", "Person", "Post", "World", "build_world"]

WINDOW = (date(2008, 1, 1), date(2016, 12, 31))

GOVERNORATES: tuple[tuple[str, str, str], ...] = (
    ("دمشق", "Damascus", "Damas"),
    ("ريف دمشق", "Rif Dimashq", "Rif Dimachq"),
    ("حلب", "Aleppo", "Alep"),
    ("حمص", "Homs", "Homs"),
    ("حماة", "Hama", "Hama"),
    ("اللاذقية", "Latakia", "Lattaquié"),
    ("طرطوس", "Tartus", "Tartous"),
    ("إدلب", "Idlib", "Idleb"),
    ("درعا", "Daraa", "Deraa"),
    ("السويداء", "As-Suwayda", "Soueïda"),
    ("القنيطرة", "Quneitra", "Kuneitra"),
    ("دير الزور", "Deir ez-Zor", "Deir ez-Zor"),
    ("الرقة", "Raqqa", "Raqqa"),
    ("الحسكة", "Al-Hasakah", "Hassaké"),
)

ROLES_AR = {"head": "رئيس", "deputy": "نائب رئيس", "interrogator": "محقق", "officer": "ضابط"}
_RANK_BY_AR = {r.ar: r for r in RANKS}


@dataclass(frozen=True)
class Post:
    """A post held from ``start`` to ``end`` inclusive."""

    unit: str
    role: str  # head | deputy | interrogator | officer
    rank: str  # Arabic rank name, see units.RANKS
    start: date
    end: date

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    def to_dict(self) -> dict[str, Any]:
        rank = _RANK_BY_AR[self.rank]
        return {
            "unit": self.unit,
            "role": self.role,
            "rank": {"ar": rank.ar, "en": rank.en, "fr": rank.fr},
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def _no_hamza(text: str) -> str:
    return text.translate(str.maketrans("أإآ", "ااا"))


def _arabic_variants(parts: list[str]) -> list[str]:
    """Arabic spellings of one name as clerks write it: short/long, hamza, ة/ه, عبد joined."""
    full = " ".join(parts)
    short = f"{parts[0]} {parts[-1]}"
    variants = [full, short, _no_hamza(full), _no_hamza(short)]
    for name in (full, short):
        if "عبد " in name:
            variants.append(name.replace("عبد ", "عبد"))
        if name.endswith("ة"):
            variants.append(name[:-1] + "ه")
    return list(dict.fromkeys(variants))


def _family_forms(family: NamePart, french: bool) -> list[str]:
    bases = family.fr if french else family.en
    if not family.article:
        return list(bases)
    return [form for base in bases for form in article_forms(base, family.ar, french)]


@dataclass
class Person:
    """A fictional officer."""

    id: str
    given: NamePart
    father: NamePart
    family: NamePart
    birth_year: int
    kunya: NamePart | None = None
    posts: list[Post] = field(default_factory=list)
    ar_names: list[str] = field(default_factory=list)
    en_names: list[str] = field(default_factory=list)
    fr_names: list[str] = field(default_factory=list)

    @property
    def name_ar(self) -> str:
        return self.ar_names[0]

    def make_variants(self, rng: random.Random) -> None:
        self.ar_names = _arabic_variants([self.given.ar, self.father.ar, self.family.ar])
        en_family = _family_forms(self.family, french=False)
        en: list[str] = [f"{self.given.en[0]} {en_family[0]}"]
        for _ in range(30):
            g, fa, fam = (
                rng.choice(self.given.en),
                rng.choice(self.father.en),
                rng.choice(en_family),
            )
            en.append(rng.choice([f"{g} {fam}", f"{g} {fam}", f"{g} {fa} {fam}", f"{fam}, {g}"]))
        self.en_names = list(dict.fromkeys(en))[:8]
        fr_family = _family_forms(self.family, french=True)
        fr: list[str] = [f"{self.given.fr[0]} {fr_family[0].upper()}"]
        for _ in range(20):
            g, fam = rng.choice(self.given.fr), rng.choice(fr_family)
            fr.append(rng.choice([f"{g} {fam}", f"{g} {fam.upper()}", f"{fam.upper()} {g}"]))
        self.fr_names = list(dict.fromkeys(fr))[:5]

    def posts_at(self, day: date) -> list[Post]:
        return [p for p in self.posts if p.covers(day)]

    def rank_at(self, day: date) -> Rank | None:
        held = [p for p in self.posts if p.start <= day]
        return _RANK_BY_AR[held[-1].rank] if held else None

    def to_dict(self) -> dict[str, Any]:
        kunya = None
        if self.kunya is not None:
            kunya = {"ar": f"أبو {self.kunya.ar}", "en": [f"Abu {n}" for n in self.kunya.en]}
        return {
            "id": self.id,
            "sex": "m",
            "birth_year": self.birth_year,
            "name": {"given": self.given.ar, "father": self.father.ar, "family": self.family.ar},
            "kunya": kunya,
            "names": {"ar": self.ar_names, "en": self.en_names, "fr": self.fr_names},
            "posts": [p.to_dict() for p in self.posts],
        }


@dataclass
class Detainee:
    """A fictional detainee, named with the nasab (given, father, grandfather, family)."""

    id: str
    sex: str
    given: NamePart
    father: NamePart
    grandfather: NamePart
    family: NamePart
    mother: NamePart
    birth_year: int
    age: int
    governorate: int
    arrest_date: date
    arresting_unit: str
    custody: list[tuple[str, date]]  # (unit or facility, from)
    fate: str  # released | transferred | died_in_custody | disappeared
    death_date: date | None = None
    death_place: str | None = None
    body_number: str | None = None

    @property
    def name_ar(self) -> str:
        return f"{self.given.ar} {self.father.ar} {self.family.ar}"

    def latin(self, rng: random.Random, french: bool = False) -> str:
        given = self.given.fr if french else self.given.en
        fam = rng.choice(_family_forms(self.family, french))
        return f"{rng.choice(given)} {fam.upper() if french else fam}"

    def to_dict(self) -> dict[str, Any]:
        gov = GOVERNORATES[self.governorate]
        return {
            "id": self.id,
            "sex": self.sex,
            "name": {
                "given": self.given.ar,
                "father": self.father.ar,
                "grandfather": self.grandfather.ar,
                "family": self.family.ar,
                "mother": self.mother.ar,
            },
            "names": {
                "ar": _arabic_variants(
                    [self.given.ar, self.father.ar, self.grandfather.ar, self.family.ar]
                ),
                "en": [f"{g} {_family_forms(self.family, False)[0]}" for g in self.given.en],
                "fr": [f"{g} {_family_forms(self.family, True)[0].upper()}" for g in self.given.fr],
            },
            "birth_year": self.birth_year,
            "age_at_arrest": self.age,
            "governorate": {"ar": gov[0], "en": gov[1], "fr": gov[2]},
            "arrest_date": self.arrest_date.isoformat(),
            "arresting_unit": self.arresting_unit,
            "custody": [{"unit": u, "from": d.isoformat()} for u, d in self.custody],
            "fate": self.fate,
            "death_date": self.death_date.isoformat() if self.death_date else None,
            "death_place": self.death_place,
            "body_number": self.body_number,
        }


@dataclass
class World:
    seed: int
    persons: list[Person]
    units: tuple[Unit, ...]
    facilities: tuple[Unit, ...]
    detainees: list[Detainee]

    def __post_init__(self) -> None:
        self.by_id: dict[str, Unit] = {u.id: u for u in self.units + self.facilities}
        self.person_by_id = {p.id: p for p in self.persons}

    def holders(self, unit: str, role: str, day: date) -> list[tuple[Person, Post]]:
        """Everyone who held ``role`` in ``unit`` on ``day``."""
        return [
            (person, post)
            for person in self.persons
            for post in person.posts
            if post.unit == unit and post.role == role and post.covers(day)
        ]

    def head_of(self, unit: str, day: date) -> tuple[Person, Post]:
        found = self.holders(unit, "head", day)
        if not found:
            raise LookupError(f"no head of {unit} on {day}")
        return found[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "window": [WINDOW[0].isoformat(), WINDOW[1].isoformat()],
            "persons": [p.to_dict() for p in self.persons],
            "units": [u.to_dict() for u in self.units],
            "facilities": [f.to_dict() for f in self.facilities],
            "detainees": [d.to_dict() for d in self.detainees],
            "governorates": [{"ar": a, "en": e, "fr": f} for a, e, f in GOVERNORATES],
        }


# -- building -----------------------------------------------------------------------------


def _random_name(rng: random.Random, given_pool: tuple[NamePart, ...]) -> tuple[NamePart, ...]:
    while True:
        given, father, family = rng.choice(given_pool), rng.choice(MALE), rng.choice(FAMILY)
        if given.ar == father.ar or family.ar in DENYLIST_FAMILY:
            continue
        if (given.ar, family.ar) in DENYLIST_PAIRS or (father.ar, family.ar) in DENYLIST_PAIRS:
            continue
        return given, father, family


def _chain(rng: random.Random, low: int, high: int) -> list[tuple[date, date]]:
    """Consecutive tenures covering the whole window, each ``low``..``high`` days long."""
    spans: list[tuple[date, date]] = []
    start = WINDOW[0] - timedelta(days=rng.randint(0, low))
    while start <= WINDOW[1]:
        end = start + timedelta(days=rng.randint(low, high))
        spans.append((start, min(end, WINDOW[1])))
        start = end + timedelta(days=1)
    return spans


_ROLE_RANKS: dict[tuple[str, str], tuple[int, ...]] = {
    ("agency", "head"): (8,),
    ("agency", "deputy"): (7, 8),
    ("branch", "head"): (7, 7, 8),
    ("branch", "deputy"): (6, 7),
    ("prison", "head"): (6, 7),
    ("hospital", "head"): (6, 7),
    ("branch", "interrogator"): (2, 3, 4, 5),
    ("branch", "officer"): (1, 2, 3),
    ("prison", "officer"): (2, 3, 4),
    ("hospital", "officer"): (3, 4, 5),
}


def _staff(rng: random.Random, persons: list[Person], make: Any) -> None:
    """Give every unit an unbroken chain of heads (and deputies, interrogators, officers)."""
    senior = [p for i, p in enumerate(persons) if i % 20 < 11] or persons
    junior = [p for p in persons if p not in senior] or persons
    slots: list[tuple[Unit, str, int, int, list[Person]]] = []
    for unit in UNITS + FACILITIES:
        slots.append((unit, "head", 540, 1460, senior))
        if unit.kind in ("agency", "branch"):
            slots.append((unit, "deputy", 540, 1460, senior))
        if unit.kind == "branch":
            slots += [(unit, "interrogator", 365, 1100, junior)] * 2
            slots.append((unit, "officer", 365, 1100, junior))
    for unit, role, low, high, pool in slots:
        for start, end in _chain(rng, low, high):
            free = [
                p
                for p in pool
                if all(
                    q.end + timedelta(days=20) < start or end + timedelta(days=20) < q.start
                    for q in p.posts
                )
            ]
            person = rng.choice(free) if free else make(pool)
            order = rng.choice(_ROLE_RANKS[(unit.kind, role)])
            person.posts.append(Post(unit.id, role, RANKS[order - 1].ar, start, end))
    for person in persons:
        person.posts.sort(key=lambda p: p.start)
        highest = 0
        for i, post in enumerate(person.posts):
            highest = max(highest, _RANK_BY_AR[post.rank].order)
            person.posts[i] = Post(
                post.unit, post.role, RANKS[highest - 1].ar, post.start, post.end
            )


def _detainee(rng: random.Random, index: int) -> Detainee:
    female = rng.random() < 0.07
    given, father, family = _random_name(rng, FEMALE if female else MALE)
    grandfather = rng.choice(MALE)
    arrest = date(2011, 3, 15) + timedelta(days=int(rng.triangular(0, 1750, 500)))
    age = rng.randint(13, 17) if rng.random() < 0.05 else int(rng.triangular(18, 70, 26))
    branches = [u.id for u in UNITS if u.kind == "branch"]
    arresting = rng.choice(branches)
    custody = [(arresting, arrest)]
    day = arrest
    for _ in range(rng.choice((0, 1, 1, 2))):
        day += timedelta(days=rng.randint(5, 120))
        custody.append((rng.choice([b for b in branches if b != custody[-1][0]]), day))
    fate = rng.choices(
        ("released", "transferred", "died_in_custody", "disappeared"), (35, 25, 22, 18)
    )[0]
    detainee = Detainee(
        id=f"V{index:05d}",
        sex="f" if female else "m",
        given=given,
        father=father,
        grandfather=grandfather,
        family=family,
        mother=rng.choice(FEMALE),
        birth_year=arrest.year - age,
        age=age,
        governorate=rng.randrange(len(GOVERNORATES)),
        arrest_date=arrest,
        arresting_unit=arresting,
        custody=custody,
        fate=fate,
    )
    if fate == "transferred":
        day += timedelta(days=rng.randint(10, 200))
        custody.append((rng.choice(("F-SAYDNAYA", "F-ADRA")), day))
    if fate == "died_in_custody":
        detainee.death_date = day + timedelta(days=rng.randint(3, 300))
        detainee.death_place = rng.choice(("F-601", "F-601", "F-TISHREEN"))
        number = rng.randint(1000, 9999)
        last_unit = UNITS[[u.id for u in UNITS].index(custody[-1][0])]
        detainee.body_number = f"{number}/{last_unit.number or rng.randint(200, 299)}"
    return detainee


def build_world(seed: int = 7, *, officers: int = 140, detainees: int = 600) -> World:
    """Build the world for ``seed`` with ``detainees`` detainees and ``officers`` officers.

    Every unit has a head (and branches a deputy, interrogators and an officer) on every
    day of the window, and nobody holds two posts at once; when ``officers`` people cannot
    staff that, more are added, so ``officers`` is a minimum (the default of 140 is enough).
    """
    rng = random.Random(f"dossier-world-{seed}")
    persons: list[Person] = []

    def make(pool: list[Person] | None = None) -> Person:
        given, father, family = _random_name(rng, MALE)
        kunya = rng.choice(MALE) if rng.random() < 0.25 else None
        person = Person(
            f"P{len(persons) + 1:04d}", given, father, family, rng.randint(1950, 1975), kunya
        )
        persons.append(person)
        if pool is not None:
            pool.append(person)
        return person

    for _ in range(officers):
        make()
    _staff(rng, persons, make)
    for person in persons:
        person.make_variants(rng)
    people = [_detainee(rng, i + 1) for i in range(detainees)]
    return World(seed, persons, UNITS, FACILITIES, people)
