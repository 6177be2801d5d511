"""The case list and the case board through HTTP: what they show, the forms to add evidence,
export a bundle and verify it, who may use them, what is withheld, and the audit entries
(SQLite and PostgreSQL, single-user and team mode)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.export.tamper import extract, flip_byte, rezip
from tests.web.test_team import TestClient, log_in, team_world  # noqa: F401

from dossier import accounts
from dossier.cases.casefile import (
    add_charge,
    add_evidence,
    add_suspect,
    create_case,
    list_cases,
    load_case,
)
from dossier.cases.matrix import build_matrix
from dossier.cases.proceedings import add_proceeding, add_stage
from dossier.export.case_bundles import case_exports
from dossier.web import create_app

CASE = "board-251"
OPEN_QUOTE = "Detainee list of Branch 251."
SEALED_QUOTE = "Witness statement about Branch 251."
SEALED_ASSESSMENT = "Taken from the witness in person."


@pytest.fixture
def board_world(workspace: Any, team_world: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """A case on team_world: Karim Nassar and the protected witness W-7 as suspects, a charge
    each, evidence from the open and the sealed collection, and a proceeding for each."""
    engine = workspace.engine
    create_case(engine, CASE, "Torture at Branch 251", "A synthetic case", author="tester")
    add_suspect(engine, CASE, team_world["person"], author="tester")
    add_suspect(engine, CASE, team_world["witness"], author="tester")
    charge = add_charge(engine, CASE, team_world["person"], "rome", "7-1-f", "28-a",
                        author="tester")
    other = add_charge(engine, CASE, team_world["witness"], "rome", "7-1-f", "25-3-a",
                       author="tester")
    add_evidence(engine, CASE, charge.id, "7-1-f.severe-pain", team_world["open_item"], page=1,
                 quote=OPEN_QUOTE, author="tester")
    add_evidence(engine, CASE, charge.id, "7-1-f.severe-pain", team_world["sealed_item"],
                 page=1, quote=SEALED_QUOTE, assessment=SEALED_ASSESSMENT, author="tester")
    add_evidence(engine, CASE, other.id, "7-1-f.custody", team_world["open_item"], page=1,
                 author="tester")
    add_proceeding(engine, "BE-2019-17", forum="Federal prosecutor, Brussels", kind="criminal",
                   country="BE", subject=team_world["person"])
    add_stage(engine, "BE-2019-17", "complaint", on_date="2019-03")
    add_stage(engine, "BE-2019-17", "individual_investigation", on_date="2020")
    add_proceeding(engine, "DE-W7", forum="Federal prosecutor, Karlsruhe", kind="criminal",
                   country="DE", subject=team_world["witness"])
    return {**team_world, "charge": charge.id, "other": other.id}


@pytest.fixture
def local(workspace: Any, board_world: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(workspace.root), follow_redirects=False) as client:
        yield client


@pytest.fixture
def team(workspace: Any, board_world: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(workspace.root, team=True), follow_redirects=False) as client:
        yield client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]*)"', html)
    assert found
    return found.group(1)


def statuses(html: str) -> dict[tuple[int, str], str]:
    """(charge, element) → the status the board's matrix shows."""
    found = {}
    for charge, body in re.findall(r'<tbody class="charge" data-charge="(\d+)">(.*?)</tbody>',
                                   html, re.S):
        for element, status in re.findall(r'data-element="([^"]+)" data-status="(\w+)"', body):
            found[(int(charge), element)] = status
    return found


def counts(html: str) -> dict[str, int]:
    return {name: int(n) for name, n in re.findall(r'id="count-(\w+)">(\d+)<', html)}


def section(html: str, element_id: str) -> str:
    found = re.search(rf'<section id="{element_id}".*?</section>', html, re.S)
    assert found, f"no #{element_id}"
    return found.group(0)


def bundles_listed(html: str) -> list[str]:
    return re.findall(r'<tr data-bundle="([^"]+)">', html)


