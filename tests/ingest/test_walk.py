"""The walk: every file copied into the store in durable batches, by a thread that can be held."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dossier.blobs import BlobStore
from dossier.ingest import walk
from dossier.ingest.register import place_key
from dossier.ingest.walk import WalkBatch, Walker


def _leak(root: Path, count: int) -> Path:
    for number in range(count):
        folder = root / "leak" / f"box{number % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"doc{number:02d}.txt").write_text(f"document {number}", encoding="utf-8")
    return root / "leak"


def _all_batches(walker: Walker) -> list[WalkBatch]:
    batches = []
    deadline = time.monotonic() + 30
    while not walker.done and time.monotonic() < deadline:
        batch = walker.take(timeout=0.5)
        if batch is not None:
            batches.append(batch)
    return batches


def test_every_file_is_copied_once_in_batches(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(walk, "WALK_BATCH", 4)
    leak = _leak(tmp_path, 10)
    walker = Walker(tmp_path / "blobs", [leak], already=set()).start()
    batches = _all_batches(walker)
    walker.stop()

    assert walker.done
    assert [len(batch.found) for batch in batches] == [4, 4, 2]
    assert sum(batch.files_seen for batch in batches) == 10
    found = [item for batch in batches for item in batch.found]
    assert found[0].path == "leak/box0/doc00.txt"  # the path as received, in a stable order
    store = BlobStore(tmp_path / "blobs")
    for item in found:
        assert store.path(item.sha256).read_bytes() == (tmp_path / item.path).read_bytes()


def test_a_resumed_walk_skips_the_places_already_recorded(tmp_path: Path) -> None:
    leak = _leak(tmp_path, 6)
    already = {place_key("leak/box0/doc00.txt", None), place_key("leak/box1/doc01.txt", None)}
    walker = Walker(tmp_path / "blobs", [leak], already=already).start()
    batches = _all_batches(walker)
    walker.stop()

    paths = [item.path for batch in batches for item in batch.found]
    assert len(paths) == 4 and "leak/box0/doc00.txt" not in paths
    assert sum(batch.files_seen for batch in batches) == 6


def test_a_paused_walk_copies_nothing_until_it_goes_on(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(walk, "WALK_BATCH", 1)
    monkeypatch.setattr(walk, "BATCHES_AHEAD", 100)
    leak = _leak(tmp_path, 30)
    copied: list[Path] = []
    real_put_file = BlobStore.put_file

    def slow_put_file(self: BlobStore, source: Path, max_bytes: int | None = None
                      ) -> tuple[str, int]:
        time.sleep(0.01)
        copied.append(source)
        return real_put_file(self, source, max_bytes)

    monkeypatch.setattr(BlobStore, "put_file", slow_put_file)
    walker = Walker(tmp_path / "blobs", [leak], already=set()).start()
    time.sleep(0.05)
    with walker.paused():
        held_at = len(copied)
        time.sleep(0.2)
        assert len(copied) == held_at < 30
    batches = _all_batches(walker)
    walker.stop()
    assert len(copied) == 30
    assert len({item.path for batch in batches for item in batch.found}) == 30


def test_an_error_in_the_walk_reaches_the_caller(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_walk(paths: list[Path]):  # type: ignore[no-untyped-def]
        raise RuntimeError("the disk went away")
        yield  # pragma: no cover

    monkeypatch.setattr(walk, "iter_files", broken_walk)
    walker = Walker(tmp_path / "blobs", [tmp_path], already=set()).start()
    with pytest.raises(RuntimeError, match="the disk went away"):
        _all_batches(walker)
    walker.stop()


def test_a_file_that_cannot_be_read_is_reported_and_the_walk_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    leak = _leak(tmp_path, 3)
    real_put_file = BlobStore.put_file

    def put_file(self: BlobStore, source: Path, max_bytes: int | None = None
                 ) -> tuple[str, int]:
        if source.name == "doc01.txt":  # root reads any file: the error is raised here
            raise PermissionError(13, "Permission denied")
        return real_put_file(self, source, max_bytes)

    monkeypatch.setattr(BlobStore, "put_file", put_file)
    walker = Walker(tmp_path / "blobs", [leak], already=set()).start()
    batches = _all_batches(walker)
    walker.stop()
    unreadable = [entry for batch in batches for entry in batch.unreadable]
    assert [path for path, _ in unreadable] == ["leak/box1/doc01.txt"]
    assert "cannot be read" in unreadable[0][1] and "Permission denied" in unreadable[0][1]
    assert len([item for batch in batches for item in batch.found]) == 2
