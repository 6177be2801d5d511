#!/usr/bin/env python3
"""Verify a Dossier evidence bundle, offline, without Dossier.

    python3 verify_bundle.py BUNDLE.zip [--trusted-key HEX] [--json]

Needs only Python 3.10+ and the `cryptography` package (for the ed25519 signature). Works on the
.zip or on the unzipped folder. It checks that: the bag is a BagIt 1.0 bag; every file under
data/ matches both its sha256 and its sha512 manifest line, none is missing and none was added;
the tag manifests and the Payload-Oxum match; the signature over the statement (tree root, log
head, and the sha256 of every tag file but signature.json and the tag manifests: bagit.txt,
bag-info.txt, both payload manifests, README.txt, this file) verifies with the bundled public
key, and those tag files are the ones signed; each custody event hashes to its recorded hash and
is included, by its Merkle proof, in the tree whose root was signed; each exhibit carries its
custody events and each original is the file they name; and, with --trusted-key, that the
bundled key is the key you were given separately.

Exit status 0 when everything holds, 1 otherwise. Without --trusted-key a bundle that holds
together is reported as signed by a key that is not confirmed: anyone can re-sign an altered
bundle with a key of their own, so only the sender's key, obtained by another channel, says
who made it.

Dossier itself imports this file (`dossier bundle verify`) and copies it into every bundle.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import stat
import struct
import sys
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

CHUNK = 8 * 1024 * 1024
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
MANIFESTS = ("manifest-sha256.txt", "manifest-sha512.txt")
TAG_MANIFESTS = ("tagmanifest-sha256.txt", "tagmanifest-sha512.txt")
STATEMENT_PREFIX = b"dossier bundle statement\n"
STATEMENT_FORMAT = "dossier-bundle/2"
SIGNATURE = "signature.json"
UNSIGNED = (SIGNATURE, *TAG_MANIFESTS)  # every other tag file is in the signed statement


@dataclass
class Problem:
    kind: str  # layout | bagit | payload | tag | oxum | custody | proof | signature | key | exhibit
    where: str
    message: str


@dataclass
class BundleReport:
    ok: bool
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    events: int = 0
    public_key: str = ""
    key_confirmed: bool = False  # the bundle's key is the --trusted-key given

    @property
    def verdict(self) -> str:
        """The last line a person reads: verified, consistent but unconfirmed, or not."""
        if not self.ok:
            return f"{len(self.problems)} problem(s) found"
        if self.key_confirmed:
            return ("bundle verified: everything matches, signed by the trusted key "
                    f"{self.public_key}")
        return (f"bundle consistent: signed by key {self.public_key} — not confirmed: compare "
                "it with the key the sender gave you by another channel, or pass --trusted-key")

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "verdict": self.verdict}


# -- the same algorithms as Dossier's own (copied: this file must stand alone) ---------------

def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(event: dict[str, Any], details_json: str) -> str:
    fields = ("seq", "at", "actor", "action", "item", "sha256")
    payload = canonical_json([*(event.get(name) for name in fields), details_json,
                              event.get("prev_hash")])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def verify_inclusion(event_hash_hex: str, index: int, size: int, path: list[str],
                     root_hex: str) -> bool:
    """RFC 9162 §2.1.3.2, leaves sha256(0x00||hash), nodes sha256(0x01||left||right)."""
    if not 0 <= index < size:
        return False
    last = size - 1
    digest = hashlib.sha256(b"\x00" + bytes.fromhex(event_hash_hex)).digest()
    for sibling_hex in path:
        if last == 0:
            return False
        sibling = bytes.fromhex(sibling_hex)
        if index % 2 == 1 or index == last:
            digest = hashlib.sha256(b"\x01" + sibling + digest).digest()
            while index % 2 == 0 and index != 0:
                index >>= 1
                last >>= 1
        else:
            digest = hashlib.sha256(b"\x01" + digest + sibling).digest()
        index >>= 1
        last >>= 1
    return last == 0 and digest.hex() == root_hex


def head_message(seq: int, head_hash: str) -> bytes:
    return f"dossier custody head\n{seq}\n{head_hash}\n".encode()


def statement_message(statement: dict[str, Any]) -> bytes:
    return STATEMENT_PREFIX + canonical_json(statement).encode("utf-8")


def encode_path(path: str) -> str:
    """BagIt 1.0 §2.1.3: CR, LF and % in a manifest path are percent-encoded."""
    return path.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D")


def decode_path(path: str) -> str:
    return path.replace("%0A", "\n").replace("%0a", "\n").replace("%0D", "\r") \
        .replace("%0d", "\r").replace("%25", "%")


class DualHasher:
    """sha256 and sha512 of one stream, each in its own thread (hashlib releases the GIL), so
    that reading the next chunk overlaps hashing this one: about the time of sha512 alone."""

    def __init__(self) -> None:
        self._pools = (ThreadPoolExecutor(1), ThreadPoolExecutor(1))

    def digests(self, chunks: Iterator[bytes]) -> tuple[str, str, int]:
        sha256, sha512 = hashlib.sha256(), hashlib.sha512()
        size = 0
        pending: list[Future[None]] = []
        for chunk in chunks:
            self.wait(pending)
            size += len(chunk)
            if len(chunk) < 1 << 20:  # not worth a thread
                sha256.update(chunk)
                sha512.update(chunk)
                pending = []
            else:
                pending = self.submit(sha256, sha512, chunk)
        self.wait(pending)
        return sha256.hexdigest(), sha512.hexdigest(), size

    def submit(self, sha256: Any, sha512: Any, chunk: bytes) -> list[Future[None]]:
        return [self._pools[0].submit(sha256.update, chunk),
                self._pools[1].submit(sha512.update, chunk)]

    @staticmethod
    def wait(pending: list[Future[None]]) -> None:
        for future in pending:
            future.result()

    def close(self) -> None:
        for pool in self._pools:
            pool.shutdown()


# -- reading a bag from a zip or a folder ----------------------------------------------------

class Bag:
    """The files of a bag by their path inside it ("data/…", "bagit.txt")."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self._zip: zipfile.ZipFile | None = None
        self._raw: BinaryIO | None = None
        self.entries: dict[str, Any] = {}
        if path.is_dir():
            self._open_folder(path)
        else:
            self._open_zip(path)

    def _open_folder(self, path: Path) -> None:
        for folder, dirs, names in os.walk(path):
            for name in [*dirs, *names]:
                full = Path(folder, name)
                inner = full.relative_to(path).as_posix()
                if full.is_symlink():  # never followed: it could point anywhere
                    self.problems.append(Problem("layout", inner, "a symbolic link: a bundle "
                                                 "holds plain files only"))
                elif name in names:
                    self.entries[inner] = full
            dirs[:] = [d for d in dirs if not Path(folder, d).is_symlink()]

    def _open_zip(self, path: Path) -> None:
        self._zip = zipfile.ZipFile(path)
        self._raw = open(path, "rb")  # noqa: SIM115 - closed in close()
        infos = self._zip.infolist()
        for info in infos:
            unsafe = unsafe_entry(info)
            if unsafe:
                self.problems.append(Problem("layout", info.filename, unsafe))
        infos = [info for info in infos if not info.is_dir() and not is_symlink(info)]
        tops = {info.filename.split("/", 1)[0] for info in infos}
        if len(tops) != 1 or any("/" not in info.filename for info in infos):
            self.problems.append(Problem("layout", str(path), "a bundle holds exactly one "
                                         f"top-level folder; found {sorted(tops)}"))
        for info in infos:
            inner = info.filename.split("/", 1)[-1]
            if inner in self.entries:  # zipfile reads the last copy, other tools the first
                self.problems.append(Problem("layout", info.filename, "is in the zip more "
                                             "than once: which copy is the file cannot be told"))
                continue
            self.entries[inner] = info

    def size(self, name: str) -> int:
        entry = self.entries[name]
        return entry.file_size if isinstance(entry, zipfile.ZipInfo) else entry.stat().st_size

    def chunks(self, name: str) -> Iterator[bytes]:
        entry = self.entries[name]
        if isinstance(entry, zipfile.ZipInfo) and entry.compress_type == zipfile.ZIP_STORED:
            yield from self._stored_chunks(entry)  # originals: no CRC pass, the hashes suffice
            return
        stream: IO[bytes]
        if isinstance(entry, zipfile.ZipInfo):
            assert self._zip is not None
            stream = self._zip.open(entry)
        else:
            stream = open(entry, "rb")  # noqa: SIM115 - closed below
        with stream:
            while chunk := stream.read(CHUNK):
                yield chunk

    def _stored_chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        assert self._raw is not None
        self._raw.seek(info.header_offset)
        header = self._raw.read(30)
        if header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"bad local header for {info.filename}")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        self._raw.seek(info.header_offset + 30 + name_len + extra_len)
        left = info.file_size
        while left:
            chunk = self._raw.read(min(CHUNK, left))
            if not chunk:
                raise zipfile.BadZipFile(f"{info.filename} is cut short")
            left -= len(chunk)
            yield chunk

    def read(self, name: str) -> bytes:
        return b"".join(self.chunks(name))

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        if self._raw is not None:
            self._raw.close()


