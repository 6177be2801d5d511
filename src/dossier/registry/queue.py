"""The review queue of resolution: each open candidate person, and the one question a reviewer
answers about it — same, not the same, or unsure.

The question is about the existing person the candidate most likely is (the best match that
no person has judged yet for its mentions): "are these mentions that person?". When no such
person is left, it is about the candidate itself: "are these mentions one person, new to the
registry?". The answer is a human judgement and is kept as such (see `judge_candidate`):

============  ====================================  ==========================================
verdict       against an existing person            about the candidate itself
============  ====================================  ==========================================
same          the candidate is accepted as it: its  the candidate is accepted as a new person
              mentions are linked, one judgement
              each
not_same      one "not_same" per mention: the       the candidate is dismissed (with the
              linking never joins them; the next    reason): its name is not proposed again
              match is asked
unsure        one "unsure" per mention: the next    "unsure" between its first mention and
              match is asked                        each other one; it goes to the end of
                                                    the queue
============  ====================================  ==========================================

Candidates judged unsure come last; otherwise the most mentioned come first. A reader who may
not see protected persons is never offered one as a match, and sees only the mentions in the
collections it may read (a candidate with none of them is not in its queue).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from dossier.registry.candidates import (
    Candidate,
    CandidateError,
    MentionInContext,
    accept_candidate,
    candidate_matches,
    dismiss_candidate,
    get_candidate,
    list_candidates,
    mention_contexts,
)
from dossier.registry.entities import get_entity, protected_ids
from dossier.registry.judgements import (
    VERDICTS,
    Judgement,
    entity_ref,
    judgements_of,
    mention_ref,
    parse_ref,
    record_judgement,
)
from dossier.registry.lookup import EntityMatch
from dossier.store.schema import collections, items

MATCHES = 5  # the matches a reviewer is shown besides the one asked about
CONTEXTS = 10  # the mentions shown in their context


@dataclass
class ResolutionItem:
    """A candidate as the queue shows it: its mentions in context, the person it is asked
    about (``proposal``; None: the question is whether it is a new person), the other
    possible matches, and the judgements people have made on it so far."""

    candidate: Candidate
    mentions: list[MentionInContext]
    proposal: EntityMatch | None
    others: list[EntityMatch] = field(default_factory=list)
    judged: list[Judgement] = field(default_factory=list)
    withheld: int = 0  # mentions in collections the reader may not read

    @property
    def question(self) -> str:
        """"match" (is it this person?) or "new" (is it one new person?)."""
        return "new" if self.proposal is None else "match"

    @property
    def deferred(self) -> bool:
        """Whether a person judged the candidate itself unsure (it waits at the end)."""
        return any(j.left.startswith("m:") and j.right.startswith("m:") for j in self.judged)

    def as_dict(self) -> dict[str, Any]:
        return {"candidate": {k: v for k, v in self.candidate.as_dict().items()
                              if k != "mentions"},
                "mention_count": len(self.candidate.mentions), "question": self.question,
                "mentions": [m.as_dict() for m in self.mentions],
                "withheld_mentions": self.withheld,
                "proposal": self.proposal.as_dict() if self.proposal else None,
                "others": [m.as_dict() for m in self.others],
                "judged": [j.as_dict() for j in self.judged], "deferred": self.deferred}


@dataclass(frozen=True)
class ResolutionOutcome:
    candidate_id: int
    verdict: str
    entity_id: int | None  # the person judged against, or the one the candidate became
    action: str  # linked | created | dismissed | kept_apart | unsure
    judgements: int  # how many judgements were recorded

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _collections_of(conn: Connection, item_ids: Collection[int]) -> dict[int, str]:
    if not item_ids:
        return {}
    found: dict[int, str] = {}
    wanted = sorted(item_ids)
    for start in range(0, len(wanted), 500):
        found.update((int(row.id), str(row.name)) for row in conn.execute(
            select(items.c.id, collections.c.name)
            .join(collections, collections.c.id == items.c.collection_id)
            .where(items.c.id.in_(wanted[start:start + 500]))))
    return found


def _human(judged: list[Judgement]) -> list[Judgement]:
    return [j for j in judged if j.origin == "human"]


def resolution_queue(conn: Connection, *, limit: int = 20, offset: int = 0,
                     hide_protected: bool = False, readable: Collection[str] | None = None
                     ) -> tuple[int, list[ResolutionItem]]:
    """How many open candidates the reader may review, and one page of them as they are to
    be judged (see the module's documentation for the order)."""
    found = list_candidates(conn)
    if readable is not None:
        where = _collections_of(conn, {m.item_id for c in found for m in c.mentions})
        found = [c for c in found if any(where.get(m.item_id) in readable for m in c.mentions)]
    # the candidates judged unsure themselves: a judgement between two of their mentions
    between = {parse_ref(ref)[1] for j in _human(judgements_of(conn, prefix="m:"))
               for ref in j.pair}
    found.sort(key=lambda c: any(m.mention_id in between for m in c.mentions))
    shown = found[offset:offset + limit]
    return len(found), [_item(conn, candidate, hide_protected, readable) for candidate in shown]


def resolution_item(conn: Connection, candidate_id: int, *, hide_protected: bool = False,
                    readable: Collection[str] | None = None) -> ResolutionItem:
    """One candidate as the queue shows it (CandidateError when there is none)."""
    return _item(conn, get_candidate(conn, candidate_id), hide_protected, readable)


def _item(conn: Connection, candidate: Candidate, hide_protected: bool,
          readable: Collection[str] | None) -> ResolutionItem:
    refs = [mention_ref(m.mention_id) for m in candidate.mentions]
    judged = _human(judgements_of(conn, refs=refs)) if refs else []
    asked = {parse_ref(ref)[1] for j in judged for ref in j.pair if ref.startswith("e:")}
    matches = [m for m in candidate_matches(conn, candidate, MATCHES + 1 + len(asked))
               if m.entity_id not in asked]
    if hide_protected:
        hidden = protected_ids(conn, [m.entity_id for m in matches])
        matches = [m for m in matches if m.entity_id not in hidden]
    shown = candidate.mentions
    if readable is not None:
        where = _collections_of(conn, {m.item_id for m in shown})
        shown = [m for m in shown if where.get(m.item_id) in readable]
    return ResolutionItem(candidate, mention_contexts(conn, shown[:CONTEXTS]),
                          matches[0] if matches else None, matches[1:MATCHES + 1], judged,
                          len(candidate.mentions) - len(shown))


def judge_candidate(conn: Connection, candidate_id: int, verdict: str, *, author: str,
                    entity_id: int | None = None, reason: str | None = None
                    ) -> ResolutionOutcome:
    """A reviewer's verdict on an open candidate: about the person ``entity_id`` when given,
    else about the candidate being one new person (see the module's table). In the caller's
    transaction; CandidateError when it cannot be applied."""
    if verdict not in VERDICTS:
        raise CandidateError(f"unknown verdict {verdict!r}; one of {', '.join(VERDICTS)}")
    candidate = get_candidate(conn, candidate_id)
    if candidate.status != "open":
        raise CandidateError(f"candidate {candidate_id} is already {candidate.status}")
    reason = (reason or "").strip() or None
    mentions = [mention_ref(m.mention_id) for m in candidate.mentions]
    if entity_id is not None:
        person = get_entity(conn, entity_id)
        if person.kind != "person":
            raise CandidateError(f"entity {entity_id} is a {person.kind}, not a person")
        if verdict == "same":
            accept_candidate(conn, candidate_id, author=author, entity_id=entity_id,
                             reason=reason)
            return ResolutionOutcome(candidate_id, verdict, entity_id, "linked", len(mentions))
        for mention in mentions:
            record_judgement(conn, mention, entity_ref(entity_id), verdict, author=author,
                             reason=reason)
        action = "kept_apart" if verdict == "not_same" else "unsure"
        return ResolutionOutcome(candidate_id, verdict, entity_id, action, len(mentions))
    if verdict == "same":
        created = accept_candidate(conn, candidate_id, author=author, reason=reason)
        return ResolutionOutcome(candidate_id, verdict, created, "created", len(mentions))
    if verdict == "not_same":
        dismiss_candidate(conn, candidate_id, author=author, reason=reason)
        return ResolutionOutcome(candidate_id, verdict, None, "dismissed", 0)
    if len(mentions) < 2:
        raise CandidateError(f"candidate {candidate_id} has one mention: judge it against a "
                             "person, accept it or dismiss it")
    for mention in mentions[1:]:
        record_judgement(conn, mentions[0], mention, "unsure", author=author, reason=reason)
    return ResolutionOutcome(candidate_id, verdict, None, "unsure", len(mentions) - 1)
