"""The review queue: candidate persons to resolve and pairs of victim records to link, each with
its evidence and a form to judge it (same, not the same, unsure, with a reason).

A judgement is a human one: it overrides the model at once, is audited ("change"), and the
queue comes back with the next open question. Only roles with `judge` see and use it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from dossier.registry.queue import resolution_queue
from dossier.victims.review import review_page
from dossier.web.api_review import (
    LinkageJudgement,
    ResolutionJudgement,
    record_linkage,
    record_resolution,
)
from dossier.web.deps import WorkspaceDep, visible_collections
from dossier.web.pages.auth import PageJudge
from dossier.web.pages.render import query_string, render

router = APIRouter()

PER_PAGE = 10
QUEUES = ("resolution", "linkage")
Verdict = Literal["same", "not_same", "unsure"]
Reason = Annotated[str, Form(min_length=1, max_length=2000)]
# what a judgement did, said on the queue it comes back to
ACTIONS = ("linked", "created", "dismissed", "kept_apart", "unsure", "linkage")


@router.get("/review", response_class=HTMLResponse)
def review(request: Request, workspace: WorkspaceDep, user: PageJudge,
           queue: Annotated[str, Query(max_length=20)] = "resolution",
           offset: Annotated[int, Query(ge=0)] = 0,
           judged: Annotated[str | None, Query(max_length=20)] = None) -> HTMLResponse:
    """The open questions of one queue, a page at a time, each with its evidence and form."""
    queue = queue if queue in QUEUES else "resolution"
    with workspace.engine.connect() as conn:
        candidates, open_candidates = resolution_queue(
            conn, limit=PER_PAGE if queue == "resolution" else 0, offset=offset,
            hide_protected=not user.sees_protected, readable=visible_collections(conn, user))
        pairs, open_pairs = review_page(conn, PER_PAGE if queue == "linkage" else 0, offset)
    shown: list[object] = list(open_candidates) + list(open_pairs)
    total = candidates if queue == "resolution" else pairs
    return render(request, user, "review.html", queue=queue, items=shown, total=total,
                  offset=offset, limit=PER_PAGE, counts={"resolution": candidates,
                                                         "linkage": pairs},
                  judged=judged if judged in ACTIONS else None)


def _back(queue: str, action: str) -> RedirectResponse:
    return RedirectResponse(f"/review{query_string(queue=queue, judged=action)}",
                            status_code=303)


@router.post("/review/resolution", response_class=HTMLResponse)
def judge_resolution(workspace: WorkspaceDep, user: PageJudge,
                     candidate: Annotated[int, Form(ge=1)], verdict: Annotated[Verdict, Form()],
                     reason: Reason,
                     entity: Annotated[int | None, Form(ge=1)] = None) -> RedirectResponse:
    """Record a verdict on a candidate (about the person it was asked about, or about being
    one new person), then back to the queue and its next open question."""
    with workspace.engine.connect() as conn:
        outcome = record_resolution(conn, user, ResolutionJudgement(
            candidate=candidate, entity=entity, verdict=verdict, reason=reason))
    return _back("resolution", outcome.action)


@router.post("/review/linkage", response_class=HTMLResponse)
def judge_linkage(workspace: WorkspaceDep, user: PageJudge,
                  left: Annotated[int, Form(ge=1)], right: Annotated[int, Form(ge=1)],
                  verdict: Annotated[Verdict, Form()], reason: Reason) -> RedirectResponse:
    """Record a verdict on a pair of victim records (the victims are rebuilt at once), then
    back to the queue and its next open pair."""
    with workspace.engine.connect() as conn:
        record_linkage(conn, user, LinkageJudgement(left=left, right=right, verdict=verdict,
                                                    reason=reason))
    return _back("linkage", "linkage")
