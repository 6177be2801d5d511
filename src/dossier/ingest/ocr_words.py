"""Putting back the letters Tesseract's Arabic model loses in Naskh ligatures.

Measured on the demo's scans (`bench/bench_ocr.py`), the commonest error of the script model
on clean pages, after the digits, is a letter lost inside a ligature: the meem after a lam or
before a hah, khah or jeem ("الخابرات" for المخابرات, "الجهورية" for الجمهورية, "الحترم" for
المحترم) and the yeh-khah of التاريخ read as one jeem ("التارج"). The words where it happens
most are the words of every official letter: the letterhead, the salutation, the subject and
date lines.

So a word of five letters or more that is not one of the words below, but becomes exactly one
of them by putting back one meem, or by reading a jeem as yeh-khah, is taken to be that word,
unless it is a word itself (`WORDS_THEMSELVES`: التابعة stays التابعة). No other edit is
made: a general "nearest word" would turn real words into their neighbours (الطبية into
الطبيب, السعيد into السيد). The words are the vocabulary of the correspondence of
the Syrian security services and the state (letterheads, ranks, forms, the usual formulas);
none is a name. Each change is returned with its place, like the digit repairs, so that the
OCR text as Tesseract gave it stays recoverable from the item's metadata.
"""

from __future__ import annotations

import re

from dossier.ingest.ocr_digits import DigitCorrection

VOCABULARY = frozenset("""
الجمهورية العربية السورية وزارة الداخلية الدفاع إدارة المخابرات العامة شعبة العسكرية الجوية
الأمن السياسي الجنائي العسكري الفرع القسم المحترم السيد الموضوع التاريخ بتاريخ تاريخ الرقم
المرجع سري عاجل للتنفيذ للاطلاع المحافظة محافظة المدعو والدته تولد الموقوف الموقوفين
الموقوفون المعتقل المتوفى المشفى مشفى التحقيق لمتابعة متابعة المتابعة المعلومات المتوفرة
المنسوب المحيلة الجهة إحالة برقية كتاب رئيس اللواء العميد العقيد المقدم الرائد النقيب
المساعد الطبيب الشرعي الوفاة سبب تقرير محضر استجواب المصدر الإفادة الثلاثي الاسم المواليد
مكان الإقامة الهوية الوطنية توقيف التوقيف نرجو يرجى إليكم لدينا حصرا أصولا الأصول المختصة
الجهات الواردة المرفقة المذكور المذكورة الصادر الصادرة المخفر الشرطة السجن سجن المركزي
المحكمة الميدانية النيابة الحرس الجمهوري الفرقة الرابعة الكتيبة السرية الفوج القيادة
للجيش والقوات المسلحة
""".split())

# Misreadings that are words themselves, never changed: the affiliated (التابعة), the folder
# (الحافظة), wisdom (الحكمة), the trick (الحيلة), the chest (الصدر), the foot and Qadam in
# Damascus (القدم), the feast (العيد), the forearm (الساعد), males (الذكور), standing (الوقوف),
# company (الرفقة), return (الرجع), the coast guard's guard (الخفر).
WORDS_THEMSELVES = frozenset("""
التابعة تابعة الحافظة حافظة الحكمة الحيلة الصدر القدم العيد الساعد الذكور الذكورة الوقوف
الرفقة الرجع الخفر
""".split())
_MIN_LENGTH = 5
_WORD = re.compile(r"[\u0621-\u064a]+")
_TRAILING = ":،.»؛"


def _restorations() -> dict[str, str]:
    """Each misreading the rule undoes -> the word it stands for (ambiguous ones left out)."""
    found: dict[str, set[str]] = {}
    for word in VOCABULARY:
        misread = {word[:i] + word[i + 1:] for i, ch in enumerate(word) if ch == "م"}
        if "يخ" in word:
            misread.add(word.replace("يخ", "ج"))
        for form in misread:
            if len(form) >= _MIN_LENGTH and form not in VOCABULARY \
                    and form not in WORDS_THEMSELVES:
                found.setdefault(form, set()).add(word)
    return {form: words.pop() for form, words in found.items() if len(words) == 1}


RESTORATIONS = _restorations()


def restore_ligature_letters(text: str) -> tuple[str, list[DigitCorrection]]:
    """The text with the words of `RESTORATIONS` put right, and each change, its offset in
    the text returned."""
    corrections: list[DigitCorrection] = []
    pieces: list[str] = []
    last_end = 0
    written = 0
    for match in re.finditer(r"\S+", text):
        token = match.group(0)
        core = token.rstrip(_TRAILING)
        word = RESTORATIONS.get(core) if _WORD.fullmatch(core) else None
        if word is None:
            continue
        pieces.append(text[last_end:match.start()])
        written += match.start() - last_end
        corrections.append(DigitCorrection(written, core, word))
        pieces.append(word)
        written += len(word)
        last_end = match.start() + len(core)
    if not corrections:
        return text, []
    pieces.append(text[last_end:])
    return "".join(pieces), corrections


def shift_offsets(earlier: list[DigitCorrection], restored: list[DigitCorrection]
                  ) -> list[DigitCorrection]:
    """Corrections made before `restore_ligature_letters`, their offsets moved to the text it
    returned (each letter it put back moves what follows it by one)."""
    moves: list[tuple[int, int]] = []  # (offset in the text before, letters added there)
    added = 0
    for correction in restored:
        moves.append((correction.offset - added, len(correction.after) - len(correction.before)))
        added += moves[-1][1]
    return [DigitCorrection(correction.offset + sum(delta for at, delta in moves
                                                    if at < correction.offset),
                            correction.before, correction.after) for correction in earlier]
