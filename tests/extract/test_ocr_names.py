"""Officers' names misread by OCR, linked to the one registry person they can only be."""

from __future__ import annotations

from dossier.extract import Gazetteer, ItemContext, Named, extract_page, propose_claims
from dossier.extract.ocr_names import NearNames

REGISTRY = [
    Named(1, "person", "Khaled Mustafa Hamdan"),
    Named(1, "person", "خالد مصطفى حمدان"),
    Named(2, "person", "سامر جميل مرعي"),
    Named(3, "person", "سامي جميل مرعي"),  # one letter from person 2
    Named(4, "person", "هيثم باسل إبراهيم"),
    Named(5, "unit", "الفرع ٢١٥", number="215"),
]


def _near() -> NearNames:
    names = NearNames()
    for named in REGISTRY:
        if named.kind == "person":
            names.add(named.entity_id, named.name)
    return names


def test_a_name_with_letters_dropped_and_confused_finds_its_person() -> None:
    # what Tesseract made of them on the demo's scans: ل and ح dropped, ف read as ق; ث read
    # as ئ, ي dropped, ه read as ح
    near = _near().nearest("خاد مصطقى مدان")
    assert near is not None and (near.entity_id, near.edits) == (1, 3)
    assert near.spelled == "خالد مصطفى حمدان"
    assert _near().nearest("هيئم باسل إبراحم").entity_id == 4  # type: ignore[union-attr]


def test_a_name_near_two_persons_is_left_alone() -> None:
    # "سام جميل مر عي" is one edit from سامر and from سامي: which one is not for OCR to say
    assert _near().nearest("سام جميل مر عي") is None
    assert _near().nearest("سامر جميل مرعي") is None  # exact, but a namesake is one letter off


def test_a_name_whose_words_ocr_split_into_short_pieces_is_found() -> None:
    # كمال read "ال" and مرعي split "مر عي": one whole word of three letters or more is left,
    # so the short pieces are looked up joined
    names = NearNames()
    names.add(9, "كمال غسان مرعي")
    names.add(10, "غسان نصر")
    near = names.nearest("ال غسان مر عي")
    assert near is not None and (near.entity_id, near.edits) == (9, 2)


def test_a_full_name_is_not_kept_from_its_person_by_another_mans_shorter_name() -> None:
    # "سام ممد حاتم" is two letters from سامر محمد حاتم and three from محمد حاتم, another
    # man's two-word name: the word that name lacks tells them apart
    names = NearNames()
    names.add(11, "سامر محمد حاتم")
    names.add(12, "محمد حاتم")
    near = names.nearest("سام ممد حاتم")
    assert near is not None and (near.entity_id, near.edits) == (11, 2)
    # another man's name of as many words as near still leaves it unlinked
    names.add(13, "سامي محمد حاتم")
    assert names.nearest("سام ممد حاتم") is None
    # and a tie in edits goes to the longer name whichever was registered first
    for first, second in ((21, 22), (22, 21)):
        tied = NearNames()
        tied.add(first, "سامر محمد حاتم")
        tied.add(second, "محمد حاتم")
        near = tied.nearest("سا محمد حاتم")  # two edits from each
        assert near is not None and near.spelled == "سامر محمد حاتم"


def test_a_name_far_from_every_person_or_of_one_word_is_not_linked() -> None:
    names = _near()
    assert names.nearest("نزار فادي الشامي") is None
    assert names.nearest("خالد") is None
    assert names.nearest("خالد حمدان") is None  # two of three words: too far (5 letters short)


def test_on_an_ocr_page_a_misread_officer_after_his_rank_is_linked_for_review() -> None:
    text = "رئيس الفرع العميد خاد مصطقى مدان\n"

    scanned = [f for f in extract_page(text, Gazetteer(REGISTRY), ocr=True)
               if f.kind == "person"]
    typed = [f for f in extract_page(text, Gazetteer(REGISTRY)) if f.kind == "person"]

    assert [(f.text, f.entity_id) for f in scanned] == [("خاد مصطقى مدان", 1)]
    assert scanned[0].link_score is not None and scanned[0].link_score < 0.8
    assert scanned[0].attributes["ocr_read_as"] == {
        "written": "خاد مصطقى مدان", "registry": "خالد مصطفى حمدان", "edits": 3}
    # on a typed page a name the registry does not spell is left unlinked
    assert [(f.text, f.entity_id) for f in typed] == [("خاد مصطقى مدان", None)]


def test_a_misread_officer_whose_last_names_are_another_mans_is_linked_to_himself() -> None:
    # "مصطفى" read "مصطقى" leaves "جهاد بكور", another registry person's whole name, for the
    # gazetteer to find inside the name after the rank
    registry = [Named(7, "person", "مصطفى جهاد بكور"), Named(8, "person", "جهاد بكور")]
    text = "رئيس الفرع العميد مصطقى جهاد بكور\n"

    scanned = [f for f in extract_page(text, Gazetteer(registry), ocr=True)
               if f.kind == "person"]
    typed = [f for f in extract_page(text, Gazetteer(registry)) if f.kind == "person"]

    assert [(f.text, f.entity_id) for f in scanned] == [("مصطقى جهاد بكور", 7)]
    assert scanned[0].attributes["ocr_read_as"]["registry"] == "مصطفى جهاد بكور"
    assert "after_rank" not in scanned[0].attributes
    # on a typed page the name the registry spells is the one written
    assert [(f.text, f.entity_id) for f in typed] == [("جهاد بكور", 8)]
    assert "after_rank" not in typed[0].attributes
    # and on a scan where the whole name is another man's, the exact match stands
    exact = [f for f in extract_page("رئيس الفرع العميد جهاد بكور\n", Gazetteer(registry),
                                     ocr=True) if f.kind == "person"]
    assert [(f.text, f.entity_id) for f in exact] == [("جهاد بكور", 8)]


def test_a_detainee_with_an_officer_like_name_is_not_linked_loosely() -> None:
    # only rank-introduced names are read loosely: a detainee's name is not an officer's
    text = "الموقوف خاد مصطقى مدان\n"

    persons = [f for f in extract_page(text, Gazetteer(REGISTRY), ocr=True)
               if f.kind == "person"]

    assert all(f.entity_id is None for f in persons)


def test_the_post_of_a_loosely_read_officer_is_proposed_with_less_confidence() -> None:
    text = "التاريخ: ٢٠١٢/٥/١\nرئيس الفرع ٢١٥ العميد {}\n"
    confidences = []
    for name in ("خالد مصطفى حمدان", "خاد مصطقى مدان"):  # as typed, and as OCR read it
        page = text.format(name)
        found = extract_page(page, Gazetteer(REGISTRY), ocr=True)
        context = ItemContext()
        context.update(found)
        [holds] = [d for d in propose_claims(page, found, context, item_id=1, page_number=1,
                                              actor="test") if d.predicate == "holds_post"]
        assert (holds.subject_id, holds.object_id) == (1, 5)
        confidences.append(holds.confidence)

    assert confidences[1] < confidences[0]
