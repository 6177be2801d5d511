"""The store of originals: content-addressed copies, written once, read-only."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from dossier import blobs
from dossier.blobs import BlobStore, BlobTooLarge


def _store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs", sync_each=False)


def _originals(root: Path) -> list[Path]:
    """The files of a store but its LAYOUT marker."""
    return [p for p in root.rglob("*") if p.is_file() and p != root / "LAYOUT"]


def test_a_file_is_stored_under_its_sha256_read_only(tmp_path: Path) -> None:
    source = tmp_path / "order.pdf"
    source.write_bytes(b"%PDF-1.4 an order")
    store = _store(tmp_path)
    sha256, size = store.put_file(source)
    assert sha256 == hashlib.sha256(b"%PDF-1.4 an order").hexdigest()
    assert size == len(b"%PDF-1.4 an order")
    stored = store.path(sha256)
    assert stored == tmp_path / "blobs" / sha256[:2] / sha256
    assert stored.read_bytes() == source.read_bytes()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o444
    assert list((tmp_path / "blobs" / "tmp").iterdir()) == []


def test_a_store_with_the_older_two_level_layout_keeps_it(tmp_path: Path) -> None:
    root = tmp_path / "blobs"
    old = hashlib.sha256(b"stored by an earlier version").hexdigest()
    (root / old[:2] / old[2:4]).mkdir(parents=True)
    (root / old[:2] / old[2:4] / old).write_bytes(b"stored by an earlier version")
    store = BlobStore(root, sync_each=False)
    assert store.hash_stored(old) == old
    (tmp_path / "new.txt").write_bytes(b"stored now")
    new, _ = store.put_file(tmp_path / "new.txt")
    assert store.path(new) == root / new[:2] / new[2:4] / new
    assert (root / "LAYOUT").read_text().strip() == "ab/cd"
    again = BlobStore(root, sync_each=False)  # the marker decides from now on
    assert again.path(new).read_bytes() == b"stored now" and again.exists(old)


def test_a_new_store_keeps_one_folder_per_first_byte_from_its_first_blob(tmp_path: Path
                                                                        ) -> None:
    root = tmp_path / "blobs"
    BlobStore(root, sync_each=False)
    (tmp_path / "a.txt").write_bytes(b"first")
    sha256, _ = BlobStore(root, sync_each=False).put_file(tmp_path / "a.txt")
    assert (root / "LAYOUT").read_text().strip() == "ab"
    assert BlobStore(root, sync_each=False).path(sha256) == root / sha256[:2] / sha256
    assert (root / sha256[:2] / sha256).is_file()


def test_the_same_bytes_twice_are_one_blob(tmp_path: Path) -> None:
    store = _store(tmp_path)
    (tmp_path / "a.txt").write_bytes(b"same")
    (tmp_path / "b.txt").write_bytes(b"same")
    first = store.put_file(tmp_path / "a.txt")
    modified = store.path(first[0]).stat().st_mtime_ns
    assert store.put_file(tmp_path / "b.txt") == first
    assert store.path(first[0]).stat().st_mtime_ns == modified  # not written again
    assert len(_originals(tmp_path / "blobs")) == 1


def test_a_file_larger_than_one_read_is_copied_as_a_stream(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setattr(blobs, "CHUNK", 1000)
    data = os.urandom(4321)
    (tmp_path / "big.bin").write_bytes(data)
    store = _store(tmp_path)
    sha256, size = store.put_file(tmp_path / "big.bin")
    assert (sha256, size) == (hashlib.sha256(data).hexdigest(), 4321)
    assert store.path(sha256).read_bytes() == data


@pytest.mark.parametrize("length", [10, 5000])  # under one read, and over it
def test_a_file_over_the_limit_is_refused_and_nothing_is_left(tmp_path: Path, length: int,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    monkeypatch.setattr(blobs, "CHUNK", 1000)
    (tmp_path / "over.bin").write_bytes(b"x" * length)
    store = _store(tmp_path)
    with pytest.raises(BlobTooLarge):
        store.put_file(tmp_path / "over.bin", max_bytes=length - 1)
    assert _originals(tmp_path / "blobs") == []


def test_an_empty_file_is_stored_too(tmp_path: Path) -> None:
    (tmp_path / "empty").write_bytes(b"")
    store = _store(tmp_path)
    sha256, size = store.put_file(tmp_path / "empty")
    assert (sha256, size) == (hashlib.sha256(b"").hexdigest(), 0)
    assert store.path(sha256).read_bytes() == b""
