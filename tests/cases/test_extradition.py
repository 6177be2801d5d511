"""Extradition requests: recorded with their channel and subject, outcomes kept, counted."""

from __future__ import annotations

import json

import pytest

from dossier.cases.extradition import (
    add_extradition,
    list_extraditions,
    load_extradition,
    set_outcome,
)
from dossier.cases.proceedings import ProceedingError
from dossier.cases.proceedings_stats import proceedings_stats

from .test_proceedings import run, synthetic_officer


def test_a_request_is_recorded_updated_and_counted(workspace) -> None:
    entity, name = synthetic_officer(workspace)
    added = add_extradition(workspace.engine, "SY-LB-1", requesting_state="sy",
                            requested_state="LB", subject="several former officers",
                            channel="judicial committee", requested_on="2025-10",
                            subject_status="holds residency", person=name, source="a report")
    assert (added.requesting_state, added.requested_state, added.outcome) == ("SY", "LB",
                                                                              "pending")
    assert added.subject_entity_id == entity and added.subject_name == name
    add_extradition(workspace.engine, "TR-DE-1", requesting_state="TR", requested_state="DE",
                    subject="one officer", outcome="refused")
    changed = set_outcome(workspace.engine, "SY-LB-1", "granted", note="two officers handed over")
    assert changed.outcome == "granted"
    assert "pending → granted: two officers handed over" in (changed.note or "")
    set_outcome(workspace.engine, "SY-LB-1", "withdrawn")
    history = (load_extradition(workspace.engine, "SY-LB-1").note or "").splitlines()
    assert [line.split(": outcome ")[1] for line in history] == [
        "pending → granted: two officers handed over", "granted → withdrawn"]
    assert [e.ref for e in list_extraditions(workspace.engine, requested_state="lb")] == [
        "SY-LB-1"]
    assert [e.ref for e in list_extraditions(workspace.engine, outcome="refused")] == ["TR-DE-1"]
    counted = proceedings_stats(workspace.engine).as_dict()["extraditions"]
    assert counted == [{"requested_state": "DE", "outcome": "refused", "requests": 1},
                       {"requested_state": "LB", "outcome": "withdrawn", "requests": 1}]
    # a country's stats show the requests it made or received
    assert [e.requested_state for e in proceedings_stats(workspace.engine,
                                                         country="SY").extraditions] == ["LB"]


@pytest.mark.parametrize(("changes", "field"), [
    ({"requested_state": "SY"}, "requested state"),
    ({"requesting_state": "Syria"}, "requesting state"),
    ({"subject": " "}, "subject"),
    ({"outcome": "maybe"}, "outcome"),
    ({"requested_on": "last year"}, "date"),
    ({"person": "Nobody Known"}, "person"),
])
def test_errors_name_the_field(workspace, changes: dict[str, str], field: str) -> None:
    values = {"requesting_state": "SY", "requested_state": "LB", "subject": "officers",
              **changes}
    with pytest.raises(ProceedingError, match=f"^{field}"):
        add_extradition(workspace.engine, "R-1", **values)  # type: ignore[arg-type]
    assert list_extraditions(workspace.engine) == []
    with pytest.raises(ProceedingError, match="no extradition request"):
        set_outcome(workspace.engine, "R-1", "granted")


def test_the_cli_records_lists_and_updates_requests(workspace) -> None:
    out = run(workspace, "extradition", "add", "SY-LB-1", "--from", "SY", "--to", "LB",
              "--subject", "former army officers", "--channel", "formal request",
              "--date", "2025", "--status", "residency in Lebanon", "--note", "under review",
              "--source", "The Beiruter, 2025-11-03")
    assert "SY → LB, pending" in out
    assert "already exists" in run(workspace, "extradition", "add", "SY-LB-1", "--from", "SY",
                                   "--to", "LB", "--subject", "x", code=1)
    assert "granted" in run(workspace, "extradition", "outcome", "SY-LB-1", "granted",
                            "--note", "handed over")
    listed = json.loads(run(workspace, "extradition", "list", "--to", "LB", "--json"))
    assert [(e["ref"], e["outcome"], e["requested_on"], e["subject_status"]) for e in listed] == [
        ("SY-LB-1", "granted", "2025", "residency in Lebanon")]
    assert listed[0]["note"].startswith("under review\n")
    assert "SY-LB-1" in run(workspace, "extradition", "list", "--from", "SY")
    assert "unknown outcome" in run(workspace, "extradition", "outcome", "SY-LB-1", "maybe",
                                    code=1)
    assert run(workspace, "extradition", "list", "--outcome", "refused", "--json").strip() == "[]"
    assert "extradition requests" in run(workspace, "proceedings", "stats")
