"""Arabic document templates: what a Syrian security branch or military hospital writes.

The wording is generic administrative Arabic, typed without short vowels (tanween and
harakat are rare in such documents and extractors treat them as separate marks). Lines
never mix Latin words into Arabic text. Every name, unit, date and reference number goes
through the builder, which records it for the ground truth.
"""

from __future__ import annotations

from datetime import timedelta

from dossier.demo.documents import DocBuilder
from dossier.demo.formats import ar_digits
from dossier.demo.spec import Claim
from dossier.demo.units import RANKS

__all__ = ["TEMPLATES_AR"]

_RANK_EN = {r.ar: r.en for r in RANKS}
_CAUSES = (
    "توقف القلب والتنفس",
    "توقف القلب والتنفس",
    "قصور قلبي حاد",
    "هبوط حاد في الدورة الدموية",
)


def _letterhead(b: DocBuilder, title: str) -> None:
    unit = b.world.by_id[b.ctx.unit]
    b.spec.title = title
    b.para("الجمهورية العربية السورية", "heading")
    if unit.kind == "branch" and unit.parent:
        b.para(b.unit(unit.parent, usual=True), "heading")
    elif unit.kind == "hospital":
        b.para("وزارة الدفاع — إدارة الخدمات الطبية العسكرية", "heading")
    b.para(b.unit(unit.id), "heading")
    b.para(f"الرقم: {b.ref()}")
    b.para(f"التاريخ: {b.date(b.ctx.issued)}")
    if unit.kind != "hospital":
        b.para(b.rng.choice(("سري للغاية", "سري", "سري وعاجل")), "heading", "center")
    b.space(6)
    b.para(title, "title", "center")
    if b.retyped:
        b.para("صورة طبق الأصل", "small", "center")


def _detainee_rows(b: DocBuilder, notes: bool) -> list[list[str]]:
    header = ["م", "الاسم الثلاثي", "اسم الأم", "التولد", "المحافظة", "تاريخ التوقيف"]
    rows = [header + (["ملاحظات"] if notes else [])]
    for i, d in enumerate(b.ctx.detainees, start=1):
        row = [
            ar_digits(i),
            b.detainee(d),
            d.mother.ar,
            ar_digits(d.birth_year),
            b.governorate(d),
            b.date(d.arrest_date),
        ]
        if notes:
            later = [u for u, day in d.custody if day > b.ctx.issued]
            row.append(f"محال إلى {b.unit(later[0])}" if later and b.rng.random() < 0.5 else "")
        rows.append(row)
    return rows


def arrest_order(b: DocBuilder) -> None:
    _letterhead(b, b.rng.choice(("أمر توقيف", "مذكرة توقيف", "مذكرة بحث وتوقيف")))
    d = b.ctx.detainees[0]
    if b.ctx.target:
        b.para(f"إلى: السيد رئيس {b.unit(b.ctx.target)} المحترم")
    b.para("الموضوع: توقيف")
    b.para(
        f"بناء على المعلومات المتوفرة لدى هذا الفرع، يطلب توقيف المدعو "
        f"{b.detainee(d, long=b.rng.random() < 0.5)} والدته {d.mother.ar} تولد "
        f"{ar_digits(d.birth_year)} من أهالي محافظة {b.governorate(d)}، وسوقه إلى هذا الفرع "
        "للتحقيق معه فيما هو منسوب إليه."
    )
    b.para("يرجى الاطلاع وإجراء اللازم وإعلامنا بالنتيجة.")
    b.sign(b.ctx.unit, b.ctx.issued)


def transfer_order(b: DocBuilder) -> None:
    _letterhead(b, b.rng.choice(("كتاب إحالة", "أمر نقل موقوفين")))
    b.para(f"من: {b.unit(b.ctx.unit, usual=True)}")
    b.para(f"إلى: {b.unit(b.ctx.target or b.ctx.unit)}")
    b.para("الموضوع: نقل موقوفين")
    count = ar_digits(len(b.ctx.detainees))
    b.para(
        f"نرسل إليكم برفقة الدورية الموقوفين المذكورة أسماؤهم أدناه وعددهم ({count}) "
        "لمتابعة التحقيق معهم حسب الأصول:"
    )
    b.table(_detainee_rows(b, notes=False))
    b.sign(b.ctx.unit, b.ctx.issued)


