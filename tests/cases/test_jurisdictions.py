"""Where can he be tried: grounds of jurisdiction from a suspect's recorded whereabouts, on
SQLite and PostgreSQL, and the same through `dossier jurisdictions` and `dossier frameworks`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection
from tests.clirun import run

from dossier.cases.jurisdictions import JurisdictionError, alerts, assess
from dossier.registry.claims import ClaimDraft, Source, add_claims
from dossier.registry.entities import add_entity


def _place(conn: Connection, name: str, country: str | None = None) -> int:
    return add_entity(conn, "place", name, attributes={"country": country} if country else None)


def _claim(conn: Connection, person: int, predicate: str, *, place: int | None = None,
           value: str | None = None, valid_from: str | None = None,
           valid_to: str | None = None, precision: str = "exact",
           status: str = "accepted") -> int:
    draft = ClaimDraft(person, predicate, (Source(citation=f"test report on {person}"),),
                       object_id=place, value=value, valid_from=valid_from,
                       valid_to=valid_to, time_precision=precision, status=status,
                       author="test")
    return add_claims(conn, [draft])[0].claim_id


def _grounds(result: Any, code: str) -> dict[str, Any]:
    return {g.ground.id: g for g in result.country(code).grounds}


@pytest.fixture
def world(workspace) -> dict[str, int]:
    """Synthetic suspects: one living in Germany since 2016, one in France, one who moved
    from Lebanon to Sweden; the places read as countries by attribute or by name."""
    with workspace.engine.begin() as conn:
        berlin = _place(conn, "Berlin", "DE")
        paris = _place(conn, "فرنسا")  # the place is the country, named in Arabic
        beirut = _place(conn, "Beirut", "Lebanon")
        stockholm = _place(conn, "Stockholm", "Sverige")
        vienna = _place(conn, "Wien", "AT")
        karim = add_entity(conn, "person", "Karim Testov", names=["كريم تستوف"])
        nader = add_entity(conn, "person", "Nader Sampleson")
        walid = add_entity(conn, "person", "Walid Fictive")
        ids = {
            "karim": karim, "nader": nader, "walid": walid,
            "karim_berlin": _claim(conn, karim, "resides_in", place=berlin,
                                   valid_from="2016-04"),
            "karim_nationality": _claim(conn, karim, "nationality", value="Syrian"),
            "karim_vienna": _claim(conn, karim, "present_in", place=vienna,
                                   valid_from="2019-06-01", valid_to="2019-06-30",
                                   precision="within"),
            "nader_paris": _claim(conn, nader, "resides_in", place=paris, valid_from="2018",
                                  status="proposed"),
            "walid_beirut": _claim(conn, walid, "resides_in", place=beirut,
                                   valid_from="2014"),
            "walid_stockholm": _claim(conn, walid, "resides_in", place=stockholm,
                                      valid_from="2023-03-01"),
        }
        _claim(conn, nader, "resides_in", place=berlin, valid_from="2010", status="rejected")
    return ids


def test_a_suspect_resident_in_germany_since_2016(workspace, world) -> None:
    result = assess(workspace.engine, "Karim Testov", on="2024-06-01")
    assert result.suspect_id == world["karim"] and "not legal advice" in result.disclaimer
    assert [n.country for n in result.nationalities] == ["SY"]
    germany = _grounds(result, "DE")
    assert germany["de-universal-vstgb"].status == "may_apply"
    # the treaty ground needs his presence: his residence shows it, with the claim
    treaty = germany["de-universal-treaty"]
    assert treaty.status == "may_apply"
    assert [c.claim_id for c in treaty.conditions[0].claims] == [world["karim_berlin"]]
    assert treaty.conditions[0].claims[0].sources[0].citation.startswith("test report")
    assert germany["de-active"].status == "not_met"  # he is Syrian
    assert result.country("DE").may_apply[:2] == ("de-universal-vstgb", "de-universal-treaty")
    # France's ground needs habitual residence in France: a residence in Germany is not it
    france = _grounds(result, "FR")["fr-universal-icc"]
    assert france.status == "not_met"
    assert france.conditions[0].basis == "no claim places the suspect in France"
    assert "requested the suspect's surrender" in " ".join(france.ground.checks)
    # the trip to Vienna in June 2019 does not end his residence in Berlin
    on_trip = assess(workspace.engine, world["karim"], on="2019-06-15")
    assert _grounds(on_trip, "AT")["at-universal-icc"].status == "may_apply"
    assert _grounds(on_trip, "DE")["de-universal-treaty"].status == "may_apply"
    # after it, Austria knows only that he was there once: whether he still is, is unknown
    assert _grounds(result, "AT")["at-universal-icc"].status == "not_met"
    before = assess(workspace.engine, "كريم تستوف", on="2015")
    treaty_before = _grounds(before, "DE")["de-universal-treaty"]
    assert treaty_before.status == "not_met"
    assert treaty_before.conditions[0].basis.startswith("recorded there only at other times")


def test_a_suspect_resident_in_france_meets_its_residence_ground(workspace, world) -> None:
    result = assess(workspace.engine, world["nader"], on="2024")
    france = _grounds(result, "FR")["fr-universal-icc"]
    assert france.status == "may_apply"
    assert [c.claim_id for c in france.conditions[0].claims] == [world["nader_paris"]]
    assert france.conditions[0].claims[0].status == "proposed"
    # the rejected claim of a residence in Berlin is not evidence
    assert _grounds(result, "DE")["de-universal-treaty"].status == "not_met"


def test_a_last_sighting_leaves_the_presence_unknown(workspace) -> None:
    with workspace.engine.begin() as conn:
        person = add_entity(conn, "person", "Samir Placeholder")
        oslo = _place(conn, "Oslo", "NO")
        _claim(conn, person, "present_in", place=oslo, valid_from="2022-01",
               valid_to="2022-02", precision="within")
    norway = _grounds(assess(workspace.engine, person, on="2024-01-01"), "NO")
    assert norway["no-universal"].status == "unknown"
    assert "last recorded there" in norway["no-universal"].conditions[0].basis
    assert _grounds(assess(workspace.engine, person, on="2022-02"), "NO")[
        "no-universal"].status == "may_apply"
    # the sighting is his latest record: an alert, saying that he was only last seen there
    [alert] = alerts(workspace.engine)
    assert (alert.person_id, alert.country, alert.moved_from, alert.met) == (
        person, "NO", None, None)
    assert [g.id for g in alert.grounds] == ["no-universal"]


def test_passive_personality_follows_the_victims_nationalities(workspace, world) -> None:
    none_given = assess(workspace.engine, world["walid"], on="2024")
    assert _grounds(none_given, "FR")["fr-passive"].status == "not_met"
    assert _grounds(none_given, "FR")["fr-passive"].conditions[0].basis == \
        "no victim nationality given"
    result = assess(workspace.engine, world["walid"], ["FR", "Belgique"], on="2024")
    assert result.victim_nationalities == ("FR", "BE")
    assert _grounds(result, "FR")["fr-passive"].status == "may_apply"
    assert _grounds(result, "BE")["be-passive"].status == "may_apply"
    assert _grounds(result, "DE")["de-passive"].status == "not_met"
    # a residence in Sweden since 2023 opens the Swedish active-personality ground
    assert _grounds(result, "SE")["se-active"].status == "may_apply"
    assert _grounds(result, "SE")["se-active"].conditions[0].claims[0].claim_id == \
        world["walid_stockholm"]
    with pytest.raises(JurisdictionError, match="'Atlantis' is not a country code"):
        assess(workspace.engine, world["walid"], ["Atlantis"])


def test_a_suspect_that_is_not_in_the_registry_is_an_error(workspace, world) -> None:
    with pytest.raises(JurisdictionError, match="no person named 'Nobody Atall'"):
        assess(workspace.engine, "Nobody Atall")
    with pytest.raises(JurisdictionError, match="no person with id 999999"):
        assess(workspace.engine, 999_999)
    with pytest.raises(JurisdictionError, match="--on: not a date"):
        assess(workspace.engine, world["karim"], on="spring 2020")


def test_a_move_from_lebanon_into_sweden_is_an_alert(workspace, world) -> None:
    found = alerts(workspace.engine)
    walid = [a for a in found if a.person_id == world["walid"]]
    assert len(walid) == 1
    alert = walid[0]
    assert (alert.country, alert.moved_from, alert.moved_on) == ("SE", "LB", "2023-03-01")
    assert alert.claim.claim_id == world["walid_stockholm"]
    assert [g.id for g in alert.grounds] == ["se-active"]
    # Karim's last record is a trip to Vienna that ended in 2019: no alert for him now
    assert world["karim"] not in {a.person_id for a in found}
    assert [a.person_id for a in alerts(workspace.engine, since="2023-03")] == [world["walid"]]
    assert [a.person_id for a in alerts(workspace.engine, since="2024")] == []
    with workspace.engine.begin() as conn:  # a move within Sweden is no news
        malmo = _place(conn, "Malmö", "SE")
        _claim(conn, world["walid"], "resides_in", place=malmo, valid_from="2024-05")
    assert world["walid"] not in {a.person_id for a in alerts(workspace.engine)}


# -- the command line -------------------------------------------------------------------------



def test_jurisdictions_command(workspace, world) -> None:
    out = json.loads(run(workspace, "jurisdictions", "Karim Testov", "--on", "2024-06-01",
                         "--victim-nationality", "FR", "--json"))
    assert "not legal advice" in out["disclaimer"]
    countries = {c["code"]: c for c in out["countries"]}
    assert "de-universal-vstgb" in countries["DE"]["may_apply"]
    assert "fr-passive" in countries["FR"]["may_apply"]
    assert "fr-universal-icc" not in countries["FR"]["may_apply"]
    assert countries["DE"]["recorded"][0]["claim"] == world["karim_berlin"]
    table = run(workspace, "jurisdictions", f"#{world['karim']}", "--on", "2024-06-01")
    assert "Germany (DE)" in table and "de-universal-vstgb" in table
    assert "VStGB §1; StPO §153f" in table and "not legal advice" in table
    assert f"claim #{world['karim_berlin']}" in table

    alert_table = run(workspace, "jurisdictions", "--alerts")
    assert "Walid Fictive" in alert_table and "LB" in alert_table
    assert "not legal advice" in alert_table
    listed = json.loads(run(workspace, "jurisdictions", "--alerts", "--since", "2023",
                            "--json"))
    assert [a["name"] for a in listed["alerts"]] == ["Walid Fictive"]
    assert "not legal advice" in listed["disclaimer"]

    assert "give a SUSPECT" in run(workspace, "jurisdictions", code=1)
    assert "no person named" in run(workspace, "jurisdictions", "Nobody Atall", code=1)
    assert "--since goes with --alerts" in run(workspace, "jurisdictions", "Karim Testov",
                                               "--since", "2020", code=1)


def test_frameworks_commands(workspace, tmp_path: Path) -> None:
    listed = json.loads(run(workspace, "frameworks", "list", "--json"))
    assert [f["id"] for f in listed["frameworks"]] == ["cat", "rome", "vstgb"]
    assert "not legal advice" in listed["disclaimer"]
    assert "rome" in run(workspace, "frameworks", "list")
    shown = json.loads(run(workspace, "frameworks", "show", "rome", "--offence", "7-1-f",
                           "--json"))
    assert [o["id"] for o in shown["offences"]] == ["7-1-f"] and shown["modes"] == []
    first = shown["offences"][0]["elements"][0]
    assert first["kind"] == "conduct" and "element 1" in first["citation"]
    table = run(workspace, "frameworks", "show", "vstgb", "--offence", "vstgb-4")
    assert "vstgb-4.failure-to-prevent" in table and "not legal advice" in table
    assert "no offence or mode '9-9'" in run(workspace, "frameworks", "show", "rome",
                                             "--offence", "9-9", code=1)
    assert "unknown framework 'icc'" in run(workspace, "frameworks", "show", "icc", code=1)
    checked = run(workspace, "frameworks", "check")
    assert "ok: 3 frameworks" in checked and "7 countries" in checked
    (tmp_path / "broken.yaml").write_text(
        "id: broken\ntitle: t\ncitation: c\ndisclaimer: d\nmodes: {}\n", encoding="utf-8")
    failed = run(workspace, "frameworks", "check", "--directory", str(tmp_path), code=1)
    assert "broken.yaml: offences: missing" in failed
