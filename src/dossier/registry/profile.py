"""A profile of an entity: names, posts over time, documents by year, who is mentioned with it.

Everything is read for the entity's whole cluster (the entities judged the same as it).

The year of a document is, by rule:

1. the year of the date mention nearest (in characters) to a mention of the entity, on the
   same page; the earliest page of the document with such a date wins;
2. otherwise the year of the document's own metadata (``date``, ``created`` or ``modified``);
3. otherwise "undated".

For a reader who may not see everything, `profile` leaves out the persons marked protected
(``hide_protected``) from the company and the claims, and reads only the mentions in the
collections the reader may read (``readable``).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from dossier.registry.claims import ClaimView, list_claims, readable_sources
from dossier.registry.dates import YEAR
from dossier.registry.entities import Entity, EntityName, get_entities, get_entity
from dossier.registry.resolve import load_clusters
from dossier.store.schema import collections, items, mentions

UNDATED = "undated"


@dataclass
class YearCount:
    year: str
    documents: int
    items: list[int]

    def as_dict(self) -> dict[str, Any]:
        return {"year": self.year, "documents": self.documents, "items": self.items}


@dataclass
class CoMention:
    entity_id: int
    kind: str
    name: str
    pages: int

    def as_dict(self) -> dict[str, Any]:
        return {"entity": self.entity_id, "kind": self.kind, "name": self.name,
                "pages": self.pages}


@dataclass(frozen=True)
class CoLink:
    """Two of the entities mentioned with the profiled one, on ``pages`` of its pages together."""

    left: int
    right: int
    pages: int

    def as_dict(self) -> dict[str, Any]:
        return {"left": self.left, "right": self.right, "pages": self.pages}


@dataclass
class Profile:
    entity: Entity
    members: list[int]
    names: list[EntityName]
    posts: list[ClaimView]
    documents_by_year: list[YearCount]
    units: list[CoMention] = field(default_factory=list)
    persons: list[CoMention] = field(default_factory=list)
    links: list[CoLink] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"entity": {k: v for k, v in self.entity.as_dict().items() if k != "names"},
                "members": self.members, "names": [n.as_dict() for n in self.names],
                "posts": [p.as_dict() for p in self.posts],
                "documents_by_year": [y.as_dict() for y in self.documents_by_year],
                "co_mentioned_units": [u.as_dict() for u in self.units],
                "co_mentioned_persons": [p.as_dict() for p in self.persons],
                "co_mention_links": [link.as_dict() for link in self.links]}


def profile(conn: Connection, entity_id: int, *, top: int = 10, hide_protected: bool = False,
            readable: Collection[str] | None = None) -> Profile:
    """The profile of the entity's cluster. ``hide_protected`` leaves protected persons out
    of the company and the posts; ``readable`` (collection names; None: all) limits the
    documents, the company and the sources to those collections."""
    clusters = load_clusters(conn)
    canonical = clusters.canonical(entity_id)
    members = clusters.members(canonical)
    entity = get_entity(conn, canonical)
    every = get_entities(conn, members)
    names = list({n.name: n for m in members for n in every[m].names}.values())
    names.sort(key=lambda n: (n.kind != "primary", n.script, n.name))
    posts = [claim for member in members
             for claim in list_claims(conn, member, predicate="holds_post",
                                      hide_protected=hide_protected)
             if claim.status != "rejected"]
    posts.sort(key=lambda c: (c.valid_from or "", c.id))
    units, persons, links = _co_mentioned(conn, members, clusters.canonical, top,
                                          hide_protected, readable)
    return Profile(entity, members, names, readable_sources(posts, readable),
                   _documents_by_year(conn, members, readable), units, persons, links)


def _in_collections(readable: Collection[str]) -> Any:
    """The ids of the items of the collections named ``readable`` (a subquery)."""
    return (select(items.c.id).join(collections, collections.c.id == items.c.collection_id)
            .where(collections.c.name.in_(sorted(readable))))


def _documents_by_year(conn: Connection, members: list[int],
                       readable: Collection[str] | None = None) -> list[YearCount]:
    query = select(mentions.c.item_id, mentions.c.page_id, mentions.c.page_number,
                   mentions.c.char_start).where(mentions.c.entity_id.in_(members))
    if readable is not None:
        query = query.where(mentions.c.item_id.in_(_in_collections(readable)))
    own = conn.execute(query).all()
    if not own:
        return []
    page_ids = {row.page_id for row in own}
    dates: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row in conn.execute(select(mentions.c.page_id, mentions.c.char_start, mentions.c.value)
                            .where(mentions.c.kind == "date",
                                   mentions.c.page_id.in_(sorted(page_ids)))):
        if row.value and YEAR.match(row.value):
            dates[row.page_id].append((row.char_start, row.value[:4]))
    year_of: dict[int, tuple[int, str]] = {}  # item -> (page number, year)
    for mention in sorted(own, key=lambda r: (r.item_id, r.page_number)):
        if mention.page_id not in dates or (mention.item_id in year_of
                                            and year_of[mention.item_id][0] < mention.page_number):
            continue
        nearest = min(dates[mention.page_id], key=lambda d: abs(d[0] - mention.char_start))
        year_of.setdefault(mention.item_id, (mention.page_number, nearest[1]))
    documents = sorted({row.item_id for row in own})
    undated = [item for item in documents if item not in year_of]
    metadata = dict(conn.execute(select(items.c.id, items.c.metadata)
                                 .where(items.c.id.in_(undated))).all()) if undated else {}
    by_year: dict[str, list[int]] = defaultdict(list)
    for item in documents:
        year = year_of[item][1] if item in year_of else _metadata_year(metadata.get(item))
        by_year[year].append(item)
    return [YearCount(year, len(found), found[:20])
            for year, found in sorted(by_year.items(), key=lambda p: (p[0] == UNDATED, p[0]))]


def _metadata_year(raw: str | None) -> str:
    if raw:
        try:
            data = json.loads(raw)
        except ValueError:
            data = {}
        for key in ("date", "created", "modified"):
            found = YEAR.search(str(data.get(key) or "")) if isinstance(data, dict) else None
            if found:
                return found.group(1)
    return UNDATED


def _co_mentioned(conn: Connection, members: list[int], canonical: Any, top: int,
                  hide_protected: bool = False, readable: Collection[str] | None = None
                  ) -> tuple[list[CoMention], list[CoMention], list[CoLink]]:
    """The units and the persons mentioned on the most pages with the entity (``top`` of
    each), and how often each two of them are mentioned together on those pages."""
    own, other = aliased(mentions), aliased(mentions)
    query = (select(other.c.page_id, other.c.entity_id).distinct()
             .select_from(own.join(other, own.c.page_id == other.c.page_id))
             .where(own.c.entity_id.in_(members), other.c.entity_id.is_not(None),
                    other.c.entity_id.not_in(members)))
    if readable is not None:
        query = query.where(own.c.item_id.in_(_in_collections(readable)))
    on_page: dict[int, set[int]] = defaultdict(set)
    for page_id, entity_id in conn.execute(query):
        on_page[page_id].add(canonical(entity_id))
    pages: Counter[int] = Counter(e for found in on_page.values() for e in found)
    found = get_entities(conn, pages, with_names=False)
    ranked = sorted(((e, n) for e, n in pages.items() if e in found and not (
        hide_protected and found[e].protected)), key=lambda p: (-p[1], p[0]))
    units = [CoMention(e, found[e].kind, found[e].name, n) for e, n in ranked
             if found[e].kind in ("unit", "facility")][:top]
    persons = [CoMention(e, found[e].kind, found[e].name, n) for e, n in ranked
               if found[e].kind == "person"][:top]
    shown = {c.entity_id for c in units + persons}
    together: Counter[tuple[int, int]] = Counter()
    for entities_on_page in on_page.values():
        together.update(combinations(sorted(entities_on_page & shown), 2))
    links = [CoLink(a, b, n) for (a, b), n in sorted(together.items())]
    return units, persons, links


def profile_claims(conn: Connection, members: list[int], *, hide_protected: bool = False,
                   readable: Collection[str] | None = None) -> list[ClaimView]:
    """Every claim about the members of a cluster, as subject or object, once each (oldest
    valid time first), with the sources a reader of ``readable`` may read."""
    found = {claim.id: claim for member in members
             for claim in list_claims(conn, member, hide_protected=hide_protected)}
    ordered = sorted(found.values(), key=lambda c: (c.valid_from is None, c.valid_from or "",
                                                    c.id))
    return readable_sources(ordered, readable)