def interrogation_summary(b: DocBuilder) -> None:
    _letterhead(b, b.rng.choice(("ملخص التحقيق", "محضر استجواب")))
    d = b.ctx.detainees[0]
    b.para(f"اسم الموقوف: {b.detainee(d, long=True)}")
    b.para(f"اسم الأم: {d.mother.ar}")
    b.para(f"التولد: {ar_digits(d.birth_year)} — المحافظة: {b.governorate(d)}")
    b.para(f"تاريخ التوقيف: {b.date(d.arrest_date)}")
    b.para(f"الجهة الموقفة: {b.unit(d.arresting_unit)}")
    b.para(
        "بالتحقيق مع الموقوف المذكور أفاد بأنه شارك في عدد من التظاهرات في منطقة سكنه "
        "وأنه تواصل مع أشخاص مطلوبين لهذا الفرع، وقد أنكر حيازة أي سلاح أو تمويل أي نشاط."
    )
    proposal = b.rng.choice(
        ("إحالته إلى القضاء العسكري", "إخلاء سبيله بعد أخذ التعهد اللازم", "transfer")
    )
    if proposal == "transfer":
        target = b.rng.choice([u for u in ("MI-248", "GI-285", "MI-235") if u != b.ctx.unit])
        proposal = f"إحالته إلى {b.unit(target)} لاستكمال التحقيق"
    b.para(f"المقترح: {proposal}")
    b.sign(b.ctx.unit, b.ctx.issued, role="interrogator")
    b.para("يصادق", "body", "end")
    b.sign(b.ctx.unit, b.ctx.issued)


def detainee_list(b: DocBuilder) -> None:
    _letterhead(b, "قائمة بأسماء الموقوفين")
    b.para(f"الموقوفون لدى {b.unit(b.ctx.unit)} حتى تاريخ {b.date(b.ctx.issued)}")
    b.table(_detainee_rows(b, notes=True))
    b.sign(b.ctx.unit, b.ctx.issued, role=b.rng.choice(("head", "officer")))


def death_report(b: DocBuilder) -> None:
    _letterhead(b, b.rng.choice(("تقرير وفاة", "ضبط وفاة")))
    d = b.ctx.detainees[0]
    if d.body_number:
        number = ar_digits(d.body_number)
        b.para(f"رقم الجثة: {b.note('ref', number, number)}")
    b.para(f"الاسم: {b.detainee(d)}")
    b.para(f"الجهة المحيلة: {b.unit(b.ctx.target or 'MI-227')}")
    b.para(f"تاريخ الوفاة: {b.date(d.death_date or b.ctx.issued)}")
    b.para(f"سبب الوفاة: {b.rng.choice(_CAUSES)}")
    b.para("تم حفظ الجثة في براد المشفى وإبلاغ الجهة المحيلة أصولا.")
    b.sign(b.ctx.unit, b.ctx.issued)


def cable(b: DocBuilder) -> None:
    unit = b.world.by_id[b.ctx.unit]
    b.spec.title = "برقية"
    b.para("برقية", "title", "center")
    b.para(b.rng.choice(("سري للغاية", "فوري")), "heading", "center")
    b.para(f"من: {b.unit(unit.id)}")
    b.para(f"إلى: {b.unit(b.ctx.target or unit.id, usual=True)}")
    b.para(f"رقم: {b.ref()}")
    hour = ar_digits(b.rng.choice(("09:15", "14:30", "22:05")))
    b.para(f"تاريخ: {b.date(b.ctx.issued)} الساعة {hour}")
    first = b.ctx.detainees[0]
    count = ar_digits(len(b.ctx.detainees))
    b.para(
        f"نعلمكم بأنه بتاريخ {b.date(first.arrest_date)} تم توقيف ({count}) من الأشخاص "
        f"في محافظة {b.governorate(first)} وهم:"
    )
    for i, d in enumerate(b.ctx.detainees, start=1):
        b.para(f"{ar_digits(i)}- {b.detainee(d)}")
    b.para("وقد تم إيداعهم في هذا الفرع لمتابعة التحقيق معهم. للاطلاع.")
    b.sign(unit.id, b.ctx.issued)


