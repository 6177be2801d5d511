"""Small real files for pipeline tests, made on the spot (no fixtures on disk)."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

ORDER_AR = "أمر توقيف صادر عن الفرع ٢٥١ بحق المعتقل سامر يوسف الخطيب بتاريخ ٤ آذار ٢٠١٢"
REPORT_EN = "Transfer report: detainee Karim Haddad moved from Branch 215 to Saydnaya prison."
NOTE_FR = "Note de service : le détenu Rami Saleh a été transféré à la branche 235."


def write_corpus(root: Path) -> dict[str, Path]:
    """A small leak: texts in three languages, a duplicate, archives, and broken files."""
    files: dict[str, Path] = {}

    def put(relative: str, data: bytes) -> Path:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        files[relative] = path
        return path

    put("gid/251/order.txt", ORDER_AR.encode("utf-8"))
    put("gid/copies/order.txt", ORDER_AR.encode("utf-8"))  # same bytes: one item, 2 sightings
    put("mi/215/report.txt", REPORT_EN.encode("utf-8"))
    put("mi/235/note.txt", NOTE_FR.encode("utf-8"))
    put("lists/detainees.csv", b"id,name,branch\n1,Omar Nasser,251\n2,Fadi Jaber,215\n"
)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("deep/memo.txt", "Memo about the interrogation branch 248 schedule.")
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("cables/cable-17.txt", "Cable number 17 from the Palestine branch.")
        archive.writestr("nested.zip", inner.getvalue())
    put("archives/bundle.zip", outer.getvalue())
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w:gz") as archive:
        data = b"Telegram about Tishreen military hospital."
        info = tarfile.TarInfo("telegrams/t1.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    put("archives/telegrams.tar.gz", tar_bytes.getvalue())
    put("broken/empty.pdf", b"")
    put("broken/truncated.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
    put("broken/unknown.bin", bytes(range(256)) * 8)
    return files