def audit_log(workspace: Any, action: str) -> list[accounts.AuditEntry]:
    with workspace.engine.connect() as conn:
        return list(accounts.entries(conn, action=action))


def test_the_board_shows_what_the_library_holds(local: TestClient, workspace: Any,
                                                board_world: dict[str, Any]) -> None:
    listed = local.get("/cases")
    assert listed.status_code == 200
    [summary] = list_cases(workspace.engine)
    row = re.search(rf'<tr data-case="{CASE}">(.*?)</tr>', listed.text, re.S)
    assert row and f'href="/cases/{CASE}"' in row.group(1)
    shown = dict(re.findall(r'data-count="(\w+)">(\d+)<', row.group(1)))
    assert shown == {"suspects": str(summary.suspects), "charges": str(summary.charges),
                     "evidence": str(summary.evidence), "gaps": str(summary.gaps)}

    page = local.get(f"/cases/{CASE}")
    assert page.status_code == 200
    html = page.text
    assert f'href="/entities/{board_world["person"]}"' in html
    assert f'href="/entities/{board_world["witness"]}"' in html
    matrix = build_matrix(load_case(workspace.engine, CASE))
    assert statuses(html) == {(cell.charge_id, cell.element.id): cell.status
                              for cell in matrix.cells}
    assert counts(html) == matrix.summary()
    assert statuses(html)[(board_world["charge"], "7-1-f.severe-pain")] == "proven"
    gap_rows = re.findall(r'<tr class="cell status-gap".*?</tr>', html, re.S)
    assert len(gap_rows) == matrix.summary()["gap"] and all(
        "gap: no evidence" in row for row in gap_rows)
    assert f'href="/items/{board_world["open_item"]}?page=1"' in html
    assert OPEN_QUOTE in html and SEALED_QUOTE in html  # the local user reads everything
    assert "BE-2019-17" in html and "individual investigation" in html and "DE-W7" in html
    assert "Crime against humanity of torture" in html
    assert local.get("/cases/no-such-case").status_code == 404


def test_evidence_from_the_form_closes_a_gap_and_is_audited(
        team: TestClient, workspace: Any, board_world: dict[str, Any]) -> None:
    log_in(team, "investigator")
    board = team.get(f"/cases/{CASE}").text
    assert 'id="add-evidence"' in board
    key = (board_world["charge"], "7-1-f.intent")
    assert statuses(board)[key] == "gap"
    option = f'{board_world["charge"]}:7-1-f.intent'
    assert f'value="{option}"' in board
    sent = team.post(f"/cases/{CASE}/evidence", data={
        "csrf": csrf_of(board), "item": str(board_world["open_item"]), "page": "1",
        "quote": "Detainee list", "element": option, "stance": "supports",
        "source": "the leak", "assessment": "Names the branch."})
    assert sent.status_code == 303 and sent.headers["location"].startswith(f"/cases/{CASE}")
    after = team.get(sent.headers["location"]).text
    assert statuses(after)[key] == "single_source"
    assert counts(after)["gap"] == counts(board)["gap"] - 1
    assert 'id="evidence-added"' in after and "Names the branch." in after
    [change] = audit_log(workspace, "change")
    assert change.actor == "investigator" and change.target == f"case:{CASE}"
    assert change.details["element"] == "7-1-f.intent"
    assert change.details["item"] == board_world["open_item"]
    # a quote that is not in the text of its page is kept, and the board says so
    flagged = after.count('class="badge warn quote-not-found"')
    sent = team.post(f"/cases/{CASE}/evidence", data={
        "csrf": csrf_of(after), "item": str(board_world["open_item"]), "page": "1",
        "quote": "he signed the order himself", "element": option, "stance": "supports"})
    assert sent.status_code == 303
    again = team.get(sent.headers["location"]).text
    assert flagged == 0 and again.count('class="badge warn quote-not-found"') >= 1
    assert "quote not found in the text of the page" in again


