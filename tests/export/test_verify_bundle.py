"""A bundle verifies anywhere, and fails precisely after each kind of tampering."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dossier.export.bundle import ExportResult, export_case
from dossier.export.verify_bundle import BundleReport, verify
from dossier.workspace import Workspace

from .helpers import build_case
from .tamper import extract, flip_byte, rebag, rezip


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[ExportResult, str]:
    """One bundle of the test case (SQLite), and the workspace's public key."""
    root = tmp_path_factory.mktemp("bundle")
    workspace = Workspace.init(root / "ws")
    try:
        built = build_case(workspace)
        result = export_case(workspace, built.case, root / "case.zip")
        return result, workspace.signer.public_key_hex
    finally:
        workspace.close()


@pytest.fixture
def bag(exported: tuple[ExportResult, str], tmp_path: Path) -> Path:
    """A private unzipped copy of the bundle, to alter."""
    return extract(exported[0].path, tmp_path / "unzipped")


def where(report: BundleReport) -> set[tuple[str, str]]:
    return {(problem.kind, problem.where) for problem in report.problems}


def original_of(bag: Path) -> Path:
    return next((bag / "data/originals").iterdir())


def test_a_good_bundle_verifies_as_zip_and_as_folder(exported, bag: Path) -> None:
    result, key = exported
    for target in (result.path, bag):
        report = verify(target, trusted_key=key)
        assert report.ok, report.problems
        assert report.public_key == key
        assert report.files == len(list(p for p in bag.rglob("*") if p.is_file())) - 2
        assert report.events > 0


def test_the_bundled_verifier_runs_alone_from_the_unzipped_bundle(exported, bag: Path) -> None:
    """`python3 verify_bundle.py bundle.zip` in a clean environment where importing Dossier
    would fail: the copy in the bundle must stand on its own."""
    result, key = exported
    copy = shutil.copy(result.path, bag.parent / "sent.zip")
    script = ("import runpy, sys; sys.modules['dossier'] = None; "
              "sys.argv = ['verify_bundle.py', *sys.argv[1:]]; "
              "runpy.run_path('verify_bundle.py', run_name='__main__')")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    done = subprocess.run([sys.executable, "-I", "-c", script, str(copy), "--trusted-key", key,
                           "--json"], cwd=bag, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["ok"] is True
    flip_byte(original_of(bag))
    done = subprocess.run([sys.executable, "-I", "-c", script, str(bag)], cwd=bag, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "the file was altered" in done.stdout


def test_one_flipped_byte_in_an_original_is_named(exported, bag: Path, tmp_path: Path) -> None:
    original = original_of(bag)
    flip_byte(original, offset=5)
    report = verify(rezip(bag, tmp_path / "flipped.zip"))
    name = f"data/originals/{original.name}"
    assert not report.ok
    assert where(report) == {("payload", name)}
    assert {p.message.split()[0] for p in report.problems} == {"sha256", "sha512"}


def test_an_original_altered_with_its_manifest_lines_breaks_the_signature(bag: Path) -> None:
    original = original_of(bag)
    flip_byte(original)
    rebag(bag)  # both manifests, Payload-Oxum and the tag manifests rewritten to match
    report = verify(bag)
    # the signed statement binds the manifests; the exhibit list and custody name the sha256
    assert where(report) == {("signature", "manifest-sha256.txt"),
                             ("signature", "manifest-sha512.txt"),
                             ("exhibit", f"data/originals/{original.name}")}


def test_a_removed_file_is_named(bag: Path) -> None:
    removed = next((bag / "data/text").iterdir())
    removed.unlink()
    report = verify(bag)
    name = f"data/text/{removed.name}"
    assert ("payload", name) in where(report)
    assert any("missing" in p.message for p in report.problems if p.where == name)
    assert ("oxum", "bag-info.txt") in where(report)


def test_an_added_file_is_named(bag: Path) -> None:
    (bag / "data/originals/extra.txt").write_text("planted")
    report = verify(bag)
    assert where(report) == {("payload", "data/originals/extra.txt"), ("oxum", "bag-info.txt")}


def test_an_edited_custody_event_is_named_by_its_sequence_number(bag: Path) -> None:
    events_path = bag / "data/custody/events.jsonl"
    events = [json.loads(line) for line in events_path.read_text().splitlines()]
    target = next(e for e in events if e.get("action") == "acquired")
    target["actor"] = "someone else"
    events_path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events))
    rebag(bag)
    report = verify(bag)
    custody = [p for p in report.problems if p.kind == "custody"]
    assert [p.where.split(" (")[0] for p in custody] == [f"event {target['seq']}"]
    assert "was altered" in custody[0].message


def test_an_event_rehashed_after_editing_fails_its_proof(bag: Path) -> None:
    from dossier.export.verify_bundle import canonical_json, event_hash

    events_path = bag / "data/custody/events.jsonl"
    events = [json.loads(line) for line in events_path.read_text().splitlines()]
    target = next(e for e in events if e.get("action") == "exported")
    target["details"]["bundle"] = "another.zip"
    target["hash"] = event_hash(target, canonical_json(target["details"]))
    events_path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events))
    rebag(bag)
    report = verify(bag)
    assert ("proof", f"event {target['seq']} (data/custody/events.jsonl line "
                     f"{events.index(target) + 1})") in where(report)


def test_a_replaced_public_key_fails_the_signature(bag: Path) -> None:
    other = Ed25519PrivateKey.generate().public_key()
    from dossier.custody.signing import public_hex

    signed = json.loads((bag / "signature.json").read_text())
    signed["public_key"] = public_hex(other)
    (bag / "signature.json").write_text(json.dumps(signed))
    (bag / "data/custody/public-key.txt").write_text(public_hex(other) + "\n")
    rebag(bag)
    report = verify(bag)
    kinds = where(report)
    assert ("signature", "signature.json") in kinds
    assert ("signature", "data/custody/tree.json") in kinds


def test_a_bundle_resigned_with_another_key_is_caught_by_the_trusted_key(exported, bag: Path
                                                                          ) -> None:
    report_html = bag / "data/report.html"
    report_html.write_text(report_html.read_text().replace("Torture", "Nothing"))
    rebag(bag, key=Ed25519PrivateKey.generate())
    assert verify(bag).ok  # consistent in itself: only the key someone trusts can tell
    report = verify(bag, trusted_key=exported[1])
    assert where(report) == {("key", "signature.json")}
    assert exported[1] in report.problems[0].message


def test_a_file_that_is_not_a_bundle_is_reported(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    report = verify(junk)
    assert not report.ok and report.problems[0].kind == "layout"
    with zipfile.ZipFile(tmp_path / "two.zip", "w") as archive:
        archive.writestr("a/bagit.txt", "x")
        archive.writestr("b/bagit.txt", "x")
    assert ("layout", str(tmp_path / "two.zip")) in where(verify(tmp_path / "two.zip"))


def test_malformed_custody_files_are_reported_not_crashed_on(bag: Path) -> None:
    events_path = bag / "data/custody/events.jsonl"
    lines = events_path.read_text().splitlines()
    events_path.write_text("\n".join(["{not json", '{"seq": "x"}', *lines[1:]]) + "\n")
    (bag / "data/custody/proofs.json").write_text('{"proofs": {"2": {"index": 1, '
                                                  '"path": ["zz"]}}}')
    rebag(bag)
    report = verify(bag)
    assert not report.ok
    unreadable = [p for p in report.problems if "unreadable" in p.message]
    assert [p.where for p in unreadable][:2] == ["data/custody/events.jsonl line 1",
                                                 "data/custody/events.jsonl line 2"]