def is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_entry(info: zipfile.ZipInfo) -> str | None:
    """Why a zip entry cannot be part of a bundle (unzipped, it could land outside the folder
    or point elsewhere), or None."""
    name = info.filename
    if is_symlink(info):
        return "a symbolic link in the zip: a bundle holds plain files only"
    if name.startswith("/") or _DRIVE.match(name):
        return "an absolute path in the zip"
    if "\\" in name:
        return "a backslash in a path in the zip (a folder separator on Windows)"
    if ".." in name.split("/"):
        return "a path in the zip that climbs out of its folder (..)"
    return None


# -- the checks -------------------------------------------------------------------------------

def read_text(bag: Bag, name: str, problems: list[Problem], kind: str) -> str | None:
    """A text file of the bundle, or None with the problem recorded (missing, not UTF-8)."""
    if name not in bag.entries:
        problems.append(Problem(kind, name, "missing"))
        return None
    data = bag.read(name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(kind, name, f"not valid UTF-8 text (byte {exc.start}): not "
                                "as Dossier writes it"))
        return None


def read_manifest(bag: Bag, name: str, problems: list[Problem]) -> dict[str, str]:
    text = read_text(bag, name, problems, "bagit")
    listed: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = line.strip().split(maxsplit=1)
        if len(parts) != 2:
            problems.append(Problem("bagit", f"{name} line {number}", "not `digest  path`"))
            continue
        listed[decode_path(parts[1])] = parts[0].lower()
    return listed


