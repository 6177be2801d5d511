"""Archives (ZIP, nested ZIP, TAR.GZ) and the broken files every real leak contains.

Archive members are dated from the documents inside, never from the clock, and TAR
headers carry no owner, so archives are reproducible. The broken set is what ingest must
quarantine without stopping: an empty file, a truncated PDF, a password-protected PDF, a
small ZIP bomb (50 MB of zeros in about 50 KB) and a binary of no known type; plus a
valid PDF named ``.jpg``, which is not broken and must be ingested by its content.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
import zipfile
from datetime import datetime, time

from dossier.demo.artifacts import Artifact, Factory, base_record
from dossier.demo.render_pdf import render_pdf_fpdf2

__all__ = ["BOMB_SIZE", "bomb", "broken", "tar_gz", "zip_archive"]

BOMB_SIZE = 50 * 1024 * 1024
ENCRYPTED_PASSWORD = "dossier-synthetic"


def _zip(members: list[tuple[str, bytes]], when: datetime) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            entry = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return buffer.getvalue()


def _members(factory: Factory, slot: int, count: int, folder: str) -> list[Artifact]:
    """Documents for an archive: mostly PDFs, some Word files and scans."""
    rng = factory.rng(slot, "members")
    out: list[Artifact] = []
    for k in range(count):
        sub = -(slot * 100 + k + 1)  # negative: member slots never collide with top-level ones
        choice = rng.random()
        if choice < 0.6:
            member = factory.pdf(sub)
        elif choice < 0.8:
            member = factory.docx(sub)
        else:
            member = factory.scan(sub, "jpeg")
        member.name = f"{folder}/{member.name}"
        out.append(member)
    return out


def _when(members: list[Artifact]) -> datetime:
    days = [m.spec.issued for m in members if m.spec is not None]
    return datetime.combine(max(days), time(12, 0)) if days else datetime(2013, 1, 1, 12, 0)


def zip_archive(factory: Factory, slot: int, *, nested: bool = False) -> Artifact:
    """A ZIP of a few documents; ``nested`` puts a second ZIP of documents inside it."""
    members = _members(factory, slot, factory.rng(slot, "n").randint(3, 6), "documents")
    if nested:
        inner_members = _members(factory, slot + 50_000, 3, "inner")
        inner = Artifact(
            "archive/inner.zip",
            _zip([(m.name, m.data) for m in inner_members], _when(inner_members)),
            base_record("zip", None, []),
            children=inner_members,
        )
        members.append(inner)
    data = _zip([(m.name, m.data) for m in members], _when(members))
    name = f"archive_{slot:05d}.zip" if not nested else f"backup_{slot:05d}.zip"
    return Artifact(name, data, base_record("zip", None, []), children=members)


def tar_gz(factory: Factory, slot: int) -> Artifact:
    members = _members(factory, slot, factory.rng(slot, "n").randint(3, 5), "export")
    when = _when(members)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for member in members:
            info = tarfile.TarInfo(member.name)
            info.size = len(member.data)
            info.mtime = int(when.timestamp())
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            archive.addfile(info, io.BytesIO(member.data))
    compressed = io.BytesIO()
    with gzip.GzipFile(fileobj=compressed, mode="wb", mtime=0, filename="") as stream:
        stream.write(raw.getvalue())
    return Artifact(
        f"export_{slot:05d}.tar.gz",
        compressed.getvalue(),
        base_record("tar", None, []),
        children=members,
    )


def bomb(slot: int) -> Artifact:
    """A real but small ZIP bomb: one member of 50 MB of zeros, about 50 KB on disk."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        entry = zipfile.ZipInfo("data/zeros.bin", date_time=(2013, 5, 1, 0, 0, 0))
        entry.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(entry, "w") as stream:
            block = bytes(1024 * 1024)
            for _ in range(BOMB_SIZE // len(block)):
                stream.write(block)
    record = base_record("zip", None, [], broken="bomb", expect="bomb", uncompressed_size=BOMB_SIZE)
    return Artifact(f"backup_full_{slot:05d}.zip", buffer.getvalue(), record)


def broken(factory: Factory, slot: int, what: str) -> Artifact:
    """One of: empty, corrupt (truncated PDF), encrypted, unsupported, wrong_extension."""
    if what == "empty":
        return Artifact(
            f"document_{slot:05d}.pdf", b"", base_record("pdf", None, [], broken="empty")
        )
    if what == "unsupported":
        digest = b"".join(
            hashlib.sha256(f"{factory.seed}/{slot}/{i}".encode()).digest() for i in range(64)
        )
        data = b"\x7fDSSR\x00\x01SYNTHETIC unsupported binary\x00" + digest
        return Artifact(
            f"data_{slot:05d}.dat", data, base_record("binary", None, [], broken="unsupported")
        )
    if what == "wrong_extension":
        pdf = factory.pdf(slot)
        pdf.name = f"scan_{slot:05d}.jpg"
        pdf.record["extension_mismatch"] = True
        return pdf
    if what == "corrupt":
        pdf = factory.pdf(slot)
        pdf.data = pdf.data[: int(len(pdf.data) * 0.55)]
        pdf.record.update(broken="corrupt", pages=[], truncated_from=pdf.record.get("producer"))
        return pdf
    if what == "encrypted":
        ctx = factory.context(slot)
        spec, pages = factory.spec(ctx)
        data = render_pdf_fpdf2(
            spec, pages, datetime.combine(spec.issued, time(9, 30)), password=ENCRYPTED_PASSWORD
        )
        record = base_record(
            "pdf",
            spec,
            [p.text for p in pages],
            broken="encrypted",
            password=ENCRYPTED_PASSWORD,
            producer="fpdf2",
        )
        return Artifact(f"protected_{slot:05d}.pdf", data, record, spec)
    raise ValueError(f"unknown broken kind {what!r}")