def test_a_wrong_evidence_form_says_why_and_keeps_what_was_typed(
        team: TestClient, board_world: dict[str, Any]) -> None:
    log_in(team, "investigator")
    csrf = csrf_of(team.get(f"/cases/{CASE}").text)
    element = f'{board_world["charge"]}:7-1-f.intent'
    sealed = team.post(f"/cases/{CASE}/evidence", data={
        "csrf": csrf, "item": str(board_world["sealed_item"]), "element": element,
        "quote": "kept as typed"})
    assert sealed.status_code == 400  # not granted: as if the item did not exist
    assert f"no item {board_world['sealed_item']}" in sealed.text
    assert "kept as typed" in sealed.text
    far = team.post(f"/cases/{CASE}/evidence", data={
        "csrf": csrf, "item": str(board_world["open_item"]), "page": "99",
        "element": element})
    assert far.status_code == 400 and "page 99 is out of range" in far.text
    unchosen = team.post(f"/cases/{CASE}/evidence", data={
        "csrf": csrf, "item": str(board_world["open_item"]), "element": ""})
    assert unchosen.status_code == 400 and 'id="evidence-error"' in unchosen.text


def _tamper(bundle: Path, tmp_path: Path) -> str:
    """Alter one original inside the bundle and zip it again; the altered file's name."""
    folder = extract(bundle, tmp_path / "unzipped")
    original = sorted((folder / "data" / "originals").iterdir())[0]
    flip_byte(original)
    bundle.unlink()
    rezip(folder, bundle)
    return original.name


def test_export_writes_a_bundle_that_verifies_and_a_tampered_one_is_reported(
        team: TestClient, workspace: Any, board_world: dict[str, Any], tmp_path: Path) -> None:
    log_in(team, "administrator")
    board = team.get(f"/cases/{CASE}").text
    assert 'id="export-bundle"' in board and bundles_listed(board) == []
    sent = team.post(f"/cases/{CASE}/export", data={"csrf": csrf_of(board)})
    assert sent.status_code == 303
    after = team.get(sent.headers["location"]).text
    [name] = bundles_listed(after)
    path = case_exports(workspace, CASE) / name
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    row = re.search(rf'<tr data-bundle="{re.escape(name)}">(.*?)</tr>', after, re.S)
    assert row and digest in row.group(1) and f"{path.stat().st_size:,}" in row.group(1)
    download = team.get(f"/cases/{CASE}/bundles/{name}")
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    assert hashlib.sha256(download.content).hexdigest() == digest
    [export, downloaded] = audit_log(workspace, "export")
    assert export.actor == "administrator" and export.details["bundle"] == name
    assert export.details["sha256"] == digest and downloaded.details["download"] is True

    verified = team.post(f"/cases/{CASE}/verify", data={"csrf": csrf_of(after), "name": name})
    assert verified.status_code == 200
    result = section(verified.text, "verify-result")
    assert "verified" in result and "signed by the trusted key" in result
    assert 'class="problem"' not in result

    altered = _tamper(path, tmp_path)
    again = team.post(f"/cases/{CASE}/verify", data={"csrf": csrf_of(after), "name": name})
    result = section(again.text, "verify-result")
    assert "failed verification" in result
    problems = re.findall(r'<li class="problem" data-kind="(\w+)">(.*?)</li>', result, re.S)
    assert any(kind == "payload" and altered in text for kind, text in problems)
    assert any(kind == "custody" and "changed afterwards" in text for kind, text in problems)
    verifies = audit_log(workspace, "verify")
    assert [(v.details["bundle"], v.details["ok"]) for v in verifies] == [(name, True),
                                                                          (name, False)]


