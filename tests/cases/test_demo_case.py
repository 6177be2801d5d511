"""The demo's sample case, built from a small synthetic leak after the tour."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from dossier.cases.casefile import CaseFile, list_cases, load_case
from dossier.cases.matrix import build_matrix
from dossier.demo.case_seed import DEMO_CASE, seed_demo_case
from dossier.demo.tour import run_tour
from dossier.store.schema import claims, entities, mentions, pages
from dossier.workspace import Workspace


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, CaseFile]]:
    """The tour on 60 documents (seed 3: its leak names an interrogator beside his head), then
    the sample case."""
    folder = tmp_path_factory.mktemp("demo")
    run_tour(Path(folder), docs=60, seed=3)
    workspace = Workspace.open(folder / "workspace")
    assert seed_demo_case(workspace) == DEMO_CASE
    yield workspace, load_case(workspace.engine, DEMO_CASE)
    workspace.close()


def test_the_sample_case_charges_the_head_of_a_branch(demo) -> None:
    workspace, case = demo
    [suspect] = case.suspects
    with workspace.engine.connect() as conn:
        headed = conn.execute(
            select(entities.c.name).join(claims, claims.c.object_id == entities.c.id)
            .where(claims.c.subject_id == suspect.entity_id, claims.c.role == "head",
                   entities.c.unit_type == "branch")).scalars().all()
    assert headed and any(unit in case.title for unit in headed)
    charged = {(c.framework, c.offence, c.mode[:2]) for c in case.charges}
    assert charged == {("rome", "7-1-f", "28"), ("vstgb", "7-1-5", "vs")}


def test_its_evidence_quotes_the_pages_that_name_him(demo) -> None:
    workspace, case = demo
    [suspect] = case.suspects
    assert len(case.evidence) >= 6
    with workspace.engine.connect() as conn:
        for evidence in case.evidence:
            text = conn.scalar(select(pages.c.text).where(
                pages.c.item_id == evidence.item_id, pages.c.number == evidence.page_number))
            assert evidence.quote and evidence.quote in text
            assert evidence.quote_found is True  # and the check at linking time agreed
            named = conn.scalars(select(mentions.c.entity_id).where(
                mentions.c.item_id == evidence.item_id,
                mentions.c.page_number == evidence.page_number)).all()
            assert suspect.entity_id in named


def test_its_matrix_has_a_proven_element_single_sources_and_gaps(demo) -> None:
    _workspace, case = demo
    matrix = build_matrix(case)
    summary = matrix.summary()
    assert summary["proven"] >= 1 and summary["single_source"] >= 1 and summary["gap"] >= 1
    proven = [cell for cell in matrix.cells if cell.status == "proven"]
    assert all(len(cell.sources) >= 2 for cell in proven)
    assert {cell.element.kind for cell in matrix.gaps()} >= {"mental", "contextual"}


def test_an_insider_named_in_the_evidence_is_protected(demo) -> None:
    workspace, case = demo
    [suspect] = case.suspects
    with workspace.engine.connect() as conn:
        protected = conn.scalars(select(entities.c.id).where(entities.c.protected)).all()
        assert len(protected) == 1 and protected[0] != suspect.entity_id
        named = {(row.item_id, row.page_number) for row in conn.execute(
            select(mentions.c.item_id, mentions.c.page_number)
            .where(mentions.c.entity_id == protected[0]))}
    assert named & {(e.item_id, e.page_number) for e in case.evidence}


def test_seeding_twice_leaves_the_case_as_it_is(demo) -> None:
    workspace, case = demo
    assert seed_demo_case(workspace) == DEMO_CASE
    assert load_case(workspace.engine, DEMO_CASE) == case
    assert [c.ref for c in list_cases(workspace.engine)] == [DEMO_CASE]
