"""What extraction finds on a page: mentions, before they are written to the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Mention kinds, as stored in mentions.kind.
KINDS = ("person", "unit", "facility", "place", "date", "ref", "detainee_number")

# Characters that PDF text layers put around numbers and punctuation (Arabic letter mark,
# left-to-right and right-to-left marks); patterns allow them wherever they allow a space.
INVISIBLE = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"


@dataclass
class Found:
    """One span of a page's text that names something.

    ``start``/``end`` are character offsets into the page text, ``text`` is the span as
    written, ``value`` a normalised form (an ISO date, a unit number, a reference number),
    ``score`` how sure the extractor is that the span is of this kind, ``entity_id`` and
    ``link_score`` the registry entity it names when the extractor could tell.
    """

    kind: str
    start: int
    end: int
    text: str
    extractor: str
    score: float
    value: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    entity_id: int | None = None
    link_score: float | None = None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def overlaps(self, other: Found) -> bool:
        return self.start < other.end and other.start < self.end


def found_at(text: str, kind: str, start: int, end: int, extractor: str, score: float,
             **fields: Any) -> Found:
    """A :class:`Found` whose ``text`` is ``text[start:end]``."""
    return Found(kind, start, end, text[start:end], extractor, score, **fields)
