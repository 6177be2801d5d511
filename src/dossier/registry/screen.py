"""Screening a list of suspects against the registry and every document.

For each suspect (a name, and a date of birth when known):

- the matching person entities (`find_entities`), with the birth date compared where both
  are known, read as dates on both sides (ISO, day-first numbers as in "12/03/1952", a
  month name, a year) and compared at the precision both have: an agreeing date raises
  nothing, a different one marks the match "differs" and lowers its score (it stays in the
  answer: a wrong date in a list is common);
- the documents that mention the suspect in any spelling, found two ways: mentions linked
  to a matching entity (its whole cluster), scored by the entity match; and a search of every
  spelling Dossier knows (`name_variants`) in the search index, scored by how well the
  spelling matches the suspect's name (a phrase found is not yet the same man).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select

from dossier.extract.dates import find_dates
from dossier.registry.dates import YEAR, is_date
from dossier.registry.entities import get_entities
from dossier.registry.lookup import EntityMatch, find_entities
from dossier.registry.resolve import load_clusters
from dossier.search.batch import as_query
from dossier.search.index import QuerySyntaxError, SearchIndex
from dossier.store.schema import collections, items, mentions
from dossier.text import match_names, name_variants

BIRTH_DIFFERS_FACTOR = 0.3
SEARCH_FACTOR = 0.8


class ScreenInputError(ValueError):
    """A list of suspects that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Suspect:
    name: str
    date_of_birth: str | None = None
    line: int = 0


@dataclass
class ScreenedEntity:
    match: EntityMatch
    birth: str  # agrees | differs | unknown
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {**self.match.as_dict(), "birth": self.birth, "score": round(self.score, 4)}


@dataclass
class ScreenedDocument:
    item_id: int
    path: str
    score: float
    mentions: int = 0  # mentions linked to a matching entity
    spellings: list[str] = field(default_factory=list)  # spellings the search found in it
    pages: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"item": self.item_id, "path": self.path, "score": round(self.score, 4),
                "mentions": self.mentions, "spellings": self.spellings, "pages": self.pages}


@dataclass
class ScreenResult:
    suspect: Suspect
    entities: list[ScreenedEntity]
    documents: list[ScreenedDocument]

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.suspect.name, "date_of_birth": self.suspect.date_of_birth,
                "entities": [e.as_dict() for e in self.entities],
                "documents": [d.as_dict() for d in self.documents]}

    def rows(self) -> list[list[Any]]:
        """One row per document (one row, without a document, when none was found), under
        :data:`ROW_COLUMNS`."""
        start = [self.suspect.name, self.suspect.date_of_birth or "",
                 json.dumps([e.match.entity_id for e in self.entities])]
        if not self.documents:
            return [[*start, "", "", "", "", ""]]
        return [[*start, doc.item_id, doc.path, round(doc.score, 4), doc.mentions,
                 "|".join(doc.spellings)] for doc in self.documents]


ROW_COLUMNS = ("name", "date_of_birth", "entities", "item", "path", "score", "mentions",
               "spellings")
"""The columns of :meth:`ScreenResult.rows`, for a CSV of a screening."""


