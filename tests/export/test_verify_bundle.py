"""A bundle verifies anywhere, and fails precisely after each kind of tampering."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import warnings
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
    forger = Ed25519PrivateKey.generate()
    rebag(bag, key=forger)
    from dossier.custody.signing import public_hex

    unconfirmed = verify(bag)  # consistent in itself: only the key someone trusts can tell
    assert unconfirmed.ok and not unconfirmed.key_confirmed
    assert unconfirmed.verdict == (
        f"bundle consistent: signed by key {public_hex(forger.public_key())} — not confirmed: "
        "compare it with the key the sender gave you by another channel, or pass --trusted-key")
    report = verify(bag, trusted_key=exported[1])
    assert where(report) == {("key", "signature.json")}
    assert exported[1] in report.problems[0].message
    assert not report.key_confirmed


def test_the_verdict_says_whether_the_key_was_confirmed(exported, tmp_path: Path) -> None:
    """Both verifiers, in words and in JSON: unconfirmed without --trusted-key (exit 0),
    confirmed with the sender's key."""
    from typer.testing import CliRunner

    from dossier.cli.main import app
    from dossier.export.verify_bundle import main

    result, key = exported
    confirmed = verify(result.path, trusted_key=key)
    assert confirmed.key_confirmed and confirmed.verdict.startswith("bundle verified")
    runner = CliRunner()
    done = runner.invoke(app, ["bundle", "verify", str(result.path)])
    assert done.exit_code == 0
    assert f"signed by key {key} — not confirmed" in " ".join(done.stdout.split())
    done = runner.invoke(app, ["bundle", "verify", str(result.path), "--json"])
    shown = json.loads(done.stdout)
    assert shown["ok"] is True and shown["key_confirmed"] is False
    assert "not confirmed" in shown["verdict"]
    done = runner.invoke(app, ["bundle", "verify", str(result.path), "--trusted-key", key,
                               "--json"])
    assert json.loads(done.stdout)["key_confirmed"] is True
    done = subprocess.run([sys.executable, str(Path(verify_bundle_file())), str(result.path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "not confirmed" in done.stdout
    assert main([str(result.path), "--trusted-key", key]) == 0


def verify_bundle_file() -> str:
    from dossier.export import verify_bundle

    return verify_bundle.__file__


FORGED_SIGNATURES = {
    "null": "null", "a list": "[]", "a string": '"x"', "an empty object": "{}",
    "no signer": '{"algorithm": "ed25519", "statement": {}, "signature": "00"}',
}


@pytest.mark.parametrize("signature", [*FORGED_SIGNATURES, "missing"])
def test_a_forged_bundle_without_a_usable_signature_fails(exported, bag: Path, tmp_path: Path,
                                                          signature: str) -> None:
    """The attack: alter an original, empty the custody events, rewrite every manifest, and
    replace signature.json by something that is not a signature. Even with no key to compare
    with, the bundle fails: an unsigned bundle is never taken as signed, and the custody of
    every exhibit is checked whatever the signature says."""
    original = original_of(bag)
    flip_byte(original)
    (bag / "data/custody/events.jsonl").write_text("")
    if signature == "missing":
        (bag / "signature.json").unlink()
    else:
        (bag / "signature.json").write_text(FORGED_SIGNATURES[signature])
    rebag(bag)
    forged = rezip(bag, tmp_path / "forged.zip")
    for report in (verify(forged), verify(forged, trusted_key=exported[1])):
        assert not report.ok
        kinds = where(report)
        assert ("signature", "signature.json") in kinds
        exhibits = json.loads((bag / "data/exhibits.json").read_text())["exhibits"]
        assert {("custody", f"exhibit {e['exhibit']}") for e in exhibits} <= kinds
        assert ("custody", "data/custody/events.jsonl") in kinds


@pytest.mark.parametrize("field", ["format", "tree", "head", "tag_files"])
def test_a_signed_statement_missing_a_field_is_a_problem(bag: Path, field: str) -> None:
    from dossier.export.verify_bundle import statement_message

    key = Ed25519PrivateKey.generate()
    rebag(bag, key=key)
    signed = json.loads((bag / "signature.json").read_text())
    del signed["statement"][field]
    signed["signature"] = key.sign(statement_message(signed["statement"])).hex()
    (bag / "signature.json").write_text(json.dumps(signed))
    rebag_tags_only(bag)  # validly signed, but the statement is incomplete
    report = verify(bag)
    assert not report.ok
    assert any(p.where == "signature.json" and f"has no {field}" in p.message
               for p in report.problems), report.problems


def test_an_exhibit_without_its_custody_events_fails_even_when_resigned(bag: Path) -> None:
    events_path = bag / "data/custody/events.jsonl"
    exhibits = json.loads((bag / "data/exhibits.json").read_text())["exhibits"]
    dropped = exhibits[0]
    kept = [line for line in events_path.read_text().splitlines()
            if json.loads(line)["item"] != dropped["item"]]
    events_path.write_text("\n".join(kept) + "\n")
    rebag(bag, key=Ed25519PrivateKey.generate())
    report = verify(bag)
    assert where(report) == {("custody", f"exhibit {dropped['exhibit']}")}


@pytest.mark.parametrize("name", ["bag-info.txt", "README.txt", "verify_bundle.py",
                                  "manifest-sha512.txt"])
def test_an_edited_tag_file_fails_the_signature_by_name(bag: Path, tmp_path: Path,
                                                        name: str) -> None:
    """The statement signs every tag file but signature.json and the tag manifests: editing
    one and rewriting the tag manifests to match still fails, naming the file."""
    path = bag / name
    path.write_text(path.read_text() + "# Verified by the court, no need to check.\n")
    rebag(bag)  # the tag manifests (and the payload manifests) rewritten to match
    if name == "manifest-sha512.txt":  # rebag rewrote it: edit it after
        path.write_text(path.read_text() + " ")
        rebag_tags_only(bag)
    report = verify(rezip(bag, tmp_path / "edited.zip"))
    signature = [p for p in report.problems if p.kind == "signature"]
    assert [p.where for p in signature] == [name]
    assert "the file was altered" in signature[0].message


def test_a_tag_file_added_after_signing_is_named(bag: Path) -> None:
    (bag / "INSTRUCTIONS.txt").write_text("Trust this bundle.\n")
    rebag(bag)
    assert where(verify(bag)) == {("signature", "INSTRUCTIONS.txt")}


def rebag_tags_only(folder: Path) -> None:
    import hashlib

    from dossier.export import verify_bundle

    tags = [p.name for p in folder.iterdir() if p.is_file()
            and p.name not in verify_bundle.TAG_MANIFESTS]
    for name, algorithm in zip(verify_bundle.TAG_MANIFESTS, ("sha256", "sha512"), strict=True):
        (folder / name).write_text("".join(
            f"{hashlib.new(algorithm, (folder / n).read_bytes()).hexdigest()}  {n}\n"
            for n in sorted(tags)))


def test_a_zip_entry_written_twice_is_named(exported, tmp_path: Path) -> None:
    """zipfile reads the last of two entries of one name, other tools the first: a bundle
    whose bytes depend on the tool is not one."""
    result, _ = exported
    copy = Path(shutil.copy(result.path, tmp_path / "twice.zip"))
    with zipfile.ZipFile(copy) as archive:
        target = next(n for n in archive.namelist() if "/data/originals/" in n)
        data = archive.read(target)
    with warnings.catch_warnings(), zipfile.ZipFile(copy, "a") as archive:
        warnings.simplefilter("ignore")  # "Duplicate name": the point of the test
        archive.writestr(target, b"planted" + data[7:])
    report = verify(copy)
    assert not report.ok
    assert ("layout", target) in where(report)
    assert any("more than once" in p.message for p in report.problems if p.where == target)


@pytest.mark.parametrize(("entry", "why"), [
    ("/case/data/evil.txt", "an absolute path"),
    ("case/data\\evil.txt", "a backslash"),
    ("case/../evil.txt", "climbs out"),
    ("case/data/link", "a symbolic link"),
])
def test_unsafe_zip_entries_are_named(exported, tmp_path: Path, entry: str, why: str) -> None:
    result, _ = exported
    copy = Path(shutil.copy(result.path, tmp_path / "unsafe.zip"))
    info = zipfile.ZipInfo(entry)
    if why == "a symbolic link":
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(copy, "a") as archive:
        archive.writestr(info, "/etc/passwd")
    report = verify(copy)
    assert any(p.kind == "layout" and p.where == entry and why in p.message
               for p in report.problems), report.problems


def test_a_symbolic_link_in_an_unzipped_bundle_is_named(bag: Path) -> None:
    (bag / "data/text/notes.txt").symlink_to("/etc/hostname")
    report = verify(bag)
    assert ("layout", "data/text/notes.txt") in where(report)


@pytest.mark.parametrize("name", ["manifest-sha256.txt", "bag-info.txt",
                                  "data/custody/events.jsonl", "signature.json"])
def test_a_file_that_is_not_utf8_is_a_problem_not_a_crash(bag: Path, name: str) -> None:
    path = bag / name
    path.write_bytes(b"\xff\xfe" + path.read_bytes())
    report = verify(bag)
    assert any(p.where == name and "not valid UTF-8" in p.message for p in report.problems), \
        report.problems


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
