"""Files of the synthetic leak and their ground truth, one kind of file per method.

An :class:`Artifact` is the bytes of one file, a suggested file name, the truth about it
and the artifacts inside it (archive members, e-mail attachments). The generator decides
where files go; this module decides what they contain.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from dossier.demo.compose import compose
from dossier.demo.documents import Context, choose_context
from dossier.demo.formats import ar_digits
from dossier.demo.layout import LaidOutPage, layout
from dossier.demo.render_image import encode, images_to_pdf, multipage_tiff, scan_pages
from dossier.demo.render_office import docx_text, render_docx, render_xlsx, xlsx_text
from dossier.demo.render_pdf import render_pdf, render_pdf_fpdf2
from dossier.demo.render_text import render_csv, render_email, render_html, render_text
from dossier.demo.spec import DocumentSpec, blank_truth
from dossier.demo.world import World

__all__ = ["Artifact", "Factory", "base_record"]

_NAMES_AR = {
    "arrest_order": "أمر توقيف",
    "transfer_order": "كتاب إحالة",
    "interrogation_summary": "ملخص تحقيق",
    "detainee_list": "قائمة موقوفين",
    "death_report": "تقرير وفاة",
    "cable": "برقية",
    "memo": "مذكرة",
}


@dataclass
class Artifact:
    """One file: its bytes, a name for it, its truth and what it contains."""

    name: str
    data: bytes
    record: dict[str, Any]
    spec: DocumentSpec | None = None
    children: list[Artifact] = field(default_factory=list)

    def truth(self, path: str) -> dict[str, Any]:
        record = {
            "path": path,
            "sha256": hashlib.sha256(self.data).hexdigest(),
            "size": len(self.data),
        }
        record.update(self.record)
        record["children"] = [c.truth(c.name) for c in self.children]
        return record


def base_record(
    media_type: str, spec: DocumentSpec | None, pages: list[str], **extra: Any
) -> dict[str, Any]:
    """The truth of one file: the fields every record has, then ``extra`` ones."""
    record: dict[str, Any] = {
        "media_type": media_type,
        "quality": None,
        "pages": [{"number": n, "text": t} for n, t in enumerate(pages, start=1)],
        "broken": None,
        "duplicate_of": None,
        "near_duplicate_of": None,
    }
    record.update(spec.truth() if spec is not None else blank_truth())
    record.update(extra)
    return record


def _moment(spec: DocumentSpec) -> datetime:
    return datetime.combine(spec.issued, time(9, 30))


class Factory:
    """Makes artifacts for slot numbers; everything derives from (seed, slot)."""

    def __init__(self, world: World, seed: int) -> None:
        self.world = world
        self.seed = seed

    def rng(self, slot: int, purpose: str) -> random.Random:
        return random.Random(f"{self.seed}/{slot}/{purpose}")

    def context(
        self, slot: int, *, language: str | None = None, kind: str | None = None
    ) -> Context:
        return choose_context(self.world, f"{self.seed}/{slot}", language, kind)

    def spec(
        self, ctx: Context, *, retyped: bool = False
    ) -> tuple[DocumentSpec, list[LaidOutPage]]:
        spec = compose(self.world, ctx, retyped=retyped)
        return spec, layout(spec)

    def _name(self, slot: int, spec: DocumentSpec, ext: str, ref: int) -> str:
        rng = self.rng(slot, "name")
        if spec.language == "ar" and rng.random() < 0.4:
            return f"{_NAMES_AR.get(spec.kind, 'وثيقة')} {ar_digits(ref)} ({abs(slot)}).{ext}"
        return f"{spec.kind}_{ref}_{abs(slot):05d}.{ext}"

    # -- born-digital --------------------------------------------------------------------

    def pdf(self, slot: int, *, retyped: bool = False, ctx: Context | None = None) -> Artifact:
        ctx = ctx or self.context(slot)
        spec, pages = self.spec(ctx, retyped=retyped)
        data = render_pdf(spec, pages, _moment(spec))
        record = base_record("pdf", spec, [p.text for p in pages], producer="dossier-fast")
        return Artifact(self._name(slot, spec, "pdf", ctx.ref_number), data, record, spec)

    def pdf_fpdf2(self, slot: int) -> Artifact:
        ctx = self.context(slot)
        spec, pages = self.spec(ctx)
        data = render_pdf_fpdf2(spec, pages, _moment(spec))
        record = base_record("pdf", spec, [p.text for p in pages], producer="fpdf2")
        return Artifact(self._name(slot, spec, "pdf", ctx.ref_number), data, record, spec)

    def docx(self, slot: int) -> Artifact:
        ctx = self.context(slot)
        spec, _ = self.spec(ctx)
        data = render_docx(spec, _moment(spec))
        record = base_record("docx", spec, [docx_text(spec)])
        return Artifact(self._name(slot, spec, "docx", ctx.ref_number), data, record, spec)

    def xlsx(self, slot: int) -> Artifact:
        ctx = self.context(
            slot,
            language="ar" if self.rng(slot, "l").random() < 0.8 else "en",
            kind="detainee_list",
        )
        spec, _ = self.spec(ctx)
        data = render_xlsx(spec, _moment(spec))
        record = base_record("xlsx", spec, [xlsx_text(spec)])
        return Artifact(self._name(slot, spec, "xlsx", ctx.ref_number), data, record, spec)

    def csv(self, slot: int) -> Artifact:
        ctx = self.context(slot, language="ar", kind="detainee_list")
        spec, _ = self.spec(ctx)
        encoding = self.rng(slot, "enc").choice(("utf-8", "cp1256"))
        if encoding == "cp1256":
            spec = spec.with_european_digits()
        data, text = render_csv(spec, encoding)
        record = base_record("csv", spec, [text], encoding=encoding)
        return Artifact(f"detainees_{ctx.ref_number}_{slot:05d}.csv", data, record, spec)

    def html(self, slot: int) -> Artifact:
        ctx = self.context(slot)
        spec, _ = self.spec(ctx)
        encoding = "utf-8"
        if spec.rtl and self.rng(slot, "enc").random() < 0.3:
            encoding, spec = "cp1256", spec.with_european_digits()
        data, text = render_html(spec, encoding)
        record = base_record("html", spec, [text], encoding=encoding)
        return Artifact(self._name(slot, spec, "html", ctx.ref_number), data, record, spec)

    def text(self, slot: int) -> Artifact:
        ctx = self.context(slot)
        spec, _ = self.spec(ctx)
        encoding = "utf-8"
        if spec.rtl and self.rng(slot, "enc").random() < 0.5:
            encoding, spec = "cp1256", spec.with_european_digits()
        data, text = render_text(spec, encoding)
        record = base_record("text", spec, [text], encoding=encoding)
        return Artifact(self._name(slot, spec, "txt", ctx.ref_number), data, record, spec)

    # -- scans ---------------------------------------------------------------------------

    def scan(
        self, slot: int, fmt: str, *, ctx: Context | None = None, degraded: bool | None = None
    ) -> Artifact:
        """A scan as PNG, JPEG or TIFF (first page), multi-page TIFF or image-only PDF."""
        ctx = ctx or self.context(
            slot, language="ar" if self.rng(slot, "l").random() < 0.85 else None
        )
        spec, pages = self.spec(ctx)
        if fmt in ("png", "jpeg", "tiff"):
            pages = pages[:1]
        pdf = render_pdf(spec, pages, _moment(spec))
        rng = self.rng(slot, "scan")
        if degraded is None:
            degraded = rng.random() < 0.6
        scan = scan_pages(
            pdf, seed=rng.randrange(2**32), degraded=degraded, dpi=rng.choice((150, 150, 200))
        )
        texts = [p.text for p in pages]
        extra = {"quality": scan.quality, "dpi": scan.dpi, "skew_degrees": scan.skew_degrees}
        ext = {"png": "png", "jpeg": "jpg", "tiff": "tif", "tiff_multi": "tif", "pdf": "pdf"}[fmt]
        number = abs(slot)
        name = rng.choice(
            (f"scan_{number:05d}.{ext}", f"IMG_{2000 + number}.{ext}", f"{number:05d}.{ext}")
        )
        if fmt == "pdf":
            data = images_to_pdf(scan.images, title="scan", created=_moment(spec))
            return Artifact(
                name, data, base_record("pdf", spec, texts, producer="scanner", **extra), spec
            )
        if fmt == "tiff_multi":
            return Artifact(
                name, multipage_tiff(scan.images), base_record("image", spec, texts, **extra), spec
            )
        return Artifact(
            name, encode(scan.images[0], fmt), base_record("image", spec, texts, **extra), spec
        )

    # -- containers ----------------------------------------------------------------------

    def email(self, slot: int) -> Artifact:
        rng = self.rng(slot, "email")
        attachment = self.pdf(slot) if rng.random() < 0.6 else self.docx(slot)
        spec = attachment.spec
        assert spec is not None
        unit = self.world.by_id[spec.unit]
        if spec.rtl:
            body = f"SYNTHETIC — وثيقة اصطناعية\nمرفق {spec.title} للاطلاع.\nمع التحية"
        elif spec.language == "fr":
            body = (
                f"SYNTHETIC — document fictif\nVeuillez trouver ci-joint : {spec.title}."
                "\nCordialement"
            )
        else:
            body = f"SYNTHETIC — not a real message\nPlease find attached: {spec.title}.\nRegards"
        account = (unit.number and f"branch{unit.number}") or unit.id.lower().replace("-", ".")
        sent = datetime.combine(spec.issued, time(rng.randint(8, 17), rng.randint(0, 59)))
        subtype = (
            "pdf"
            if attachment.name.endswith(".pdf")
            else ("vnd.openxmlformats-officedocument.wordprocessingml.document")
        )
        data = render_email(
            spec,
            sender=f"{account}@synthetic.invalid",
            to="registry@synthetic.invalid",
            sent=sent,
            body=body,
            attachment=(attachment.name, attachment.data, subtype),
        )
        record = base_record(
            "email",
            None,
            [body],
            language=spec.language,
            kind="email",
            subject=spec.title + " — SYNTHETIC",
            sent=sent.isoformat(),
        )
        return Artifact(f"message_{slot:05d}.eml", data, record, None, [attachment])