def read_suspects(path: Path) -> list[Suspect]:
    """Suspects from CSV (header with ``name``, optional ``date_of_birth``) or JSON lines."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScreenInputError(f"{path}: cannot be read as UTF-8 text: {exc}") from exc
    suspects: list[Suspect] = []
    if Path(path).suffix.lower() in (".jsonl", ".json", ".ndjson"):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError as exc:
                raise ScreenInputError(f"{path}:{number}: not valid JSON: {exc}") from exc
            if not isinstance(data, dict) or not str(data.get("name") or "").strip():
                raise ScreenInputError(f"{path}:{number}: needs a \"name\"")
            suspects.append(Suspect(str(data["name"]).strip(),
                                    str(data.get("date_of_birth") or "") or None, number))
    else:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if "name" not in (reader.fieldnames or []):
            raise ScreenInputError(f"{path}: the header needs a name column (and optionally "
                                   f"date_of_birth); it has {', '.join(reader.fieldnames or [])}")
        for row in reader:
            name = (row.get("name") or "").strip()
            if not name:
                raise ScreenInputError(f"{path}:{reader.line_num}: name is empty")
            suspects.append(Suspect(name, (row.get("date_of_birth") or "").strip() or None,
                                    reader.line_num))
    if not suspects:
        raise ScreenInputError(f"{path}: no suspects in it")
    return suspects


def birth_date(text: str) -> str | None:
    """A birth date as written, read as an ISO date, year-month or year: "1952-03-12",
    "12/03/1952" (day first), "12 March 1952", "1952"; None when no date can be read."""
    text = text.strip()
    if is_date(text):
        return text
    found = [f.value for f in find_dates(text) if f.value and not f.value.startswith("--")]
    if found:
        return found[0]
    year = YEAR.search(text)
    return year.group(1) if year else None


def _birth(suspect: Suspect, attributes: dict[str, Any]) -> str:
    known = attributes.get("birth_date") or attributes.get("birth_year")
    if not suspect.date_of_birth or not known:
        return "unknown"
    ours, theirs = birth_date(suspect.date_of_birth), birth_date(str(known))
    if ours is None or theirs is None:
        return "unknown"
    shared = min(len(ours), len(theirs))  # compared at the precision both have
    return "agrees" if ours[:shared] == theirs[:shared] else "differs"


def screen(conn: Connection, index: SearchIndex | None, rows: list[Suspect], *,
           collection: str | None = None, top: int = 20) -> list[ScreenResult]:
    """Screen each suspect; ``collection`` (a collection's name) limits the documents found
    both ways, through linked mentions and through the search."""
    clusters = load_clusters(conn)
    results: list[ScreenResult] = []
    for suspect in rows:
        found = [m for m in find_entities(conn, suspect.name, "person")
                 if m.decision != "different"]
        attributes = {e.id: e.attributes for e in get_entities(
            conn, [m.entity_id for m in found], with_names=False).values()}
        screened = []
        for match in found:
            birth = _birth(suspect, attributes.get(match.entity_id, {}))
            score = match.score * (BIRTH_DIFFERS_FACTOR if birth == "differs" else 1.0)
            screened.append(ScreenedEntity(match, birth, score))
        screened.sort(key=lambda s: (-s.score, s.match.entity_id))
        documents: dict[int, ScreenedDocument] = {}
        for entity in screened:
            if entity.match.decision != "same" or entity.birth == "differs":
                continue
            members = clusters.members(entity.match.entity_id)
            query = (select(mentions.c.item_id, items.c.path, func.count())
                     .join(items, items.c.id == mentions.c.item_id)
                     .where(mentions.c.entity_id.in_(members))
                     .group_by(mentions.c.item_id, items.c.path))
            if collection is not None:
                query = query.join(collections, collections.c.id == items.c.collection_id
                                   ).where(collections.c.name == collection)
            for item, path, count in conn.execute(query):
                document = documents.setdefault(item, ScreenedDocument(item, path, 0.0))
                document.mentions += count
                document.score = max(document.score, entity.score)
        if index is not None:
            _search(index, suspect, documents, collection, top)
        ranked = sorted(documents.values(), key=lambda d: (-d.score, d.item_id))
        results.append(ScreenResult(suspect, screened, ranked[:top]))
    return results


def _search(index: SearchIndex, suspect: Suspect, documents: dict[int, ScreenedDocument],
            collection: str | None, top: int) -> None:
    spellings = list(dict.fromkeys([suspect.name, *name_variants(suspect.name, limit=30)]))
    for spelling in spellings:
        try:
            hits = index.search(as_query(spelling), collection=collection, limit=top).hits
        except QuerySyntaxError:
            continue
        if not hits:
            continue
        weight = SEARCH_FACTOR * match_names(suspect.name, spelling).score
        for hit in hits:
            document = documents.setdefault(hit.item_id,
                                            ScreenedDocument(hit.item_id, hit.path, 0.0))
            if spelling not in document.spellings:
                document.spellings.append(spelling)
            if hit.page not in document.pages:
                document.pages.append(hit.page)
            document.score = max(document.score, weight)
