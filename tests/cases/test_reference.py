"""The reference dataset of public proceedings: sourced, valid, imported once, counted right."""

from __future__ import annotations

import dataclasses
import json
import re
from importlib import resources

import pytest
from sqlalchemy import func, select

from dossier.cases.extradition import list_extraditions
from dossier.cases.proceedings import list_proceedings, load_proceeding
from dossier.cases.proceedings_stats import proceedings_stats
from dossier.cases.reference import (
    ReferenceError,
    ReferenceStage,
    import_reference,
    read_reference,
    reference_data,
)
from dossier.store.schema import extraditions, proceeding_stages, proceedings

from .test_proceedings import run

SEED_FILE = re.compile(r"00[0-4]_[0-9a-f]{16}\.txt")


def _counts(workspace) -> tuple[int, int, int]:
    with workspace.engine.connect() as conn:
        return tuple(conn.scalar(select(func.count()).select_from(table))  # type: ignore[return-value]
                     for table in (proceedings, proceeding_stages, extraditions))


def test_every_fact_of_the_dataset_has_a_source() -> None:
    data = reference_data()
    assert data.proceedings and data.extraditions
    facts = [*data.proceedings, *data.extraditions,
             *(stage for p in data.proceedings for stage in p.stages)]
    assert all(fact.sources for fact in facts)
    for source in data.sources.values():
        if source.kind == "seed":
            assert source.title and SEED_FILE.fullmatch(source.seed or ""), source
            assert (source.publisher and source.date) or source.note, source
        else:
            assert source.kind == "public_record" and source.citation, source
    cited = {s.key for fact in facts for s in fact.sources}  # type: ignore[attr-defined]
    assert cited == set(data.sources)  # no source is listed without being used
    # the seeds name no victim; the only person is the Koblenz defendant, abbreviated
    people = {(p.role, p.name) for entry in data.proceedings for p in entry.parties
              if p.role == "defendant"}
    assert people == {("defendant", "Anwar R.")}


def test_the_reference_answers_how_many_files_belgium_opened_and_closed(workspace) -> None:
    report = import_reference(workspace.engine)
    assert report.proceedings_added == len(reference_data().proceedings)
    belgium = proceedings_stats(workspace.engine, country="BE").as_dict()
    assert belgium["groups"][0]["key"] == "BE"
    assert {k: belgium["total"][k] for k in ("opened", "closed", "ongoing",
                                             "investigating_judge")} == {
        "opened": 27, "closed": 8, "ongoing": 19, "investigating_judge": 4}
    assert sum(belgium["total"]["closed_reasons"].values()) == 8
    files = list_proceedings(workspace.engine, country="BE")
    assert [p.ref for p in files][:2] == ["BE-FP-01", "BE-FP-02"] and len(files) == 27
    assert all("not public" in (p.description or "") for p in files)
    assert all("Anadolu Agency" in (s.source or "") for p in files for s in p.stages)
    answer = json.loads(run(workspace, "proceedings", "stats", "--country", "BE", "--json"))
    assert (answer["total"]["opened"], answer["total"]["closed"], answer["total"]["ongoing"],
            answer["total"]["investigating_judge"]) == (27, 8, 19, 4)


