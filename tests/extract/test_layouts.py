"""Claims and detainees as DOCX, HTML, PDF and OCR text lay them out: blank lines between
paragraphs, a name wrapped onto the next line, a date label read by OCR with letters lost."""

from __future__ import annotations

from dossier.extract import Gazetteer, ItemContext, Named, extract_page, propose_claims

REGISTRY = [
    Named(1, "person", "Walid al-Said"),
    Named(1, "person", "وليد السعيد"),
    Named(2, "person", "Suleiman Othman"),
    Named(3, "unit", "branche 251", number="251"),
    Named(3, "unit", "Branch 251", number="251"),
    Named(3, "unit", "الفرع ٢٥١", number="251"),
    Named(4, "person", "Maher Taha"),
    Named(5, "person", "Amina al-Khalil"),
    Named(5, "person", "AL-KHALIL Amina"),  # family first, as French lists write it
    Named(6, "person", "مازن الشامي"),
]


def _claims(text: str, *, ocr: bool = False) -> list[tuple[int, str, int | None, str | None]]:
    found = extract_page(text, Gazetteer(REGISTRY), ocr=ocr)
    context = ItemContext()
    context.update(found)
    drafts = propose_claims(text, found, context, item_id=1, page_number=1, actor="test")
    return [(d.subject_id, d.role or "", d.object_id, d.valid_from) for d in drafts
            if d.predicate == "holds_post"]


def test_a_signature_block_with_blank_lines_between_its_paragraphs() -> None:
    # what the HTML and DOCX extractors give: one blank line between paragraphs
    text = ("branche 251\n\nDate: 24/02/2014\n\nListe des détenus\n\n"
            "Chef de la branche\n\nGénéral de division Walid AL-SAÏD\n")
    assert _claims(text) == [(1, "head", 3, "2014-02-24")]


def test_a_rank_at_the_end_of_a_line_and_the_name_on_the_next() -> None:
    text = ("Case summary\nPrepared on June 25, 2014\n"
            "He was held at Branch 251 on May 26, 2014. At that\n"
            "time Branch 251 was headed by Brigadier General\nSuleiman Othman.\n")
    found = extract_page(text, Gazetteer(REGISTRY))
    officer = next(f for f in found if f.kind == "person")
    assert (officer.entity_id, officer.attributes["rank"]) == (2, "Brigadier General")
    assert _claims(text) == [(2, "head", 3, "2014-05-26")]


def test_a_rank_ending_a_line_does_not_take_a_heading_below_it() -> None:
    found = extract_page("Rank: Brigadier General\nThe detainee was moved.\n",
                         Gazetteer(REGISTRY))
    assert not [f for f in found if f.kind == "person"]


def test_a_detainee_named_at_the_start_of_a_wrapped_line_is_not_linked() -> None:
    text = ("On the basis of the information available, the person named\n"
            "Maher Taha, born in 1986, is to be arrested.\n")
    person = next(f for f in extract_page(text, Gazetteer(REGISTRY)) if f.kind == "person")
    assert person.entity_id is None and person.attributes["context"] == "detainee"


def test_a_numbered_row_whose_dash_a_pdf_put_before_the_number() -> None:
    text = "وهم:\n-١ وليد السعيد\n"
    person = next(f for f in extract_page(text, Gazetteer(REGISTRY)) if f.kind == "person")
    assert person.entity_id is None and person.attributes["context"] == "detainee"


def test_a_numbered_list_of_ranked_officers_links_them() -> None:
    # a rank makes the row an officer's, on a typed page as on a scan
    for row in ("١- العميد وليد السعيد", "2. Brigadier General Walid al-Said, head of branch"):
        [officer] = [f for f in extract_page(f"{row}\n", Gazetteer(REGISTRY))
                     if f.kind == "person"]
        assert officer.entity_id == 1 and "context" not in officer.attributes, row


def test_on_an_ocr_page_a_row_whose_number_was_misread_still_holds_a_detainee() -> None:
    # the row numbers ١١ and ١٦ of a scanned table read as signs: '"' and '1"'
    for row in ('" جميل وليد السعيد هبة ١٩٧٨ حماة', '1" وليد السعيد مريم ١٩٦٤ القنيطرة',
                "U وليد السعيد لينا ١٩٦٦ دمشق"):
        [scanned] = [f for f in extract_page(f"{row}\n", Gazetteer(REGISTRY), ocr=True)
                     if f.kind == "person"]
        assert scanned.entity_id is None and scanned.attributes["context"] == "detainee", row
    # the same signs before an officer's name on a typed page are not read as a row's number
    [typed] = [f for f in extract_page('" وليد السعيد\n', Gazetteer(REGISTRY))
               if f.kind == "person"]
    assert typed.entity_id == 1
    # and an officer on a scan stays linked: signed, listed after a sign, in Latin script
    for line in ("رئيس الفرع\nالعميد وليد السعيد", "- العميد وليد السعيد، رئيس الفرع",
                 "• العميد وليد السعيد", "To: Brigadier Walid al-Said",
                 "By order of Walid al-Said", "Le général Walid al-Said"):
        [officer] = [f for f in extract_page(f"{line}\n", Gazetteer(REGISTRY), ocr=True)
                     if f.kind == "person"]
        assert officer.entity_id == 1, line


def test_on_an_ocr_page_a_date_label_with_letters_lost_still_dates_the_document() -> None:
    text = "الفرع ٢٥١\nالتارج: ٢٠١٢/٥/١\nأمر توقيف\nرئيس الفرع\nالعميد وليد السعيد\n"
    assert _claims(text, ocr=True) == [(1, "head", 3, "2012-05-01")]
    assert _claims(text) == []  # a text layer is not misread: no such label there


def _persons(text: str) -> list[tuple[str, int | None, str | None]]:
    return [(f.text, f.entity_id, f.attributes.get("context"))
            for f in extract_page(text, Gazetteer(REGISTRY)) if f.kind == "person"]


def test_a_name_across_two_cells_of_a_detainee_table_is_no_person() -> None:
    # the detainee's family name and his mother's first name, in reverse order the name of an
    # officer: a PDF's text layer joins the cells with a space, a DOCX's or XLSX's with a tab
    assert _persons("N° Nom Mère Né en\n4 Riad AL-KHALIL Amina 1946 Rif Dimachq\n") == []
    assert _persons("N°\tNom\tMère\tNé en\n4\tRiad AL-KHALIL\tAmina\t1946\n") == []
    # the officer's name alone in the name column stays a candidate for resolution
    assert _persons("4 AL-KHALIL Amina 1946\n") == [("AL-KHALIL Amina", None, "detainee")]


def test_a_registry_name_ending_a_detainee_s_longer_name_is_his_forefathers() -> None:
    # Rami, son of Abdullah, son of Mazen al-Shami: not the officer Mazen al-Shami
    assert _persons("اسم الموقوف: رامي عبد الله مازن الشامي\n") == []
    assert _persons("م,الاسم الثلاثي,اسم الأم\n٢,رامي مازن الشامي,ليلى,١٩٧٢\n") == []
    # where nothing says the name is a detainee's, the registry's man is named
    assert _persons("وقع الأمر مازن الشامي\n") == [("مازن الشامي", 6, None)]
    assert _persons("٣ - العميد مازن الشامي\n")[0][0] == "مازن الشامي"
