"""Claims a page supports, proposed for a person to accept or reject.

Three wordings say that a person held a post in a unit; each gives a ``holds_post`` claim
(with the role: head, deputy, interrogator, officer) and, when a rank is written, a
``has_rank`` claim, both "within" one day — a dated document proves the post was held at least
on that day, not for how long:

- a signature block: a post title, then (on the same or the next line that is not blank) a
  rank and a name that ends its line — "رئيس الفرع\\nالعميد X", "مدير المشفى العقيد X", "Head
  of Branch\\nBrigadier General X". The unit is the one the title names ("رئيس شعبة المخابرات
  العسكرية"), else the unit that issued the document (its letterhead, see
  ``page.mark_header``). The day is the document's date (origin ``extract:signature``);
- a statement: "… كان رئيس الفرع ٢٥١ في تلك الفترة العقيد X", "Branch 251 was headed by
  Colonel X", "la branche 251 était dirigée par le colonel X". The day is the last date written
  before it in the same paragraph, else the last one before it on the page that is not the
  document's own date, else the document's date (origin ``extract:statement``);
- an apposition: "Brigadier General X, head of Branch 251". The day is a date written in the
  same paragraph, else the document's date (origin ``extract:apposition``).

A claim is proposed only when the person and the unit are both linked to registry entities:
the claims name entities, never strings. Its source is the page with the words as a quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from dossier.extract.model import Found
from dossier.extract.ranks import find_roles
from dossier.registry.claims import ClaimDraft, Source
from dossier.text import normalize

SIGNATURE_CONFIDENCE = 0.8
STATEMENT_CONFIDENCE = 0.7

# Words that may stand between a post title and the name or unit it belongs to.
_CONNECTORS = frozenset(normalize(word) for word in """
of the a de la le l du des d en at that time then in
فرع الفرع السجن المشفى المستشفى الشعبه الاداره القسم قسم في تلك الفتره الوقت ذلك اناذاك انذاك
حينها حينذاك وقتها كان كانت
branch branche section prison hospital hopital directorate direction
""".split())
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_HEADED_BY = re.compile(
    r"(?i:(?:headed|commanded|directed|led|run)\s+by|(?:dirig|command|présid|presid)[ée]e?s?\s+par)"
    r"\s+(?:(?:le|la|l['’])\s*)?$"
)
_APPOSITION = re.compile(r"[ \t]*[,،][ \t]*")
_SENTENCE_END = re.compile(r"[.!?؟]\s")
_SENTENCE_REACH = 300


@dataclass
class ItemContext:
    """What the first page of a document says about all its pages."""

    issued: str | None = None  # the document's date (ISO)
    issuer_id: int | None = None  # the entity of the unit that wrote it

    def update(self, found: list[Found]) -> None:
        for mention in found:
            if mention.attributes.get("issued") and self.issued is None:
                self.issued = mention.value
            if mention.attributes.get("issuer") and self.issuer_id is None:
                self.issuer_id = mention.entity_id


@dataclass(frozen=True)
class _Post:
    person: Found
    unit_id: int
    role: str
    day: str
    quote: str
    origin: str
    confidence: float


def propose_claims(text: str, found: list[Found], context: ItemContext, *, item_id: int,
                   page_number: int, actor: str) -> list[ClaimDraft]:
    """The claims the page supports (see the module), ready for ``add_claims``."""
    drafts: list[ClaimDraft] = []
    for person in found:
        if person.kind != "person" or person.entity_id is None:
            continue
        post = (_signature_or_statement(text, found, person, context)
                or _apposition(text, found, person, context))
        if post is None:
            continue
        source = (Source(item_id=item_id, page_number=page_number, quote=post.quote),)
        # a name OCR misread and `ocr_names` linked loosely: the claim is as sure as the link
        confidence = post.confidence
        if "ocr_read_as" in person.attributes and person.link_score is not None:
            confidence *= person.link_score
        holds = ClaimDraft(subject_id=person.entity_id, predicate="holds_post", sources=source,
                           object_id=post.unit_id, role=post.role, valid_from=post.day,
                           valid_to=post.day, time_precision="within",
                           confidence=round(confidence, 3), author=actor, origin=post.origin,
                           status="proposed")
        drafts.append(holds)
        rank = person.attributes.get("rank")
        if isinstance(rank, str):
            drafts.append(replace(holds, predicate="has_rank", object_id=None, role=None,
                                  value=rank))
    return drafts


def _organisations(found: list[Found], start: int, end: int) -> list[Found]:
    return [f for f in found if f.kind in ("unit", "facility") and start <= f.start
            and f.end <= end]


def _only_connectors(text: str, start: int, end: int, skip: list[Found]) -> bool:
    pieces = []
    cursor = start
    for mention in sorted(skip, key=lambda f: f.start):
        pieces.append(text[cursor:mention.start])
        cursor = mention.end
    pieces.append(text[cursor:end])
    words = _WORD.findall(normalize(" ".join(pieces)))
    return all(word in _CONNECTORS for word in words)


def _line_bounds(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end < 0 else end


def _previous_line_start(text: str, line_start: int) -> int:
    """Where the last line before `line_start` that is not blank starts (`line_start` when
    there is none): DOCX and HTML paragraphs come out with blank lines between them."""
    start = line_start
    while start > 0:
        start = text.rfind("\n", 0, start - 1) + 1
        if text[start:line_start].strip():
            return start
    return 0


def _unit_of(units: list[Found], context: ItemContext) -> int | None:
    if units:
        return units[-1].entity_id  # None when the unit named is not linked: no claim
    return context.issuer_id


def _signature_or_statement(text: str, found: list[Found], person: Found,
                            context: ItemContext) -> _Post | None:
    rank_start = person.attributes.get("rank_start")
    anchor = rank_start if isinstance(rank_start, int) else person.start
    line_start, line_end = _line_bounds(text, anchor)
    window_start = _previous_line_start(text, line_start)
    headed = _HEADED_BY.search(text, max(0, anchor - 80), anchor)
    if headed is not None:
        # prose wraps: the sentence may begin on an earlier line
        reach = max(0, headed.start() - _SENTENCE_REACH)
        sentence_start = max([reach, *(m.end() for m in _SENTENCE_END.finditer(
            text, reach, headed.start()))])
        units = _organisations(found, sentence_start, headed.start())
        unit_id = units[-1].entity_id if units else None
        if unit_id is None:
            return None
        day = _statement_day(found, person, context)
        quote = text[sentence_start:person.end]
        return _day_post(person, unit_id, "head", day, quote, "extract:statement",
                         STATEMENT_CONFIDENCE)
    roles = find_roles(text, window_start, anchor)
    if not roles:
        return None
    role = roles[-1]
    units = _organisations(found, role.end, anchor)
    if not _only_connectors(text, role.end, anchor, units):
        return None
    unit_id = _unit_of(units, context)
    if unit_id is None:
        return None
    role_line_start, _ = _line_bounds(text, role.start)
    ends_line = not _WORD.search(text[person.end:_line_bounds(text, person.end)[1]])
    starts_line = not _WORD.search(text[role_line_start:role.start])
    if ends_line and starts_line:
        day, origin, confidence = context.issued, "extract:signature", SIGNATURE_CONFIDENCE
    else:
        day = _statement_day(found, person, context)
        origin, confidence = "extract:statement", STATEMENT_CONFIDENCE
    quote = text[role.start:person.end]
    return _day_post(person, unit_id, role.role, day, quote, origin, confidence)


def _apposition(text: str, found: list[Found], person: Found, context: ItemContext
                ) -> _Post | None:
    comma = _APPOSITION.match(text, person.end)
    if comma is None:
        return None
    _, line_end = _line_bounds(text, person.end)
    roles = find_roles(text, comma.end(), min(line_end, comma.end() + 40))
    if not roles or roles[0].start != comma.end():
        return None
    role = roles[0]
    units = [f for f in _organisations(found, role.end, line_end)
             if _only_connectors(text, role.end, f.start, [])]
    if not units or units[0].entity_id is None:
        return None
    unit = units[0]
    line_start, _ = _line_bounds(text, person.start)
    same_line = [f for f in found if f.kind == "date" and len(f.value or "") == 10
                 and line_start <= f.start < line_end]
    day = same_line[0].value if same_line else context.issued
    rank_start = person.attributes.get("rank_start")
    quote_start = rank_start if isinstance(rank_start, int) else person.start
    return _day_post(person, unit.entity_id, role.role, day, text[quote_start:unit.end],
                     "extract:apposition", STATEMENT_CONFIDENCE)


def _statement_day(found: list[Found], person: Found, context: ItemContext) -> str | None:
    before = [f for f in found if f.kind == "date" and len(f.value or "") == 10
              and f.end <= person.start]
    near = [f for f in before if f.start >= person.start - _SENTENCE_REACH]
    if near:
        return near[-1].value
    others = [f for f in before if not f.attributes.get("issued")]
    return others[-1].value if others else context.issued


def _day_post(person: Found, unit_id: int | None, role: str, day: str | None, quote: str,
              origin: str, confidence: float) -> _Post | None:
    if unit_id is None or day is None:
        return None
    return _Post(person, unit_id, role, day, " ".join(quote.split()), origin, confidence)