def check_files(bag: Bag, hasher: DualHasher, report: BundleReport) -> dict[str, tuple[str, str]]:
    """Every file against both manifests (payload) and tag manifests (tag files)."""
    problems = report.problems
    manifests = [read_manifest(bag, name, problems) for name in MANIFESTS]
    tags = [read_manifest(bag, name, problems) for name in TAG_MANIFESTS]
    digests: dict[str, tuple[str, str]] = {}
    payload_bytes = payload_count = 0
    for name in sorted(bag.entries):
        if name in TAG_MANIFESTS:
            continue
        try:
            sha256, sha512, size = hasher.digests(bag.chunks(name))
        except (OSError, zipfile.BadZipFile, zlib.error) as exc:
            problems.append(Problem("layout", name, f"cannot be read: {exc}"))
            continue
        digests[name] = (sha256, sha512)
        report.files += 1
        listed = manifests if name.startswith("data/") else tags
        kind = "payload" if name.startswith("data/") else "tag"
        if name.startswith("data/"):
            payload_bytes += size
            payload_count += 1
        for algorithm, manifest, actual in zip(("sha256", "sha512"), listed, (sha256, sha512),
                                               strict=True):
            expected = manifest.get(name)
            if expected is None:
                problems.append(Problem(kind, name, f"not listed in the {algorithm} "
                                        f"{'manifest' if kind == 'payload' else 'tag manifest'}"
                                        ": a file was added to the bundle"))
            elif expected != actual:
                problems.append(Problem(kind, name, f"{algorithm} is {actual}, the manifest "
                                        f"says {expected}: the file was altered"))
    for pair in (manifests, tags):
        for algorithm, manifest in zip(("sha256", "sha512"), pair, strict=True):
            for name in sorted(set(manifest) - set(bag.entries)):
                problems.append(Problem("payload" if name.startswith("data/") else "tag", name,
                                        f"listed in the {algorithm} manifest but missing"))
    check_bag_info(bag, payload_bytes, payload_count, problems)
    return digests


def check_bag_info(bag: Bag, octets: int, count: int, problems: list[Problem]) -> None:
    if "bagit.txt" not in bag.entries:
        problems.append(Problem("bagit", "bagit.txt", "missing: this is not a BagIt bag"))
    elif bag.read("bagit.txt").decode("utf-8", "replace") != BAGIT_TXT:
        problems.append(Problem("bagit", "bagit.txt", f"expected {BAGIT_TXT!r}"))
    text = read_text(bag, "bag-info.txt", problems, "bagit")
    if text is None:
        return
    info = dict(line.split(":", 1) for line in text.splitlines()
                if ":" in line and not line.startswith((" ", "\t")))
    oxum = info.get("Payload-Oxum", "").strip()
    if oxum != f"{octets}.{count}":
        problems.append(Problem("oxum", "bag-info.txt", f"Payload-Oxum is {oxum or 'absent'}, "
                                f"the payload holds {octets} bytes in {count} files"))


