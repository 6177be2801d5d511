"""The review API through HTTP: the open candidate persons and pairs of victim records (paged),
the judgements, and a judgement posted on either — recorded as a human one, audited, refused
to roles without `judge`, and never about a protected person for a role that may not see one
(SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tests.web.pages.test_review import review_world  # noqa: F401
from tests.web.test_team import TestClient, audit_log, log_in

from dossier.web import create_app


@pytest.fixture
def local(workspace: Any, review_world: dict[str, Any]) -> Iterator[TestClient]:  # noqa: F811
    with TestClient(create_app(workspace.root)) as client:
        yield client


@pytest.fixture
def team(workspace: Any, review_world: dict[str, Any]) -> Iterator[TestClient]:  # noqa: F811
    with TestClient(create_app(workspace.root, team=True)) as client:
        yield client


def test_the_open_candidates_and_pairs_are_paged_with_their_evidence(
        local: TestClient, review_world: dict[str, Any]) -> None:  # noqa: F811
    first = local.get("/api/v1/review/resolution", params={"limit": 2})
    assert first.status_code == 200
    body = first.json()
    assert body["total"] == 4 and body["limit"] == 2 and len(body["items"]) == 2
    rest = local.get("/api/v1/review/resolution", params={"limit": 2, "offset": 2}).json()
    every = {item["candidate"]["id"]: item for item in body["items"] + rest["items"]}
    assert set(every) == {review_world[name] for name in (
        "samer_candidate", "nadia_candidate", "rami_candidate", "hidden_candidate")}
    samer = every[review_world["samer_candidate"]]
    assert samer["question"] == "match" and samer["proposal"]["entity"] == review_world["samer"]
    assert samer["proposal"]["features"] and samer["mention_count"] == 2
    assert "[Samer Khateeb]" in samer["mentions"][0]["context"]
    assert every[review_world["rami_candidate"]]["proposal"] is None
    pairs = local.get("/api/v1/review/linkage").json()
    assert pairs["total"] == 2
    assert [item["score"] for item in pairs["items"]] == [0.72, 0.85]  # nearest 0.7 first
    assert pairs["items"][0]["name_features"]


def test_a_posted_judgement_overrides_the_model_and_leaves_the_queue(
        local: TestClient, review_world: dict[str, Any]) -> None:  # noqa: F811
    candidate, samer = review_world["samer_candidate"], review_world["samer"]
    answer = local.post("/api/v1/review/resolution", json={
        "candidate": candidate, "entity": samer, "verdict": "same", "reason": "same man"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["judged"]["action"] == "linked" and answer.json()["open"] == 3
    remaining = local.get("/api/v1/review/resolution").json()
    assert candidate not in {item["candidate"]["id"] for item in remaining["items"]}
    judged = local.get("/api/v1/judgements", params={"record": f"e:{samer}"}).json()
    assert judged["total"] == 2
    assert {(j["verdict"], j["origin"], j["reason"]) for j in judged["items"]} == {
        ("same", "human", "same man")}
    first, _, third, _ = review_world["records"]
    pair = local.post("/api/v1/review/linkage", json={
        "left": third, "right": first, "verdict": "same", "reason": "same photo"})
    assert pair.status_code == 200 and pair.json()["open"] == 1
    on_pair = local.get("/api/v1/judgements", params={"record": f"v:{first}",
                                                      "origin": "human"}).json()
    assert [(j["left"], j["right"], j["verdict"]) for j in on_pair["items"]] == [
        (f"v:{first}", f"v:{third}", "same")]
    machine = local.get("/api/v1/judgements", params={"origin": "machine"}).json()
    assert machine["total"] == 2


def test_judgements_that_cannot_be_made_are_refused_with_a_reason(
        local: TestClient, review_world: dict[str, Any]) -> None:  # noqa: F811
    post = local.post
    invalid = post("/api/v1/review/resolution", json={
        "candidate": review_world["rami_candidate"], "verdict": "maybe", "reason": "x"})
    assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "invalid"
    no_reason = post("/api/v1/review/linkage", json={"left": 1, "right": 2, "verdict": "same"})
    assert no_reason.status_code == 422
    missing = post("/api/v1/review/resolution", json={
        "candidate": 9999, "verdict": "same", "reason": "x"})
    assert missing.status_code == 400 and "no candidate 9999" in missing.json()["error"][
        "message"]
    unit = post("/api/v1/review/linkage", json={"left": 1, "right": 1, "verdict": "same",
                                                "reason": "x"})
    assert unit.status_code == 400 and "itself" in unit.json()["error"]["message"]
    bad_record = local.get("/api/v1/judgements", params={"record": "x:1"})
    assert bad_record.status_code == 422


def test_team_mode_keeps_the_queue_to_judges_hides_protected_persons_and_audits(
        team: TestClient, workspace: Any, review_world: dict[str, Any]) -> None:  # noqa: F811
    log_in(team, "read_only")
    for path in ("/api/v1/review/resolution", "/api/v1/review/linkage", "/api/v1/judgements"):
        assert team.get(path).status_code == 403
    csrf = log_in(team, "reviewer")
    queue = team.get("/api/v1/review/resolution").json()
    shown = {item["candidate"]["id"]: item for item in queue["items"]}
    assert queue["total"] == 3 and review_world["hidden_candidate"] not in shown  # sealed
    assert shown[review_world["nadia_candidate"]]["proposal"] is None  # protected
    hidden = team.post("/api/v1/review/resolution", headers={"X-CSRF-Token": csrf}, json={
        "candidate": review_world["nadia_candidate"], "entity": review_world["nadia"],
        "verdict": "not_same", "reason": "guess"})
    assert hidden.status_code == 404
    sealed = team.post("/api/v1/review/resolution", headers={"X-CSRF-Token": csrf}, json={
        "candidate": review_world["hidden_candidate"], "verdict": "same", "reason": "guess"})
    assert sealed.status_code == 404
    assert team.post("/api/v1/review/resolution", json={
        "candidate": review_world["rami_candidate"], "verdict": "same", "reason": "x"}
    ).status_code == 403  # no CSRF header
    made = team.post("/api/v1/review/resolution", headers={"X-CSRF-Token": csrf}, json={
        "candidate": review_world["rami_candidate"], "verdict": "same", "reason": "one man"})
    assert made.status_code == 200 and made.json()["judged"]["action"] == "created"
    [change] = audit_log(workspace, "change")
    assert (change.actor, change.target) == ("reviewer",
                                             f"candidate:{review_world['rami_candidate']}")
    csrf = log_in(team, "investigator")  # read_protected: the protected person is proposed
    queue = team.get("/api/v1/review/resolution").json()
    nadia = next(item for item in queue["items"]
                 if item["candidate"]["id"] == review_world["nadia_candidate"])
    assert nadia["proposal"]["entity"] == review_world["nadia"]
    team.post("/api/v1/review/resolution", headers={"X-CSRF-Token": csrf}, json={
        "candidate": review_world["nadia_candidate"], "entity": review_world["nadia"],
        "verdict": "not_same", "reason": "different age"})
    mine = team.get("/api/v1/judgements", params={"record": f"e:{review_world['nadia']}"})
    assert mine.json()["total"] == 2
    log_in(team, "reviewer")  # judgements naming a protected person are not shown
    theirs = team.get("/api/v1/judgements", params={"record": f"e:{review_world['nadia']}"})
    assert theirs.json()["total"] == 0
    # the machine's two pairs and the two mentions of the new person; not those two
    assert team.get("/api/v1/judgements").json()["total"] == 4


def test_the_registry_total_and_claims_leave_out_protected_persons(
        team: TestClient, workspace: Any) -> None:
    from dossier.registry.claims import ClaimDraft, Source, add_claims
    from dossier.registry.entities import add_entity

    with workspace.engine.begin() as conn:
        unit = add_entity(conn, "unit", "Branch 215", unit_type="branch")
        witness = add_entity(conn, "person", "Witness W-3", protected=True)
        add_claims(conn, [ClaimDraft(witness, "detained_at", (Source(citation="statement"),),
                                     object_id=unit, author="test")])
    log_in(team, "analyst")
    listed = team.get("/api/v1/entities", params={"kind": "person"}).json()
    names = [entity["name"] for entity in listed["items"]]
    assert "Witness W-3" not in names and "Nadia Saleh" not in names
    assert listed["total"] == len(names) == 1  # Samer Khatib alone
    claims = team.get(f"/api/v1/entities/{unit}/claims").json()["claims"]
    assert claims == []
    log_in(team, "investigator")
    assert team.get("/api/v1/entities", params={"kind": "person"}).json()["total"] == 3
    claims = team.get(f"/api/v1/entities/{unit}/claims").json()["claims"]
    assert [c["subject_name"] for c in claims] == ["Witness W-3"]
