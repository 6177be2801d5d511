"""The proof matrix: each element of each charge against the evidence linked to it.

The first thing a prosecutor asks is which elements are proven and which are not. An element
is, in this order:

- **contradicted** when any evidence contradicts it (a contradiction must be answered before
  anything else is argued);
- **proven** when the evidence supporting it comes from at least two independent sources
  (sources as :func:`dossier.cases.casefile.load_case` keys them: copies of one document are
  one source);
- **single_source** when it all comes from one source;
- a **gap** when nothing is linked to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dossier.cases.casefile import CaseError, CaseFile, Charge, Evidence, Suspect
from dossier.cases.frameworks import Element, FrameworkError, charge_elements, frameworks

__all__ = ["MIN_SOURCES", "STATUSES", "Hide", "Matrix", "MatrixCell", "build_matrix",
           "matrix_html"]

STATUSES = ("proven", "single_source", "contradicted", "gap")
MIN_SOURCES = 2  # independent sources that make an element proven
Hide = Callable[[str], str]
"""Replaces the names of protected persons in a text (an export passes its pseudonymiser's
``apply``); None where nothing is hidden, as on the investigator's own screen."""


@dataclass(frozen=True)
class MatrixCell:
    charge_id: int
    element: Element
    status: str
    supporting: tuple[int, ...]  # evidence ids
    contradicting: tuple[int, ...]
    sources: tuple[str, ...]  # the independent sources of the supporting evidence

    def as_dict(self) -> dict[str, Any]:
        return {"element": {"id": self.element.id, "kind": self.element.kind,
                            "text": self.element.text, "citation": self.element.citation},
                "status": self.status, "evidence": [*self.supporting, *self.contradicting],
                "supporting": list(self.supporting), "contradicting": list(self.contradicting),
                "sources": list(self.sources)}


@dataclass(frozen=True)
class Matrix:
    case_ref: str
    cells: tuple[MatrixCell, ...]  # charge by charge, elements in framework order
    charges: tuple[Charge, ...] = ()
    suspects: tuple[Suspect, ...] = ()
    disclaimers: dict[str, str] = field(default_factory=dict)  # framework id → disclaimer

    def gaps(self) -> list[MatrixCell]:
        return [cell for cell in self.cells if cell.status == "gap"]

    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for cell in self.cells:
            counts[cell.status] += 1
        return counts

    def cells_of(self, charge_id: int) -> list[MatrixCell]:
        return [cell for cell in self.cells if cell.charge_id == charge_id]

    def as_dict(self, hide: Hide | None = None) -> dict[str, Any]:
        """The matrix for programs; ``hide`` replaces the names of protected persons wherever
        a name is written."""
        hide = hide or str
        suspects = {s.id: s for s in self.suspects}
        charges = []
        for charge in self.charges:
            suspect = suspects.get(charge.suspect_id)
            charges.append({
                "id": charge.id, "title": charge.title, "framework": charge.framework,
                "offence": charge.offence, "mode": charge.mode,
                "suspect": None if suspect is None else {
                    "id": suspect.id, "entity": suspect.entity_id, "name": hide(suspect.name)},
                "cells": [cell.as_dict() for cell in self.cells_of(charge.id)]})
        return {"case": self.case_ref, "charges": charges, "summary": self.summary(),
                "disclaimers": dict(self.disclaimers)}


def build_matrix(case: CaseFile) -> Matrix:
    """Every element of every charge with its status, in one pass over the evidence."""
    linked: dict[tuple[int, str], list[Evidence]] = defaultdict(list)
    for evidence in case.evidence:
        linked[(evidence.charge_id, evidence.element)].append(evidence)
    cells: list[MatrixCell] = []
    for charge in case.charges:
        try:
            elements = charge_elements(charge.framework, charge.offence, charge.mode)
        except FrameworkError as exc:
            raise CaseError(f"charge {charge.id} of case {case.ref!r} no longer matches the "
                            f"framework files: {exc}") from exc
        for element in elements:
            found = linked.get((charge.id, element.id), [])
            supporting = tuple(e.id for e in found if e.stance == "supports")
            contradicting = tuple(e.id for e in found if e.stance == "contradicts")
            sources = tuple(sorted({e.source for e in found if e.stance == "supports"}))
            cells.append(MatrixCell(charge.id, element, _status(contradicting, sources),
                                    supporting, contradicting, sources))
    known = frameworks()
    disclaimers = {c.framework: known[c.framework].disclaimer for c in case.charges
                   if c.framework in known}
    return Matrix(case.ref, tuple(cells), case.charges, case.suspects, disclaimers)


def _status(contradicting: tuple[int, ...], sources: tuple[str, ...]) -> str:
    if contradicting:
        return "contradicted"
    if len(sources) >= MIN_SOURCES:
        return "proven"
    return "single_source" if sources else "gap"


def matrix_html(case: CaseFile, matrix: Matrix, *, hide: Hide | None = None) -> str:
    """The matrix as a self-contained HTML ``<table>`` (see :mod:`dossier.cases.matrix_html`)."""
    from dossier.cases.matrix_html import render_table

    return render_table(case, matrix, hide=hide)