def test_roles_without_the_permission_get_no_form_and_are_refused(
        team: TestClient, workspace: Any, board_world: dict[str, Any]) -> None:
    for role in ("analyst", "reviewer", "read_only"):
        log_in(team, role)
        board = team.get(f"/cases/{CASE}").text
        assert 'id="add-evidence"' not in board and 'id="export-bundle"' not in board, role
        # the analyst may export, but not a case holding evidence it may not read; it is told
        assert ('id="export-withheld"' in board) == (role == "analyst")
        refused = team.post(f"/cases/{CASE}/evidence", data={
            "csrf": csrf_of(board), "item": str(board_world["open_item"]), "page": "1",
            "element": f'{board_world["charge"]}:7-1-f.intent'})
        assert refused.status_code == 403, role
        assert team.post(f"/cases/{CASE}/export", data={"csrf": csrf_of(board)}
                         ).status_code == 403, role
    assert audit_log(workspace, "change") == [] and audit_log(workspace, "export") == []
    assert not case_exports(workspace, CASE).exists()


def test_evidence_of_an_unread_collection_is_withheld_and_protected_suspects_hidden(
        team: TestClient, workspace: Any, board_world: dict[str, Any]) -> None:
    log_in(team, "administrator")
    full = team.get(f"/cases/{CASE}").text
    assert SEALED_QUOTE in full and "Witness W-7" in full and "withheld" not in full
    log_in(team, "investigator")  # may see protected persons; not granted "sealed"
    board = team.get(f"/cases/{CASE}").text
    assert "Witness W-7" in board and OPEN_QUOTE in board
    assert SEALED_QUOTE not in board and SEALED_ASSESSMENT not in board
    assert f'/items/{board_world["sealed_item"]}' not in board
    assert "withheld: from a collection you may not read" in board
    assert statuses(board) == statuses(full)  # the same matrix, its details withheld
    assert 'id="export-bundle"' not in board
    assert team.post(f"/cases/{CASE}/export", data={"csrf": csrf_of(board)}
                     ).status_code == 403
    log_in(team, "analyst")  # may not see protected persons
    board = team.get(f"/cases/{CASE}").text
    assert "Witness W-7" not in board and "Karim Nassar" in board
    assert f'href="/entities/{board_world["witness"]}"' not in board
    assert "DE-W7" not in board and "BE-2019-17" in board
    assert board_world["other"] not in {charge for charge, _ in statuses(board)}
    listed = team.get("/cases").text
    row = re.search(rf'<tr data-case="{CASE}">(.*?)</tr>', listed, re.S)
    assert row and 'data-count="suspects">1<' in row.group(1)
    assert 'data-count="charges">1<' in row.group(1)


def test_bundle_names_cannot_leave_the_case_folder(
        local: TestClient, workspace: Any, board_world: dict[str, Any]) -> None:
    page = local.get(f"/cases/{CASE}").text
    assert local.post(f"/cases/{CASE}/export", data={"csrf": csrf_of(page)}
                      ).status_code == 303
    folder = case_exports(workspace, CASE)
    (folder.parent / "elsewhere.zip").write_bytes(b"not a bundle of this case")
    for name in ("..%2Felsewhere.zip", "..%2F..%2Fdossier.db", "elsewhere.zip",
                 "%2Fetc%2Fpasswd", ".hidden.zip"):
        assert local.get(f"/cases/{CASE}/bundles/{name}").status_code == 404, name
    for name in ("../elsewhere.zip", "../../dossier.db", "/etc/passwd", "elsewhere.zip"):
        refused = local.post(f"/cases/{CASE}/verify", data={"csrf": csrf_of(page),
                                                            "name": name})
        assert refused.status_code == 404, name
    empty = local.post(f"/cases/{CASE}/verify", data={"csrf": csrf_of(page), "name": ""})
    assert empty.status_code == 400 and 'id="verify-result"' in empty.text


def test_the_arabic_case_board_is_right_to_left(local: TestClient) -> None:
    page = local.get(f"/cases/{CASE}").text
    chosen = local.post("/language", data={"language": "ar", "csrf": csrf_of(page),
                                           "next": f"/cases/{CASE}"})
    assert chosen.status_code == 303
    arabic = local.get(f"/cases/{CASE}").text
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "مصفوفة الإثبات" in arabic and "ثغرة: لا دليل" in arabic
    assert 'id="add-evidence"' in arabic and "أضف الدليل" in arabic
    assert "مثبت بـ 2 مصادر مستقلة" in arabic
