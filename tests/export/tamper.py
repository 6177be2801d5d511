"""What someone who wants to alter a bundle would do: unzip it, change files, and rewrite the
manifests (and, with a key of their own, the signatures) so that the edit looks consistent."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dossier.custody.signing import public_hex
from dossier.export import verify_bundle


def extract(bundle: Path, into: Path) -> Path:
    """Unzip a bundle; returns its bag folder."""
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(into)
        top = {name.split("/", 1)[0] for name in archive.namelist()}
    assert len(top) == 1
    return into / top.pop()


def rezip(folder: Path, bundle: Path) -> Path:
    with zipfile.ZipFile(bundle, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    return bundle


def flip_byte(path: Path, offset: int = 0) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.chmod(0o644)
    path.write_bytes(bytes(data))


def _manifest(folder: Path, names: list[str], algorithm: str) -> str:
    return "".join(f"{hashlib.new(algorithm, (folder / n).read_bytes()).hexdigest()}  {n}\n"
                   for n in sorted(names))


def rebag(folder: Path, key: Ed25519PrivateKey | None = None) -> None:
    """Rewrite both manifests (and Payload-Oxum) and the tag manifests to match the files as
    they are now; with a key, also re-sign the statement (over the tag files as they are now)
    and the log head with it and put its public key in."""
    if key is not None:
        public = public_hex(key.public_key())
        (folder / "data/custody/public-key.txt").write_text(public + "\n")
        tree = json.loads((folder / "data/custody/tree.json").read_text())
        head = tree["head"]
        head["signature"] = key.sign(verify_bundle.head_message(head["seq"],
                                                                head["hash"])).hex()
        (folder / "data/custody/tree.json").write_text(json.dumps(tree))
    payload = [p.relative_to(folder).as_posix() for p in (folder / "data").rglob("*")
               if p.is_file()]
    for name, algorithm in (("manifest-sha256.txt", "sha256"), ("manifest-sha512.txt",
                                                                "sha512")):
        (folder / name).write_text(_manifest(folder, payload, algorithm))
    octets = sum((folder / name).stat().st_size for name in payload)
    oxum = f"Payload-Oxum: {octets}.{len(payload)}"
    info = [oxum if line.startswith("Payload-Oxum") else line
            for line in (folder / "bag-info.txt").read_text().splitlines()]
    (folder / "bag-info.txt").write_text("\n".join(info) + "\n")
    if key is not None:
        signed = json.loads((folder / "signature.json").read_text())
        statement = signed["statement"]
        statement["tag_files"] = {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file() and p.name not in verify_bundle.UNSIGNED}
        signed["public_key"] = public_hex(key.public_key())
        signed["signature"] = key.sign(verify_bundle.statement_message(statement)).hex()
        (folder / "signature.json").write_text(json.dumps(signed))
    tags = [p.name for p in folder.iterdir() if p.is_file()
            and p.name not in verify_bundle.TAG_MANIFESTS]
    for name, algorithm in (("tagmanifest-sha256.txt", "sha256"), ("tagmanifest-sha512.txt",
                                                                   "sha512")):
        (folder / name).write_text(_manifest(folder, tags, algorithm))