def load_json(bag: Bag, name: str, problems: list[Problem], kind: str) -> dict[str, Any] | None:
    """A JSON object of the bundle, or None with the problem recorded: missing, not UTF-8,
    not JSON, or JSON that is not an object (``null``, a list, a string)."""
    text = read_text(bag, name, problems, kind)
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        problems.append(Problem(kind, name, f"not valid JSON: {exc}"))
        return None
    if not isinstance(value, dict):
        problems.append(Problem(kind, name, f"holds {type(value).__name__} {str(value)[:40]!r}, "
                                "not the JSON object Dossier writes"))
        return None
    return value


def check_signature(bag: Bag, digests: dict[str, tuple[str, str]], trusted_key: str | None,
                    report: BundleReport) -> dict[str, Any] | None:
    """The signer, the signature over the statement, and the tag files it binds; returns the
    statement when it is complete enough to check the custody against, else None. Anything
    missing or malformed is a problem: a bundle is never taken as signed by default."""
    problems = report.problems
    signed = load_json(bag, SIGNATURE, problems, "signature")
    if signed is None:
        return None
    statement, key = signed.get("statement"), signed.get("public_key")
    if not isinstance(key, str) or not key.strip():
        problems.append(Problem("signature", SIGNATURE, "names no signer (no public_key)"))
        key = ""
    report.public_key = key
    bundled = read_text(bag, "data/custody/public-key.txt", problems, "key")
    if bundled is not None and bundled.strip() != key:
        problems.append(Problem("key", "data/custody/public-key.txt", f"holds "
                                f"{bundled.strip()}, signature.json names {key}"))
    if trusted_key is not None:
        report.key_confirmed = bool(key) and key.lower() == trusted_key.strip().lower()
        if not report.key_confirmed:
            problems.append(Problem("key", SIGNATURE, f"signed by {key or 'nobody'}, not by the "
                                    f"trusted key {trusted_key}"))
    if signed.get("algorithm") != "ed25519":
        problems.append(Problem("signature", SIGNATURE, f"algorithm is "
                                f"{signed.get('algorithm')!r}, not 'ed25519'"))
    if not isinstance(statement, dict):
        problems.append(Problem("signature", SIGNATURE, "holds no signed statement"))
        return None
    signature = signed.get("signature")
    if not isinstance(signature, str) or not signature:
        problems.append(Problem("signature", SIGNATURE, "holds no signature"))
    elif key and not ed25519_valid(key, signature, statement_message(statement), problems,
                                   SIGNATURE):
        problems.append(Problem("signature", SIGNATURE, "the signature over the "
                                f"statement does not verify with the public key {key}"))
    gaps = statement_gaps(statement)
    for gap in gaps:
        problems.append(Problem("signature", SIGNATURE, f"the signed statement has no {gap}"))
    if isinstance(statement.get("tag_files"), dict):
        check_tag_files(bag, statement["tag_files"], digests, problems)
    return None if gaps else statement


def statement_gaps(statement: dict[str, Any]) -> list[str]:
    """The fields of a statement that are missing or not of their type."""
    def has(value: Any, *fields: tuple[str, type]) -> bool:
        return isinstance(value, dict) and all(isinstance(value.get(name), kind)
                                               for name, kind in fields)

    gaps = []
    if statement.get("format") != STATEMENT_FORMAT:
        gaps.append(f"format {STATEMENT_FORMAT!r} (it says {statement.get('format')!r})")
    if not has(statement.get("tree"), ("size", int), ("root", str)):
        gaps.append("tree (size and root)")
    if not has(statement.get("head"), ("seq", int), ("hash", str)):
        gaps.append("head (seq and hash)")
    files = statement.get("tag_files")
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        gaps.append("tag_files (the sha256 of each tag file)")
    return gaps


