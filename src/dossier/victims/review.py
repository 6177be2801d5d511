"""The review queue of record linkage, and a person's judgement on a pair of records.

The queue holds the pairs the model was least sure of: machine judgements whose score lies in
the review band of the last linkage run (either side of the threshold), on pairs no person has
judged yet. The most uncertain come first (score nearest the threshold), then the links the
cluster guard refused (likely on their own, but contradicted by a record of the victim they
would have joined; the item says why). Each item shows both records side by side and the name
features of `dossier.text.match_names`, so that a reviewer sees why the names look alike.

A person's judgement (`judge`) is a human judgement: it overrides the model on that pair at
once, in this run and every later one, and the victims are rebuilt from all judgements.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, or_, select
from sqlalchemy.orm import aliased

from dossier.registry.judgements import Judgement, record_judgement, victim_record_ref
from dossier.store.schema import judgements, linkage_runs, victim_lists, victim_records
from dossier.text import match_names
from dossier.victims.clusters import GUARD_REASON, LinkCounts, rebuild_links

__all__ = ["ReviewItem", "judge", "review_page", "review_queue"]

DEFAULT_BAND = (0.3, 0.9)
DEFAULT_THRESHOLD = 0.7
_SHOWN = ("id", "list", "record_key", "full_name", "given", "father", "grandfather", "family",
          "mother", "sex", "age", "birth_date", "arrest_date", "death_date", "governorate",
          "detention_place", "status")


class ReviewError(ValueError):
    """A judgement that cannot be made as asked."""


@dataclass(frozen=True)
class ReviewItem:
    """One pair to review: both records, the model's score and verdict, the name features."""

    left: dict[str, Any]
    right: dict[str, Any]
    score: float
    verdict: str  # the machine's: same (linked) or unsure (not linked)
    name_score: float
    name_features: list[dict[str, Any]]
    reason: str | None = None  # why the machine did not link a likely pair (the guard)

    def as_dict(self) -> dict[str, Any]:
        return {"left": self.left, "right": self.right, "score": self.score,
                "verdict": self.verdict, "name_score": self.name_score,
                "name_features": self.name_features, "reason": self.reason}


def review_band(conn: Connection) -> tuple[float, float, float]:
    """(low, high, threshold) of the newest finished linkage run (defaults before any)."""
    row = conn.execute(select(linkage_runs.c.settings)
                       .where(linkage_runs.c.finished_at.is_not(None))
                       .order_by(linkage_runs.c.id.desc()).limit(1)).scalar()
    if row is None:
        return (*DEFAULT_BAND, DEFAULT_THRESHOLD)
    settings = json.loads(row)
    low, high = settings.get("review_band", DEFAULT_BAND)
    return float(low), float(high), float(settings.get("threshold", DEFAULT_THRESHOLD))


def _records(conn: Connection, ids: set[int]) -> dict[int, dict[str, Any]]:
    columns = [victim_records.c[name] for name in _SHOWN if name != "list"]
    rows = conn.execute(select(*columns, victim_lists.c.name.label("list"))
                        .join(victim_lists, victim_lists.c.id == victim_records.c.list_id)
                        .where(victim_records.c.id.in_(sorted(ids)))).mappings()
    return {int(row["id"]): {name: row[name] for name in _SHOWN} for row in rows}


def _name(record: dict[str, Any]) -> str:
    parts = [record.get(part) for part in ("given", "father", "grandfather", "family")]
    return record.get("full_name") or " ".join(p for p in parts if p)


def review_queue(conn: Connection, limit: int = 50) -> list[ReviewItem]:
    """Machine judgements inside the review band with no human judgement on their pair, those
    nearest the threshold first."""
    return review_page(conn, limit)[1]


def review_page(conn: Connection, limit: int = 50, offset: int = 0
                ) -> tuple[int, list[ReviewItem]]:
    """How many pairs wait in the queue, and ``limit`` of them from ``offset`` (in the order
    of `review_queue`)."""
    low, high, threshold = review_band(conn)
    human = aliased(judgements)
    judged = exists().where(and_(human.c.left_ref == judgements.c.left_ref,
                                 human.c.right_ref == judgements.c.right_ref,
                                 human.c.origin == "human"))
    in_band = and_(judgements.c.score >= low, judgements.c.score < high)
    guarded = judgements.c.reason.like(f"{GUARD_REASON}%")
    rows = conn.execute(
        select(judgements.c.left_ref, judgements.c.right_ref, judgements.c.score,
               judgements.c.verdict, judgements.c.reason)
        .where(judgements.c.origin == "machine", judgements.c.left_ref.like("v:%"),
               or_(in_band, guarded), ~judged)).all()

    def order(row: Any) -> tuple[bool, float, str, str]:
        refused = (row.reason or "").startswith(GUARD_REASON)
        return refused, abs(row.score - threshold), row.left_ref, row.right_ref

    rows = sorted(rows, key=order)
    total = len(rows)
    rows = rows[offset:offset + limit]
    ids = {int(ref[2:]) for row in rows for ref in (row.left_ref, row.right_ref)}
    records = _records(conn, ids)
    items = []
    for row in rows:
        left, right = records[int(row.left_ref[2:])], records[int(row.right_ref[2:])]
        names = match_names(_name(left), _name(right))
        items.append(ReviewItem(left, right, float(row.score), row.verdict, names.score,
                                [{"name": f.name, "weight": f.weight, "detail": f.detail}
                                 for f in names.features], row.reason))
    return total, items


def judge(conn: Connection, a: int, b: int, verdict: str, *, author: str,
          reason: str | None = None) -> tuple[Judgement, LinkCounts]:
    """A person's judgement that records ``a`` and ``b`` are (not) the same victim; the
    victims are rebuilt at once, the machine's links under the cluster guard
    (`dossier.victims.linkage.guarded_clusters`); a link it refuses is judged "unsure" by the
    machine and waits in the review queue. In the caller's transaction."""
    if a == b:
        raise ReviewError(f"a record cannot be judged against itself ({a})")
    from dossier.registry.judgements import JudgementError

    try:
        judgement = record_judgement(conn, victim_record_ref(a), victim_record_ref(b), verdict,
                                     author=author, origin="human", reason=reason)
    except JudgementError as exc:
        raise ReviewError(str(exc)) from exc
    from dossier.victims.linkage import guarded_clusters, refuse_guarded  # pyarrow

    clusters = guarded_clusters(conn, around=(a, b))
    refuse_guarded(conn, clusters)
    return judgement, rebuild_links(conn, clusters)
