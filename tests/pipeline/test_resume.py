"""A run killed with SIGKILL at any moment, then started again, ends with no duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from dossier.ingest.neardup import BANDS
from dossier.store.schema import (
    custody_events,
    item_signatures,
    items,
    neardup_keys,
    pages,
    sightings,
)

from .files import ORDER_AR, REPORT_EN


def _make_many_files(root: Path, count: int) -> None:
    for number in range(count):
        folder = root / f"box{number % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        text = (ORDER_AR if number % 2 else REPORT_EN) + f"\nreference {number} / file {number}\n"
        (folder / f"doc{number:04d}.txt").write_text(text * 20, encoding="utf-8")
    (root / "box0" / "same-as-doc0001.txt").write_bytes((root / "box1" / "doc0001.txt")
                                                        .read_bytes())


def _start(workspace_root: Path, leak: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "dossier.cli.main", "--workspace", str(workspace_root), "ingest",
         str(leak), "--collection", "leak", "--workers", "2", "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _item_count(workspace) -> int:
    with workspace.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(items)).scalar_one())


def _page_count(workspace) -> int:
    with workspace.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(pages)).scalar_one())


def _kill_when(process: subprocess.Popen[bytes], condition, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if condition():
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    raise AssertionError("the ingest never reached the point where it should be killed")


def test_kill_minus_nine_at_several_points_then_resume(workspace, tmp_path: Path) -> None:
    leak = tmp_path / "leak"
    _make_many_files(leak, 400)
    root = workspace.root

    # killed while walking, while extracting, and while indexing
    _kill_when(_start(root, leak), lambda: _item_count(workspace) >= 60)
    _kill_when(_start(root, leak), lambda: _page_count(workspace) >= 120)
    _kill_when(_start(root, leak), lambda: _page_count(workspace) >= 380)

    final = _start(root, leak)
    _, stderr = final.communicate(timeout=300)
    assert final.returncode == 0, stderr.decode()

    with workspace.engine.connect() as conn:
        item_rows = conn.execute(select(items.c.sha256, items.c.status, items.c.stage)).all()
        page_rows = conn.execute(select(pages.c.id, pages.c.item_id, pages.c.number)).all()
        sighting_count = conn.execute(select(func.count()).select_from(sightings)).scalar_one()
        acquired_events = conn.execute(select(func.count()).select_from(custody_events).where(
            custody_events.c.action == "acquired")).scalar_one()
        grouped = set(conn.execute(select(items.c.id).where(items.c.near_dup_group.is_not(None)))
                      .scalars())
        signed = set(conn.execute(select(item_signatures.c.item_id)).scalars())
        keys = dict(conn.execute(select(neardup_keys.c.item_id, func.count())
                                 .group_by(neardup_keys.c.item_id)).all())
    assert len(item_rows) == 400  # 401 files, one of them a copy
    assert len({row.sha256 for row in item_rows}) == 400
    assert {(row.status, row.stage) for row in item_rows} == {("ok", "indexed")}
    assert sighting_count == 401
    assert acquired_events == 400
    assert len({(row.item_id, row.number) for row in page_rows}) == len(page_rows) == 400
    # the fingerprints the killed runs had not written yet were computed again
    assert len(grouped) == 400 and signed == grouped
    assert keys == dict.fromkeys(grouped, BANDS)
    index = workspace.index
    index.commit()  # reload the reader
    assert index.count() == len(page_rows)
    assert index.page_ids() == {row.id for row in page_rows}
    from dossier.custody.verify import verify

    assert verify(workspace).ok
