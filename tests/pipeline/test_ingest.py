"""Ingest end to end on every backend: preservation, duplicates, quarantine, search, resume."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dossier.custody.verify import verify
from dossier.ingest.pipeline import IngestError, IngestOptions, ingest
from dossier.status import workspace_status
from dossier.store.schema import items, pages, sightings

from .files import write_corpus


def _ingest(workspace, paths: list[Path], **options) -> object:
    return ingest(workspace, IngestOptions(collection="leak", paths=paths, workers=2, **options))


def test_a_leak_is_preserved_extracted_and_searchable(workspace, tmp_path: Path) -> None:
    files = write_corpus(tmp_path / "leak")
    progress = _ingest(workspace, [tmp_path / "leak"], acquired_from="a defector",
                       note="USB stick")
    assert progress.files_seen == len(files)

    status = workspace_status(workspace)
    assert status.duplicate_sightings == 1  # order-copy.txt
    kinds = {failure["kind"] for failure in status.failures}
    assert {"empty", "corrupt", "unsupported"} <= kinds
    assert all(failure["message"] for failure in status.failures)
    assert {failure["path"] for failure in status.failures} >= {
        "leak/broken/empty.pdf", "leak/broken/truncated.pdf", "leak/broken/unknown.bin"}
    assert status.pages == status.indexed_pages > 0

    # every original is stored bit for bit under its hash, read-only
    with workspace.engine.connect() as conn:
        stored = conn.execute(select(items.c.sha256, items.c.path)).all()
    for sha256, _path in stored:
        blob = workspace.blobs.path(sha256)
        assert blob.is_file()
        assert not blob.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    paths = {path for _, path in stored}
    assert "leak/archives/bundle.zip!/nested.zip!/deep/memo.txt" in paths
    assert "leak/archives/telegrams.tar.gz!/telegrams/t1.txt" in paths

    hits = workspace.index.search("٢٥١ الخطيب").hits
    assert [hit.path for hit in hits] == ["leak/gid/251/order.txt"]
    memo = workspace.index.search("interrogation").hits
    assert memo[0].path.endswith("deep/memo.txt") and memo[0].page == 1

    report = verify(workspace)
    assert report.ok, report.problems


def test_partial_copies_left_by_a_killed_run_are_discarded(workspace, tmp_path: Path) -> None:
    leftover = workspace.blobs.root / "tmp" / "4242-0"
    leftover.write_bytes(b"half of an original")
    write_corpus(tmp_path / "leak")
    _ingest(workspace, [tmp_path / "leak"])
    assert not leftover.exists()
    assert list((workspace.blobs.root / "tmp").iterdir()) == []


def test_running_again_adds_nothing(workspace, tmp_path: Path) -> None:
    write_corpus(tmp_path / "leak")
    _ingest(workspace, [tmp_path / "leak"])
    before = _counts(workspace)
    _ingest(workspace, [tmp_path / "leak"])
    assert _counts(workspace) == before


def test_the_same_bytes_in_another_place_are_a_sighting(workspace, tmp_path: Path) -> None:
    write_corpus(tmp_path / "leak")
    _ingest(workspace, [tmp_path / "leak"])
    other = tmp_path / "second-source"
    other.mkdir()
    (other / "renamed.txt").write_bytes((tmp_path / "leak/mi/215/report.txt").read_bytes())
    before = _counts(workspace)
    _ingest(workspace, [other], acquired_from="a journalist")
    after = _counts(workspace)
    assert after["items"] == before["items"]
    assert after["sightings"] == before["sightings"] + 1
    assert after["pages"] == before["pages"]


def test_retry_failed_tries_again_and_resolves(workspace, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "later.txt").write_bytes(b"")
    _ingest(workspace, [folder])
    assert [f["kind"] for f in workspace_status(workspace).failures] == ["empty"]
    ingest(workspace, IngestOptions(collection="leak", retry_failed=True, workers=1))
    failures = workspace_status(workspace).failures
    assert failures[0]["attempts"] == 2  # still empty: tried again, recorded again


def test_missing_path_and_unknown_collection_are_clear_errors(workspace, tmp_path) -> None:
    with pytest.raises(IngestError, match="no such file or folder"):
        _ingest(workspace, [tmp_path / "nowhere"])
    with pytest.raises(IngestError, match="no collection named"):
        ingest(workspace, IngestOptions(collection="nope", retry_failed=True))


def test_verify_reports_a_flipped_byte_in_an_original(workspace, tmp_path: Path) -> None:
    write_corpus(tmp_path / "leak")
    _ingest(workspace, [tmp_path / "leak"])
    with workspace.engine.connect() as conn:
        item_id, sha256 = conn.execute(select(items.c.id, items.c.sha256)
                                       .where(items.c.path == "leak/mi/215/report.txt")).one()
    blob = workspace.blobs.path(sha256)
    os.chmod(blob, 0o644)
    data = bytearray(blob.read_bytes())
    data[5] ^= 0x01
    blob.write_bytes(bytes(data))
    report = verify(workspace)
    assert not report.ok
    assert [(p.kind, p.where) for p in report.problems] == [
        ("original", f"item {item_id} (leak/mi/215/report.txt)")]


def _counts(workspace) -> dict[str, int]:
    with workspace.engine.connect() as conn:
        counts = {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                  for name, table in (("items", items), ("pages", pages),
                                      ("sightings", sightings))}
    counts["indexed"] = workspace.index.count()
    return counts


def test_verify_reports_derived_text_edited_with_its_hash(workspace, tmp_path: Path) -> None:
    import hashlib

    from sqlalchemy import update

    write_corpus(tmp_path / "leak")
    _ingest(workspace, [tmp_path / "leak"])
    with workspace.engine.begin() as conn:
        item_id = conn.execute(select(items.c.id)
                               .where(items.c.path == "leak/mi/215/report.txt")).scalar_one()
        forged = "Transfer report: nobody was moved."
        conn.execute(update(pages).where(pages.c.item_id == item_id).values(
            text=forged, text_sha256=hashlib.sha256(forged.encode()).hexdigest()))
    report = verify(workspace)
    assert [(p.kind, p.where) for p in report.problems] == [("page", f"item {item_id}")]


def test_failed_items_keep_their_detected_type(workspace, tmp_path: Path) -> None:
    write_corpus(tmp_path / "leak")
    _ingest(workspace, [tmp_path / "leak"])
    with workspace.engine.connect() as conn:
        media_type = conn.execute(select(items.c.media_type)
                                  .where(items.c.path == "leak/broken/truncated.pdf")).scalar_one()
    assert media_type == "pdf"


def test_near_duplicates_are_grouped_and_different_texts_are_not(workspace, tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    order = ("أمر نقل موقوفين من الفرع ٢٥١ إلى سجن صيدنايا العسكري. نرسل إليكم برفقة الدورية "
             "الموقوف سامر يوسف الخطيب لمتابعة التحقيق معه حسب الأصول. رئيس الفرع العميد ")
    (folder / "order.txt").write_text(order + "خالد حسن", encoding="utf-8")
    (folder / "order-retyped.txt").write_text(order.replace("الدورية", "الدوريه") + "خالد حسن.",
                                              encoding="utf-8")
    (folder / "other.txt").write_text("Cable from the Palestine branch about a transfer of "
                                      "twelve detainees to the military hospital in Mezzeh, "
                                      "signed by the head of the branch.", encoding="utf-8")
    _ingest(workspace, [folder])
    with workspace.engine.connect() as conn:
        groups = dict(conn.execute(select(items.c.path, items.c.near_dup_group)).all())
    assert groups["in/order.txt"] == groups["in/order-retyped.txt"]
    assert groups["in/other.txt"] != groups["in/order.txt"]
    assert workspace_status(workspace).near_duplicate_groups == 1


def test_a_run_past_what_it_keeps_in_memory_still_groups_with_items_it_forgot(
        workspace, tmp_path, monkeypatch) -> None:
    from dossier.ingest import grouping, pipeline

    monkeypatch.setattr(pipeline, "WRITE_BATCH", 2)  # results written two at a time
    monkeypatch.setattr(grouping, "WRITE_EVERY", 4)
    monkeypatch.setattr(grouping, "KEEP_AT_MOST", 4)  # forgotten after every fourth item
    forgot = []
    forget = grouping.KnownSignatures._forget
    monkeypatch.setattr(grouping.KnownSignatures, "_forget",
                        lambda known: forgot.append(1) or forget(known))
    folder = tmp_path / "in"
    folder.mkdir()
    forms = {
        "order": "أمر نقل موقوفين من الفرع ٢٥١ إلى سجن صيدنايا العسكري برفقة الدورية لمتابعة "
                 "التحقيق معهم حسب الأصول، وإعلامنا بالنتيجة. رئيس الفرع العميد خالد حسن",
        "cable": "Cable from the Palestine branch about a transfer of twelve detainees to the "
                 "military hospital in Mezzeh, signed by the head of the branch on duty.",
        "report": "Rapport de la section des enquêtes sur les personnes arrêtées au poste de "
                  "contrôle de Homs, transmis au chef de la branche pour suite à donner.",
    }
    for copy in range(4):
        for name, text in forms.items():
            (folder / f"{name}-{copy}.txt").write_text(text + " " + "." * (copy + 1),
                                                       encoding="utf-8")
    _ingest(workspace, [folder])
    with workspace.engine.connect() as conn:
        groups = dict(conn.execute(select(items.c.path, items.c.near_dup_group)).all())
    assert forgot  # the run did forget what it had written, and asked the store after
    for name in forms:
        assert len({groups[f"in/{name}-{copy}.txt"] for copy in range(4)}) == 1
    assert len(set(groups.values())) == 3


def test_fingerprints_a_killed_run_had_not_written_are_computed_again(workspace, tmp_path
                                                                      ) -> None:
    from sqlalchemy import delete

    from dossier.ingest.grouping import restore_lost_fingerprints
    from dossier.store.schema import item_signatures, neardup_keys

    write_corpus(tmp_path / "leak")
    _ingest(workspace, [tmp_path / "leak"])
    with workspace.engine.begin() as conn:
        written = dict(conn.execute(select(item_signatures.c.item_id,
                                           item_signatures.c.signature)).all())
        keys = sorted(conn.execute(select(neardup_keys.c.key, neardup_keys.c.item_id)).all())
        assert restore_lost_fingerprints(conn) == 0
        lost = sorted(written)[::2]
        conn.execute(delete(neardup_keys).where(neardup_keys.c.item_id.in_(lost)))
        conn.execute(delete(item_signatures).where(item_signatures.c.item_id.in_(lost)))
        assert restore_lost_fingerprints(conn) == len(lost) > 0
        assert dict(conn.execute(select(item_signatures.c.item_id,
                                        item_signatures.c.signature)).all()) == written
        assert sorted(conn.execute(select(neardup_keys.c.key, neardup_keys.c.item_id)).all()
                      ) == keys


def test_reindex_rebuilds_the_index_from_the_store(workspace, tmp_path: Path) -> None:
    import shutil

    from dossier.ingest.indexing import reindex

    write_corpus(tmp_path / "leak")
    _ingest(workspace, [tmp_path / "leak"])
    before = [(hit.path, hit.page) for hit in workspace.index.search("branch").hits]
    workspace.close()
    shutil.rmtree(workspace.index_dir)
    assert workspace.index.search("branch").total == 0
    assert reindex(workspace) == workspace_status(workspace).pages
    assert sorted(before) == sorted((hit.path, hit.page)
                                    for hit in workspace.index.search("branch").hits)


def test_a_second_ingest_at_the_same_time_is_refused_clearly(workspace, tmp_path) -> None:
    from dossier.search import SearchIndex

    write_corpus(tmp_path / "leak")
    other_writer = SearchIndex(workspace.index_dir)
    other_writer.lock_for_writing()
    try:
        with pytest.raises(IngestError, match="another `dossier ingest` running"):
            _ingest(workspace, [tmp_path / "leak"])
    finally:
        other_writer.close()


def test_status_of_one_collection_counts_only_its_items(workspace, tmp_path: Path) -> None:
    write_corpus(tmp_path / "leak")
    _ingest(workspace, [tmp_path / "leak"])
    other = tmp_path / "other"
    other.mkdir()
    (other / "note.txt").write_text("A different source entirely.", encoding="utf-8")
    ingest(workspace, IngestOptions(collection="ngo", paths=[other], workers=1))
    whole, leak, ngo = (workspace_status(workspace, name) for name in (None, "leak", "ngo"))
    assert ngo.items == 1 and ngo.pages == 1 and ngo.failures == []
    assert leak.items + ngo.items == whole.items
    assert leak.pages + ngo.pages == whole.pages


def test_a_worker_that_dies_costs_only_its_own_file(workspace, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # A stand-in for a real crash: no input crashes pypdfium2 or Tesseract reliably, so the
    # worker function is wrapped to kill its own process (as a segfault would) on one file.
    # The pool forks after the patch, so its processes run the wrapper.
    from dossier.ingest import pipeline, worker

    real_run_job = worker.run_job

    def run_job(job, settings):  # type: ignore[no-untyped-def]
        if job.name.endswith("killer.txt"):
            os._exit(139)
        return real_run_job(job, settings)

    run_job.__module__, run_job.__qualname__ = worker.__name__, "run_job"
    monkeypatch.setattr(worker, "run_job", run_job)
    monkeypatch.setattr(pipeline, "run_job", run_job)
    files = write_corpus(tmp_path / "leak")
    (tmp_path / "leak" / "killer.txt").write_text("this file kills its worker")

    progress = _ingest(workspace, [tmp_path / "leak"])

    assert progress.files_seen == len(files) + 1
    failures = workspace_status(workspace).failures
    crashed = [f for f in failures if f["kind"] == "crash"]
    assert [f["path"] for f in crashed] == ["leak/killer.txt"]
    assert "died" in crashed[0]["message"]
    assert workspace.index.search("interrogation").hits  # the other files went through
    assert workspace.index.search("Saydnaya").hits


def test_a_pool_found_broken_when_handing_out_work_loses_no_file(workspace, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    # A stand-in for a timing no test can force: a worker died and the pool refuses new work
    # before any result has said so. Here the pool's third hand-out is refused that way.
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from dossier.ingest import pipeline

    handed_out = []

    class RefusesOnce(ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            handed_out.append(fn)
            if len(handed_out) == 3:
                raise BrokenProcessPool("a child process terminated abruptly")
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", RefusesOnce)
    files = write_corpus(tmp_path / "leak")

    progress = _ingest(workspace, [tmp_path / "leak"])

    assert len(handed_out) > 3
    assert progress.files_seen == len(files)
    assert not [f for f in workspace_status(workspace).failures if f["kind"] == "crash"]
    with workspace.engine.connect() as conn:
        pending = conn.execute(select(func.count()).select_from(items)
                               .where(items.c.status == "pending")).scalar_one()
    assert pending == 0
    assert workspace.index.search("interrogation").hits
    assert workspace.index.search("Saydnaya").hits


def _index_lock_files() -> list[str]:
    """The search index's lock files this process has open."""
    folder = Path("/proc/self/fd")
    found = []
    for entry in os.listdir(folder):
        try:
            target = os.readlink(folder / entry)
        except OSError:
            continue
        if Path(target).name.startswith(".tantivy-"):
            found.append(Path(target).name)
    return sorted(found)


def test_the_workers_do_not_keep_the_search_index_locked(workspace) -> None:
    # a worker forked while the index held a lock kept its copy of the lock file open, and
    # the ingest's next commit waited for it forever
    from dossier.ingest.pipeline import _started_pool

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("the open files of a process can be listed on Linux only")
    workspace.index.lock_for_writing()
    assert _index_lock_files()  # the writer's lock, open in this process
    pool = _started_pool(1)
    try:
        assert pool.submit(_index_lock_files).result() == []
    finally:
        pool.shutdown()
    assert _index_lock_files()
