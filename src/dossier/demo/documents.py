"""Choosing what a synthetic document is about, and the builder templates write with.

A :class:`Context` fixes the facts of one document (kind, language, issuing unit, date,
reference number, detainees) consistently with the world: an arrest order comes from the
branch that arrested the detainee, a death report from the hospital where the detainee
died, a transfer order from the unit the detainee left. A re-typed near-duplicate reuses
the context with a different hand (other date format, other spelling of the names).

The :class:`DocBuilder` returns the exact strings it writes and records them as mentions,
so a template cannot write a name without the truth knowing how it was spelled.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from dossier.demo.formats import ar_digits, format_date, format_ref
from dossier.demo.spec import Claim, DocumentSpec, Mention, Paragraph, Spacer, Table
from dossier.demo.units import RANKS
from dossier.demo.world import GOVERNORATES, Detainee, Person, Post, World

__all__ = ["KINDS", "Context", "DocBuilder", "choose_context"]

KINDS = (
    "testimony",
    "arrest_order",
    "transfer_order",
    "interrogation_summary",
    "detainee_list",
    "death_report",
    "cable",
    "memo",
    "case_summary",
)
_KIND_WEIGHTS = {
    "ar": {
        "arrest_order": 16,
        "transfer_order": 14,
        "interrogation_summary": 14,
        "detainee_list": 12,
        "death_report": 12,
        "cable": 16,
        "memo": 16,
        "testimony": 6,
    },
    "en": {
        "case_summary": 30,
        "arrest_order": 15,
        "transfer_order": 10,
        "death_report": 15,
        "detainee_list": 20,
        "memo": 10,
    },
    "fr": {
        "case_summary": 35,
        "arrest_order": 20,
        "transfer_order": 10,
        "death_report": 15,
        "detainee_list": 20,
    },
}
_RANK = {r.ar: r for r in RANKS}
Day = date  # DocBuilder.date() is a method; annotations inside the class use this name
_PERIOD = (date(2011, 4, 1), date(2014, 12, 31))


@dataclass
class Context:
    """The facts of one document, fixed before any text is written."""

    seed: str
    kind: str
    language: str
    unit: str
    issued: date
    ref_number: int
    detainees: list[Detainee] = field(default_factory=list)
    target: str | None = None
    arabic_font: str = "amiri"


class DocBuilder:
    """Writes one document's blocks and records every mention it writes."""

    def __init__(self, world: World, ctx: Context, *, retyped: bool = False) -> None:
        self.world = world
        self.ctx = ctx
        self.retyped = retyped
        self.rng = random.Random(f"{ctx.seed}/hand/{int(retyped)}")
        self.lang = ctx.language
        self.spec = DocumentSpec(
            kind=ctx.kind,
            language=ctx.language,  # type: ignore[arg-type]
            title="",
            issued=ctx.issued,  # type: ignore[arg-type]
            unit=ctx.unit,
            arabic_font=ctx.arabic_font,
        )

    # -- surfaces ------------------------------------------------------------------------

    def note(self, kind: str, value: str, surface: str) -> str:
        self.spec.mentions.append(Mention(kind, value, surface))  # type: ignore[arg-type]
        return surface

    def person(self, person: Person) -> str:
        """The person's name, usually the full form, sometimes another spelling."""
        names = {"ar": person.ar_names, "en": person.en_names, "fr": person.fr_names}[self.lang]
        canonical = self.rng.random() < (0.45 if self.retyped else 0.75)
        surface = names[0] if canonical else self.rng.choice(names)
        return self.note("person", person.id, surface)

    def unit(self, unit_id: str, *, usual: bool = False) -> str:
        unit = self.world.by_id[unit_id]
        names = {"ar": unit.ar, "en": unit.en, "fr": unit.fr}[self.lang]
        surface = names[0] if usual or self.rng.random() < 0.6 else self.rng.choice(names)
        kind = "facility" if unit.kind in ("prison", "hospital") else "unit"
        return self.note(kind, unit_id, surface)

    def detainee(self, detainee: Detainee, *, long: bool = False) -> str:
        if self.lang == "ar":
            parts = [detainee.given.ar, detainee.father.ar]
            if long:
                parts.append(detainee.grandfather.ar)
            surface = " ".join(parts + [detainee.family.ar])
        else:
            surface = detainee.latin(self.rng, french=self.lang == "fr")
        return self.note("detainee", detainee.id, surface)

    def date(self, day: Day) -> str:
        return self.note("date", day.isoformat(), format_date(day, self.lang, self.rng))

    def ref(self) -> str:
        unit = self.world.by_id[self.ctx.unit]
        surface = format_ref(self.ctx.ref_number, self.lang, self.rng, unit.number)
        return self.note("ref", surface, surface)

    def number(self, value: int) -> str:
        return ar_digits(value) if self.lang == "ar" else str(value)

    def governorate(self, detainee: Detainee) -> str:
        return GOVERNORATES[detainee.governorate][{"ar": 0, "en": 1, "fr": 2}[self.lang]]

    def rank(self, post: Post) -> str:
        rank = _RANK[post.rank]
        return {"ar": rank.ar, "en": rank.en, "fr": rank.fr}[self.lang]

    # -- blocks ---------------------------------------------------------------------------

    def para(self, text: str, style: str = "body", align: str = "start") -> None:
        self.spec.blocks.append(Paragraph(text, style, align))  # type: ignore[arg-type]

    def table(self, rows: list[list[str]]) -> None:
        self.spec.blocks.append(Table(tuple(tuple(r) for r in rows)))

    def space(self, height: float = 8.0) -> None:
        self.spec.blocks.append(Spacer(height))

    def sign(self, unit_id: str, day: Day, role: str = "head") -> Person:
        """A signature block by whoever held ``role`` in ``unit_id`` on ``day``."""
        holders = self.world.holders(unit_id, role, day)
        if not holders:
            holders = [self.world.head_of(unit_id, day)]
            role = "head"
        person, post = holders[0]
        unit = self.world.by_id[unit_id]
        title = _post_title(unit.kind, role, self.lang, unit.head_ar, unit.head_en, unit.head_fr)
        name = self.person(person)
        rank = self.rank(post)
        if self.lang == "ar":
            rank = "ال" + rank  # signatures say "العميد فلان"
        if self.lang == "ar" and self.rng.random() < 0.5:
            lines = [f"{title} {rank} {name}"]
        elif self.lang == "ar":
            lines = [title, f"{rank} {name}"]
        else:
            lines = [title[0].upper() + title[1:], f"{rank[0].upper()}{rank[1:]} {name}"]
        self.space(14)
        for line in lines:
            self.para(line, "signature", "end")
        self.spec.claims.append(
            Claim(
                person.id,
                "holds_post",
                unit_id,
                role,
                _RANK[post.rank].en,
                day.isoformat(),
                " ".join(lines),
            )
        )
        if self.spec.signer is None:
            self.spec.signer = person.id
        return person


