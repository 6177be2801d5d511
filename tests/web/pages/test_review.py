"""The review queue page through HTTP: each open candidate person and each pair of victim records
with its evidence and a form; a judgement posted from the page is recorded as a human one,
audited, and changes what the queue shows; refused to roles without `judge`; protected persons
and sealed collections kept from those who may not see them (SQLite and PostgreSQL, local and
team mode)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection
from tests.registry.helpers import add_item, add_mention
from tests.victims.test_linkage_support import make_lists, make_people
from tests.web.test_team import PASSWORD, ROLES, TestClient, audit_log, log_in

from dossier import accounts
from dossier.registry.candidates import cluster_unlinked, list_candidates
from dossier.registry.entities import add_entity, get_entity
from dossier.registry.judgements import history, judgements_of, record_judgement
from dossier.registry.judgements import victim_record_ref as v
from dossier.web import create_app


def _machine(conn: Connection, a: int, b: int, verdict: str, score: float) -> None:
    record_judgement(conn, v(a), v(b), verdict, author="dossier linkage run 1",
                     origin="machine", score=score)


@pytest.fixture
def review_world(workspace: Any) -> dict[str, Any]:
    """Candidate persons made of unlinked mentions — one like an existing person, one like a
    protected one, one like nobody, one only in the "vault" collection that no account is
    granted — and two pairs of victim records near the model's threshold."""
    records = sorted(make_lists(workspace, make_people(2), lists=2, coverage=1.0, noisy=False))
    with workspace.engine.begin() as conn:
        samer = add_entity(conn, "person", "Samer Khatib", names=["سامر الخطيب"])
        nadia = add_entity(conn, "person", "Nadia Saleh", protected=True)
        first = add_item(conn, "leak/orders.txt", [
            "Transfer signed by Samer Khateeb at the branch. Nadia Saleh was heard. "
            "Rami Youssef drove the car."])
        second = add_item(conn, "leak/report.txt", [
            "Report: Samer Khateeb and Rami Youssef; Nadia Saleh again."])
        sealed = add_item(conn, "vault/source.txt", ["Hidden Source met Hidden Source."],
                          collection_name="vault")
        for item in (first, second):
            for name in ("Samer Khateeb", "Nadia Saleh", "Rami Youssef"):
                add_mention(conn, item, 1, name, "person")
        add_mention(conn, sealed, 1, "Hidden Source", "person")
        add_mention(conn, sealed, 1, "Hidden Source", "person")
        cluster_unlinked(conn)
        by_label = {c.label: c.id for c in list_candidates(conn)}
        _machine(conn, records[0], records[2], "unsure", 0.72)
        _machine(conn, records[1], records[3], "same", 0.85)
        for role in ROLES:
            user = accounts.add_user(conn, role, PASSWORD, role)
            if role != "administrator":
                accounts.grant(conn, user, "leak", granted_by="test")
    return {"samer": samer, "nadia": nadia, "first": first, "second": second,
            "records": records, "samer_candidate": by_label["Samer Khateeb"],
            "nadia_candidate": by_label["Nadia Saleh"], "rami_candidate": by_label["Rami Youssef"],
            "hidden_candidate": by_label["Hidden Source"]}


@pytest.fixture
def local(workspace: Any, review_world: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(workspace.root), follow_redirects=False) as client:
        yield client


@pytest.fixture
def team(workspace: Any, review_world: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(workspace.root, team=True), follow_redirects=False) as client:
        yield client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]*)"', html)
    assert found
    return found.group(1)


def article(html: str, element_id: str) -> str:
    found = re.search(rf'<article [^>]*id="{element_id}">(.*?)</article>', html, re.S)
    assert found, f"no #{element_id} on the page"
    return found.group(1)


def test_the_queue_shows_each_candidate_with_its_evidence_and_a_form(
        local: TestClient, review_world: dict[str, Any]) -> None:
    page = local.get("/review")
    assert page.status_code == 200
    samer = article(page.text, f"candidate-{review_world['samer_candidate']}")
    assert f'class="proposal" href="/entities/{review_world["samer"]}"' in samer
    assert "Samer Khatib" in samer and "<code>" in samer  # the features of the match
    assert f'href="/items/{review_world["first"]}?page=1"' in samer
    assert "<mark>Samer Khateeb</mark>" in samer
    assert f'name="entity" value="{review_world["samer"]}"' in samer
    assert all(f'value="{verdict}"' in samer for verdict in ("same", "not_same", "unsure"))
    assert 'name="reason"' in samer and 'name="csrf"' in samer
    rami = article(page.text, f"candidate-{review_world['rami_candidate']}")
    assert "one and the same person, new to the registry" in rami
    assert 'name="entity"' not in rami
    # the local user sees the protected person proposed, and the sealed collection
    nadia = article(page.text, f"candidate-{review_world['nadia_candidate']}")
    assert f'href="/entities/{review_world["nadia"]}"' in nadia
    assert f'id="candidate-{review_world["hidden_candidate"]}"' in page.text
    pairs = local.get("/review", params={"queue": "linkage"}).text
    first, _, third, _ = review_world["records"]
    pair = article(pairs, f"pair-{first}-{third}")
    assert "score 0.72" in pair and "not linked by the model" in pair
    assert f'name="left" value="{first}"' in pair and "given name" in pair


