"""Protected persons: every spelling found, one stable pseudonym each, nothing left behind."""

from __future__ import annotations

import json
import subprocess
import zipfile

import pytest

from dossier.cases.casefile import add_evidence, load_case
from dossier.export.bundle import export_case
from dossier.export.pseudonyms import (
    Pseudonymiser,
    label,
    load_pseudonymiser,
    merge,
    reordered_forms,
)
from dossier.export.verify_bundle import verify
from dossier.registry.entities import add_entity
from dossier.text import name_variants

from .helpers import CASE, WITNESS, add_original, build_case
from .tamper import extract


def test_pseudonyms_run_a_to_z_then_aa() -> None:
    assert [label(n) for n in (0, 1, 25, 26, 27, 51, 52)] == [
        "Witness A", "Witness B", "Witness Z", "Witness AA", "Witness AB", "Witness AZ",
        "Witness BA"]


def test_names_are_found_as_written_in_either_script(workspace) -> None:
    with workspace.engine.begin() as conn:
        first = add_entity(conn, "person", "Samer Khalil", names=["سامر خليل"], protected=True)
        second = add_entity(conn, "person", "Lina Haddad", protected=True)
        add_entity(conn, "person", "Jamil Hassan")  # not protected: left alone
    with workspace.engine.connect() as conn:
        hide = load_pseudonymiser(conn)
    assert set(hide.spellings) == {first, second}
    text = ("Lina Haddad met SAMER AL-KHALIL; وقال سامر الخليل إن جميل حسن أمر بذلك. "
            "Jamil Hassan denied it. Sâmer Khalîl signed. جاء أحمد وسامر خليل.")
    assert hide.apply(text) == ("Witness A met Witness B; وقال Witness B إن جميل حسن أمر بذلك. "
                                "Jamil Hassan denied it. Witness B signed. جاء أحمد Witness B.")
    assert hide.labels == {second: "Witness A", first: "Witness B"}  # order of appearance
    assert hide.apply("Samer Khalil") == "Witness B"  # stable once given
    assert hide.apply("سامر خليل") == "Witness B"


def test_linked_mentions_add_their_spans_and_overlaps_merge() -> None:
    hide = Pseudonymiser({7: ("Abu Samer",)})
    text = "The source (code name Falcon) said so."
    assert hide.apply(text, [(22, 28, 7)]) == "The source (code name Witness A) said so."
    assert merge([(5, 9, 1), (0, 6, 2), (20, 25, 1)]) == [(0, 9, 2), (20, 25, 1)]


def test_a_name_is_replaced_as_a_whole_word_only() -> None:
    hide = Pseudonymiser({7: ("Falcon",)})
    assert hide.apply("Falcon met the Falconer; FALCON left.") == \
        "Witness A met the Falconer; Witness A left."


FORMS = {
    "Latin, family name first": "KHALIL Samer",
    "Latin, family name first with a comma": "Khalil, Samer",
    "Latin, family name with the article first": "al-Khalil, Samer",
    "Latin, initial before": "S. Khalil",
    "Latin, initial after": "Khalil, S.",
    "Arabic, family name first": "الخليل سامر",
    "Arabic, family name first with a comma": "خليل، سامر",
    "Arabic, initial before": "س. خليل",
    "Arabic, initial after": "الخليل، س.",
}


def witness() -> Pseudonymiser:
    names = ("Samer Khalil", "سامر خليل")
    return Pseudonymiser({1: tuple(dict.fromkeys(
        v for name in names for v in (name, *name_variants(name))))})


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_family_name_first_and_initials_are_found_in_both_scripts(form: str) -> None:
    hide = witness()
    assert hide.apply(f"Statement of {form} on 3 May.") == "Statement of Witness A on 3 May."
    assert hide.apply(f"interviews/{form}_2013.txt") == "interviews/Witness A_2013.txt"


@pytest.mark.parametrize("text", [
    "Samer said so.", "Khalil said so.", "سامر قال", "الخليل قال",  # one name alone
    "He met a Khalil there.", "S Khalil", "س خليل",  # a letter without its full stop
    "He saw Khalil. Samer left.", "Khalil; Samer", "Khalil,, Samer",  # not one name
    "Sa. Khalil", "K. Samer",  # not his initial
])
def test_a_lone_name_or_words_that_only_look_like_one_are_left(text: str) -> None:
    assert witness().apply(text) == text


