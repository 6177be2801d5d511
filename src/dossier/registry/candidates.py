"""Candidate new persons: unlinked person mentions that look alike, grouped for review.

Mentions of persons that no entity matched are grouped by their name key (rank and title
removed, spelling and script folded), so that "العميد سامر الخطيب", "Samer al-Khatib" and
"Samer Khateeb" become one candidate. A person then accepts a candidate as a new entity,
links it to an existing one, or dismisses it. Each mention of an accepted candidate gets a
human judgement ("m:<mention>" same "e:<entity>"), so that resolving again never undoes it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, insert, select, update

from dossier.registry.entities import add_entity, add_names
from dossier.registry.judgements import entity_ref, mention_ref, record_judgement
from dossier.store.schema import candidate_mentions, candidates, entities, items, mentions
from dossier.text import name_key, parse_name
from dossier.workspace import utcnow


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
    status: str
    entity_id: int | None
    mentions: list[CandidateMention] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "key": self.key, "label": self.label, "status": self.status,
                "entity": self.entity_id, "mentions": [m.as_dict() for m in self.mentions]}


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


def list_candidates(conn: Connection, status: str | None = "open") -> list[Candidate]:
    """Candidates (open ones by default), most mentioned first, with their mentions."""
    query = select(candidates)
    if status is not None:
        query = query.where(candidates.c.status == status)
    found = {row.id: Candidate(row.id, row.key, row.label, row.status, row.entity_id)
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
    for candidate in list_candidates(conn, status=None):
        if candidate.id == candidate_id:
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
    for mention in mention_ids:
        record_judgement(conn, mention_ref(mention), entity_ref(entity_id), "same",
                         author=author, reason=reason or f"accepted candidate {candidate_id}")
    _link(conn, mention_ids, entity_id)
    conn.execute(update(candidates).where(candidates.c.id == candidate_id).values(
        status="accepted", entity_id=entity_id, resolved_at=utcnow()))
    return entity_id


def dismiss_candidate(conn: Connection, candidate_id: int, *, author: str,
                      reason: str | None = None) -> None:
    """Dismiss a candidate: its mentions stay unlinked and its key is not proposed again."""
    _open(conn, candidate_id)
    conn.execute(update(candidates).where(candidates.c.id == candidate_id).values(
        status="dismissed", resolved_at=utcnow()))


def _open(conn: Connection, candidate_id: int) -> Candidate:
    candidate = get_candidate(conn, candidate_id)
    if candidate.status != "open":
        raise CandidateError(f"candidate {candidate_id} is already {candidate.status}")
    return candidate


def _link(conn: Connection, mention_ids: list[int], entity_id: int) -> None:
    if mention_ids:
        conn.execute(update(mentions).where(mentions.c.id.in_(mention_ids))
                     .values(entity_id=entity_id, link_score=1.0))
