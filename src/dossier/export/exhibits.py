"""The exhibits of a bundle: which items, in which order, with what source and what text.

Every item linked as evidence to an element of the case is an exhibit, numbered in the order it
was first linked (E001, E002, …), so that the numbers follow the investigator's work and stay
the same from one export to the next as long as no link is removed. An original whose pages
name a protected person is withheld unless the investigator includes it by name; its sha256
still appears, so that a court knows it exists and can ask for it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from dossier.cases.casefile import CaseFile
from dossier.cases.frameworks import charge_elements
from dossier.export.pseudonyms import Pseudonymiser, Span
from dossier.store.schema import acquisitions, collections, items, mentions, pages
from dossier.workspace import utc_iso

WITHHELD_REASON = "names a protected person; include it with --include {item} if the court " \
                  "must see it"


@dataclass
class Exhibit:
    number: str
    item_id: int
    sha256: str
    size: int
    path: str  # as received, pseudonymised
    mime: str | None
    collection: str
    acquisition: dict[str, Any]
    page_count: int
    evidence: list[dict[str, Any]] = field(default_factory=list)
    withheld: str | None = None
    sha512: str | None = None
    original: str | None = None  # its path in the bag, when included
    text: str | None = None  # the path of its derived text in the bag
    redacted_pages: list[int] = field(default_factory=list)
    spans: dict[int, list[Span]] = field(default_factory=dict)  # page -> protected spans
    names_protected: bool = False  # its pages or its metadata name a protected person

    @property
    def redacted(self) -> bool:
        return bool(self.redacted_pages)

    def as_dict(self) -> dict[str, Any]:
        return {"exhibit": self.number, "item": self.item_id, "sha256": self.sha256,
                "sha512": self.sha512, "size": self.size, "path": self.path,
                "mime": self.mime, "collection": self.collection,
                "acquisition": self.acquisition, "original": self.original,
                "withheld": self.withheld, "text": self.text, "pages": self.page_count,
                "pseudonymised_pages": self.redacted_pages, "evidence": self.evidence}


def plan_exhibits(conn: Connection, case: CaseFile, hide: Pseudonymiser,
                  include: Sequence[int] = ()) -> list[Exhibit]:
    """The exhibits in order, each scanned for protected names (which hands out pseudonyms in
    the order people appear) and marked withheld where its pages name one."""
    order = list(dict.fromkeys(e.item_id for e in case.evidence))
    unknown = set(include) - set(order)
    if unknown:
        raise ValueError(f"--include names items that are not exhibits of case {case.ref}: "
                         f"{', '.join(map(str, sorted(unknown)))}")
    rows = {row.id: row for row in _item_rows(conn, order)}
    width = max(3, len(str(len(order))))
    exhibits = []
    for number, item_id in enumerate(order, start=1):
        row = rows[item_id]
        exhibit = Exhibit(
            f"E{number:0{width}d}", item_id, row.sha256, int(row.size), row.path, row.mime,
            row.collection, {"id": row.acquisition_id, "from": row.acquired_from,
                             "by": row.acquired_by, "note": row.note,
                             "started_at": None if row.started_at is None
                                             else utc_iso(row.started_at)},
            int(row.page_count or 0))
        _scan(conn, exhibit, hide, row.metadata)
        if exhibit.names_protected and item_id not in include:
            exhibit.withheld = WITHHELD_REASON.format(item=item_id)
        exhibits.append(exhibit)
    linked = _evidence_by_item(case, hide)
    for exhibit in exhibits:  # after the scan, so that pseudonyms follow the pages' order
        exhibit.path = hide.apply(exhibit.path)
        exhibit.acquisition = {key: hide.apply(value) if isinstance(value, str) else value
                               for key, value in exhibit.acquisition.items()}
        exhibit.collection = hide.apply(exhibit.collection)
        exhibit.evidence = linked.get(exhibit.item_id, [])
    return exhibits


def _item_rows(conn: Connection, item_ids: list[int]) -> Iterator[Any]:
    for start in range(0, len(item_ids), 500):
        yield from conn.execute(
            select(items.c.id, items.c.sha256, items.c.size, items.c.path, items.c.mime,
                   items.c.page_count, items.c.metadata, items.c.acquisition_id,
                   collections.c.name.label("collection"), acquisitions.c.acquired_from,
                   acquisitions.c.acquired_by, acquisitions.c.note, acquisitions.c.started_at)
            .join(collections, collections.c.id == items.c.collection_id)
            .join(acquisitions, acquisitions.c.id == items.c.acquisition_id)
            .where(items.c.id.in_(item_ids[start:start + 500])))


def _scan(conn: Connection, exhibit: Exhibit, hide: Pseudonymiser, metadata: str | None
          ) -> None:
    """Find the protected names on each page: by the words, and by linked mentions."""
    if not hide.active:
        return
    linked: dict[int, list[Span]] = {}
    for row in conn.execute(select(mentions.c.page_number, mentions.c.char_start,
                                   mentions.c.char_end, mentions.c.entity_id)
                            .where(mentions.c.item_id == exhibit.item_id,
                                   mentions.c.entity_id.in_(list(hide.spellings)))):
        linked.setdefault(row.page_number, []).append(
            (row.char_start, row.char_end, int(row.entity_id)))
    for number, text in page_texts(conn, exhibit.item_id):
        found = [*hide.find(text), *linked.get(number, ())]
        for _, _, entity_id in sorted(found):
            hide.pseudonym(entity_id)
        if found:
            exhibit.spans[number] = found
            exhibit.redacted_pages.append(number)
    # the metadata (a document's author or title) is in the original too
    exhibit.names_protected = bool(exhibit.spans) or bool(metadata and hide.find(metadata))


def page_texts(conn: Connection, item_id: int) -> Iterator[tuple[int, str]]:
    for row in conn.execute(select(pages.c.number, pages.c.text)
                            .where(pages.c.item_id == item_id).order_by(pages.c.number)):
        yield int(row.number), row.text


def derived_text(conn: Connection, exhibit: Exhibit, hide: Pseudonymiser) -> str | None:
    """The derived text of an exhibit with page markers, protected names replaced."""
    parts = []
    for number, text in page_texts(conn, exhibit.item_id):
        shown = hide.apply(text, exhibit.spans.get(number, ()))
        parts.append(f"===== {exhibit.number} page {number} =====\n{shown.rstrip()}\n")
    if not parts:
        return None
    head = (f"Exhibit {exhibit.number}: derived text of item {exhibit.item_id}, "
            f"{exhibit.path}\nsha256 of the original: {exhibit.sha256}\n")
    if exhibit.redacted:
        head += ("Names of protected persons are replaced by pseudonyms on pages "
                 f"{', '.join(map(str, exhibit.redacted_pages))}.\n")
    return head + "\n" + "\n".join(parts)


def _evidence_by_item(case: CaseFile, hide: Pseudonymiser) -> dict[int, list[dict[str, Any]]]:
    """What each item is evidence of: the elements it supports or contradicts, where, and
    the investigator's words, pseudonymised."""
    charges = {c.id: c for c in case.charges}
    texts = {c.id: {e.id: e.text for e in charge_elements(c.framework, c.offence, c.mode)}
             for c in case.charges}
    out: dict[int, list[dict[str, Any]]] = {}
    for evidence in case.evidence:
        charge = charges[evidence.charge_id]
        out.setdefault(evidence.item_id, []).append({
            "charge": charge.id, "suspect": hide.apply(case.suspect(charge.suspect_id).name),
            "offence": charge.title, "element": evidence.element,
            "element_text": texts[charge.id].get(evidence.element),
            "stance": evidence.stance, "page": evidence.page_number,
            "quote": hide.hide(evidence.quote), "region": evidence.region,
            "source": hide.apply(evidence.source), "assessment": hide.hide(evidence.assessment)})
    return out


