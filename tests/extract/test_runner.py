"""`extract()` over a workspace, on every backend: mentions, claims, incremental, resumable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from dossier.extract import extract
from dossier.extract import runner as extract_runner
from dossier.ingest.pipeline import IngestOptions, ingest
from dossier.registry.entities import add_entity
from dossier.store.schema import (
    claim_sources,
    claims,
    failures,
    items,
    mentions,
    page_extractions,
    pages,
)

ORDER_AR = """الجمهورية العربية السورية
إدارة المخابرات العامة
الفرع ٢٥١
الرقم: ٢٦٦٠/ص
التاريخ: ٤ آذار ٢٠١٢
أمر توقيف
يطلب توقيف المدعو سامر يوسف الخطيب وسوقه إلى فرع الخطيب للتحقيق.
رئيس الفرع
العميد جميل حسن
"""
REPORT_EN = """Syrian Arab Republic
Military Hospital 601
Ref.: 1234/S
Date: March 5, 2012
Death report
Body number: 4521/251
Referred by: Branch 251
Hospital Director
Colonel Hassan Saleh
"""
SUMMARY_FR = """Note de synthèse
Établie le 20 avril 2012
Il était détenu à la branche 251 le 04/03/2012. À cette date, la branche 251 était
dirigée par le général de brigade Jamil HASSAN.
"""


def _registry(workspace) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with workspace.engine.begin() as conn:
        agency = add_entity(conn, "unit", "General Intelligence Directorate", unit_type="agency",
                            names=["إدارة المخابرات العامة", "Direction générale du renseignement"])
        branch = add_entity(conn, "unit", "Branch 251", unit_type="branch", number="251",
                            parent_id=agency, names=["فرع الخطيب", "al-Khatib branch"])
        hospital = add_entity(conn, "facility", "Military Hospital 601", unit_type="hospital",
                              names=["المشفى العسكري ٦٠١"])
        jamil = add_entity(conn, "person", "Jamil Hassan", names=["جميل حسن"])
        hassan = add_entity(conn, "person", "Hassan Saleh", names=["حسن صالح"])
    return {"agency": agency, "branch": branch, "hospital": hospital, "jamil": jamil,
            "hassan": hassan}


def _ingest(workspace, folder: Path, files: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    ingest(workspace, IngestOptions(collection="leak", paths=[folder], workers=1))


def _count(workspace, table) -> int:  # type: ignore[no-untyped-def]
    with workspace.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_mentions_are_linked_and_a_signature_proposes_a_dated_post(workspace, tmp_path) -> None:
    ids = _registry(workspace)
    _ingest(workspace, tmp_path / "leak", {"order.txt": ORDER_AR, "report.txt": REPORT_EN,
                                           "summary.txt": SUMMARY_FR})
    report = extract(workspace)
    assert report.pages == 3 and report.failed_pages == 0
    assert report.mentions["person"] >= 3 and report.mentions["date"] >= 4
    with workspace.engine.connect() as conn:
        rows = conn.execute(select(mentions)).all()
        by_text = {(m.kind, m.text): m for m in rows}
        signer = by_text[("person", "جميل حسن")]
        assert signer.entity_id == ids["jamil"] and signer.extractor == "gazetteer"
        assert json.loads(signer.attributes)["rank"] == "Brigadier General"
        assert by_text[("unit", "الفرع ٢٥١")].entity_id == ids["branch"]
        assert by_text[("unit", "فرع الخطيب")].entity_id == ids["branch"]
        assert by_text[("unit", "إدارة المخابرات العامة")].entity_id == ids["agency"]
        assert by_text[("facility", "Military Hospital 601")].entity_id == ids["hospital"]
        assert by_text[("date", "٤ آذار ٢٠١٢")].value == "2012-03-04"
        assert by_text[("ref", "٢٦٦٠/ص")].value == "2660/ص"
        assert by_text[("detainee_number", "4521/251")].value == "4521/251"
        # the detainee's name is no one the registry knows: not a person of the registry
        assert not any(m.text == "سامر يوسف الخطيب" and m.entity_id for m in rows)
        text = conn.execute(select(pages.c.text).where(pages.c.id == signer.page_id)).scalar()
        assert text[signer.char_start:signer.char_end] == "جميل حسن"

        posts = {(c.subject_id, c.object_id, c.role, c.valid_from, c.valid_to,
                  c.time_precision, c.status): c.id
                 for c in conn.execute(select(claims).where(claims.c.predicate == "holds_post"))}
        # the signature, dated with the document, and the French statement, dated with the
        # sentence before it: the same fact from two documents is one claim with two sources
        signature = (ids["jamil"], ids["branch"], "head", "2012-03-04", "2012-03-04", "within",
                     "proposed")
        hospital = (ids["hassan"], ids["hospital"], "head", "2012-03-05", "2012-03-05",
                    "within", "proposed")
        assert signature in posts and hospital in posts
        quotes = {s.quote for s in conn.execute(select(claim_sources)
                                                .where(claim_sources.c.claim_id
                                                       == posts[signature]))}
        assert "رئيس الفرع العميد جميل حسن" in quotes
        assert any("dirigée par le général de brigade Jamil HASSAN" in q for q in quotes)
        ranks = conn.execute(select(claims.c.value).where(
            claims.c.predicate == "has_rank", claims.c.subject_id == ids["hassan"])).scalars()
        assert list(ranks) == ["Colonel"]


def test_extraction_is_incremental_and_a_new_version_replaces_without_duplicates(
        workspace, tmp_path, monkeypatch) -> None:
    _registry(workspace)
    _ingest(workspace, tmp_path / "leak", {"order.txt": ORDER_AR})
    first = extract(workspace)
    assert first.pages == 1
    mentions_before = _count(workspace, mentions)
    claims_before = _count(workspace, claims)
    assert extract(workspace).pages == 0  # nothing new
    _ingest(workspace, tmp_path / "more", {"report.txt": REPORT_EN})
    second = extract(workspace)
    assert second.pages == 1  # only the new page
    assert _count(workspace, mentions) > mentions_before

    # a link that resolution made on an unlinked mention survives a re-extraction
    with workspace.engine.begin() as conn:
        unlinked = conn.execute(select(mentions.c.id).where(
            mentions.c.kind == "ref", mentions.c.entity_id.is_(None))).scalars().first()
        linked_to = add_entity(conn, "person", "Someone Resolved")
        conn.execute(update(mentions).where(mentions.c.id == unlinked)
                     .values(entity_id=linked_to, link_score=0.8))
    total = _count(workspace, mentions)
    newer = extract_runner.EXTRACTOR_VERSION + 1
    monkeypatch.setattr(extract_runner, "EXTRACTOR_VERSION", newer)
    third = extract(workspace)
    assert third.pages == 2
    assert _count(workspace, mentions) == total
    assert _count(workspace, claims) >= claims_before
    with workspace.engine.connect() as conn:
        versions = set(conn.scalars(select(page_extractions.c.version)))
        kept = conn.execute(select(mentions.c.entity_id).where(mentions.c.id == unlinked))
        assert kept.scalar() == linked_to
    assert versions == {newer}


def test_a_run_stopped_midway_resumes_without_duplicates(workspace, tmp_path,
                                                         monkeypatch) -> None:
    _registry(workspace)
    _ingest(workspace, tmp_path / "leak", {"a.txt": ORDER_AR, "b.txt": REPORT_EN,
                                           "c.txt": SUMMARY_FR})
    real_write = extract_runner._write_batch
    calls = []

    def crash_on_second_batch(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the investigator's Ctrl-C, mid-transaction
        return real_write(*args, **kwargs)

    monkeypatch.setattr(extract_runner, "_write_batch", crash_on_second_batch)
    with pytest.raises(KeyboardInterrupt):
        extract(workspace, batch_size=1)
    assert _count(workspace, page_extractions) == 1
    monkeypatch.setattr(extract_runner, "_write_batch", real_write)
    resumed = extract(workspace, batch_size=1)
    assert resumed.pages == 2
    with workspace.engine.connect() as conn:
        duplicates = conn.execute(
            select(mentions.c.page_id, mentions.c.char_start, mentions.c.char_end,
                   mentions.c.kind, func.count()).group_by(
                mentions.c.page_id, mentions.c.char_start, mentions.c.char_end,
                mentions.c.kind).having(func.count() > 1)).all()
        sources = conn.execute(select(claim_sources.c.key, func.count())
                               .group_by(claim_sources.c.key).having(func.count() > 1)).all()
    assert duplicates == [] and sources == []
    assert _count(workspace, page_extractions) == 3


def test_a_bad_page_is_recorded_and_the_run_goes_on(workspace, tmp_path, monkeypatch) -> None:
    _registry(workspace)
    _ingest(workspace, tmp_path / "leak", {"a.txt": ORDER_AR, "b.txt": REPORT_EN})
    real = extract_runner.extract_page

    def fail_on_english(text, gazetteer, **options):  # type: ignore[no-untyped-def]
        if "Death report" in text:
            raise ValueError("unreadable page")
        return real(text, gazetteer, **options)

    monkeypatch.setattr(extract_runner, "extract_page", fail_on_english)
    report = extract(workspace)
    assert (report.pages, report.failed_pages) == (1, 1)
    with workspace.engine.connect() as conn:
        failure = conn.execute(select(failures).where(failures.c.stage == "extract")).one()
    assert failure.path.endswith("b.txt#page=1") and "unreadable page" in failure.message
    assert failure.resolved_at is None
    # the next run tries the page again; once it works, the failure is resolved
    monkeypatch.setattr(extract_runner, "extract_page", real)
    again = extract(workspace)
    assert (again.pages, again.failed_pages) == (1, 0)
    with workspace.engine.connect() as conn:
        assert conn.execute(select(failures.c.resolved_at)
                            .where(failures.c.stage == "extract")).scalar() is not None


def test_a_claim_a_person_rejected_stays_rejected_when_extraction_runs_again(
        workspace, tmp_path, monkeypatch) -> None:
    _registry(workspace)
    _ingest(workspace, tmp_path / "leak", {"order.txt": ORDER_AR})
    extract(workspace)
    with workspace.engine.begin() as conn:
        conn.execute(update(claims).values(status="rejected"))
    monkeypatch.setattr(extract_runner, "EXTRACTOR_VERSION", extract_runner.EXTRACTOR_VERSION + 2)
    extract(workspace)
    with workspace.engine.connect() as conn:
        assert set(conn.scalars(select(claims.c.status))) == {"rejected"}


def test_a_page_read_by_ocr_tolerates_a_misread_word_of_a_unit_name(workspace, tmp_path) -> None:
    ids = _registry(workspace)
    misread = "إدارة الخابرات العامة\nالفرع ٢٥١\n"  # the م of the ligature لم dropped
    _ingest(workspace, tmp_path / "leak", {"scan.txt": misread, "typed.txt": misread + "\n"})
    with workspace.engine.begin() as conn:
        scan = conn.execute(select(pages.c.id).join(items, items.c.id == pages.c.item_id)
                            .where(items.c.path.like("%scan.txt"))).scalar_one()
        conn.execute(update(pages).where(pages.c.id == scan).values(method="ocr"))
    extract(workspace)
    with workspace.engine.connect() as conn:
        agency = {(m.page_id, m.text): m for m in conn.execute(
            select(mentions).where(mentions.c.entity_id == ids["agency"]))}
    assert list(agency) == [(scan, "إدارة الخابرات العامة")]  # not on the typed page
    assert json.loads(agency[(scan, "إدارة الخابرات العامة")].attributes)["ocr_read_as"] == {
        "written": "الخابرات", "registry": "مخابرات"}


def test_a_mention_a_person_judged_survives_rules_that_no_longer_find_it(
        workspace, tmp_path, monkeypatch) -> None:
    from dossier.registry.judgements import record_judgement

    ids = _registry(workspace)
    _ingest(workspace, tmp_path / "leak", {"order.txt": ORDER_AR})
    extract(workspace)
    with workspace.engine.begin() as conn:
        judged, unjudged = conn.scalars(select(mentions.c.id).order_by(mentions.c.id)).all()[:2]
        # As if the old rules had found these two spans and the new ones do not.
        for mention_id in (judged, unjudged):
            conn.execute(update(mentions).where(mentions.c.id == mention_id)
                         .values(char_start=10_000 + mention_id, char_end=10_001 + mention_id))
        record_judgement(conn, f"m:{judged}", f"e:{ids['jamil']}", "not_same",
                         author="analyst", reason="checked against the scan")
    monkeypatch.setattr(extract_runner, "EXTRACTOR_VERSION", extract_runner.EXTRACTOR_VERSION + 1)
    extract(workspace)
    with workspace.engine.connect() as conn:
        left = set(conn.scalars(select(mentions.c.id).where(mentions.c.id.in_([judged,
                                                                               unjudged]))))
    assert left == {judged}
