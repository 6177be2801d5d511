"""Profiles (names, posts, documents by year, co-mentions) and screening a list of suspects."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from dossier.ingest.pipeline import IngestOptions, ingest
from dossier.registry.claims import reject_claim
from dossier.registry.entities import add_entity
from dossier.registry.profile import profile
from dossier.registry.resolve import merge
from dossier.registry.screen import ScreenInputError, Suspect, read_suspects, screen
from dossier.store.schema import items

from .helpers import add_item, add_mention, post


def test_profile_gathers_names_posts_documents_and_company(workspace) -> None:
    with workspace.engine.begin() as conn:
        jamil = add_entity(conn, "person", "Jamil Hassan", names=["جميل حسن"])
        twin = add_entity(conn, "person", "Jameel al-Hasan")
        branch = add_entity(conn, "unit", "Branch 251", unit_type="branch", number=251)
        omar = add_entity(conn, "person", "Omar Nasser")
        merge(conn, jamil, twin, author="alice", reason="same man")
        post(conn, jamil, branch, valid_from="2011", valid_to="2013", status="accepted")
        post(conn, twin, branch, valid_from="2012-03-04", valid_to="2012-03-04",
             precision="within")
        wrong = post(conn, jamil, branch, "deputy", valid_from="2009", valid_to="2009")
        reject_claim(conn, wrong, author="alice", reason="misread")
        dated = add_item(conn, "leak/a.txt", ["Order of 4 March 2012 by Jamil Hassan, Branch 251,"
                                              " Omar Nasser; in 2014 another"])
        add_mention(conn, dated, 1, "4 March 2012", "date", value="2012-03-04")
        add_mention(conn, dated, 1, "Jamil Hassan", "person", entity_id=jamil)
        add_mention(conn, dated, 1, "Branch 251", "unit", entity_id=branch)
        add_mention(conn, dated, 1, "Omar Nasser", "person", entity_id=omar)
        add_mention(conn, dated, 1, "2014", "date", value="2014")
        from_metadata = add_item(conn, "leak/b.txt", ["Jameel al-Hasan and Branch 251"],
                                 metadata='{"created": "2013-05-01T10:00:00"}')
        add_mention(conn, from_metadata, 1, "Jameel al-Hasan", "person", entity_id=twin)
        add_mention(conn, from_metadata, 1, "Branch 251", "unit", entity_id=branch)
        undated = add_item(conn, "leak/c.txt", ["Jamil Hassan"])
        add_mention(conn, undated, 1, "Jamil Hassan", "person", entity_id=jamil)
        result = profile(conn, twin)
    assert result.entity.id == jamil and result.members == [jamil, twin]
    assert {n.name for n in result.names} == {"Jamil Hassan", "جميل حسن", "Jameel al-Hasan"}
    assert [(c.valid_from, c.status) for c in result.posts] == [
        ("2011", "accepted"), ("2012-03-04", "proposed")]
    assert [(y.year, y.items) for y in result.documents_by_year] == [
        ("2012", [dated]), ("2013", [from_metadata]), ("undated", [undated])]
    assert [(u.name, u.pages) for u in result.units] == [("Branch 251", 2)]
    assert [(p.name, p.pages) for p in result.persons] == [("Omar Nasser", 1)]
    assert result.as_dict()["co_mentioned_units"][0]["entity"] == branch


def test_screen_finds_entities_and_documents_in_any_spelling(workspace, tmp_path: Path) -> None:
    leak = tmp_path / "leak"
    leak.mkdir()
    (leak / "order.txt").write_text("أمر صادر عن العميد جميل حسن رئيس الفرع", encoding="utf-8")
    (leak / "report.txt").write_text("Report signed by Jameel Hassan, head of branch.",
                                     encoding="utf-8")
    (leak / "other.txt").write_text("Karim Haddad was transferred.", encoding="utf-8")
    ingest(workspace, IngestOptions(collection="leak", paths=[leak], workers=1))
    with workspace.engine.begin() as conn:
        jamil = add_entity(conn, "person", "Jamil Hassan", names=["جميل حسن"],
                           attributes={"birth_date": "1953-04-02"})
        namesake = add_entity(conn, "person", "Jamil Hasan", attributes={"birth_year": 1970})
        report = conn.scalar(select(items.c.id).where(items.c.path.like("%report.txt")))
        add_mention(conn, report, 1, "Jameel Hassan", "person", entity_id=jamil)
    suspects = tmp_path / "suspects.csv"
    suspects.write_text("name,date_of_birth\nJamil Hassan,1953\nSamer Khatib,\n",
                        encoding="utf-8")
    with workspace.engine.connect() as conn:
        first, second = screen(conn, workspace.index, read_suspects(suspects))
    assert [(e.match.entity_id, e.birth) for e in first.entities] == [
        (jamil, "agrees"), (namesake, "differs")]
    paths = {d.path.rsplit("/", 1)[-1]: d for d in first.documents}
    assert set(paths) == {"order.txt", "report.txt"}
    assert paths["report.txt"].mentions == 1 and paths["report.txt"].score > 0.9
    assert "جميل حسن" in paths["order.txt"].spellings
    assert second.entities == [] and second.documents == []


def test_suspect_lists_are_read_from_csv_or_json_lines(tmp_path: Path) -> None:
    jsonl = tmp_path / "list.jsonl"
    jsonl.write_text('{"name": "Jamil Hassan", "date_of_birth": "1953"}\n\n{"name": "X Y"}\n',
                     encoding="utf-8")
    assert [(s.name, s.date_of_birth, s.line) for s in read_suspects(jsonl)] == [
        ("Jamil Hassan", "1953", 1), ("X Y", None, 3)]
    bad = tmp_path / "bad.csv"
    bad.write_text("fullname\nJamil Hassan\n", encoding="utf-8")
    with pytest.raises(ScreenInputError, match="needs a name column"):
        read_suspects(bad)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"name": "A B"}\n{"nom": "C"}\n', encoding="utf-8")
    with pytest.raises(ScreenInputError, match="broken.jsonl:2"):
        read_suspects(broken)


def _screened_registry(conn) -> dict[str, int]:
    jamil = add_entity(conn, "person", "Jamil Hassan", names=["جميل حسن"],
                       attributes={"birth_date": "1952-03-12"})
    leak = add_item(conn, "leak/order.txt", ["Order signed by Jamil Hassan"])
    photos = add_item(conn, "photos/caption.txt", ["Jamil Hassan at the branch"],
                      collection_name="photos")
    add_mention(conn, leak, 1, "Jamil Hassan", "person", entity_id=jamil)
    add_mention(conn, photos, 1, "Jamil Hassan", "person", entity_id=jamil)
    return {"jamil": jamil, "leak": leak, "photos": photos}


@pytest.mark.parametrize(("written", "birth"), [
    ("12/03/1952", "agrees"), ("1952-03-12", "agrees"), ("12 March 1952", "agrees"),
    ("1952", "agrees"), ("1952-03", "agrees"), ("13/03/1952", "differs"),
    ("03/12/1952", "differs"), ("1953", "differs"), ("unknown", "unknown")])
def test_screen_reads_birth_dates_as_dates(workspace, written: str, birth: str) -> None:
    with workspace.engine.begin() as conn:
        found = _screened_registry(conn)
        [result] = screen(conn, None, [Suspect("Jamil Hassan", written)])
        [entity] = result.entities
        assert entity.birth == birth
        if birth == "differs":
            assert entity.score < 0.5 and result.documents == []
        else:
            assert entity.score > 0.9
            assert {d.item_id for d in result.documents} == {found["leak"], found["photos"]}


def test_screen_in_one_collection_keeps_to_it(workspace) -> None:
    with workspace.engine.begin() as conn:
        found = _screened_registry(conn)
        [result] = screen(conn, None, [Suspect("Jamil Hassan")], collection="photos")
        assert [d.item_id for d in result.documents] == [found["photos"]]
        [everywhere] = screen(conn, None, [Suspect("Jamil Hassan")])
        assert len(everywhere.documents) == 2