def _post_title(kind: str, role: str, lang: str, head_ar: str, head_en: str, head_fr: str) -> str:
    if role == "head":
        return {"ar": head_ar, "en": head_en, "fr": head_fr}[lang]
    titles = {
        "deputy": ("نائب رئيس الفرع", "Deputy Head of Branch", "chef adjoint de la branche"),
        "interrogator": ("المحقق", "Interrogator", "enquêteur"),
        "officer": ("الضابط المناوب", "Duty Officer", "officier de permanence"),
    }[role]
    return titles[{"ar": 0, "en": 1, "fr": 2}[lang]]


# -- choosing a context -------------------------------------------------------------------


def _in_period(day: date) -> bool:
    return _PERIOD[0] <= day <= _PERIOD[1]


@dataclass(frozen=True)
class _Index:
    """Lists of the world that every context draws from, computed once per world."""

    branches: list[str]
    arrested: list[Detainee]
    dead: list[Detainee]
    moved: list[tuple[Detainee, int]]
    last_moved: list[Detainee]


_INDEXES: dict[int, tuple[World, _Index]] = {}


def _index(world: World) -> _Index:
    cached = _INDEXES.get(id(world))
    if cached is not None and cached[0] is world:
        return cached[1]
    index = _Index(
        branches=[u.id for u in world.units if u.kind == "branch"],
        arrested=[d for d in world.detainees if _in_period(d.arrest_date)],
        dead=[d for d in world.detainees if d.death_date and _in_period(d.death_date)],
        moved=[
            (d, i)
            for d in world.detainees
            for i in range(1, len(d.custody))
            if _in_period(d.custody[i][1])
        ],
        last_moved=[d for d in world.detainees if _in_period(d.custody[-1][1])],
    )
    _INDEXES[id(world)] = (world, index)
    return index


