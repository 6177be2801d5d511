"""Cases: suspects, charges and evidence linked to elements, validated on the way in."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from sqlalchemy import Connection, insert, select, update

from dossier.cases.casefile import (
    CaseError,
    add_charge,
    add_evidence,
    add_suspect,
    create_case,
    list_cases,
    load_case,
)
from dossier.cases.frameworks import charge_elements
from dossier.registry.entities import add_entity
from dossier.store.schema import acquisitions, case_evidence, collections, items, pages
from dossier.workspace import utcnow

TORTURE = ("rome", "7-1-f", "28-a")


def add_item(conn: Connection, path: str, texts: list[str], *, collection: str = "leak",
             acquired_from: str | None = "a defector", sha256: str | None = None,
             near_dup_group: int | None = None) -> int:
    """An item with its pages, in a collection with one acquisition (made on first use)."""
    now = utcnow()
    collection_id = conn.scalar(select(collections.c.id).where(collections.c.name == collection))
    if collection_id is None:
        collection_id = conn.execute(insert(collections).values(
            name=collection, created_at=now)).inserted_primary_key[0]
        conn.execute(insert(acquisitions).values(
            collection_id=collection_id, acquired_from=acquired_from, acquired_by="test",
            sources="[]", resume_key="k", started_at=now))
    acquisition = conn.scalar(select(acquisitions.c.id)
                              .where(acquisitions.c.collection_id == collection_id))
    item = conn.execute(insert(items).values(
        collection_id=collection_id, sha256=sha256 or hashlib.sha256(path.encode()).hexdigest(),
        size=1, media_type="text", path=path, acquisition_id=acquisition, depth=0,
        stage="indexed", status="ok", page_count=len(texts), near_dup_group=near_dup_group,
        created_at=now, updated_at=now)).inserted_primary_key[0]
    for number, text in enumerate(texts, start=1):
        conn.execute(insert(pages).values(
            item_id=item, number=number, text=text,
            text_sha256=hashlib.sha256(text.encode()).hexdigest(), method="text", tool="test"))
    return int(item)


def build_world(workspace: Any) -> dict[str, int]:
    """A small synthetic registry and leak: two persons of one name, a unit, four documents."""
    with workspace.engine.begin() as conn:
        ids = {
            "karim": add_entity(conn, "person", "Karim Nassar", names=["كريم نصار"]),
            "hadi": add_entity(conn, "person", "Hadi Salloum"),
            "twin1": add_entity(conn, "person", "Ziad Khoury"),
            "twin2": add_entity(conn, "person", "Ziad Khoury"),
            "branch": add_entity(conn, "unit", "Branch 999", unit_type="branch"),
            "order": add_item(conn, "leak/order.pdf", [
                "Arrest order", "Head of Branch 999\nBrigadier General Karim Nassar"]),
            "list": add_item(conn, "leak/list.pdf", ["Detainees held at Branch 999"]),
            "statement": add_item(conn, "ngo/statement.txt",
                                  ["تعرض للتعذيب في الفرع ٩٩٩ <script>alert(1)</script>"],
                                  collection="ngo", acquired_from=""),
            "scan": add_item(conn, "leak/scan.jpg", ["head of branch"]),
        }
    return ids


@pytest.fixture
def world(workspace: Any) -> dict[str, int]:
    return build_world(workspace)


def open_case(workspace: Any, ref: str = "koblenz-999") -> int:
    create_case(workspace.engine, ref, "The head of Branch 999", "A synthetic case")
    add_suspect(workspace.engine, ref, "Karim Nassar", note="head of the branch")
    return add_charge(workspace.engine, ref, "Karim Nassar", *TORTURE).id


def element(kind_or_id: str, charge: tuple[str, str, str] = TORTURE) -> str:
    """The id of the first element of that kind (or with that id suffix) of the charge."""
    for found in charge_elements(*charge):
        if found.kind == kind_or_id or found.id.endswith("." + kind_or_id):
            return found.id
    raise AssertionError(kind_or_id)


def test_a_case_is_built_end_to_end(workspace, world) -> None:
    charge = open_case(workspace)
    engine = workspace.engine
    # the suspect is found by a spelling in another script, and by id
    assert add_suspect(engine, "koblenz-999", "كريم نصار").entity_id == world["karim"]
    hadi = add_suspect(engine, "koblenz-999", f"#{world['hadi']}")
    second = add_charge(engine, "koblenz-999", world["hadi"], "vstgb", "7-1-5", "vstgb-4",
                        note="§4")
    pain, custody = element("severe-pain"), element("custody")
    first = add_evidence(engine, "koblenz-999", charge, pain, world["statement"], page=1,
                         quote="تعرض للتعذيب", assessment="credible")
    add_evidence(engine, "koblenz-999", charge, custody, world["order"], page=2,
                 quote="Head of Branch 999")
    region = add_evidence(engine, "koblenz-999", charge, element("commander"), world["scan"],
                          region="10,20,300,40")
    against = add_evidence(engine, "koblenz-999", second.id,
                           element("harm", ("vstgb", "7-1-5", "vstgb-4")), world["list"],
                           page=1, stance="contradicts", source="the branch's own register")

    case = load_case(engine, "koblenz-999")
    assert (case.ref, case.title, case.description, case.status) == (
        "koblenz-999", "The head of Branch 999", "A synthetic case", "open")
    assert [(s.entity_id, s.name, s.note) for s in case.suspects] == [
        (world["karim"], "Karim Nassar", "head of the branch"), (world["hadi"], "Hadi Salloum",
                                                                 None)]
    assert "كريم نصار" in case.suspects[0].names and not case.suspects[0].protected
    assert [(c.suspect_id, c.framework, c.offence, c.mode) for c in case.charges] == [
        (case.suspects[0].id, *TORTURE), (hadi.id, "vstgb", "7-1-5", "vstgb-4")]
    assert "torture" in case.charges[0].title.lower() and case.charges[1].note == "§4"
    by_id = {e.id: e for e in case.evidence}
    assert by_id[first.id].quote == "تعرض للتعذيب" and by_id[first.id].page_number == 1
    assert by_id[first.id].item_path == "ngo/statement.txt"
    assert by_id[first.id].item_sha256 == hashlib.sha256(b"ngo/statement.txt").hexdigest()
    assert by_id[first.id].assessment == "credible"
    assert by_id[region.id].region == {"x": 10, "y": 20, "width": 300, "height": 40}
    assert by_id[against.id].stance == "contradicts"
    assert by_id[against.id].source == "the branch's own register"
    # the JSON form carries everything
    assert case.as_dict()["evidence"][0]["quote"] == "تعرض للتعذيب"

    summary = list_cases(engine)
    assert [(s.ref, s.suspects, s.charges, s.evidence) for s in summary] == [
        ("koblenz-999", 2, 2, 4)]
    elements = len(charge_elements(*TORTURE)) + len(charge_elements("vstgb", "7-1-5", "vstgb-4"))
    assert summary[0].gaps == elements - 4


def test_the_source_is_derived_from_the_item_unless_given(workspace, world) -> None:
    charge = open_case(workspace)
    pain = element("severe-pain")
    engine = workspace.engine
    derived = add_evidence(engine, "koblenz-999", charge, pain, world["order"], page=1)
    collection = add_evidence(engine, "koblenz-999", charge, pain, world["statement"])
    given = add_evidence(engine, "koblenz-999", charge, pain, world["list"], source="witness 7")
    assert derived.source == "a defector"  # from whom the leak was acquired
    assert collection.source == "ngo"  # no one named: the collection
    assert given.source == "witness 7"


def test_a_quote_is_checked_against_the_text_of_its_page(workspace, world) -> None:
    charge = open_case(workspace)
    engine = workspace.engine
    pain, custody = element("severe-pain"), element("custody")

    def added(item: str, quote: str | None, page: int | None = 1):  # type: ignore[no-untyped-def]
        return add_evidence(engine, "koblenz-999", charge, pain, world[item], page=page,
                            quote=quote)

    # found as search finds text: another alef, European digits for Arabic-Indic ones, a line
    # break where the page has a space
    assert added("statement", "تعرض للتعذيب في الفرع 999").quote_found is True
    assert added("statement", "تعرض\nللتعذيب").quote_found is True
    assert added("order", "head of branch 999\nbrigadier GENERAL", page=2).quote_found is True
    assert added("order", "Karim Nassar", page=None).quote_found is True  # on any page
    # not on the page cited (it is on page 2), or nowhere: recorded all the same, and said
    wrong_page = added("order", "Karim Nassar", page=1)
    assert wrong_page.quote_found is False
    invented = add_evidence(engine, "koblenz-999", charge, custody, world["list"], page=1,
                            quote="he ordered the beatings")
    assert invented.quote_found is False
    assert added("order", None, page=2).quote_found is None  # no quote, nothing to check
    by_id = {e.id: e for e in load_case(engine, "koblenz-999").evidence}
    assert by_id[invented.id].quote_found is False and by_id[wrong_page.id].quote_found is False
    assert load_case(engine, "koblenz-999").as_dict()["evidence"][-1]["quote_found"] is None
    # the page read again (a better OCR) and the same link given again: checked again
    with engine.begin() as conn:
        conn.execute(update(pages).where(pages.c.item_id == world["list"]).values(
            text="Detainees held at Branch 999: he ordered the beatings"))
    again = add_evidence(engine, "koblenz-999", charge, custody, world["list"], page=1,
                         quote="he ordered the beatings")
    assert again.id == invented.id and again.quote_found is True


def test_the_same_link_twice_is_recorded_once(workspace, world) -> None:
    charge = open_case(workspace)
    engine = workspace.engine
    assert add_charge(engine, "koblenz-999", "Karim Nassar", *TORTURE).id == charge
    assert len(load_case(engine, "koblenz-999").suspects) == 1
    pain = element("severe-pain")
    once = add_evidence(engine, "koblenz-999", charge, pain, world["order"], page=2,
                        quote="Head of Branch 999")
    again = add_evidence(engine, "koblenz-999", charge, pain, world["order"], page=2,
                         quote=" Head of Branch 999 ")
    assert once.id == again.id
    other = add_evidence(engine, "koblenz-999", charge, pain, world["order"], page=2,
                         quote="Head of Branch 999", stance="contradicts")
    assert other.id != once.id
    with engine.connect() as conn:
        assert len(conn.execute(select(case_evidence)).all()) == 2


def test_errors_say_what_is_wrong_and_what_would_do(workspace, world) -> None:
    engine = workspace.engine
    with pytest.raises(CaseError, match="no case 'nope'; create it"):
        load_case(engine, "nope")
    charge = open_case(workspace)
    with pytest.raises(CaseError, match="no case 'nope'; the cases are: koblenz-999"):
        add_suspect(engine, "nope", "Karim Nassar")
    with pytest.raises(CaseError, match="exists already"):
        create_case(engine, "koblenz-999", "again")
    with pytest.raises(CaseError, match="case reference"):
        create_case(engine, "two words", "bad")
    with pytest.raises(CaseError, match="needs a title"):
        create_case(engine, "untitled", " ")

    with pytest.raises(CaseError, match="no person named 'Nobody Known'"):
        add_suspect(engine, "koblenz-999", "Nobody Known")
    with pytest.raises(CaseError) as ambiguous:
        add_suspect(engine, "koblenz-999", "Ziad Khoury")
    assert f"#{world['twin1']}" in str(ambiguous.value)
    assert f"#{world['twin2']}" in str(ambiguous.value)
    with pytest.raises(CaseError, match="is a unit, not a person"):
        add_suspect(engine, "koblenz-999", world["branch"])
    with pytest.raises(CaseError, match="'Branch 999' is the unit .* not a person"):
        add_suspect(engine, "koblenz-999", "Branch 999")
    with pytest.raises(CaseError, match="no entity #9999"):
        add_suspect(engine, "koblenz-999", "#9999")

    with pytest.raises(CaseError, match="'Hadi Salloum' is not a suspect of case .*Karim"):
        add_charge(engine, "koblenz-999", "Hadi Salloum", *TORTURE)
    with pytest.raises(CaseError, match="unknown framework 'icc'"):
        add_charge(engine, "koblenz-999", "Karim Nassar", "icc", "7-1-f", "28-a")
    with pytest.raises(CaseError, match="unknown offence '7-1-z'.*7-1-f"):
        add_charge(engine, "koblenz-999", "Karim Nassar", "rome", "7-1-z", "28-a")
    with pytest.raises(CaseError, match="unknown mode of liability 'vstgb-4'"):
        add_charge(engine, "koblenz-999", "Karim Nassar", "rome", "7-1-f", "vstgb-4")

    pain = element("severe-pain")
    with pytest.raises(CaseError, match="no charge 99 .*its charges: 1"):
        add_evidence(engine, "koblenz-999", 99, pain, world["order"])
    with pytest.raises(CaseError) as wrong:
        add_evidence(engine, "koblenz-999", charge, "7-1-5.harm", world["order"])
    assert "not an element of charge" in str(wrong.value) and pain in str(wrong.value)
    with pytest.raises(CaseError, match="no item 4242"):
        add_evidence(engine, "koblenz-999", charge, pain, 4242)
    with pytest.raises(CaseError, match=r"page 3 is out of range: item \d+ \(leak/order.pdf\) "
                                        "has 2 pages"):
        add_evidence(engine, "koblenz-999", charge, pain, world["order"], page=3)
    with pytest.raises(CaseError, match="stance 'agrees'"):
        add_evidence(engine, "koblenz-999", charge, pain, world["order"], stance="agrees")
    for bad in ("1,2,3", "a,b,c,d", "0,0,0,10"):
        with pytest.raises(CaseError, match="region"):
            add_evidence(engine, "koblenz-999", charge, pain, world["scan"], region=bad)
    with pytest.raises(CaseError, match="region"):
        add_evidence(engine, "koblenz-999", charge, pain, world["scan"], region={"x": 1})
    assert load_case(engine, "koblenz-999").evidence == ()


def test_a_suspect_is_charged_by_any_spelling_or_entity_id(workspace, world) -> None:
    open_case(workspace)
    engine = workspace.engine
    vstgb = ("vstgb", "7-1-5", "vstgb-4")
    assert add_charge(engine, "koblenz-999", "كريم نصار", *vstgb).framework == "vstgb"
    assert add_charge(engine, "koblenz-999", world["karim"], "cat", "art-1", "cat-4").offence \
        == "art-1"
    with pytest.raises(CaseError, match="not a suspect"):
        add_charge(engine, "koblenz-999", world["hadi"], *vstgb)


def test_loading_a_case_takes_the_same_queries_whatever_its_size(workspace, world) -> None:
    from sqlalchemy import event

    charge = open_case(workspace)
    engine = workspace.engine

    def statements() -> int:
        sent = []
        with engine.connect() as conn:
            event.listen(conn, "before_cursor_execute", lambda *args: sent.append(1))
            load_case(conn, "koblenz-999")
        return len(sent)

    add_evidence(engine, "koblenz-999", charge, element("severe-pain"), world["order"])
    small = statements()
    add_suspect(engine, "koblenz-999", "Hadi Salloum")
    other = add_charge(engine, "koblenz-999", "Hadi Salloum", *TORTURE).id
    for number, item in enumerate((world["order"], world["list"], world["statement"])):
        for charge_id in (charge, other):
            add_evidence(engine, "koblenz-999", charge_id, element("custody"), item,
                         quote=f"quote {number}")
    assert len(load_case(engine, "koblenz-999").evidence) == 7
    assert statements() == small
