"""Putting back the letters Tesseract's Arabic model loses in Naskh ligatures, and its commas.

Measured on the demo's scans (`bench/bench_ocr.py`), the commonest error of the script model
on clean pages, after the digits, is a letter lost inside a ligature: the meem after a lam or
before a hah, khah or jeem ("الخابرات" for المخابرات, "الجهورية" for الجمهورية, "الحترم" for
المحترم) and the yeh-khah of التاريخ read as one jeem ("التارج"). The words where it happens
most are the words of every official letter: the letterhead, the salutation, the subject and
date lines.

So a word of five letters or more that is not one of the words below, but becomes exactly one of
them by putting back one meem, or by reading a jeem as yeh-khah, is taken to be that word,
unless it is a word itself (`WORDS_THEMSELVES`: التابعة stays التابعة). No other edit is made: a
general "nearest word" would turn real words into their neighbours (الطبية into الطبيب, السعيد
into السيد). The words are the vocabulary of the correspondence of the Syrian security services
and the state (letterheads, ranks, forms, the usual formulas); none is a name. The date word is
also put right when its yeh-khah was lost whole or read as other letters ("بتار ٢٠١٣/١/٢",
"التار:", "تارب", "بتارځغ"), but only where a date word is expected: before a colon, a number,
or a word that follows it on forms ("تاريخ الإفادة"), since "تارة" and "تارك" are words
(`_date_word`). On the clean Arabic scans of the bench leaks, this and the em dashes of
`ocr_dashes` took the character error rate from 2.77 to 2.36 %, 3.62 to 3.03 % and 3.06 to
2.50 % (seeds 11, 7, 13). Each change is returned with its place, like the digit repairs, so
that the OCR text as Tesseract gave it stays recoverable from the item's metadata.

On every page, a Latin word that starts with a small l before a consonant, which no English or
French word does, had a capital I there (`capital_i`): "al-lssa" is al-Issa, a name the
gazetteer then finds.
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


# التاريخ with its yeh-khah lost or misread ("بتار ٢٠١٣/١/٢", "التار:", "تارج الإفادة"): the
# stem before it, and the letters Tesseract made of the ligature (none, or one or two others).
# "تارة" (at times) and "تارك" (one who leaves) are words: the form is taken for the date
# word only before a colon, a number, or a word that follows "تاريخ" on a form.
_DATE_STEM = re.compile("([وب]?(?:ال)?)تار([\u0621-\u064a\u0671-\u06d3]{0,2})")
_NOT_YEH_KHAH = frozenset({"يخ", "ة", "ك", "كة", "ات"})
_AFTER_DATE_WORD = frozenset("""
الإفادة الافادة التوقيف الوفاة الولادة الإحالة الاحالة الكتاب الاستجواب القبض الاعتقال
الإفراج الافراج الدخول الخروج النقل الورود
""".split())
_DIGIT = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]")


def _date_word(core: str, token: str, following: str) -> str | None:
    """The date word a misread one stands for (`_DATE_STEM`), or None."""
    found = _DATE_STEM.fullmatch(core)
    if found is None or found.group(2) in _NOT_YEH_KHAH:
        return None
    if token.endswith(":") or _DIGIT.match(following) \
            or following.rstrip(_TRAILING) in _AFTER_DATE_WORD:
        return f"{found.group(1)}تاريخ"
    return None


def restore_ligature_letters(text: str) -> tuple[str, list[DigitCorrection]]:
    """The text with the words of `RESTORATIONS` put right, and the date word that lost its
    yeh-khah (`_date_word`), and each change, its offset in the text returned."""
    corrections: list[DigitCorrection] = []
    pieces: list[str] = []
    last_end = 0
    written = 0
    tokens = list(re.finditer(r"\S+", text))
    for index, match in enumerate(tokens):
        token = match.group(0)
        core = token.rstrip(_TRAILING)
        word = RESTORATIONS.get(core) if _WORD.fullmatch(core) else None
        if word is None:
            following = tokens[index + 1].group(0) if index + 1 < len(tokens) else ""
            word = _date_word(core, token, following)
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


_GUILLEMET_AFTER_LETTER = re.compile("(?<=[\u0621-\u064a])»(?=\\s|$)")


def arabic_commas(text: str) -> tuple[str, list[DigitCorrection]]:
    """The text with the Arabic commas Tesseract read as closing guillemets put back, and
    each change. The script model reads the "،" after a word ("الفرع،", "طرطوس،") as "»"; a
    "»" right after an Arabic letter that closes no "«" opened before it on the page is taken
    for the comma (a quotation that runs on from the page before is rare, and then the
    comma is the likelier reading anyway). Same length: the offsets of other repairs stand."""
    corrections: list[DigitCorrection] = []
    opened = 0
    position = 0
    for match in _GUILLEMET_AFTER_LETTER.finditer(text):
        for sign in re.findall("[«»]", text[position:match.start()]):
            opened = opened + 1 if sign == "«" else max(0, opened - 1)
        position = match.end()
        if opened > 0:
            opened -= 1
            continue
        corrections.append(DigitCorrection(match.start(), "»", "،"))
    return _one_for_one(text, corrections), corrections


# A lower-case l that starts a word, before a consonant and two more small letters: no English or
# French word begins so ("lb", "lbs", "lt" are too short), and the Latin model reads the capital
# I of a transliterated name so ("al-lssa" for al-Issa, "lbrahim", "ldlib").
_L_FOR_CAPITAL_I = re.compile("(?<![\\w'’])l(?=[bcdfghjkmnpqrstvwxz][a-z]{2})")


def capital_i(text: str) -> tuple[str, list[DigitCorrection]]:
    """The text with the capital I that Tesseract read as a small l at the start of a Latin
    word put back ("Suleiman al-lssa" -> "Suleiman al-Issa"), and each change; same length."""
    corrections = [DigitCorrection(match.start(), "l", "I")
                   for match in _L_FOR_CAPITAL_I.finditer(text)]
    return _one_for_one(text, corrections), corrections


def _one_for_one(text: str, corrections: list[DigitCorrection]) -> str:
    """The text with each correction's one sign put in the place of the one it replaces."""
    if not corrections:
        return text
    chars = list(text)
    for correction in corrections:
        chars[correction.offset] = correction.after
    return "".join(chars)


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