def choose_context(
    world: World, seed: str, language: str | None = None, kind: str | None = None
) -> Context:
    """Pick the facts of one document from ``world``, deterministically for ``seed``."""
    rng = random.Random(seed)
    if language is None:
        language = rng.choices(("ar", "en", "fr"), (78, 12, 10))[0]
    weights = _KIND_WEIGHTS[language]
    if kind is None or kind not in weights:
        kind = rng.choices(list(weights), list(weights.values()))[0]
    font = rng.choice(("amiri", "amiri", "naskh"))
    ref_number = rng.randint(100, 9999)
    index = _index(world)
    branches, dead, moved = index.branches, index.dead, index.moved
    ctx = Context(
        seed, kind, language, rng.choice(branches), _PERIOD[0], ref_number, arabic_font=font
    )
    if kind == "arrest_order":
        d = rng.choice(index.arrested)
        ctx.unit, ctx.detainees = d.arresting_unit, [d]
        ctx.issued = d.arrest_date - timedelta(days=rng.randint(0, 12))
        ctx.target = "MI-215" if d.arresting_unit != "MI-215" else None
    elif kind == "transfer_order":
        d, i = rng.choice(moved)
        src, (dst, day) = d.custody[i - 1][0], d.custody[i]
        group = [
            e
            for e, j in moved
            if e.custody[j - 1][0] == src
            and e.custody[j][0] == dst
            and abs((e.custody[j][1] - day).days) <= 45
            and e is not d
        ]
        ctx.unit, ctx.target, ctx.issued = src, dst, day
        ctx.detainees = [d] + group[:11]
    elif kind == "death_report":
        d = rng.choice(dead)
        ctx.unit, ctx.detainees = d.death_place or "F-601", [d]
        assert d.death_date is not None  # `dead` holds only detainees who died
        ctx.issued = d.death_date + timedelta(days=rng.randint(0, 2))
        ctx.target = d.custody[-1][0]
    elif kind in ("interrogation_summary", "case_summary", "testimony"):
        d = rng.choice(index.last_moved)
        i = rng.randrange(len(d.custody))
        unit, start = d.custody[i]
        if unit.startswith("F-"):
            unit, start = d.custody[0]
        ctx.unit, ctx.detainees = unit, [d]
        ctx.issued = start + timedelta(days=rng.randint(1, 20))
    elif kind == "detainee_list":
        ctx.unit = rng.choice(branches)
        ctx.issued = _PERIOD[0] + timedelta(days=rng.randint(60, (_PERIOD[1] - _PERIOD[0]).days))
        held = [
            d
            for d in world.detainees
            if d.arresting_unit == ctx.unit and 0 <= (ctx.issued - d.arrest_date).days <= 365
        ]
        rng.shuffle(held)
        ctx.detainees = sorted(held[: rng.randint(6, 40)], key=lambda d: (d.arrest_date, d.id))
    else:  # cable, memo: about the latest arrests of a branch
        first = rng.choice(index.arrested)
        ctx.unit = first.arresting_unit
        ctx.issued = first.arrest_date + timedelta(days=rng.randint(1, 5))
        recent = [
            d
            for d in world.detainees
            if d.arresting_unit == ctx.unit
            and 0 < (ctx.issued - d.arrest_date).days <= 14
            and d is not first
        ]
        ctx.detainees = [first] + recent[: rng.randint(0, 3)]
        ctx.target = world.by_id[ctx.unit].parent
    return ctx
