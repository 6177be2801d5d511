"""What a synthetic document says, independent of the file format it is rendered to.

A template fills a :class:`DocumentSpec`: the blocks of text in reading order plus the
ground truth about them (who is mentioned and how the name is spelled, which units, dates,
reference numbers, and which command claims the document supports). Every renderer (PDF,
scan, DOCX, HTML, e-mail ...) draws the same spec, so the truth is written once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

__all__ = [
    "SYNTHETIC_AR",
    "SYNTHETIC_EN",
    "SYNTHETIC_FR",
    "Block",
    "Claim",
    "DocumentSpec",
    "Mention",
    "Paragraph",
    "Spacer",
    "Table",
    "blank_truth",
]

_EUROPEAN = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")

SYNTHETIC_EN = "SYNTHETIC — Dossier test data — not a real document"
SYNTHETIC_FR = "SYNTHETIC — données de test Dossier — document fictif"
SYNTHETIC_AR = "وثيقة اصطناعية — بيانات اختبار — ليست وثيقة حقيقية"

Style = Literal["banner", "title", "heading", "body", "small", "signature"]
Align = Literal["start", "center", "end"]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph, wrapped by the layout; ``start`` is right in Arabic, left otherwise."""

    text: str
    style: Style = "body"
    align: Align = "start"


@dataclass(frozen=True)
class Table:
    """A table of single-line cells; cells are listed in reading order."""

    rows: tuple[tuple[str, ...], ...]
    header: bool = True


@dataclass(frozen=True)
class Spacer:
    height: float = 8.0


Block = Paragraph | Table | Spacer


@dataclass(frozen=True)
class Mention:
    """One span of the document that names something, exactly as written."""

    kind: Literal["person", "unit", "facility", "detainee", "date", "ref"]
    value: str  # an entity id, an ISO date or the reference number itself
    surface: str


@dataclass(frozen=True)
class Claim:
    """A fact the document supports, e.g. that a person headed a unit on its date."""

    person: str
    predicate: Literal["holds_post"]
    unit: str
    role: str
    rank: str
    date: str
    surface: str


@dataclass
class DocumentSpec:
    """A document to render and everything that is true about it."""

    kind: str
    language: Literal["ar", "en", "fr"]
    title: str
    issued: date
    unit: str  # the unit or facility that produced it (drives the folder in the leak)
    blocks: list[Block] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    signer: str | None = None
    arabic_font: str = "amiri"

    @property
    def rtl(self) -> bool:
        return self.language == "ar"

    def with_european_digits(self) -> DocumentSpec:
        """The same document typed with 0-9: what a windows-1256 file can hold."""

        def fix(text: str) -> str:
            return text.translate(_EUROPEAN)

        blocks: list[Block] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                blocks.append(replace(block, text=fix(block.text)))
            elif isinstance(block, Table):
                blocks.append(replace(block, rows=tuple(tuple(map(fix, r)) for r in block.rows)))
            else:
                blocks.append(block)
        mentions = [
            replace(m, surface=fix(m.surface), value=fix(m.value) if m.kind == "ref" else m.value)
            for m in self.mentions
        ]
        claims = [replace(c, surface=fix(c.surface)) for c in self.claims]
        return replace(self, blocks=blocks, mentions=mentions, claims=claims)

    def ids(self, kind: str) -> list[str]:
        """Distinct values of one kind of mention, in order of first appearance."""
        return list(dict.fromkeys(m.value for m in self.mentions if m.kind == kind))

    def truth(self) -> dict[str, Any]:
        """The content part of this document's entry in ``truth.json``."""
        return {
            "kind": self.kind,
            "language": self.language,
            "title": self.title,
            "issued": self.issued.isoformat(),
            "issuing_unit": self.unit,
            "signer": self.signer,
            "persons": self.ids("person"),
            "person_mentions": [
                {"id": m.value, "surface": m.surface} for m in self.mentions if m.kind == "person"
            ],
            "detainees": self.ids("detainee"),
            "detainee_mentions": [
                {"id": m.value, "surface": m.surface} for m in self.mentions if m.kind == "detainee"
            ],
            "units": self.ids("unit"),
            "unit_mentions": [
                {"id": m.value, "surface": m.surface} for m in self.mentions if m.kind == "unit"
            ],
            "facilities": self.ids("facility"),
            "facility_mentions": [
                {"id": m.value, "surface": m.surface} for m in self.mentions if m.kind == "facility"
            ],
            "dates": sorted(set(self.ids("date"))),
            "date_mentions": [
                {"date": m.value, "surface": m.surface} for m in self.mentions if m.kind == "date"
            ],
            "refs": self.ids("ref"),
            "claims": [vars(c).copy() for c in self.claims],
        }


def blank_truth() -> dict[str, Any]:
    """The content fields of a file that holds no document (archive, broken file)."""
    return {
        "kind": None,
        "language": None,
        "title": None,
        "issued": None,
        "issuing_unit": None,
        "signer": None,
        "persons": [],
        "person_mentions": [],
        "detainees": [],
        "detainee_mentions": [],
        "units": [],
        "unit_mentions": [],
        "facilities": [],
        "facility_mentions": [],
        "dates": [],
        "date_mentions": [],
        "refs": [],
        "claims": [],
    }
