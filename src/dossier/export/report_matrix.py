"""The proof matrix as the report shows it: each element's status and the exhibits behind it.

The case's own matrix (:func:`dossier.cases.matrix.matrix_html`) lists every piece of evidence
in full, by item and path; it goes into the bundle as data/matrix.html. In the report the
evidence is already set out exhibit by exhibit, so the matrix refers to the exhibit numbers
("E004 p. 2") and stays a few pages long however many exhibits there are; the statuses and
their colours are the case matrix's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from dossier.cases.casefile import CaseFile
from dossier.cases.matrix import Matrix, MatrixCell
from dossier.cases.matrix_html import COLOURS, status_words

__all__ = ["matrix_section"]


def matrix_section(case: CaseFile, matrix: Matrix, exhibit_of: Mapping[int, str]) -> str:
    """``exhibit_of``: item id -> exhibit number."""
    anchors = {e.id: (exhibit_of[e.item_id], e.page_number) for e in case.evidence}
    suspects = {s.id: s for s in case.suspects}
    counts = matrix.summary()
    out = ['<table class="matrix"><colgroup><col style="width:47%"><col style="width:15%">'
           '<col style="width:38%"></colgroup>',
           "<thead><tr><th>Element</th><th>Status</th><th>Exhibits</th></tr></thead>"]
    for charge in matrix.charges:
        suspect = suspects.get(charge.suspect_id)
        name = escape(suspect.name) if suspect else "?"
        out.append(f'<tr><th colspan="3" class="charge">Charge {charge.id}: <bdi>{name}</bdi> — '
                   f"{escape(charge.title)}</th></tr>")
        out += [_row(cell, anchors) for cell in matrix.cells_of(charge.id)]
    out.append("</table>")
    summary = ", ".join(f"{count} {status.replace('_', ' ')}" for status, count in counts.items())
    notes = "".join(f'<p class="note">{escape(text)}</p>' for text in
                    matrix.disclaimers.values())
    return f"<p>Elements: {summary}.</p>" + "\n".join(out) + notes


def _row(cell: MatrixCell, anchors: Mapping[int, tuple[str, int | None]]) -> str:
    element = cell.element
    described = (f"{escape(element.kind)}: {escape(element.text)} <span class=\"note\">"
                 f"{escape(element.citation)} · {escape(element.id)}</span>")
    linked = []
    for stance, ids in (("contradicts", cell.contradicting), ("supports", cell.supporting)):
        cited = [_cite(*anchors[i]) for i in ids if i in anchors]
        if cited:
            linked.append(f"<strong>{stance}</strong>: {', '.join(cited)}")
    return (f'<tr><td>{described}</td><td style="background:{COLOURS[cell.status]}">'
            f"{escape(status_words(cell))}</td><td>{'<br>'.join(linked) or '—'}</td></tr>")


def _cite(exhibit: str, page: int | None) -> str:
    return exhibit if page is None else f"{exhibit} p. {page}"