def test_reordered_forms_need_a_given_and_a_family_name() -> None:
    assert reordered_forms("Falcon", 1) == []
    assert reordered_forms("Abu Samer", 1) == []
    forms = {form.terms for form in reordered_forms("Samer Mohammad al-Khalil", 1)}
    assert ("al", "khalil", "samer") in forms and ("s", "m", "al", "khalil") in forms


def test_every_form_is_hidden_in_quotes_paths_and_custody_events(workspace, tmp_path) -> None:
    """Each form written in an exhibit's file name, in a quote, an assessment and a source:
    none of it reaches the bundle, in a file's contents or its name; the events that name the
    path are carried as their hash only."""
    build_case(workspace)
    added = []
    for number, form in enumerate(FORMS.values(), start=1):
        item = add_original(workspace, f"interviews/{form} {number}.txt",
                            f"interview {number}\n".encode(), ["Notes of the interview."])
        add_evidence(workspace.engine, CASE, 1, "7-1-f.custody", item, page=1,
                     quote=f"{form} saw the order", source=f"interview with {form}",
                     assessment=f"{form} is credible.", author="tester")
        added.append(item)
    result = export_case(workspace, CASE, tmp_path / "b.zip")
    assert verify(result.path).ok
    with zipfile.ZipFile(result.path) as archive:
        names = archive.namelist()
        events = [json.loads(line) for line in archive.read(
            "b/data/custody/events.jsonl").decode().splitlines()]
        exhibits = json.loads(archive.read("b/data/exhibits.json"))["exhibits"]
        everything = "\n".join([*names, *(archive.read(name).decode("utf-8", "replace")
                                          for name in names)])
    folder = extract(result.path, tmp_path / "x")
    everything += subprocess.run(["pdftotext", str(folder / "data/report.pdf"), "-"],
                                 capture_output=True, text=True, check=True).stdout
    for trace in ("Samer", "Khalil", "سامر", "خليل"):
        assert trace.casefold() not in everything.casefold(), trace
    withheld = {e["item"] for e in events if "withheld" in e}
    assert set(added) <= withheld
    paths = {e["item"]: e["path"] for e in exhibits}
    assert [paths[item] for item in added] == [f"interviews/Witness A {n}.txt"
                                               for n in range(1, len(FORMS) + 1)]
    assert everything.count("Witness A saw the order") >= len(FORMS)


def test_the_case_as_shown_names_nobody_protected(workspace) -> None:
    built = build_case(workspace)
    with workspace.engine.connect() as conn:
        hide = load_pseudonymiser(conn)
        case = load_case(conn, CASE)
    shown = hide.case(case)
    dumped = json.dumps(shown.as_dict(), ensure_ascii=False)
    assert WITNESS not in dumped and "سامر" not in dumped
    assert "Witness A is credible." in dumped
    assert shown.suspects == case.suspects  # the suspect is not protected
    assert built.witness in hide.labels


def test_an_event_naming_a_protected_person_is_carried_as_its_hash(workspace, tmp_path
                                                                   ) -> None:
    build_case(workspace)
    item = add_original(workspace, "interviews/Samer Khalil, 2013.txt", b"interview notes\n",
                        ["Notes of the interview."])
    add_evidence(workspace.engine, CASE, 1, "7-1-f.custody", item, page=1, author="tester")
    result = export_case(workspace, CASE, tmp_path / "b.zip")
    assert verify(result.path).ok
    with zipfile.ZipFile(result.path) as archive:
        names = archive.namelist()
        events = [json.loads(line) for line in archive.read(
            "b/data/custody/events.jsonl").decode().splitlines()]
        exhibits = json.loads(archive.read("b/data/exhibits.json"))["exhibits"]
        everything = b"".join(archive.read(name) for name in names).decode("utf-8", "replace")
    withheld = [e for e in events if "withheld" in e]
    assert [e["item"] for e in withheld] == [item]  # its "acquired" event names the path
    assert set(withheld[0]) == {"seq", "item", "hash", "withheld"}
    exhibit = next(e for e in exhibits if e["item"] == item)
    assert exhibit["path"] == "interviews/Witness A, 2013.txt"
    assert exhibit["original"].endswith("-Witness_A_2013.txt")  # not withheld: no page names him
    assert "Samer" not in everything and "Khalil" not in everything