def test_a_judgement_from_the_page_is_recorded_audited_and_changes_the_queue(
        team: TestClient, workspace: Any, review_world: dict[str, Any]) -> None:
    log_in(team, "reviewer")
    page = team.get("/review")
    assert page.status_code == 200
    candidate, samer = review_world["samer_candidate"], review_world["samer"]
    assert f'id="candidate-{candidate}"' in page.text
    sent = team.post("/review/resolution", data={
        "csrf": csrf_of(page.text), "candidate": candidate, "entity": samer,
        "verdict": "same", "reason": "same name, same branch"})
    assert sent.status_code == 303
    assert sent.headers["location"] == "/review?queue=resolution&judged=linked"
    after = team.get(sent.headers["location"]).text
    assert f'id="candidate-{candidate}"' not in after
    assert "the mentions are now linked to that person" in after
    with workspace.engine.connect() as conn:
        judged = judgements_of(conn, refs=[f"e:{samer}"])
    assert len(judged) == 2 and {j.verdict for j in judged} == {"same"}
    assert {(j.author, j.origin, j.reason) for j in judged} == {
        ("reviewer", "human", "same name, same branch")}
    [change] = audit_log(workspace, "change")
    assert change.actor == "reviewer" and change.target == f"candidate:{candidate}"
    assert change.details["verdict"] == "same" and change.details["action"] == "linked"
    # unsure about a new person: it stays, at the end of the queue, marked
    rami = review_world["rami_candidate"]
    team.post("/review/resolution", data={"csrf": csrf_of(after), "candidate": rami,
                                          "verdict": "unsure", "reason": "too common"})
    queue = team.get("/review").text
    order = re.findall(r'id="candidate-(\d+)"', queue)
    assert order[-1] == str(rami)
    assert "judged unsure before" in article(queue, f"candidate-{rami}")
    # a pair of victim records judged from the page leaves the queue
    first, _, third, _ = review_world["records"]
    pairs = team.get("/review", params={"queue": "linkage"}).text
    assert f'id="pair-{first}-{third}"' in pairs
    linked = team.post("/review/linkage", data={"csrf": csrf_of(pairs), "left": first,
                                                "right": third, "verdict": "not_same",
                                                "reason": "different mothers"})
    assert linked.status_code == 303
    assert f'id="pair-{first}-{third}"' not in team.get(linked.headers["location"]).text
    with workspace.engine.connect() as conn:
        assert [(j.origin, j.verdict) for j in history(conn, v(first), v(third))] == [
            ("machine", "unsure"), ("human", "not_same")]
    assert [e.target for e in audit_log(workspace, "change")][-1] == \
        f"victim_records:{first},{third}"


def test_a_judgement_against_a_person_moves_to_the_next_question(
        local: TestClient, workspace: Any, review_world: dict[str, Any]) -> None:
    csrf = csrf_of(local.get("/review").text)
    candidate = review_world["samer_candidate"]
    sent = local.post("/review/resolution", data={
        "csrf": csrf, "candidate": candidate, "entity": review_world["samer"],
        "verdict": "not_same", "reason": "another man of that name"})
    assert sent.headers["location"].endswith("judged=kept_apart")
    shown = article(local.get("/review").text, f"candidate-{candidate}")
    assert 'class="proposal"' not in shown and "new to the registry" in shown
    assert "not the same · " in shown and "another man of that name" in shown
    created = local.post("/review/resolution", data={"csrf": csrf, "candidate": candidate,
                                                     "verdict": "same", "reason": "new one"})
    assert created.headers["location"].endswith("judged=created")
    with workspace.engine.connect() as conn:
        [done] = [c for c in list_candidates(conn, status="accepted") if c.id == candidate]
        assert done.entity_id is not None and done.entity_id != review_world["samer"]
        assert get_entity(conn, done.entity_id).name == "Samer Khateeb"
    again = local.post("/review/resolution", data={"csrf": csrf, "candidate": candidate,
                                                   "verdict": "same", "reason": "twice"})
    assert again.status_code == 400 and "already accepted" in again.text


def test_roles_without_judge_are_refused_and_not_shown_the_queue(
        team: TestClient, review_world: dict[str, Any]) -> None:
    log_in(team, "read_only")
    home = team.get("/").text
    assert 'href="/review"' not in home
    assert team.get("/review").status_code == 403
    refused = team.post("/review/resolution", data={
        "csrf": csrf_of(home), "candidate": review_world["rami_candidate"],
        "verdict": "same", "reason": "no right to"})
    assert refused.status_code == 403
    assert team.post("/review/linkage", data={"csrf": csrf_of(home), "left": 1, "right": 2,
                                              "verdict": "same", "reason": "x"}
                     ).status_code == 403
    log_in(team, "reviewer")
    home = team.get("/").text
    forged = team.post("/review/resolution", data={
        "csrf": "forged", "candidate": review_world["rami_candidate"], "verdict": "same",
        "reason": "x"})
    assert forged.status_code == 403
    assert 'href="/review"' in home


def test_protected_persons_and_sealed_mentions_stay_out_of_the_queue(
        team: TestClient, review_world: dict[str, Any]) -> None:
    log_in(team, "reviewer")  # judge, but not read_protected; only "leak" is granted
    page = team.get("/review").text
    nadia = article(page, f"candidate-{review_world['nadia_candidate']}")
    assert f'/entities/{review_world["nadia"]}' not in nadia
    assert "new to the registry" in nadia
    assert f'id="candidate-{review_world["hidden_candidate"]}"' not in page
    refused = team.post("/review/resolution", data={
        "csrf": csrf_of(page), "candidate": review_world["nadia_candidate"],
        "entity": review_world["nadia"], "verdict": "same", "reason": "guess"})
    assert refused.status_code == 404
    log_in(team, "investigator")
    page = team.get("/review").text
    nadia = article(page, f"candidate-{review_world['nadia_candidate']}")
    assert f'class="proposal" href="/entities/{review_world["nadia"]}"' in nadia


def test_the_arabic_queue_is_right_to_left(local: TestClient) -> None:
    local.cookies.set("dossier_language", "ar")
    html = local.get("/review").text
    assert '<html lang="ar" dir="rtl">' in html and "سجّل الحكم" in html