def testimony(b: DocBuilder) -> None:
    """A documentation group's summary of a testimony, years after the detention."""
    d = b.ctx.detainees[0]
    head, post = b.world.head_of(b.ctx.unit, b.ctx.issued)
    b.spec.title = "ملخص إفادة"
    b.para("مجموعة توثيق — مادة اصطناعية لأغراض الاختبار", "heading", "center")
    b.para("ملخص إفادة", "title", "center")
    number = ar_digits(b.ctx.ref_number)
    b.para(f"رقم الملف: {b.note('ref', number, number)}")
    taken = b.ctx.issued + timedelta(days=700 + b.ctx.ref_number % 500)
    b.para(f"تاريخ الإفادة: {b.date(taken)}")
    name = b.detainee(d, long=True)
    source = "المعتقل نفسه بعد الإفراج عنه" if d.fate == "released" else "أحد أقارب المعتقل"
    b.para(f"مصدر الإفادة: {source}")
    held, arrested_by = b.unit(b.ctx.unit), b.unit(d.arresting_unit)
    b.para(
        f"أفاد المصدر بأن {name} اعتقل بتاريخ {b.date(d.arrest_date)} من قبل {arrested_by} "
        f"واحتجز في {held} حيث تعرض للتعذيب والضرب وسوء المعاملة."
    )
    b.para("وذكر المصدر أن التعذيب كان يمارس بشكل يومي خلال فترة الاحتجاز.")
    rank = "ال" + b.rank(post)
    sentence = (
        f"وبحسب الإفادة كان رئيس {b.unit(b.ctx.unit, usual=True)} في تلك الفترة "
        f"{rank} {b.person(head)}."
    )
    b.para(sentence)
    b.spec.claims.append(
        Claim(
            head.id,
            "holds_post",
            post.unit,
            post.role,
            _RANK_EN[post.rank],
            b.ctx.issued.isoformat(),
            sentence,
        )
    )
    if d.death_date and d.death_place:
        b.para(f"وقد توفي في {b.unit(d.death_place)} بتاريخ {b.date(d.death_date)}.")
    elif d.fate == "released":
        b.para("وأفرج عنه لاحقا بعد عدة أشهر.")
    else:
        b.para("ولا يزال مصيره مجهولا حتى تاريخ الإفادة.")


def memo(b: DocBuilder) -> None:
    _letterhead(b, "مذكرة داخلية")
    subject = b.rng.choice(
        ("نقل الموقوفين المرضى", "مراجعات ذوي الموقوفين", "تنظيم سجلات الموقوفين")
    )
    b.para("إلى: رئيس قسم التحقيق")
    b.para(f"الموضوع: {subject}")
    hospital = b.rng.choice(("F-601", "F-TISHREEN"))
    b.para(
        f"يتم نقل الموقوفين المرضى إلى {b.unit(hospital)} بموجب كتاب رسمي موقع من رئيس الفرع "
        "حصرا، ويرفق مع كل موقوف ملخص عن حالته."
    )
    b.para("يمنع إعطاء أي معلومات عن الموقوفين لذويهم دون موافقة خطية من رئيس الفرع.")
    if b.ctx.detainees:
        b.para(f"ويعمم ذلك بخصوص الموقوف {b.detainee(b.ctx.detainees[0])} ومن في حكمه.")
    b.para("للتنفيذ.")
    b.sign(b.ctx.unit, b.ctx.issued, role=b.rng.choice(("head", "head", "deputy")))


TEMPLATES_AR = {
    "testimony": testimony,
    "arrest_order": arrest_order,
    "transfer_order": transfer_order,
    "interrogation_summary": interrogation_summary,
    "detainee_list": detainee_list,
    "death_report": death_report,
    "cable": cable,
    "memo": memo,
}
