"""The legal frameworks and jurisdiction rules as data: what ships validates, a bad file is
named precisely, and a charge's elements come in the order a prosecutor reads them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dossier.cases.countries import (
    JurisdictionError,
    countries,
    country_code,
    load_countries,
)
from dossier.cases.frameworks import (
    ELEMENT_KINDS,
    FrameworkError,
    charge_elements,
    frameworks,
    load_frameworks,
)

REQUIRED = {
    "cat": ({"art-1"}, {"cat-4", "cat-4-attempt", "cat-4-complicity"}),
    "rome": ({"7-1-a", "7-1-e", "7-1-f", "7-1-g-1", "7-1-g-6", "7-1-i", "8-2-c-i-1",
              "8-2-c-i-3", "8-2-c-i-4"},
             {"25-3-a", "25-3-a-joint", "25-3-a-indirect", "25-3-b", "25-3-c", "25-3-d",
              "28-a", "28-b"}),
    "vstgb": ({"7-1-1", "7-1-5", "7-1-6", "7-1-9"},
              {"vstgb-4", "stgb-25-1", "stgb-25-1-indirect", "stgb-25-2", "stgb-26",
               "stgb-27"}),
}

GOOD = """\
id: {id}
title: A test framework
citation: Test Act 2025
disclaimer: Indicative, not legal advice.
offences:
  x-1:
    title: An offence
    citation: Test Act s. 1
    elements:
      - id: x-1.act
        kind: conduct
        text: The act was done.
        citation: Test Act s. 1(a)
      - id: x-1.intent
        kind: mental
        text: It was done on purpose.
        citation: Test Act s. 1(b)
modes:
  m-1:
    title: Doing it
    citation: Test Act s. 2
    elements:
      - id: m-1.did
        kind: conduct
        text: The accused did it.
        citation: Test Act s. 2
"""


def test_every_shipped_framework_validates_and_says_it_is_not_advice() -> None:
    loaded = load_frameworks()
    assert set(loaded) == {"cat", "rome", "vstgb"}
    assert frameworks() == loaded
    for framework in loaded.values():
        assert "not legal advice" in framework.disclaimer
        parts = [*framework.offences.values(), *framework.modes.values()]
        ids = [e.id for p in parts for e in p.elements]
        assert len(ids) == len(set(ids))
        for element in (e for p in parts for e in p.elements):
            assert element.kind in ELEMENT_KINDS
            assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*", element.id)
            assert element.citation.strip() and element.text.strip()
        for offence in framework.offences.values():
            kinds = {e.kind for e in offence.elements}
            assert "conduct" in kinds and kinds & {"mental", "contextual"}


@pytest.mark.parametrize("framework_id", sorted(REQUIRED))
def test_the_required_offences_and_modes_are_there(framework_id: str) -> None:
    offences, modes = REQUIRED[framework_id]
    framework = frameworks()[framework_id]
    assert offences <= set(framework.offences)
    assert modes <= set(framework.modes)


def test_crimes_against_humanity_carry_their_context_and_superiors_their_control() -> None:
    rome = frameworks()["rome"]
    for offence_id in ("7-1-a", "7-1-e", "7-1-f", "7-1-g-1", "7-1-g-6", "7-1-i"):
        texts = [e.text for e in rome.offences[offence_id].elements if e.kind == "contextual"]
        assert any("widespread or systematic attack" in t for t in texts), offence_id
        assert any("knew" in t for t in texts), offence_id
    nexus = [e for e in rome.offences["8-2-c-i-1"].elements if e.kind == "contextual"]
    assert any("not of an international character" in e.text for e in nexus)
    commander = {e.id: e for e in rome.modes["28-a"].elements}
    assert "effective command and control" in commander["28-a.effective-control"].text
    assert "should have known" in commander["28-a.knew-or-should-have-known"].text
    assert "necessary and reasonable measures" in commander["28-a.failure-to-act"].text
    assert commander["28-a.effective-control"].citation == "Rome Statute art. 28(a)"
    vstgb = frameworks()["vstgb"]
    assert any(e.kind == "contextual" for e in vstgb.offences["7-1-5"].elements)


def test_charge_elements_are_the_offence_then_the_mode() -> None:
    elements = charge_elements("rome", "7-1-f", "28-a")
    ids = [e.id for e in elements]
    assert ids[0] == "7-1-f.severe-pain" and ids[-1].startswith("28-a.")
    assert ids.index("7-1-f.knowledge-of-attack") < ids.index("28-a.commander")
    with pytest.raises(FrameworkError, match="unknown offence '7-1-z'.*7-1-f"):
        charge_elements("rome", "7-1-z", "28-a")
    with pytest.raises(FrameworkError, match="unknown mode of liability 'vstgb-4'"):
        charge_elements("rome", "7-1-f", "vstgb-4")
    with pytest.raises(FrameworkError, match="unknown framework 'icc'; one of cat, rome"):
        charge_elements("icc", "7-1-f", "28-a")


@pytest.mark.parametrize(("change", "message"), [
    (("kind: mental", "kind: conduc"),
     "bad.yaml: offences.x-1.elements[1].kind: 'conduc' is not one of contextual, conduct, "
     "circumstance, consequence, mental"),
    (("        citation: Test Act s. 1(b)\n", ""),
     "bad.yaml: offences.x-1.elements[1].citation: missing"),
    (("citation: Test Act s. 1(b)", "citation: ''"),
     "bad.yaml: offences.x-1.elements[1].citation: expected a non-empty text"),
    (("id: m-1.did", "id: x-1.act"),
     "bad.yaml: modes.m-1.elements[0].id: 'x-1.act' is already the id of "
     "offences.x-1.elements[0]"),
    (("kind: conduct\n        text: The act", "kind: circumstance\n        text: The act"),
     "bad.yaml: offences.x-1.elements: an offence needs a conduct element"),
    (("kind: mental", "kind: consequence"),
     "bad.yaml: offences.x-1.elements: an offence needs a mental or contextual element"),
    (("title: An offence", "titel: An offence"),
     "bad.yaml: offences.x-1.titel: unknown field"),
    (("disclaimer: Indicative, not legal advice.\n", ""), "bad.yaml: disclaimer: missing"),
    (("id: x-1.act", "id: X 1"), "bad.yaml: offences.x-1.elements[0].id: 'X 1' is not an id"),
    (("  x-1:\n", "  x-1: [\n"), "bad.yaml: not valid YAML"),
])
def test_a_malformed_file_is_named_with_its_field(tmp_path: Path, change: tuple[str, str],
                                                   message: str) -> None:
    old, new = change
    text = GOOD.format(id="bad")
    assert old in text
    (tmp_path / "bad.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_frameworks(tmp_path)
    assert str(caught.value).startswith(message)


def test_a_file_whose_id_is_not_its_name_is_refused(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(GOOD.format(id="yours"), encoding="utf-8")
    with pytest.raises(FrameworkError, match="mine.yaml: id: 'yours' is not the file's name"):
        load_frameworks(tmp_path)
    (tmp_path / "mine.yaml").write_text(GOOD.format(id="mine"), encoding="utf-8")
    assert list(load_frameworks(tmp_path)["mine"].offences) == ["x-1"]


def test_every_country_has_its_rules_and_says_it_is_indicative() -> None:
    loaded = load_countries()
    assert set(loaded) == {"DE", "FR", "BE", "NL", "SE", "NO", "AT"}
    assert countries() == loaded
    for country in loaded.values():
        assert "not legal advice" in country.disclaimer
        assert "simplified" in country.disclaimer
        assert {g.type for g in country.grounds} & {"universal"}
        for ground in country.grounds:
            assert ground.citation and ground.discretion
    france = {g.id: g for g in loaded["FR"].grounds}
    assert france["fr-universal-icc"].requires == "habitual_residence"
    assert "689-11" in france["fr-universal-icc"].citation
    germany = {g.id: g for g in loaded["DE"].grounds}
    assert germany["de-universal-vstgb"].requires == "none"
    assert "153f" in germany["de-universal-vstgb"].citation
    assert germany["de-universal-vstgb"].concerns("vstgb", "7-1-5")
    assert not germany["de-universal-vstgb"].concerns("cat")
    assert {g.id: g for g in loaded["NL"].grounds}["nl-universal"].requires == "presence"
    belgium = {g.id: g for g in loaded["BE"].grounds}
    assert "federal prosecutor" in belgium["be-universal-treaty"].discretion
    assert belgium["be-universal-treaty"].concerns("rome", "7-1-i")
    assert not belgium["be-universal-treaty"].concerns("rome", "7-1-f")
    assert "§5" in loaded["NO"].grounds[0].citation
    assert "§64" in loaded["AT"].grounds[0].citation


COUNTRY = """\
code: XX
names: {en: Testland, fr: Testlande, de: Testland, ar: تستلاند, local: Testland}
disclaimer: Indicative and simplified, not legal advice.
grounds:
  - id: xx-universal
    type: universal
    title: Universal
    requires: presence
    double_criminality: false
    discretion: None.
    applies_to: [rome]
    citation: Test Code art. 1