def test_the_public_proceedings_read_as_the_sources_say(workspace) -> None:
    import_reference(workspace.engine)
    koblenz = load_proceeding(workspace.engine, "DE-OLG-KOBLENZ-ANWAR-R")
    assert [(s.stage, s.on_date) for s in koblenz.stages] == [
        ("trial", "2020-04-23"), ("verdict", "2022-01-13")]
    assert koblenz.ground == "universal" and "life imprisonment" in (
        koblenz.stages[-1].note or "").lower()
    assert "[public record]" in (koblenz.stages[-1].source or "")
    listed = [p.ref for p in list_proceedings(workspace.engine)]  # the same on every backend
    assert listed[0] == "AT-CFSG-INVESTIGATION" and listed[-1] == "ICJ-CAN-NLD-v-SYR"
    icj = load_proceeding(workspace.engine, "ICJ-CAN-NLD-v-SYR")
    assert icj.country is None and icj.kind == "state_responsibility"
    assert [(s.stage, s.on_date) for s in icj.stages][:3] == [
        ("notification", "2020-09"), ("notification", "2021-03"), ("application", "2023-06-08")]
    norway = load_proceeding(workspace.engine, "NO-ECCHR-COMPLAINT-17")
    assert norway.current_stage == "complaint" and norway.stages[0].on_date is None
    assert "17" in (norway.description or "") and "arrest warrants" in (norway.description or "")
    assert {p.country for p in list_proceedings(workspace.engine, stage="investigation")} == {
        "BE", "FR", "ES", "SE", "AT", "NO"}
    [request] = list_extraditions(workspace.engine)
    assert (request.requesting_state, request.requested_state, request.outcome,
            request.requested_on) == ("SY", "LB", "pending", None)
    assert "residency" in (request.subject_status or "")
    assert "The Beiruter" in (request.source or "")
    counted = proceedings_stats(workspace.engine).as_dict()["extraditions"]
    assert counted == [{"requested_state": "LB", "outcome": "pending", "requests": 1}]


def test_importing_twice_adds_nothing_and_a_newer_dataset_adds_its_new_stages(workspace) -> None:
    first = import_reference(workspace.engine)
    counts = _counts(workspace)
    assert counts == (first.proceedings_added, first.stages_added, first.extraditions_added)
    second = import_reference(workspace.engine)
    assert (second.proceedings_added, second.stages_added, second.extraditions_added) == (0, 0, 0)
    assert len(second.already_present) == counts[0] + counts[2]
    assert _counts(workspace) == counts
    data = reference_data()
    koblenz = next(p for p in data.proceedings if p.ref == "DE-OLG-KOBLENZ-ANWAR-R")
    final = ReferenceStage("final", "2023", None, "a later judgment", koblenz.sources)
    newer = dataclasses.replace(data, proceedings=tuple(
        dataclasses.replace(p, stages=(*p.stages, final)) if p is koblenz else p
        for p in data.proceedings))
    third = import_reference(workspace.engine, newer)
    assert (third.proceedings_added, third.stages_added) == (0, 1)
    assert load_proceeding(workspace.engine, koblenz.ref).current_stage == "final"
    out = run(workspace, "proceedings", "import-reference")
    assert "0 proceedings, 0 stages, 0 extradition requests added" in out


def _shipped() -> str:
    return resources.files("dossier.cases").joinpath(
        "data", "reference_proceedings.yaml").read_text("utf-8")


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace("    source: seed-004\n", ""), r"SY-LB-FORMER-OFFICERS: source"),
    (lambda t: t.replace("source: seed-003\n", "source: seed-009\n", 1),
     r"NO-ECCHR-COMPLAINT-17.*not among the sources"),
    (lambda t: t.replace("      - count: 15", "      - count: 14"), r"do not add up to 27"),
    (lambda t: t.replace("            reason: Closed without further action (reported by the "
                         "Federal Prosecutor's Office)\n", ""),
     r"groups\[0\]\.stages\[1\]: reason is required"),
    (lambda t: t.replace('date: "2022-01-13"', 'date: "13.01.2022"'), r"stages\[1\].*date"),
    (lambda t: t.replace("    publisher: The Beiruter\n", ""), r"sources\.seed-004.*note"),
    (lambda t: t.replace("kind: state_responsibility", "kind: interstate"), r"unknown kind"),
    (lambda t: t.replace("ref: ES-CFSG-INVESTIGATION", "ref: FR-CFSG-INVESTIGATION"),
     r"refs used twice: FR-CFSG-INVESTIGATION"),
])
def test_a_broken_dataset_is_refused_naming_the_entry_and_field(edit, message: str) -> None:
    text = _shipped()
    broken = edit(text)
    assert broken != text
    with pytest.raises(ReferenceError, match=message):
        read_reference(broken)


def test_a_dataset_that_is_not_yaml_is_named_not_a_traceback() -> None:
    with pytest.raises(ReferenceError, match=r"^mine\.yaml: not valid YAML"):
        read_reference("proceedings: [unclosed\n", name="mine.yaml")
