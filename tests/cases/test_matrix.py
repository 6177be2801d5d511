"""The proof matrix: which elements are proven by independent sources, and how it reads."""

from __future__ import annotations

import json
import re

import pytest

from dossier.cases.casefile import add_evidence, load_case
from dossier.cases.frameworks import charge_elements
from dossier.cases.matrix import STATUSES, build_matrix, matrix_html
from dossier.cases.matrix_html import matrix_document
from dossier.export.pseudonyms import Pseudonymiser

from .test_casefile import TORTURE, add_item, build_world, element, open_case


@pytest.fixture
def world(workspace) -> dict[str, int]:
    return build_world(workspace)


def _cells(workspace) -> dict[str, str]:
    matrix = build_matrix(load_case(workspace.engine, "koblenz-999"))
    return {cell.element.id: cell.status for cell in matrix.cells}


def test_every_status_is_reached(workspace, world) -> None:
    charge = open_case(workspace)
    engine = workspace.engine
    pain, custody, attack = element("severe-pain"), element("custody"), element("attack")
    # two independent sources: the defector's leak and the NGO's statement
    add_evidence(engine, "koblenz-999", charge, pain, world["order"], page=2)
    add_evidence(engine, "koblenz-999", charge, pain, world["statement"], page=1)
    # one source only
    add_evidence(engine, "koblenz-999", charge, custody, world["list"], page=1)
    # supported twice, but contradicted once: the contradiction wins
    add_evidence(engine, "koblenz-999", charge, attack, world["order"])
    add_evidence(engine, "koblenz-999", charge, attack, world["statement"])
    add_evidence(engine, "koblenz-999", charge, attack, world["list"], stance="contradicts")

    case = load_case(engine, "koblenz-999")
    matrix = build_matrix(case)
    statuses = {cell.element.id: cell.status for cell in matrix.cells}
    assert statuses[pain] == "proven" and statuses[custody] == "single_source"
    assert statuses[attack] == "contradicted"
    ids = [e.id for e in charge_elements(*TORTURE)]
    assert [cell.element.id for cell in matrix.cells] == ids  # framework order
    assert {statuses[i] for i in ids if i not in (pain, custody, attack)} == {"gap"}
    assert matrix.summary() == {"proven": 1, "single_source": 1, "contradicted": 1,
                                "gap": len(ids) - 3}
    assert [cell.element.id for cell in matrix.gaps()] == [
        i for i in ids if i not in (pain, custody, attack)]
    proven = next(cell for cell in matrix.cells if cell.element.id == pain)
    assert proven.sources == ("a defector", "ngo") and len(proven.supporting) == 2

    data = json.loads(json.dumps(matrix.as_dict()))
    assert data["case"] == "koblenz-999" and set(data["summary"]) == set(STATUSES)
    [first] = data["charges"]
    assert (first["framework"], first["offence"], first["mode"]) == TORTURE
    assert first["suspect"]["name"] == "Karim Nassar"
    cell = next(c for c in first["cells"] if c["element"]["id"] == attack)
    assert cell["status"] == "contradicted" and len(cell["evidence"]) == 3
    assert len(cell["contradicting"]) == 1 and cell["element"]["citation"]
    assert "not legal advice" in data["disclaimers"]["rome"]


def test_copies_of_one_document_are_one_source(workspace, world) -> None:
    charge = open_case(workspace)
    engine = workspace.engine
    pain, custody, intent = element("severe-pain"), element("custody"), element("mental")
    with engine.begin() as conn:
        # the same document reached us twice, through two channels: bytes differ slightly
        first = add_item(conn, "press/a.pdf", ["torture"], collection="press",
                         acquired_from="a journalist", near_dup_group=7)
        copy = add_item(conn, "exiles/a.pdf", ["torture"], collection="exiles",
                        acquired_from="an exile group", near_dup_group=7)
        # the very same bytes in two collections
        same = add_item(conn, "press/b.pdf", ["b"], collection="press", sha256="b" * 64)
        again = add_item(conn, "exiles/b.pdf", ["b"], collection="exiles", sha256="b" * 64)
        # two documents of one leak
        one = add_item(conn, "leak/c.pdf", ["c"])
        two = add_item(conn, "leak/d.pdf", ["d"])
    for element_id, items in ((pain, (first, copy)), (custody, (same, again)),
                              (intent, (one, two))):
        for item in items:
            add_evidence(engine, "koblenz-999", charge, element_id, item)
    statuses = _cells(workspace)
    assert statuses[pain] == statuses[custody] == statuses[intent] == "single_source"
    case = load_case(engine, "koblenz-999")
    assert {e.source for e in case.evidence if e.item_id in (first, copy)} == {
        "a journalist = an exile group"}
    # named by the investigator as two witnesses, the copies are still one document
    for item, who in ((first, "witness A"), (copy, "witness B")):
        add_evidence(engine, "koblenz-999", charge, element("attack"), item, source=who)
    assert _cells(workspace)[element("attack")] == "single_source"
    # two documents of the leak that the investigator knows to be two witnesses' statements
    for item, who in ((one, "witness C"), (two, "witness D")):
        add_evidence(engine, "koblenz-999", charge, element("not-lawful-sanction"), item,
                     source=who)
    statuses = _cells(workspace)
    assert statuses[element("not-lawful-sanction")] == "proven"
    assert statuses[intent] == "proven"  # what is known of a document holds wherever it is used