"""


@pytest.mark.parametrize(("change", "message"), [
    (("requires: presence", "requires: presense"),
     "xx.yaml: grounds[0].requires: 'presense' is not one of none, presence, residence, "
     "habitual_residence"),
    (("applies_to: [rome]", "applies_to: [icc]"),
     "xx.yaml: grounds[0].applies_to[0]: unknown framework 'icc'"),
    (("applies_to: [rome]", "applies_to: [rome:7-1-z]"),
     "xx.yaml: grounds[0].applies_to[0]: framework rome has no offence '7-1-z'"),
    (("type: universal", "type: active_personality"),
     "xx.yaml: grounds[0].suspect_link: an active-personality ground needs a list of links"),
    (("double_criminality: false", "double_criminality: sometimes"),
     "xx.yaml: grounds[0].double_criminality: 'sometimes' is not true, false or null"),
    (("code: XX", "code: YY"), "xx.yaml: code: 'YY' is not the file's name 'XX'"),
    (("ar: تستلاند, ", ""), "xx.yaml: names.ar: missing"),
])
def test_a_malformed_jurisdiction_file_is_named_with_its_field(
        tmp_path: Path, change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in COUNTRY
    (tmp_path / "xx.yaml").write_text(COUNTRY.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(JurisdictionError) as caught:
        load_countries(tmp_path)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(("text", "code"), [
    ("DE", "DE"), ("de", "DE"), ("Allemagne", "DE"), ("ألمانيا", "DE"), ("German", "DE"),
    ("Sverige", "SE"), ("السويد", "SE"), ("Pays-Bas", "NL"), ("the netherlands", "NL"),
    ("Österreich", "AT"), ("Oesterreich", "AT"), ("belge", "BE"), ("Norge", "NO"),
    ("لبنان", "LB"), ("Syrian", "SY"), ("Atlantis", None), ("", None),
])
def test_a_country_is_recognised_by_its_names_in_any_language(text: str,
                                                               code: str | None) -> None:
    assert country_code(text) == code
