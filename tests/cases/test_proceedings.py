"""Proceedings and their dated stages: recorded in any order, read by date, counted."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import insert
from tests.clirun import run

from dossier.cases.proceedings import (
    ProceedingError,
    add_proceeding,
    add_stage,
    list_proceedings,
    load_proceeding,
    vocabulary,
)
from dossier.cases.proceedings_stats import proceedings_stats
from dossier.demo.world import build_world
from dossier.registry.entities import add_entity
from dossier.store.schema import cases
from dossier.workspace import utcnow


def synthetic_officer(workspace) -> tuple[int, str]:
    """A synthetic officer of the demo world, in the registry: (entity id, English name)."""
    person = build_world(7, officers=10, detainees=0).persons[0]
    name = person.en_names[0]
    with workspace.engine.begin() as conn:
        entity = add_entity(conn, "person", name, names=[person.name_ar])
    return entity, name


@pytest.fixture
def officer(workspace) -> tuple[int, str]:
    return synthetic_officer(workspace)


@pytest.fixture
def case_ref(workspace) -> str:
    with workspace.engine.begin() as conn:
        conn.execute(insert(cases).values(ref="branch-251", title="Branch 251", status="open",
                                          created_by="test", created_at=utcnow()))
    return "branch-251"


def test_stages_are_listed_by_date_whatever_the_order_they_were_recorded_in(workspace) -> None:
    add_proceeding(workspace.engine, "DE-1", forum="OLG Koblenz", kind="criminal", country="de",
                   ground="universal", legal_basis="VStGB §7")
    add_stage(workspace.engine, "DE-1", "verdict", on_date="2022-01-13", source="judgment")
    add_stage(workspace.engine, "DE-1", "trial", on_date="2020-04-23")
    add_stage(workspace.engine, "DE-1", "arrest", on_date="2019-02")
    add_stage(workspace.engine, "DE-1", "indictment", on_date="2019")
    found = load_proceeding(workspace.engine, "DE-1")
    assert [(s.stage, s.on_date) for s in found.stages] == [
        ("indictment", "2019"), ("arrest", "2019-02"), ("trial", "2020-04-23"),
        ("verdict", "2022-01-13")]
    assert found.country == "DE" and found.current_stage == "verdict" and not found.closed
    assert found.stages[-1].source == "judgment"
    # an appeal found later, then the judgment becoming final: the file is over
    add_stage(workspace.engine, "DE-1", "final", on_date="2023")
    add_stage(workspace.engine, "DE-1", "appeal", on_date="2022-02-01")
    again = load_proceeding(workspace.engine, "DE-1")
    assert [s.stage for s in again.stages][-2:] == ["appeal", "final"]
    assert again.current_stage == "final" and again.closed


def test_an_undated_closing_closes_the_file_and_a_later_stage_reopens_it(workspace) -> None:
    for ref in ("BE-1", "BE-2"):
        add_proceeding(workspace.engine, ref, forum="Federal Prosecutor", kind="criminal",
                       country="BE")
    # the closing date is not public: the file still reads as closed after its complaint
    add_stage(workspace.engine, "BE-1", "closed", reason="no further action")
    add_stage(workspace.engine, "BE-1", "complaint", on_date="2019-05-02")
    closed = load_proceeding(workspace.engine, "BE-1")
    assert [s.stage for s in closed.stages] == ["complaint", "closed"]
    assert closed.current_stage == "closed" and closed.closed
    add_stage(workspace.engine, "BE-2", "closed", on_date="2023", reason="no further action")
    add_stage(workspace.engine, "BE-2", "individual_investigation", on_date="2024-03")
    reopened = load_proceeding(workspace.engine, "BE-2")
    assert reopened.current_stage == "individual_investigation" and not reopened.closed


def test_declined_or_closed_without_a_reason_is_refused(workspace) -> None:
    add_proceeding(workspace.engine, "FR-1", forum="PNAT", kind="criminal", country="FR")
    for stage in ("declined", "closed"):
        with pytest.raises(ProceedingError, match="reason"):
            add_stage(workspace.engine, "FR-1", stage, on_date="2021", reason="  ")
    assert load_proceeding(workspace.engine, "FR-1").stages == ()
    out = run(workspace, "proceedings", "stage", "FR-1", "closed", "--date", "2021", code=1)
    assert "reason" in out


@pytest.mark.parametrize(("call", "field"), [
    (lambda e: add_stage(e, "X-1", "trial", on_date="23/04/2020"), "date"),
    (lambda e: add_stage(e, "X-1", "trial", on_date="2020-02-30"), "date"),
    (lambda e: add_stage(e, "X-1", "hearing"), "stage"),
    (lambda e: add_stage(e, "NOPE", "trial"), "ref"),
    (lambda e: add_proceeding(e, "X-2", forum="F", kind="penal"), "kind"),
    (lambda e: add_proceeding(e, "X-2", forum="F", kind="criminal", ground="nationality"),
     "ground"),
    (lambda e: add_proceeding(e, "X-2", forum="F", kind="criminal", country="BEL"), "country"),
    (lambda e: add_proceeding(e, "X-2", forum=" ", kind="criminal"), "forum"),
    (lambda e: add_proceeding(e, "X-1", forum="F", kind="criminal"), "ref"),
    (lambda e: add_proceeding(e, "X-2", forum="F", kind="criminal", case="nope"), "case"),
    (lambda e: add_proceeding(e, "X-2", forum="F", kind="criminal", subject="Nobody Known"),
     "subject"),
])
def test_errors_name_the_field(workspace, call, field: str) -> None:
    add_proceeding(workspace.engine, "X-1", forum="F", kind="criminal")
    with pytest.raises(ProceedingError, match=f"^{field}:"):
        call(workspace.engine)
    assert [p.ref for p in list_proceedings(workspace.engine)] == ["X-1"]


def test_a_proceeding_links_a_case_and_a_registry_person(workspace, officer, case_ref) -> None:
    entity, name = officer
    with workspace.engine.begin() as conn:  # inside the caller's transaction
        added = add_proceeding(conn, "DE-2", forum="GBA", kind="criminal", country="DE",
                               case=case_ref, subject=name,
                               parties=[("complainant", "ECCHR"), ("accused", f"#{entity}")])
        add_stage(conn, "DE-2", "arrest_warrant", on_date="2018-06")
    assert added.subject_entity_id == entity and added.subject_name == name
    assert [(p.role, p.name, p.entity_id) for p in added.parties] == [
        ("complainant", "ECCHR", None), ("accused", name, entity)]
    add_proceeding(workspace.engine, "SE-1", forum="Swedish prosecutor", kind="criminal",
                   country="SE", subject=entity)
    add_stage(workspace.engine, "SE-1", "structural_investigation", on_date="2016")
    assert [p.ref for p in list_proceedings(workspace.engine, case=case_ref)] == ["DE-2"]
    assert [p.ref for p in list_proceedings(workspace.engine, country="se")] == ["SE-1"]
    assert [p.ref for p in list_proceedings(workspace.engine, stage="arrest_warrant")] == [
        "DE-2"]
    shown = json.loads(run(workspace, "proceedings", "show", "DE-2", "--json"))
    assert shown["case"] == case_ref and shown["subject"]["entity_id"] == entity
    assert shown["current_stage"] == "arrest_warrant"


def test_stats_count_files_by_country_and_stage(workspace) -> None:
    engine = workspace.engine
    for ref, stages in {"BE-1": [("investigation", None, None)],
                        "BE-2": [("investigating_judge", "2024", None)],
                        "BE-3": [("closed", "2023", "no further action")],
                        "BE-4": [("declined", "2022", "no link to Belgium")],
                        "DE-1": [("arrest_warrant", "2018"), ("trial", "2020")],
                        "DE-2": [("trial", "2020"), ("verdict", "2022")]}.items():
        add_proceeding(engine, ref, forum="court", kind="criminal", country=ref[:2],
                       ground="universal" if ref[:2] == "DE" else None)
        for stage, on_date, *reason in stages:
            add_stage(engine, ref, stage, on_date=on_date, reason=reason[0] if reason else None)
    result = proceedings_stats(engine)
    by_country = {g.key: g.as_dict() for g in result.groups}
    assert {k: v for k, v in by_country["BE"].items() if k != "closed_reasons"} == {
        "key": "BE", "opened": 4, "ongoing": 2, "closed": 2, "investigating_judge": 1,
        "arrest_warrant": 0, "trial": 0, "verdict": 0}
    assert by_country["BE"]["closed_reasons"] == {"closed: no further action": 1,
                                                  "declined: no link to Belgium": 1}
    assert (by_country["DE"]["trial"], by_country["DE"]["arrest_warrant"],
            by_country["DE"]["verdict"]) == (1, 1, 1)
    assert result.total.counts["opened"] == 6
    by_ground = proceedings_stats(engine, by="ground")
    assert {g.key: g.counts["opened"] for g in by_ground.groups} == {"not given": 4,
                                                                     "universal": 2}
    assert [g.key for g in proceedings_stats(engine, by="stage", country="DE").groups] == [
        "trial", "verdict"]
    with pytest.raises(ProceedingError, match="^by:"):
        proceedings_stats(engine, by="year")
    table = run(workspace, "proceedings", "stats", "--country", "BE")
    assert "before an investigating judge" in table and "no link to Belgium" in table
    assert "unknown breakdown" in run(workspace, "proceedings", "stats", "--by", "year", code=1)


def test_the_cli_records_lists_and_shows_a_proceeding(workspace, officer) -> None:
    _, name = officer
    out = run(workspace, "proceedings", "add", "NO-1", "--forum", "Kripos", "--kind",
              "criminal", "--country", "no", "--legal-basis", "Penal Code §102",
              "--ground", "universal", "--subject", name, "--party", "complainants=survivors",
              "--description", "complaint against officials", "--source", "a statement")
    assert "NO-1 recorded" in out
    run(workspace, "proceedings", "stage", "NO-1", "complaint", "--date", "2019-11",
        "--note", "filed", "--source", "press release")
    out = run(workspace, "proceedings", "stage", "NO-1", "declined", "--date", "2021",
              "--reason", "suspects abroad")
    assert "current stage declined (closed)" in out
    listed = json.loads(run(workspace, "proceedings", "list", "--country", "NO", "--json"))
    assert [(p["ref"], p["current_stage"], p["closed"]) for p in listed] == [
        ("NO-1", "declined", True)]
    assert listed[0]["parties"] == [{"role": "complainants", "name": "survivors",
                                     "entity_id": None}]
    assert "NO-1" in run(workspace, "proceedings", "list", "--stage", "declined")
    shown = run(workspace, "proceedings", "show", "NO-1")
    assert "2019-11" in shown and "suspects abroad" in shown and name in shown
    assert "expected ROLE=NAME" in run(workspace, "proceedings", "add", "NO-2", "--forum", "F",
                                       "--kind", "criminal", "--party", "nobody", code=1)
    assert "unknown kind" in run(workspace, "proceedings", "add", "NO-2", "--forum", "F",
                                 "--kind", "penal", code=1)
    assert "no proceeding" in run(workspace, "proceedings", "show", "NO-9", code=1)
    vocab = json.loads(run(workspace, "proceedings", "vocabulary", "--json"))
    assert "investigating_judge" in vocab["stage"] and "pending" in vocab["outcome"]


def test_the_vocabulary_says_what_ends_a_file_and_what_needs_a_reason() -> None:
    vocab = vocabulary()
    assert {n for n, t in vocab.stages.items() if t.ends} == {"final", "declined", "closed"}
    assert {n for n, t in vocab.stages.items() if t.needs_reason} == {"declined", "closed"}
    assert {"notification", "application", "provisional_measures"} <= {
        n for n, t in vocab.stages.items() if t.state}
    assert set(vocab.kinds) == {"criminal", "state_responsibility", "civil"}
    assert set(vocab.outcomes) == {"pending", "granted", "refused", "withdrawn"}
    assert all(t.description for terms in (vocab.stages, vocab.kinds, vocab.grounds,
                                           vocab.outcomes) for t in terms.values())
