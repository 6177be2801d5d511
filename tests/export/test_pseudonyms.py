"""Protected persons: every spelling found, one stable pseudonym each, nothing left behind."""

from __future__ import annotations

import json
import zipfile

from dossier.cases.casefile import add_evidence, load_case
from dossier.export.bundle import export_case
from dossier.export.pseudonyms import Pseudonymiser, label, load_pseudonymiser, merge
from dossier.export.verify_bundle import verify
from dossier.registry.entities import add_entity

from .helpers import CASE, WITNESS, add_original, build_case


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
    mapping = hide.mapping()
    assert mapping["سامر خليل"] == mapping["Samer Khalil"] == "Witness B"


def test_linked_mentions_add_their_spans_and_overlaps_merge() -> None:
    hide = Pseudonymiser({7: ("Abu Samer",)})
    text = "The source (code name Falcon) said so."
    assert hide.apply(text, [(22, 28, 7)]) == "The source (code name Witness A) said so."
    assert merge([(5, 9, 1), (0, 6, 2), (20, 25, 1)]) == [(0, 9, 2), (20, 25, 1)]
    assert hide.apply_html('<a title="Abu Samer">Abu Samer</a>') == \
        '<a title="Abu Samer">Witness A</a>'


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
