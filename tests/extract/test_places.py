"""Places: the governorates a document names, found and linked in Arabic, English and French."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from dossier.demo.registry_seed import governorate_id, seed_registry
from dossier.demo.world import build_world
from dossier.extract import Gazetteer, Named, extract, extract_page
from dossier.ingest.pipeline import IngestOptions, ingest
from dossier.store.schema import mentions

PLACES = [
    Named(1, "place", "دمشق"), Named(1, "place", "Damascus"), Named(1, "place", "Damas"),
    Named(2, "place", "ريف دمشق"), Named(2, "place", "Rif Dimashq"),
    Named(2, "place", "Rif Dimachq"),
    Named(3, "place", "حمص"), Named(3, "place", "Homs"),
    Named(4, "place", "حماة"), Named(4, "place", "Hama"),
    Named(5, "place", "اللاذقية"), Named(5, "place", "Latakia"), Named(5, "place", "Lattaquié"),
    Named(6, "place", "دير الزور"), Named(6, "place", "Deir ez-Zor"),
    Named(7, "place", "درعا"), Named(7, "place", "Daraa"), Named(7, "place", "Deraa"),
    Named(8, "facility", "سجن دمشق المركزي"), Named(8, "facility", "Damascus Central Prison"),
    Named(9, "person", "Ahmad Homsi"),
]


def _places(text: str) -> list[tuple[str, int | None]]:
    gazetteer = Gazetteer(PLACES)
    return [(f.text, f.entity_id) for f in extract_page(text, gazetteer) if f.kind == "place"]


def test_governorates_are_found_and_linked_in_three_languages() -> None:
    assert _places("من أهالي محافظة ريف دمشق، وسوقه إلى هذا الفرع") == [("ريف دمشق", 2)]
    assert _places("التولد: ١٩٨٠ — المحافظة: اللاذقية") == [("اللاذقية", 5)]
    assert _places("تم توقيف (٣) من الأشخاص في محافظة دير الزور وهم:") == [("دير الزور", 6)]
    assert _places("في محافظة حماه") == [("حماه", 4)]  # ة written ه
    assert _places("born in 1980, from Deir ez-Zor governorate, is to be arrested") == [
        ("Deir ez-Zor", 6)]
    assert _places("originaire du gouvernorat de Lattaquié, doit être") == [("Lattaquié", 5)]
    assert _places("1\tSamer Khatib\tFatima\t1980\tRif Dimachq\t4 mars 2012") == [
        ("Rif Dimachq", 2)]
    assert _places("origin: Damascus; later Homs and DERAA") == [
        ("Damascus", 1), ("Homs", 3), ("DERAA", 7)]


def test_a_place_is_its_registered_spelling_not_a_word_with_its_skeleton() -> None:
    # "him" and "home" have the skeleton of "Hama", "Hamas" and "Homsi" that of "Homs",
    # "Dr" that of "Daraa": only the registered spellings, capitalised in Latin script, count
    assert _places("He went home with him. Dr Ahmed saw Hamas, a Homsi family, in hama") == []
    assert _places("سجلات حمص") == [("حمص", 3)]
    assert _places("الحمصي") == []


def test_a_governorate_inside_a_name_belongs_to_that_name() -> None:
    gazetteer = Gazetteer(PLACES)
    found = [(f.kind, f.text) for f in extract_page(
        "transferred to Damascus Central Prison, then met Ahmad Homsi", gazetteer)]
    assert ("facility", "Damascus Central Prison") in found
    assert ("person", "Ahmad Homsi") in found
    assert not any(kind == "place" for kind, _ in found)
    assert [(f.kind, f.text) for f in gazetteer.find("نقل إلى سجن دمشق المركزي")] == [
        ("facility", "سجن دمشق المركزي")]


def test_extract_links_places_of_the_seeded_registry(workspace, tmp_path: Path) -> None:
    with workspace.engine.begin() as conn:
        ids = seed_registry(conn, build_world(7, officers=30, detainees=0))
    folder = tmp_path / "leak"
    folder.mkdir()
    pages = {
        "ar.txt": "قائمة بأسماء الموقوفين\n١\tسامر يوسف\tفاطمة\t١٩٨٠\tريف دمشق\n"
                  "٢\tعلي حسن\tمريم\t١٩٨٥\tدير الزور\n",
        "en.txt": "The detainee, from Deir ez-Zor governorate, was arrested on 4 March 2012.\n",
        "fr.txt": "Le détenu, originaire du gouvernorat de Lattaquié, a été arrêté le "
                  "4 mars 2012.\n",
    }
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    ingest(workspace, IngestOptions(collection="leak", paths=[folder], workers=1))
    report = extract(workspace)
    assert report.mentions["place"] == 4
    with workspace.engine.connect() as conn:
        found = {(m.text, m.entity_id) for m in conn.execute(
            select(mentions.c.text, mentions.c.entity_id).where(mentions.c.kind == "place"))}
    assert found == {("ريف دمشق", ids[governorate_id(1)]), ("دير الزور", ids[governorate_id(11)]),
                     ("Deir ez-Zor", ids[governorate_id(11)]),
                     ("Lattaquié", ids[governorate_id(5)])}
