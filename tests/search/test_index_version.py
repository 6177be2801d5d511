"""The index's analysis version, asked on every search by the server: read again whenever
another process rewrites it, even one that keeps an open index."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from dossier.search import SearchIndex

VERSION_FILE = "dossier-search.json"


def _age(path: Path, seconds: float) -> None:
    """Date the file `seconds` back, as a file written long ago."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_an_open_index_sees_another_process_rebuild_it(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    version = index.path / VERSION_FILE
    _age(version, 3600)
    assert not index.stale and not index.stale  # the second answer from what was read
    # another process marks it made by other rules (an older Dossier), then rebuilds it
    version.write_text(json.dumps({"analysis": 0}))
    _age(version, 1800)
    assert index.stale and index.stale
    SearchIndex(tmp_path / "index").clear()
    assert not index.stale
    index.close()


def test_a_version_rewritten_within_the_same_instant_is_read_again(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    version = index.path / VERSION_FILE
    stamp = version.stat().st_mtime_ns
    assert not index.stale
    version.write_text(json.dumps({"analysis": 0}))  # same size; maybe the same time stamp
    os.utime(version, ns=(stamp, stamp))
    assert index.stale
    index.close()


def test_a_missing_version_file_is_stale(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    assert not index.stale
    (index.path / VERSION_FILE).unlink()
    assert index.stale
    index.close()
