"""Candidate new persons: unlinked person mentions that look alike, grouped for review.

Mentions of persons that no entity matched are grouped by their name key (rank and title
removed, spelling and script folded), so that "العميد سامر الخطيب", "Samer al-Khatib" and
"Samer Khateeb" become one candidate. A person then accepts a candidate as a new entity,
links it to an existing one, or dismisses it; the candidate keeps who decided and why. Each
mention of an accepted candidate gets a human judgement ("m:<mention>" same "e:<entity>"),
so that resolving again never undoes it.

A review walks the open candidates one at a time (`review_item`): each with its mentions in
their context on the page and the existing persons that may be the same, best first, with
the score and the features of the match; `decide` applies the reviewer's answer.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from dossier.registry.entities import add_entity, add_names
from dossier.registry.judgements import entity_ref, mention_ref, record_judgement
from dossier.registry.lookup import EntityMatch, entity_by_reference, find_entities
from dossier.store.schema import candidate_mentions, candidates, entities, items, mentions, pages
from dossier.text import name_key, parse_name
from dossier.workspace import utcnow

STATUSES = ("open", "accepted", "dismissed")


class CandidateError(ValueError):
    """A candidate that cannot be reviewed as asked."""


@dataclass
class ClusterReport:
    created: int = 0
    grown: int = 0  # open candidates that gained mentions
    mentions: int = 0  # mentions put into candidates

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class CandidateMention:
    mention_id: int
    item_id: int
    path: str
    page: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"mention": self.mention_id, "item": self.item_id, "path": self.path,
                "page": self.page, "text": self.text}


@dataclass
class Candidate:
    id: int
    key: str
    label: str
    status: str  # open | accepted | dismissed
    entity_id: int | None
    mentions: list[CandidateMention] = field(default_factory=list)
    resolved_by: str | None = None
    reason: str | None = None
    resolved_at: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "key": self.key, "label": self.label, "status": self.status,
                "entity": self.entity_id, "resolved_by": self.resolved_by,
                "reason": self.reason,
                "resolved_at": self.resolved_at.isoformat() if self.resolved_at else None,
                "mentions": [m.as_dict() for m in self.mentions]}


def bare_name(text: str) -> str:
    """The name without rank or title ("العميد جميل حسن" → "جميل حسن")."""
    parsed = parse_name(text)
    return " ".join(parsed.tokens) or text.strip()


def cluster_unlinked(conn: Connection, *, min_mentions: int = 2) -> ClusterReport:
    """Group unlinked person mentions by name key into candidates, in the caller's transaction.

    A key needs two words of more than one letter (a lone given name says too little), and a
    new candidate needs ``min_mentions`` mentions. Mentions of a dismissed candidate's key stay
    out; those of an accepted one are linked to its entity.
    """
    report = ClusterReport()
    placed = select(candidate_mentions.c.mention_id)
    rows = conn.execute(select(mentions.c.id, mentions.c.text)
                        .where(mentions.c.kind == "person", mentions.c.entity_id.is_(None),
                               mentions.c.id.not_in(placed))
                        .order_by(mentions.c.id)).all()
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in rows:
        key = name_key(row.text)
        if sum(1 for word in key.split() if len(word) > 1) >= 2:
            groups[key].append((row.id, row.text))
    known = {row.key: row for row in conn.execute(
        select(candidates).where(candidates.c.key.in_(list(groups))))} if groups else {}
    now = utcnow()
    for key, found in sorted(groups.items()):
        existing = known.get(key)
        if existing is None:
            if len(found) < min_mentions:
                continue
            label = Counter(bare_name(text) for _, text in found).most_common(1)[0][0]
            result = conn.execute(insert(candidates).values(
                kind="person", key=key, label=label, status="open", created_at=now))
            assert result.inserted_primary_key is not None
            candidate_id = int(result.inserted_primary_key[0])
            report.created += 1
        elif existing.status == "open":
            candidate_id = existing.id
            report.grown += 1
        elif existing.status == "accepted" and existing.entity_id is not None:
            _link(conn, [m for m, _ in found], existing.entity_id)
            continue
        else:
            continue
        conn.execute(insert(candidate_mentions),
                     [{"candidate_id": candidate_id, "mention_id": m} for m, _ in found])
        report.mentions += len(found)
    return report


def list_candidates(conn: Connection, status: str | None = "open",
                    ids: list[int] | None = None) -> list[Candidate]:
    """Candidates (open ones by default), most mentioned first, with their mentions."""
    if status is not None and status not in STATUSES:
        raise CandidateError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
    query = select(candidates)
    if status is not None:
        query = query.where(candidates.c.status == status)
    if ids is not None:
        query = query.where(candidates.c.id.in_(ids))
    found = {row.id: Candidate(row.id, row.key, row.label, row.status, row.entity_id,
                               resolved_by=row.resolved_by, reason=row.reason,
                               resolved_at=row.resolved_at)
             for row in conn.execute(query.order_by(candidates.c.id))}
    if found:
        for row in conn.execute(
                select(candidate_mentions.c.candidate_id, mentions.c.id, mentions.c.item_id,
                       items.c.path, mentions.c.page_number, mentions.c.text)
                .join(mentions, mentions.c.id == candidate_mentions.c.mention_id)
                .join(items, items.c.id == mentions.c.item_id)
                .where(candidate_mentions.c.candidate_id.in_(list(found)))
                .order_by(mentions.c.id)):
            found[row.candidate_id].mentions.append(
                CandidateMention(row.id, row.item_id, row.path, row.page_number, row.text))
    return sorted(found.values(), key=lambda c: (-len(c.mentions), c.id))


def get_candidate(conn: Connection, candidate_id: int) -> Candidate:
    for candidate in list_candidates(conn, status=None, ids=[candidate_id]):
        return candidate
    raise CandidateError(f"no candidate {candidate_id}")


def accept_candidate(conn: Connection, candidate_id: int, *, author: str,
                     entity_id: int | None = None, reason: str | None = None) -> int:
    """Accept a candidate as a new person (or as ``entity_id``); returns the entity id."""
    candidate = _open(conn, candidate_id)
    texts = list(dict.fromkeys(bare_name(m.text) for m in candidate.mentions))
    if entity_id is None:
        entity_id = add_entity(conn, "person", candidate.label, names=texts, actor=author,
                               source=f"candidate {candidate_id}")
    else:
        kind = conn.scalar(select(entities.c.kind).where(entities.c.id == entity_id))
        if kind != "person":
            what = "missing" if kind is None else f"a {kind}"
            raise CandidateError(f"entity {entity_id} is {what}, not a person")
        add_names(conn, entity_id, texts, source=f"candidate {candidate_id}")
    mention_ids = [m.mention_id for m in candidate.mentions]
    reason = reason or f"accepted candidate {candidate_id}"
    for mention in mention_ids:
        record_judgement(conn, mention_ref(mention), entity_ref(entity_id), "same",
                         author=author, reason=reason)
    _link(conn, mention_ids, entity_id)
    conn.execute(update(candidates).where(candidates.c.id == candidate_id).values(
        status="accepted", entity_id=entity_id, resolved_at=utcnow(), resolved_by=author,
        reason=reason))
    return entity_id


def dismiss_candidate(conn: Connection, candidate_id: int, *, author: str,
                      reason: str | None = None) -> None:
    """Dismiss a candidate: its mentions stay unlinked and its key is not proposed again.

    No judgement is recorded (there is no entity to judge the mentions against); the
    candidate keeps who dismissed it, when and why.
    """
    _open(conn, candidate_id)
    conn.execute(update(candidates).where(candidates.c.id == candidate_id).values(
        status="dismissed", resolved_at=utcnow(), resolved_by=author, reason=reason or None))


def _open(conn: Connection, candidate_id: int) -> Candidate:
    candidate = get_candidate(conn, candidate_id)
    if candidate.status != "open":
        raise CandidateError(f"candidate {candidate_id} is already {candidate.status}")
    return candidate


def _link(conn: Connection, mention_ids: list[int], entity_id: int) -> None:
    if mention_ids:
        conn.execute(update(mentions).where(mentions.c.id.in_(mention_ids))
                     .values(entity_id=entity_id, link_score=1.0))


# -- review: one candidate at a time -----------------------------------------------------------

# The answers a reviewer gives, by their first letter.
REVIEW_ACTIONS = {"n": "new", "l": "link", "d": "dismiss", "s": "skip", "q": "quit"}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class MentionInContext:
    """A mention of a candidate with the words around it on its page."""

    mention: CandidateMention
    before: str  # starting with "…" when the page goes on before it
    after: str  # ending with "…" when the page goes on after it

    @property
    def snippet(self) -> str:
        """The mention in its context, marked: "…signed by [Samer Khatib], head of…"."""
        return f"{self.before}[{self.mention.text}]{self.after}"

    def as_dict(self) -> dict[str, Any]:
        return {**self.mention.as_dict(), "context": self.snippet}


@dataclass
class ReviewItem:
    """What a reviewer sees of a candidate: its mentions in context, and the existing persons
    that may be the same one, best first, each with its score and the features that fired."""

    candidate: Candidate
    mentions: list[MentionInContext]
    matches: list[EntityMatch]

    def as_dict(self) -> dict[str, Any]:
        return {"candidate": self.candidate.as_dict(),
                "mentions": [m.as_dict() for m in self.mentions],
                "matches": [m.as_dict() for m in self.matches]}


@dataclass(frozen=True)
class ReviewOutcome:
    candidate_id: int
    action: str  # new | link | dismiss | skip | quit
    entity_id: int | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def review_queue(conn: Connection, limit: int | None = None) -> list[int]:
    """The open candidates to review, most mentioned first."""
    return [candidate.id for candidate in list_candidates(conn)][:limit]


def review_item(conn: Connection, candidate_id: int, *, matches: int = 5,
                contexts: int = 10, width: int = 60) -> ReviewItem:
    """A candidate as a reviewer sees it: its first ``contexts`` mentions with ``width``
    characters of page text either side, and its ``matches`` best matching persons."""
    candidate = get_candidate(conn, candidate_id)
    return ReviewItem(candidate, mention_contexts(conn, candidate.mentions[:contexts], width),
                      candidate_matches(conn, candidate, matches))


def mention_contexts(conn: Connection, found: list[CandidateMention], width: int = 60
                     ) -> list[MentionInContext]:
    """Each mention with up to ``width`` characters of its page before and after it."""
    if not found:
        return []
    rows = {row.id: row for row in conn.execute(
        select(mentions.c.id, mentions.c.char_start, mentions.c.char_end, pages.c.text)
        .join(pages, pages.c.id == mentions.c.page_id)
        .where(mentions.c.id.in_([m.mention_id for m in found])))}
    result = []
    for mention in found:
        row = rows.get(mention.mention_id)
        if row is None or row.char_start >= len(row.text):
            result.append(MentionInContext(mention, "", ""))
            continue
        start, end = max(0, row.char_start - width), row.char_end + width
        before = ("…" if start > 0 else "") + row.text[start:row.char_start]
        after = row.text[row.char_end:end] + ("…" if end < len(row.text) else "")
        result.append(MentionInContext(mention, _SPACES.sub(" ", before),
                                       _SPACES.sub(" ", after)))
    return result


def candidate_matches(conn: Connection, candidate: Candidate, limit: int = 5
                      ) -> list[EntityMatch]:
    """The persons that the candidate's label or its mentions' names may designate, best
    first; an entity found by several of the names keeps its best match."""
    names = list(dict.fromkeys([candidate.label, *(bare_name(m.text)
                                                   for m in candidate.mentions)]))
    best: dict[int, EntityMatch] = {}
    for name in names[:5]:
        for match in find_entities(conn, name, "person", limit=limit):
            if match.entity_id not in best or match.score > best[match.entity_id].score:
                best[match.entity_id] = match
    return sorted(best.values(), key=lambda m: (-m.score, m.entity_id))[:limit]


def review_action(answer: str) -> str:
    """The action an answer stands for ("n", "new", "L" …); CandidateError otherwise."""
    word = answer.strip().lower()
    action = REVIEW_ACTIONS.get(word[:1]) if word else None
    if action is None or word not in (action[0], action):
        choices = ", ".join(f"{letter} ({name})" for letter, name in REVIEW_ACTIONS.items())
        raise CandidateError(f"{answer!r} is not an answer; one of {choices}")
    return action


def choose_entity(conn: Connection, item: ReviewItem, answer: str) -> int:
    """The person a reviewer names: a number from the matches shown (1 is the first), "#id"
    for an entity id, or a name (which must designate one person)."""
    text = answer.strip()
    if text.isdigit():
        number = int(text)
        if not 1 <= number <= len(item.matches):
            raise CandidateError(f"no match numbered {number} in the list shown; write "
                                 f"#{number} for the entity with id {number}")
        return item.matches[number - 1].entity_id
    if not text:
        raise CandidateError("no person given")
    try:
        return entity_by_reference(conn, text, "person")
    except LookupError as exc:
        raise CandidateError(str(exc)) from exc


def decide(conn: Connection, item: ReviewItem, answer: str, *, author: str,
           target: str | None = None, reason: str | None = None) -> ReviewOutcome:
    """Apply a reviewer's answer to a candidate, in the caller's transaction.

    "new" accepts it as a new person, "link" as the person ``target`` names (see
    `choose_entity`), each recording a judgement per mention with ``author`` and ``reason``;
    "dismiss" dismisses it with ``reason``; "skip" and "quit" change nothing.
    """
    action = review_action(answer)
    candidate = item.candidate.id
    if action == "new":
        entity = accept_candidate(conn, candidate, author=author, reason=reason)
        message = f"candidate {candidate} accepted as a new person, #{entity}"
    elif action == "link":
        entity = choose_entity(conn, item, target or "")
        accept_candidate(conn, candidate, author=author, entity_id=entity, reason=reason)
        message = f"candidate {candidate} linked to person #{entity}"
    elif action == "dismiss":
        dismiss_candidate(conn, candidate, author=author, reason=reason)
        return ReviewOutcome(candidate, action, None, f"candidate {candidate} dismissed")
    else:
        left = "skipped" if action == "skip" else "left open"
        return ReviewOutcome(candidate, action, None, f"candidate {candidate} {left}")
    count = len(item.candidate.mentions)
    return ReviewOutcome(candidate, action, entity,
                         f"{message}; {count} mention{'s' if count != 1 else ''} linked")
