"""The synthetic world: reproducible, fully staffed, consistent careers, no real names."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dossier.demo import build_world
from dossier.demo.names import DENYLIST_FAMILY, DENYLIST_PAIRS
from dossier.demo.units import RANKS
from dossier.demo.world import GOVERNORATES, WINDOW


@pytest.fixture(scope="module")
def world():  # type: ignore[no-untyped-def]
    return build_world(7)


def test_same_seed_same_world_and_other_seed_other_world() -> None:
    assert build_world(3).to_dict() == build_world(3).to_dict()
    assert build_world(3).to_dict()["persons"] != build_world(4).to_dict()["persons"]


def test_every_unit_has_exactly_one_head_every_month(world) -> None:  # type: ignore[no-untyped-def]
    day = WINDOW[0]
    while day <= WINDOW[1]:
        for unit in world.units + world.facilities:
            heads = world.holders(unit.id, "head", day)
            assert len(heads) == 1, (unit.id, day, heads)
        day += timedelta(days=29)


def test_nobody_holds_two_posts_at_once_and_ranks_never_fall(world) -> None:  # type: ignore[no-untyped-def]
    order = {r.ar: r.order for r in RANKS}
    for person in world.persons:
        posts = person.posts
        for before, after in zip(posts, posts[1:], strict=False):
            assert before.end < after.start, (person.id, before, after)
            assert order[before.rank] <= order[after.rank], person.id


def test_officer_count_is_what_was_asked(world) -> None:  # type: ignore[no-untyped-def]
    assert len(world.persons) == 140
    assert [p.id for p in world.persons[:2]] == ["P0001", "P0002"]


def test_names_come_in_the_spellings_western_documents_use(world) -> None:  # type: ignore[no-untyped-def]
    person = next(p for p in world.persons if p.given.ar == "محمد")
    assert len(person.en_names) >= 3
    mohammads = [p for p in world.persons if p.given.ar == "محمد"]
    words = {word for p in mohammads for name in p.en_names for word in name.split()}
    assert len(words & {"Mohammad", "Muhammad", "Mohamed", "Mohammed", "Mohamad"}) >= 3
    articles = " ".join(n for p in world.persons for n in p.en_names)
    assert "al-" in articles and "el-" in articles and "Al " in articles
    french = " ".join(n for p in world.persons for n in p.fr_names)
    assert any(name.isupper() for name in french.split())  # French style: family name in capitals
    full = person.ar_names[0].split()
    assert len(full) >= 3 and person.ar_names[1] == f"{person.given.ar} {person.family.ar}"


def test_no_generated_name_is_on_the_denylist(world) -> None:  # type: ignore[no-untyped-def]
    for seed in (7, 8, 9):
        w = world if seed == 7 else build_world(seed)
        people = [(p.given.ar, p.family.ar) for p in w.persons]
        people += [(d.given.ar, d.family.ar) for d in w.detainees]
        for given, family in people:
            assert family not in DENYLIST_FAMILY
            assert (given, family) not in DENYLIST_PAIRS


def test_detainees_are_complete_and_plausible(world) -> None:  # type: ignore[no-untyped-def]
    data = world.to_dict()
    assert len(data["detainees"]) == 600
    assert data["detainees"][0]["id"] == "V00001"
    assert len(data["governorates"]) == len(GOVERNORATES) == 14
    fates = {d["fate"] for d in data["detainees"]}
    assert fates == {"released", "transferred", "died_in_custody", "disappeared"}
    for d in data["detainees"]:
        assert set(d["name"]) == {"given", "father", "grandfather", "family", "mother"}
        assert d["sex"] in ("m", "f")
        if d["fate"] == "died_in_custody":
            assert d["death_place"] in ("F-601", "F-TISHREEN")
            assert date.fromisoformat(d["death_date"]) > date.fromisoformat(d["arrest_date"])
    assert any(d["age_at_arrest"] < 18 for d in data["detainees"])
    assert any(d["sex"] == "f" for d in data["detainees"])


def test_units_follow_the_public_structure(world) -> None:  # type: ignore[no-untyped-def]
    by_id = world.by_id
    assert by_id["GI-251"].parent == "GI"
    assert "فرع الخطيب" in by_id["GI-251"].ar and by_id["GI-251"].ar[0] == "الفرع ٢٥١"
    assert "al-Khatib branch" in by_id["GI-251"].en and "branche 251" in by_id["GI-251"].fr
    assert "فرع فلسطين" in by_id["MI-235"].ar
    assert {"F-SAYDNAYA", "F-TISHREEN", "F-601", "F-ADRA"} == {f.id for f in world.facilities}
