"""The case board: a case as one reader may see it, with its proof matrix and proceedings.

Not everyone on a team may see everything in a case. The board leaves out what its viewer may
not see, so that every screen and answer built on it agrees:

- a suspect who is a protected person is left out for a viewer who may not see protected
  persons, with the suspect's charges, the evidence linked to them and their proceedings;
- evidence from an item in a collection the viewer may not read stays in the matrix, so that
  an element's status is the same for everyone, but is *withheld*: no item, page, quote,
  region or assessment, and its source is named only where other evidence the viewer may read
  names it too (else "withheld source 1", 2 …, which keeps the sources apart, so that the
  status still counts them as independent);
- a proceeding whose subject the viewer may not see is left out, and so is a party of a
  proceeding who is a protected person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, select

from dossier.cases.casefile import CaseFile, Charge, Evidence, load_case
from dossier.cases.matrix import Matrix, MatrixCell, build_matrix
from dossier.cases.proceedings import Proceeding, proceedings_of_case
from dossier.registry.entities import get_entities
from dossier.store.schema import collections, items

__all__ = ["EVERYONE", "WITHHELD", "CaseBoard", "Viewer", "case_board", "item_collections"]

WITHHELD = "withheld"


@dataclass(frozen=True)
class Viewer:
    """What a reader may see: the collections they may read (None: all of them) and whether
    they may see protected persons."""

    collections: frozenset[str] | None = None
    sees_protected: bool = True

    def may_read(self, collection: str | None) -> bool:
        return self.collections is None or collection in self.collections


EVERYONE = Viewer()


@dataclass(frozen=True)
class CaseBoard:
    case: CaseFile  # as the viewer may see it (withheld evidence stripped of its details)
    matrix: Matrix
    withheld: frozenset[int]  # ids of the evidence whose item the viewer may not read
    proceedings: tuple[Proceeding, ...]

    def is_withheld(self, evidence: Evidence) -> bool:
        return evidence.id in self.withheld

    def elements(self, charge: Charge) -> list[MatrixCell]:
        """The cells of one charge, in the framework's order of its elements."""
        return self.matrix.cells_of(charge.id)

    def evidence_of(self, cell: MatrixCell) -> list[Evidence]:
        """The evidence linked to one cell: what contradicts it first, then what supports."""
        by_id = {e.id: e for e in self.case.evidence}
        return [by_id[i] for i in (*cell.contradicting, *cell.supporting) if i in by_id]

    def evidence_dict(self, evidence: Evidence) -> dict[str, Any]:
        if evidence.id in self.withheld:
            return {"id": evidence.id, "charge_id": evidence.charge_id,
                    "element": evidence.element, "stance": evidence.stance,
                    "source": evidence.source, "withheld": True}
        return {**evidence.as_dict(), "withheld": False}

    def as_dict(self) -> dict[str, Any]:
        """The case for programs: withheld evidence says so and carries no details."""
        found = self.case.as_dict()
        found["evidence"] = [self.evidence_dict(e) for e in self.case.evidence]
        found["withheld"] = sorted(self.withheld)
        found["proceedings"] = [p.as_dict() for p in self.proceedings]
        found["summary"] = self.matrix.summary()
        return found


def item_collections(conn: Connection, item_ids: Iterable[int]) -> dict[int, str]:
    """item id → the name of its collection."""
    wanted = sorted(set(item_ids))
    if not wanted:
        return {}
    rows = conn.execute(select(items.c.id, collections.c.name)
                        .join(collections, collections.c.id == items.c.collection_id)
                        .where(items.c.id.in_(wanted)))
    return {int(item_id): str(name) for item_id, name in rows}


def case_board(conn: Connection, ref: str, viewer: Viewer = EVERYONE) -> CaseBoard:
    """The case ``ref`` as ``viewer`` may see it (CaseError when there is no such case)."""
    case = load_case(conn, ref)
    suspects = tuple(s for s in case.suspects if viewer.sees_protected or not s.protected)
    shown = {s.id for s in suspects}
    charges = tuple(c for c in case.charges if c.suspect_id in shown)
    charge_ids = {c.id for c in charges}
    evidence = [e for e in case.evidence if e.charge_id in charge_ids]
    where = item_collections(conn, (e.item_id for e in evidence))
    withheld = frozenset(e.id for e in evidence if not viewer.may_read(where.get(e.item_id)))
    evidence = _strip(evidence, withheld)
    visible = replace(case, suspects=suspects, charges=charges, evidence=tuple(evidence))
    return CaseBoard(visible, build_matrix(visible), withheld,
                     tuple(_proceedings(conn, case.ref, suspects, viewer)))


def _strip(evidence: list[Evidence], withheld: frozenset[int]) -> list[Evidence]:
    """Withheld evidence without its details; its source named only where readable evidence
    names it too."""
    readable = {e.source for e in evidence if e.id not in withheld}
    labels: dict[str, str] = {}
    stripped = []
    for item in evidence:
        if item.id not in withheld:
            stripped.append(item)
            continue
        source = item.source if item.source in readable else labels.setdefault(
            item.source, f"{WITHHELD} source {len(labels) + 1}")
        stripped.append(replace(item, item_id=0, item_sha256="", item_path="",
                                page_number=None, quote=None, region=None, source=source,
                                assessment=None))
    return stripped


def _proceedings(conn: Connection, ref: str, suspects: Iterable[Any],
                 viewer: Viewer) -> list[Proceeding]:
    found = proceedings_of_case(conn, ref, [s.entity_id for s in suspects])
    if viewer.sees_protected:
        return found
    named = {p.subject_entity_id for p in found if p.subject_entity_id is not None}
    named |= {party.entity_id for p in found for party in p.parties
              if party.entity_id is not None}
    protected = {entity_id for entity_id, entity in get_entities(
        conn, named, with_names=False).items() if entity.protected}
    return [replace(p, parties=tuple(party for party in p.parties
                                     if party.entity_id not in protected))
            for p in found if p.subject_entity_id not in protected]