def check_tag_files(bag: Bag, signed: dict[str, str], digests: dict[str, tuple[str, str]],
                    problems: list[Problem]) -> None:
    """Every tag file but signature.json and the tag manifests must be the one signed: the
    payload manifests (and so every payload file), bagit.txt, bag-info.txt, README.txt and
    verify_bundle.py. One not in the statement was added after signing."""
    present = {name for name in bag.entries
               if not name.startswith("data/") and name not in UNSIGNED}
    for name in sorted(present | set(signed)):
        expected = signed.get(name)
        actual = digests.get(name, ("",))[0] if name in bag.entries else None
        if expected is None:
            problems.append(Problem("signature", name, "not in the signed statement: a file "
                                    "was added to the bundle after it was signed"))
        elif actual is None:
            problems.append(Problem("signature", name, "in the signed statement but missing"))
        elif expected != actual:
            problems.append(Problem("signature", name, f"sha256 is {actual or 'unreadable'}, "
                                    f"the signed statement says {expected}: the file was "
                                    "altered"))


def ed25519_valid(key_hex: str, signature_hex: str, message: bytes, problems: list[Problem],
                  where: str) -> bool:
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        problems.append(Problem("signature", where, "cannot check signatures: install the "
                                "Python package `cryptography` (pip install cryptography)"))
        return True
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(key_hex)).verify(
            bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def check_custody(bag: Bag, statement: dict[str, Any] | None, report: BundleReport) -> None:
    """Each event's hash, its proof against the signed root, and the exhibits' events.

    Always run: without a usable statement (already a problem) the proofs are checked against
    the tree the bundle carries, so that every other fault is still named."""
    problems = report.problems
    tree = load_json(bag, "data/custody/tree.json", problems, "custody") or {}
    proofs = (load_json(bag, "data/custody/proofs.json", problems, "custody") or {}
              ).get("proofs")
    if not isinstance(proofs, dict):
        problems.append(Problem("custody", "data/custody/proofs.json", "holds no proofs"))
        proofs = {}
    if statement is not None:
        size, root = statement["tree"]["size"], statement["tree"]["root"]
        check_tree(tree, statement, report)
    else:
        size, root = tree.get("size"), tree.get("root")
    item_sha256: dict[Any, set[str]] = {}
    item_events: dict[Any, int] = {}
    previous: dict[int, str] = {}
    name = "data/custody/events.jsonl"
    lines = (read_text(bag, name, problems, "custody") or "").splitlines()
    if not lines:
        problems.append(Problem("custody", name, "holds no events"))
    for number, line in enumerate(lines, start=1):
        where = f"{name} line {number}"
        try:
            event = json.loads(line)
            where = f"event {int(event['seq'])} ({where})"
            check_event(event, proofs.get(str(event["seq"])), size if isinstance(size, int)
                        else 0, root if isinstance(root, str) else "", previous, item_sha256,
                        where, problems)
            item_events[event.get("item")] = item_events.get(event.get("item"), 0) + 1
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            problems.append(Problem("custody", where, f"unreadable: {exc!r}"))
        report.events += 1
    if statement is not None:
        head = statement["head"]
        if head["seq"] in previous and previous[head["seq"]] != head["hash"]:
            problems.append(Problem("custody", f"event {head['seq']}",
                                    "differs from the signed head"))
    check_exhibits(bag, item_events, item_sha256, problems)


def check_tree(tree: dict[str, Any], statement: dict[str, Any], report: BundleReport) -> None:
    """tree.json against the signed statement, and the log head's own signature."""
    problems = report.problems
    for field_name, expected in statement["tree"].items():
        if tree.get(field_name) != expected:
            problems.append(Problem("custody", "data/custody/tree.json",
                                    f"{field_name} is {tree.get(field_name)}, the signed "
                                    f"statement says {expected}"))
    head, bundled = statement["head"], tree.get("head")
    if not isinstance(bundled, dict) or bundled.get("hash") != head["hash"] \
            or head["seq"] != statement["tree"]["size"]:
        problems.append(Problem("custody", "data/custody/tree.json",
                                f"the log head does not match the signed head {head}"))
    elif report.public_key and not ed25519_valid(
            report.public_key, str(bundled.get("signature", "")),
            head_message(head["seq"], head["hash"]), problems, "tree.json"):
        problems.append(Problem("signature", "data/custody/tree.json",
                                f"the head signature of event {head['seq']} does not verify"))


def check_event(event: dict[str, Any], proof: dict[str, Any] | None, size: int, root: str,
                previous: dict[int, str], item_sha256: dict[Any, set[str]], where: str,
                problems: list[Problem]) -> None:
    """One event: its hash from its fields, its link to the event before when that one is
    bundled too, and its inclusion proof (also for an event whose content is withheld)."""
    seq = int(event["seq"])
    if "withheld" not in event:
        details_json = event.get("details_json") or canonical_json(event.get("details"))
        recomputed = event_hash(event, details_json)
        if recomputed != event.get("hash") or json.loads(details_json) != event.get("details"):
            problems.append(Problem("custody", where, f"was altered: its fields hash to "
                                    f"{recomputed}, recorded {event.get('hash')}"))
        if previous.get(seq - 1, event.get("prev_hash")) != event.get("prev_hash"):
            problems.append(Problem("custody", where, f"does not link to event {seq - 1} "
                                    f"(prev_hash {event.get('prev_hash')})"))
        if event.get("sha256") and event.get("item") is not None:
            item_sha256.setdefault(event["item"], set()).add(event["sha256"])
    previous[seq] = str(event.get("hash", ""))
    if proof is None:
        problems.append(Problem("proof", where, "has no inclusion proof"))
    elif proof.get("index") != seq - 1 or not verify_inclusion(
            str(event.get("hash", "")), proof["index"], size, proof.get("path", []), root):
        problems.append(Problem("proof", where, "is not included in the signed tree "
                                f"(size {size}, root {root})"))


def check_exhibits(bag: Bag, item_events: dict[Any, int], item_sha256: dict[Any, set[str]],
                   problems: list[Problem]) -> None:
    """Each exhibit carries its custody events (at least those of its export), and its original
    is the bytes they were recorded for."""
    exhibits = (load_json(bag, "data/exhibits.json", problems, "exhibit") or {}).get("exhibits")
    if not isinstance(exhibits, list):
        problems.append(Problem("exhibit", "data/exhibits.json", "holds no exhibit list"))
        return
    sha256_manifest = read_manifest(bag, MANIFESTS[0], [])
    for exhibit in exhibits:
        if not isinstance(exhibit, dict):
            problems.append(Problem("exhibit", "data/exhibits.json", f"holds {exhibit!r}, "
                                    "not an exhibit"))
            continue
        where = f"exhibit {exhibit.get('exhibit')}"
        original = exhibit.get("original")
        if original and sha256_manifest.get(original) not in (None, exhibit.get("sha256")):
            problems.append(Problem("exhibit", original, f"the manifest gives sha256 "
                                    f"{sha256_manifest.get(original)}, the exhibit list "
                                    f"{exhibit.get('sha256')}"))
        if not item_events.get(exhibit.get("item")):
            problems.append(Problem("custody", where, f"item {exhibit.get('item')} has no "
                                    "custody events in the bundle: every exhibit carries its "
                                    "own, at least those of its export"))
        recorded = item_sha256.get(exhibit.get("item"), set())
        if recorded and recorded != {exhibit.get("sha256")}:
            problems.append(Problem("exhibit", where, "custody records sha256 "
                                    f"{sorted(recorded)}, the exhibit list "
                                    f"{exhibit.get('sha256')}"))


def verify(path: Path, trusted_key: str | None = None) -> BundleReport:
    """Check a bundle (.zip or folder); every problem names the file or event it concerns."""
    report = BundleReport(ok=False)
    try:
        bag = Bag(Path(path))
    except (OSError, zipfile.BadZipFile) as exc:
        report.problems.append(Problem("layout", str(path), f"not a readable bundle: {exc}"))
        return report
    hasher = DualHasher()
    try:
        report.problems += bag.problems
        digests = check_files(bag, hasher, report)
        try:
            statement = check_signature(bag, digests, trusted_key, report)
            check_custody(bag, statement, report)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:  # a forged structure
            report.problems.append(Problem("layout", "signature.json, data/custody/",
                                           f"not in the form Dossier writes: {exc!r}"))
    finally:
        hasher.close()
        bag.close()
    report.ok = not report.problems
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify a Dossier evidence bundle.")
    parser.add_argument("bundle", type=Path, help="the bundle .zip, or its unzipped folder")
    parser.add_argument("--trusted-key", help="the ed25519 public key (hex) you were given "
                        "separately; the bundle must be signed by it")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if not args.bundle.exists():
        print(f"error: {args.bundle} does not exist", file=sys.stderr)
        return 1
    report = verify(args.bundle, args.trusted_key)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        for problem in report.problems:
            print(f"{problem.kind}: {problem.where}: {problem.message}")
        print(f"checked {report.files} files and {report.events} custody events")
        print(report.verdict)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
