"""Review: the open questions of resolution (candidate persons) and of victim-record linkage
(pairs near the threshold), the judgements made so far, and a person's judgement on either.

A person's judgement is a human judgement: it overrides the model on that pair at once and in
every later run. Every judgement is audited ("change"). Only roles with `judge` see and use
the queue; a protected person is never offered or shown to a role that may not see one.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from dossier.registry.candidates import CandidateError
from dossier.registry.entities import EntityError, get_entity, protected_ids
from dossier.registry.judgements import Judgement, JudgementError, entity_ref, list_judgements
from dossier.registry.queue import (
    ResolutionOutcome,
    judge_candidate,
    resolution_item,
    resolution_queue,
)
from dossier.victims.clusters import LinkCounts
from dossier.victims.review import ReviewError, judge, review_page
from dossier.web.deps import (
    PagingDep,
    User,
    WorkspaceDep,
    audit,
    may_see_entity,
    require,
    visible_collections,
)
from dossier.web.errors import ApiError, NotFound

router = APIRouter(tags=["review"])

Judge = Annotated[User, Depends(require("judge"))]
Verdict = Literal["same", "not_same", "unsure"]


class ResolutionJudgement(BaseModel):
    """A verdict on an open candidate person."""

    candidate: int = Field(ge=1, description="The candidate's id.")
    entity: int | None = Field(default=None, ge=1, description=(
        "The existing person the verdict is about (the candidate's proposal); none: the "
        "verdict is whether the candidate is one new person (same: accept it as one; "
        "not_same: dismiss it)."))
    verdict: Verdict = Field(description="same, not_same or unsure.")
    reason: str = Field(min_length=1, max_length=2000, description="Why, in a few words.")


class LinkageJudgement(BaseModel):
    """A verdict on a pair of victim records."""

    left: int = Field(ge=1, description="One victim record's id.")
    right: int = Field(ge=1, description="The other victim record's id.")
    verdict: Verdict = Field(description="same, not_same or unsure.")
    reason: str = Field(min_length=1, max_length=2000, description="Why, in a few words.")


@router.get("/review/resolution")
def open_candidates(workspace: WorkspaceDep, user: Judge, paging: PagingDep) -> dict[str, Any]:
    """The open candidate persons, those judged unsure last, otherwise most mentioned first:
    each with its mentions in context, the existing person it is asked about (`proposal`;
    null: whether it is one new person), the other possible matches with the features of
    the match, and the judgements made on it so far."""
    with workspace.engine.connect() as conn:
        total, found = resolution_queue(conn, limit=paging.limit, offset=paging.offset,
                                        hide_protected=not user.sees_protected,
                                        readable=visible_collections(conn, user))
    return paging.page(total, [item.as_dict() for item in found])


@router.get("/review/linkage")
def open_pairs(workspace: WorkspaceDep, _: Judge, paging: PagingDep) -> dict[str, Any]:
    """Pairs of victim records the model was least sure of (nearest its threshold first, then
    those its cluster guard refused), with both records, the score and the name features."""
    with workspace.engine.connect() as conn:
        total, found = review_page(conn, paging.limit, paging.offset)
    return paging.page(total, [item.as_dict() for item in found])


@router.get("/judgements")
def judgements(
    workspace: WorkspaceDep,
    user: Judge,
    paging: PagingDep,
    record: Annotated[str | None, Query(
        pattern="^[emv]:[0-9]+$",
        description="Only those on this record: e:<entity>, m:<mention>, v:<victim record>.")]
        = None,
    origin: Annotated[Literal["human", "machine"] | None, Query(
        description="Only human or only machine judgements.")] = None,
    verdict: Annotated[Verdict | None, Query(description="Only this verdict.")] = None,
) -> dict[str, Any]:
    """Judgements, newest first: who decided that two records are, are not or may be the
    same, when, with what score and why."""
    with workspace.engine.connect() as conn:
        hidden = [] if user.sees_protected else [entity_ref(e) for e in protected_ids(conn)]
        try:
            total, found = list_judgements(conn, record=record, origin=origin, verdict=verdict,
                                           hidden=hidden, limit=paging.limit,
                                           offset=paging.offset)
        except JudgementError as exc:
            raise ApiError(400, "bad_request", str(exc)) from exc
    return paging.page(total, [j.as_dict() for j in found])


def record_resolution(conn: Connection, user: User, body: ResolutionJudgement
                      ) -> ResolutionOutcome:
    """Apply and audit a verdict on a candidate, committed; 404 for a candidate or person the
    user may not see, 400 for one that cannot be judged so (the API and the page share it)."""
    try:
        item = resolution_item(conn, body.candidate, hide_protected=not user.sees_protected,
                               readable=visible_collections(conn, user))
        if body.entity is not None and not may_see_entity(user, get_entity(conn, body.entity)):
            raise NotFound(f"no entity {body.entity}")
        if item.candidate.mentions and item.withheld == len(item.candidate.mentions):
            raise NotFound(f"no candidate {body.candidate}")
        outcome = judge_candidate(conn, body.candidate, body.verdict, author=user.name,
                                  entity_id=body.entity, reason=body.reason)
    except (CandidateError, EntityError, JudgementError) as exc:
        conn.rollback()
        raise ApiError(400, "bad_request", str(exc)) from exc
    audit(conn, user, "change", f"candidate:{body.candidate}",
          {"verdict": body.verdict, "entity": body.entity, "action": outcome.action,
           "reason": body.reason})
    conn.commit()
    return outcome


def record_linkage(conn: Connection, user: User, body: LinkageJudgement
                   ) -> tuple[Judgement, LinkCounts]:
    """Apply and audit a verdict on a pair of victim records, committed (400 when it cannot
    be made); the victims are rebuilt at once."""
    try:
        found = judge(conn, body.left, body.right, body.verdict, author=user.name,
                      reason=body.reason)
    except ReviewError as exc:
        conn.rollback()
        raise ApiError(400, "bad_request", str(exc)) from exc
    audit(conn, user, "change", f"victim_records:{body.left},{body.right}",
          {"verdict": body.verdict, "reason": body.reason})
    conn.commit()
    return found


@router.post("/review/resolution")
def judge_resolution(workspace: WorkspaceDep, user: Judge,
                     body: ResolutionJudgement) -> dict[str, Any]:
    """Judge an open candidate: the same as the person `entity` (it is linked to it), not the
    same (it is never linked to it), or unsure; without `entity`, whether it is one new
    person. Answers what was done and how many candidates remain open."""
    with workspace.engine.connect() as conn:
        outcome = record_resolution(conn, user, body)
        remaining, _ = resolution_queue(conn, limit=0, hide_protected=not user.sees_protected,
                                        readable=visible_collections(conn, user))
    return {"judged": outcome.as_dict(), "open": remaining}


@router.post("/review/linkage")
def judge_linkage(workspace: WorkspaceDep, user: Judge, body: LinkageJudgement) -> dict[str, Any]:
    """Judge a pair of victim records the same victim, not the same, or unsure: the victims
    are rebuilt at once. Answers the judgement, the victims now counted and the pairs left."""
    with workspace.engine.connect() as conn:
        judgement, counts = record_linkage(conn, user, body)
        remaining, _ = review_page(conn, 0)
    return {"judgement": judgement.as_dict(), "victims": counts.victims, "open": remaining}
