"""Judgements: decisions that two records are, are not, or may be the same.

Records are named "e:<entity id>" or "m:<mention id>". Judgements are never edited or
deleted: a wrong decision is undone by a newer one. Which judgement holds for a pair:

1. a human judgement overrides any machine judgement on the same pair;
2. among judgements of the same origin, the newest wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select

from dossier.store.schema import entities, judgements, mentions, victim_records
from dossier.workspace import utcnow

VERDICTS = ("same", "not_same", "unsure")
ORIGINS = ("human", "machine")


class JudgementError(ValueError):
    """A judgement that cannot be recorded as given."""


@dataclass(frozen=True)
class Judgement:
    id: int
    left: str
    right: str
    verdict: str
    author: str
    origin: str
    score: float | None
    reason: str | None
    created_at: datetime

    @property
    def pair(self) -> tuple[str, str]:
        return (self.left, self.right)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "left": self.left, "right": self.right, "verdict": self.verdict,
                "author": self.author, "origin": self.origin, "score": self.score,
                "reason": self.reason, "at": self.created_at.isoformat()}


def entity_ref(entity_id: int) -> str:
    return f"e:{entity_id}"


def mention_ref(mention_id: int) -> str:
    return f"m:{mention_id}"


_RECORDS = {"e": (entities, "entity"), "m": (mentions, "mention"),
            "v": (victim_records, "victim record")}


def victim_record_ref(record_id: int) -> str:
    return f"v:{record_id}"


def parse_ref(ref: str) -> tuple[str, int]:
    """("e", 12) for "e:12"; JudgementError for anything else."""
    kind, _, number = ref.partition(":")
    if kind not in ("e", "m", "v") or not number.isdigit():
        raise JudgementError(f"{ref!r} is not a record reference (e:<entity>, m:<mention> "
                             "or v:<victim record>)")
    return kind, int(number)


def _ordered(a: str, b: str) -> tuple[str, str]:
    return min((a, b), key=parse_ref), max((a, b), key=parse_ref)


def record_judgement(conn: Connection, left: str, right: str, verdict: str, *, author: str,
                     origin: str = "human", reason: str | None = None,
                     score: float | None = None) -> Judgement:
    """Record a judgement on a pair of records, in the caller's transaction."""
    if verdict not in VERDICTS:
        raise JudgementError(f"unknown verdict {verdict!r}; one of {', '.join(VERDICTS)}")
    if origin not in ORIGINS:
        raise JudgementError(f"unknown origin {origin!r}; one of {', '.join(ORIGINS)}")
    if left == right:
        raise JudgementError(f"a record cannot be judged against itself ({left})")
    for ref in (left, right):
        kind, number = parse_ref(ref)
        table, what = _RECORDS[kind]
        if conn.execute(select(table.c.id).where(table.c.id == number)).first() is None:
            raise JudgementError(f"no {what} {number}")
    left, right = _ordered(left, right)
    now = utcnow()
    result = conn.execute(insert(judgements).values(
        left_ref=left, right_ref=right, verdict=verdict, author=author, origin=origin,
        score=score, reason=reason, created_at=now))
    assert result.inserted_primary_key is not None
    return Judgement(int(result.inserted_primary_key[0]), left, right, verdict, author, origin,
                     score, reason, now)


def _judgement(row: Any) -> Judgement:
    return Judgement(row.id, row.left_ref, row.right_ref, row.verdict, row.author, row.origin,
                     row.score, row.reason, row.created_at)


def history(conn: Connection, a: str, b: str) -> list[Judgement]:
    """Every judgement on the pair, oldest first."""
    left, right = _ordered(a, b)
    rows = conn.execute(select(judgements).where(and_(judgements.c.left_ref == left,
                                                      judgements.c.right_ref == right))
                        .order_by(judgements.c.id))
    return [_judgement(row) for row in rows]


def prevailing(judged: Iterable[Judgement]) -> dict[tuple[str, str], Judgement]:
    """The judgement that holds for each pair: the newest human one, else the newest machine one."""
    held: dict[tuple[str, str], Judgement] = {}
    for judgement in sorted(judged, key=lambda j: (j.origin == "human", j.id)):
        held[judgement.pair] = judgement
    return held


def judgements_of(conn: Connection, prefix: str | None = None,
                  refs: Iterable[str] | None = None,
                  between: tuple[str, str] | None = None) -> list[Judgement]:
    """Judgements whose both records start with ``prefix`` ("e:" for entity pairs), that
    involve one of ``refs``, or that pair a record of each kind ``between`` names (("m", "e"):
    a mention and an entity); all of them when none is given."""
    query = select(judgements).order_by(judgements.c.id)
    if prefix is not None:
        query = query.where(judgements.c.left_ref.like(f"{prefix}%"),
                            judgements.c.right_ref.like(f"{prefix}%"))
    if between is not None:
        one, other = (f"{kind}:%" for kind in between)
        query = query.where(or_(
            and_(judgements.c.left_ref.like(one), judgements.c.right_ref.like(other)),
            and_(judgements.c.left_ref.like(other), judgements.c.right_ref.like(one))))
    if refs is not None:
        wanted = list(refs)
        query = query.where(or_(judgements.c.left_ref.in_(wanted),
                                judgements.c.right_ref.in_(wanted)))
    return [_judgement(row) for row in conn.execute(query)]


def list_judgements(conn: Connection, *, record: str | None = None, origin: str | None = None,
                    verdict: str | None = None, hidden: Iterable[str] = (), limit: int = 20,
                    offset: int = 0) -> tuple[int, list[Judgement]]:
    """How many judgements there are, and one page of them, newest first: those on
    ``record`` ("e:12") when given, of one ``origin`` or ``verdict``, none that names one of
    the ``hidden`` records (a protected person, for a reader who may not see one)."""
    if origin is not None and origin not in ORIGINS:
        raise JudgementError(f"unknown origin {origin!r}; one of {', '.join(ORIGINS)}")
    if verdict is not None and verdict not in VERDICTS:
        raise JudgementError(f"unknown verdict {verdict!r}; one of {', '.join(VERDICTS)}")
    conditions = []
    if record is not None:
        parse_ref(record)
        conditions.append(or_(judgements.c.left_ref == record, judgements.c.right_ref == record))
    if origin is not None:
        conditions.append(judgements.c.origin == origin)
    if verdict is not None:
        conditions.append(judgements.c.verdict == verdict)
    hidden = sorted(set(hidden))
    if hidden:
        conditions += [judgements.c.left_ref.not_in(hidden), judgements.c.right_ref.not_in(hidden)]
    total = conn.scalar(select(func.count()).select_from(judgements).where(*conditions))
    rows = conn.execute(select(judgements).where(*conditions)
                        .order_by(judgements.c.id.desc()).limit(limit).offset(offset))
    return int(total or 0), [_judgement(row) for row in rows]