def test_the_html_table_escapes_marks_direction_and_hides_protected_names(
        workspace, world) -> None:
    charge = open_case(workspace)
    engine = workspace.engine
    pain = element("severe-pain")
    add_evidence(engine, "koblenz-999", charge, pain, world["statement"], page=1,
                 quote="تعرض للتعذيب في الفرع ٩٩٩ <script>alert(1)</script>",
                 assessment="Karim Nassar's men, says the witness")
    add_evidence(engine, "koblenz-999", charge, pain, world["order"], page=2,
                 quote="Brigadier General Karim Nassar")
    case = load_case(engine, "koblenz-999")
    matrix = build_matrix(case)
    html = matrix_html(case, matrix)
    assert html.startswith('<table class="proof-matrix"') and html.endswith("</table>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert re.search(r'<q dir="auto"[^>]*>تعرض للتعذيب', html)
    assert "proven by 2 independent sources" in html and "gap: no evidence" in html
    assert html.count('class="status-gap"') == matrix.summary()["gap"]
    assert "Karim Nassar" in html and "not legal advice" in html

    hide = Pseudonymiser({1: ("Karim Nassar", "كريم نصار")})
    hidden = matrix_html(case, matrix, hide=hide.apply)
    assert "Karim Nassar" not in hidden and "Witness A" in hidden
    assert "Witness A&#x27;s men" in hidden and "Brigadier General Witness A" in hidden

    assert "quote not found" not in html
    add_evidence(engine, "koblenz-999", charge, pain, world["order"], page=1,
                 quote="Brigadier General Karim Nassar")  # on page 2, not page 1
    again = load_case(engine, "koblenz-999")
    flagged = matrix_html(again, build_matrix(again))
    assert flagged.count("quote not found in the text of the page") == 1

    page = matrix_document(case, matrix)
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert re.search(r"<title>Proof matrix: koblenz-999</title>", page)


def test_a_case_without_charges_has_an_empty_matrix(workspace, world) -> None:
    from dossier.cases.casefile import create_case

    create_case(workspace.engine, "empty", "Nothing yet")
    case = load_case(workspace.engine, "empty")
    matrix = build_matrix(case)
    assert matrix.cells == () and matrix.summary() == dict.fromkeys(STATUSES, 0)
    assert "<tbody" not in matrix_html(case, matrix)


def test_hidden_names_are_whole_words_and_the_compact_form_cites_exhibits(
        workspace, world) -> None:
    """The matrix hides names with the function it is given (an export's pseudonymiser, which
    replaces whole words: the code name "Falcon" is not the start of "Falconer"); the compact
    form, for the bundle's report, cites exhibit labels and pages instead of the evidence."""
    charge = open_case(workspace)
    engine = workspace.engine
    add_evidence(engine, "koblenz-999", charge, element("severe-pain"), world["statement"],
                 page=1, quote="Falcon saw it", assessment="Falconer's notes agree with Falcon")
    case = load_case(engine, "koblenz-999")
    matrix = build_matrix(case)
    hide = Pseudonymiser({7: ("Falcon",)})
    html = matrix_html(case, matrix, hide=hide.apply)
    assert "Witness A saw it" in html and "Falconer&#x27;s notes agree with Witness A" in html
    assert matrix.as_dict(hide=hide.apply)["case"] == "koblenz-999"
    from dossier.cases.matrix_html import render_table

    compact = render_table(case, matrix, exhibits={world["statement"]: "E007"})
    assert "<strong>supports</strong>: E007 p. 1" in compact
    assert "Falcon" not in compact and "<th" in compact and "Exhibits" in compact
    assert compact.count('class="status-gap"') == matrix.summary()["gap"]
