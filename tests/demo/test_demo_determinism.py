"""The same seed gives the same bytes, file for file; another seed gives another leak."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from dossier.demo import generate_leak


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_gives_identical_files(leak: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    out, truth = leak
    again = generate_leak(tmp_path, docs=truth["docs"], seed=truth["seed"])
    assert _hashes(tmp_path) == _hashes(out)  # every file, truth.json included
    assert again == truth


def test_another_seed_gives_another_leak(leak: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    out, truth = leak
    other = generate_leak(tmp_path, docs=truth["docs"], seed=truth["seed"] + 1)
    ours = {f["sha256"] for f in truth["files"] if f["size"]}
    theirs = {f["sha256"] for f in other["files"] if f["size"]}
    # Only the content-free broken files (the bomb) may coincide.
    assert len(ours & theirs) <= 1
    assert other["world"]["persons"] != truth["world"]["persons"]


def test_progress_is_reported_for_every_file(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    generate_leak(
        tmp_path, docs=12, seed=3, progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(n, 12) for n in range(1, 13)]


@pytest.mark.parametrize("docs", [25])
def test_born_digital_only_makes_text_pdfs(tmp_path: Path, docs: int) -> None:
    truth = generate_leak(tmp_path, docs=docs, seed=5, born_digital_only=True)
    assert len(truth["files"]) == docs
    for record in truth["files"]:
        assert record["media_type"] == "pdf" and record["producer"] == "dossier-fast"
        document = pdfium.PdfDocument((tmp_path / "leak" / record["path"]).read_bytes())
        assert "SYNTHETIC" in document[0].get_textpage().get_text_range()
        document.close()


def test_workers_do_not_change_the_bytes(tmp_path: Path) -> None:
    one = generate_leak(tmp_path / "one", docs=30, seed=4, born_digital_only=True)
    two = generate_leak(tmp_path / "two", docs=30, seed=4, born_digital_only=True, workers=2)
    assert one == two
    assert _hashes(tmp_path / "one") == _hashes(tmp_path / "two")
