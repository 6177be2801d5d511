"""The proof matrix as HTML: one light table, readable on a screen, in print and in a PDF.

The table carries its own look (inline styles, no stylesheet, no script), so that it can be
dropped into a report as it is. The status of an element is written in words as well as in
colour, for a black-and-white printout and for readers who cannot tell the colours apart.
Quotes are marked ``dir="auto"`` so that an Arabic quote reads right to left inside an English
page; paths and hashes are isolated left to right. Every text is escaped, and, given a ``hide``
function (an export's pseudonymiser), the names of protected persons are replaced wherever
they appear.

The compact form, for a report that sets out every exhibit in full elsewhere, cites each piece
of evidence by its exhibit label and page ("E004 p. 2") instead of its path, quote and notes,
so that it stays a few pages long however many exhibits there are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape

from dossier.cases.casefile import CaseFile, Evidence
from dossier.cases.matrix import Hide, Matrix, MatrixCell

__all__ = ["COLOURS", "matrix_document", "render_table", "status_words", "summary_words"]

COLOURS = {"proven": "#d3ecd3", "single_source": "#fbefc0", "contradicted": "#f6cdcd",
           "gap": "#e6e6e6"}
_CELL = "border:1px solid #bbb;padding:4px 6px;vertical-align:top;text-align:start"
# a quote is its own paragraph, so that an Arabic one runs right to left from the right edge;
# its lines break where the page's lines break
_QUOTE = "display:block;white-space:pre-line;margin:2px 0 2px 0.6em"
QUOTE_NOT_FOUND = "quote not found in the text of the page: check it against the page"
_TABLE = "border-collapse:collapse;font-family:sans-serif;font-size:10pt;width:100%"


def status_words(cell: MatrixCell) -> str:
    """The status as a sentence: "proven by 2 independent sources", "gap: no evidence"."""
    if cell.status == "contradicted":
        count = len(cell.contradicting)
        return f"contradicted by {count} piece{'s' if count != 1 else ''} of evidence"
    if cell.status == "proven":
        return f"proven by {len(cell.sources)} independent sources"
    if cell.status == "single_source":
        return "single source"
    return "gap: no evidence"


def summary_words(matrix: Matrix) -> str:
    """"3 proven, 5 single source, 0 contradicted, 12 gaps"."""
    counts = matrix.summary()
    gaps = counts["gap"]
    return (f"{counts['proven']} proven, {counts['single_source']} single source, "
            f"{counts['contradicted']} contradicted, {gaps} gap{'s' if gaps != 1 else ''}")


def render_table(case: CaseFile, matrix: Matrix, *, hide: Hide | None = None,
                 exhibits: Mapping[int, str] | None = None) -> str:
    """Elements (rows, charge by charge) against the evidence linked to each. ``exhibits``
    (item id → exhibit label) gives the compact form that cites exhibits only."""
    shown = hide or str

    def text(value: str | None) -> str:
        return escape(shown(value or ""))

    evidence = {e.id: e for e in case.evidence}
    suspects = {s.id: s for s in case.suspects}
    widths, last = ((47, 15, 38), "Exhibits") if exhibits is not None else \
        ((32, 14, 54), "Evidence")
    layout = ";table-layout:fixed" if exhibits is not None else ""
    out = [f'<table class="proof-matrix" data-case="{escape(case.ref)}" '
           f'style="{_TABLE}{layout}">',
           f'<caption style="text-align:start;font-weight:bold;padding:4px 0">Proof matrix, '
           f'case <bdi dir="ltr">{escape(case.ref)}</bdi>: <bdi>{text(case.title)}</bdi> — '
           f"{summary_words(matrix)}</caption>",
           "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in widths) + "</colgroup>",
           "<thead><tr>" + "".join(f'<th scope="col" style="{_CELL};background:#f4f4f4">{h}'
                                   "</th>" for h in ("Element", "Status", last))
           + "</tr></thead>"]
    linked: Callable[[MatrixCell], str] = (
        (lambda cell: _exhibits_cited(cell, evidence, exhibits)) if exhibits is not None
        else (lambda cell: _evidence_listed(cell, evidence, text)))
    for charge in matrix.charges:
        suspect = suspects.get(charge.suspect_id)
        name = text(suspect.name) if suspect else "?"
        out.append(f'<tbody class="charge" data-charge="{charge.id}">')
        out.append(f'<tr><th colspan="3" scope="rowgroup" style="{_CELL};background:#f4f4f4">'
                   f'Charge {charge.id}: <bdi>{name}</bdi> — {text(charge.title)}</th></tr>')
        for cell in matrix.cells_of(charge.id):
            out.append(_row(cell, linked(cell)))
        out.append("</tbody>")
    if matrix.disclaimers:
        notes = " ".join(escape(d) for d in matrix.disclaimers.values())
        out.append(f'<tfoot><tr><td colspan="3" style="{_CELL};font-size:9pt;color:#444">'
                   f"{notes}</td></tr></tfoot>")
    out.append("</table>")
    return "\n".join(out)


def _row(cell: MatrixCell, linked: str) -> str:
    element = cell.element
    described = (f'<span style="color:#555">{escape(element.kind)}</span> '
                 f"{escape(element.text)}<br><cite>{escape(element.citation)}</cite> "
                 f'<code dir="ltr">{escape(element.id)}</code>')
    return (f'<tr class="status-{cell.status}" data-element="{escape(element.id)}">'
            f'<td style="{_CELL}">{described}</td>'
            f'<td class="status" style="{_CELL};background:{COLOURS[cell.status]}">'
            f"<strong>{escape(status_words(cell))}</strong></td>"
            f'<td style="{_CELL}">{linked}</td></tr>')


def _evidence_listed(cell: MatrixCell, evidence: Mapping[int, Evidence],
                     text: Callable[[str | None], str]) -> str:
    """Every piece of evidence in full: item, path, page or region, quote, source, notes."""
    items = [_evidence(evidence[i], text) for i in (*cell.contradicting, *cell.supporting)
             if i in evidence]
    return f'<ul style="margin:0;padding-inline-start:1.2em">{"".join(items)}</ul>' \
        if items else "—"


def _exhibits_cited(cell: MatrixCell, evidence: Mapping[int, Evidence],
                    exhibits: Mapping[int, str]) -> str:
    """The compact form: "contradicts: E002 p. 1" / "supports: E001 p. 3, E004"."""
    lines = []
    for stance, ids in (("contradicts", cell.contradicting), ("supports", cell.supporting)):
        cited = [_cite(exhibits[evidence[i].item_id], evidence[i].page_number) for i in ids
                 if i in evidence and evidence[i].item_id in exhibits]
        if cited:
            lines.append(f"<strong>{stance}</strong>: {escape(', '.join(cited))}")
    return "<br>".join(lines) or "—"


def _cite(exhibit: str, page: int | None) -> str:
    return exhibit if page is None else f"{exhibit} p. {page}"


def _evidence(item: Evidence, text: Callable[[str | None], str]) -> str:
    where = f'item {item.item_id} <bdi dir="ltr">{text(item.item_path)}</bdi>'
    if item.page_number is not None:
        where += f", p. {item.page_number}"
    if item.region:
        box = item.region
        where += f', region <bdi dir="ltr">{box["x"]},{box["y"]},{box["width"]}×' \
                 f'{box["height"]}</bdi>'
    quote = (f'<q dir="auto" style="{_QUOTE}">{text(item.quote)}</q>' if item.quote else "")
    notes = [f'<span style="color:#555">source: <bdi>{text(item.source)}</bdi></span>']
    if item.quote and item.quote_found is False:
        notes.append(f'<strong style="color:#a40000">{QUOTE_NOT_FOUND}</strong>')
    if item.assessment:
        notes.append(f'<em dir="auto">{text(item.assessment)}</em>')
    return (f'<li class="{escape(item.stance)}" data-evidence="{item.id}">'
            f"<strong>{escape(item.stance)}</strong>: {where}{quote}{'' if quote else '<br>'}"
            + " · ".join(notes) + "</li>")


def matrix_document(case: CaseFile, matrix: Matrix, *, hide: Hide | None = None) -> str:
    """A whole HTML page around the table, for `dossier case matrix --html`."""
    table = render_table(case, matrix, hide=hide)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
            f"<title>Proof matrix: {escape(case.ref)}</title></head>\n"
            f'<body style="margin:1.5em">\n{table}\n</body>\n</html>\n')
