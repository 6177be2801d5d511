"""Reading the values of a victim list's row: dates, sex, age, governorate and status.

Each reader takes the text of one cell as received and returns what Dossier reads from it,
or raises :class:`FieldError` with a message a person can act on. An empty cell, or one that
only says "unknown" in any of the three languages, reads as ``None`` without complaint: a list
that does not know is not wrong.

Dates become ISO text: "2012-03-04"; "2012-03" or "2012" when only the month or the year is
written. The forms read are those of `dossier.extract.dates` (Arabic, English and French month
names; day-first numbers with European or Arabic-Indic digits; year-first numbers) plus a bare
year, "2012-03", "03/2012" and spreadsheet dates.

Governorates become the canonical English name of one of the fourteen governorates (the
synthetic world's list, which follows the administrative map): Arabic, English and French
spellings, with or without the article, "محافظة" or "Governorate", and the usual variants
("Rif Dimashq", "Rural Damascus", "Deir Ezzor"); a spelling one letter away from a known one is
read as it.

Status becomes one of killed | died_in_detention | disappeared | detained | released.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime

from dossier.demo.world import GOVERNORATES
from dossier.extract.dates import find_dates, read_numeric
from dossier.extract.model import INVISIBLE
from dossier.text import european_digits, fold_latin, normalize_arabic

__all__ = [
    "GOVERNORATE_NAMES",
    "STATUSES",
    "FieldError",
    "cell_text",
    "read_age",
    "read_date",
    "read_governorate",
    "read_sex",
    "read_status",
]

STATUSES = ("killed", "died_in_detention", "disappeared", "detained", "released")
GOVERNORATE_NAMES: tuple[str, ...] = tuple(english for _, english, _ in GOVERNORATES)


class FieldError(ValueError):
    """A value that cannot be read; the message says why."""


_INVISIBLE_RE = re.compile(f"[{INVISIBLE}\u200b\ufeff]")

_UNKNOWN = {
    "unknown", "n/a", "na", "none", "-", "--", "?", "??", "inconnu", "inconnue", "nc", "nd",
    "غير معروف", "غير معروفه", "مجهول", "مجهوله", "لا يوجد", "غير محدد", "لا يعرف", "null",
    "non renseigne", "unk", "not known", "no information", "pas d information",
    "لا توجد معلومات", "لا معلومات",
}


def cell_text(value: object) -> str:
    """The text of a cell as received: spreadsheet numbers and dates written back as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _clean(text: str) -> str:
    text = european_digits(_INVISIBLE_RE.sub("", text))
    return re.sub(r"\s+", " ", text).strip()


def _key(text: str) -> str:
    """Case, accents, Arabic letter forms and diacritics folded; punctuation to spaces."""
    folded = normalize_arabic(fold_latin(_clean(text)))
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", folded)).strip()


def is_unknown(text: str) -> bool:
    cleaned = _clean(text)
    return not cleaned or cleaned.casefold() in _UNKNOWN or _key(cleaned) in _UNKNOWN


# -- dates ----------------------------------------------------------------------------------

_YEAR = re.compile(r"^(?:(?:about|circa|ca\.?|c\.|vers|حوالي|عام|سنة)\s*)?(\d{4})\s*[م?]?$",
                   re.IGNORECASE)
_YEAR_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,4})\s*م?$")
_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


def _year_ok(year: int, text: str) -> int:
    if not 1900 <= year <= 2099:
        raise FieldError(f"year {year} is outside 1900-2099: {text!r}")
    return year


def read_date(text: str) -> str | None:
    """ISO date, year-month or year of a date as written; None when empty or unknown."""
    if is_unknown(text):
        return None
    cleaned = _clean(text)
    if match := _ISO_TIME.match(cleaned):
        cleaned = match[1]
    if match := _YEAR.match(cleaned):
        return f"{_year_ok(int(match[1]), text):04d}"
    for pattern, year_group, month_group in ((_YEAR_MONTH, 1, 2), (_MONTH_YEAR, 2, 1)):
        if match := pattern.match(cleaned):
            year, month = _year_ok(int(match[year_group]), text), int(match[month_group])
            if not 1 <= month <= 12:
                raise FieldError(f"no month {month}: {text!r}")
            return f"{year:04d}-{month:02d}"
    if match := _NUMERIC.match(cleaned):
        reading = read_numeric(match[1], match[3], match[4])
        if reading is None:
            raise FieldError(f"not a possible date: {text!r}")
        return reading[0]
    found = [f for f in find_dates(cleaned) if f.value and not f.value.startswith("--")]
    if len(found) == 1:
        return found[0].value
    if len(found) > 1:
        raise FieldError(f"more than one date: {text!r}")
    raise FieldError(f"not a date: {text!r}")


# -- sex and age ----------------------------------------------------------------------------

_SEX = {
    "m": "m", "male": "m", "man": "m", "boy": "m", "h": "m", "homme": "m", "masculin": "m",
    "garcon": "m", "ذكر": "m", "ذ": "m", "رجل": "m", "طفل": "m",
    "f": "f", "female": "f", "woman": "f", "girl": "f", "w": "f", "femme": "f", "feminin": "f",
    "fille": "f", "انثي": "f", "ا": "f", "امراه": "f", "طفله": "f", "سيده": "f",
}


def read_sex(text: str) -> str | None:
    """m or f from the words of three languages (M/F, H/F, ذكر/أنثى, male/female …)."""
    if is_unknown(text):
        return None
    key = _key(text)
    if key in _SEX:
        return _SEX[key]
    raise FieldError(f"not a sex: {text!r} (expected m/f, ذكر/أنثى, homme/femme …)")


_AGE = re.compile(r"^(\d{1,3})(?:[.,]0+)?\s*(?:years?( old)?|yrs?|y|ans?|سنه|سنوات|عاما|عام|سنة)?$",
                  re.IGNORECASE)


def read_age(text: str) -> int | None:
    """An age in whole years, 0-120 ("35", "35 years", "٣٥ سنة", "35 ans")."""
    if is_unknown(text):
        return None
    match = _AGE.match(normalize_arabic(_clean(text)))
    if match is None:
        raise FieldError(f"not an age: {text!r}")
    age = int(match[1])
    if age > 120:
        raise FieldError(f"age {age} is not possible")
    return age


# -- governorates ---------------------------------------------------------------------------

_GOVERNORATE_VARIANTS: dict[str, tuple[str, ...]] = {
    "Damascus": ("Dimashq", "Damascus City", "Damas", "الشام", "مدينة دمشق"),
    "Rif Dimashq": ("Rif Damascus", "Rural Damascus", "Damascus Countryside", "Reef Dimashq",
                    "Rif Dimachq", "Rif Damas", "Damascus Suburbs", "Rif Dimashk", "ريف الشام"),
    "Aleppo": ("Halab", "Alep", "Haleb"),
    "Homs": ("Hims", "Homs City"),
    "Hama": ("Hamah", "Hamat", "Hamaa"),
    "Latakia": ("Lattakia", "Lattaquie", "Ladhiqiyah", "Al-Ladhiqiyah", "Lattakieh", "Latakiya",
                "اللادقية"),
    "Tartus": ("Tartous", "Tartouss", "Tartoos", "Tortosa"),
    "Idlib": ("Idleb", "Edlib", "Edleb"),
    "Daraa": ("Deraa", "Dara'a", "Der'a", "Dar'a", "Deraa City", "Horan", "Hauran"),
    "As-Suwayda": ("Suwayda", "Sweida", "Swaida", "Soueida", "Suweida", "Al-Suwayda"),
    "Quneitra": ("Qunaitra", "Kuneitra", "Qunaytirah", "Al-Qunaytirah", "Quneitera"),
    "Deir ez-Zor": ("Deir Ezzor", "Deir al-Zour", "Deir el-Zor", "Dayr az-Zawr", "Deir Ezzour",
                    "Deir al-Zor", "Deir Zor", "Deirezzor", "دير الزوز"),
    "Raqqa": ("Ar-Raqqah", "Raqqah", "Rakka", "Al-Raqqa", "Er-Raqqa"),
    "Al-Hasakah": ("Hasakah", "Hasaka", "Hassakeh", "Hassake", "Al-Hasaka", "Hasakeh",
                   "Hassaka", "Hasseke"),
}

_ARTICLE = re.compile(r"^(?:al|el|ar|as|ad|az|ash)[\s-]+|^ال")
_ADMIN_WORDS = re.compile(
    r"\b(?:governorate|gouvernorat|province|muhafazat|muhafaza|mohafaza|de|of|city|ville)\b"
    r"|محافظه|محافظة|مدينه|ريف محافظه"
)


def _governorate_key(text: str) -> str:
    key = _key(_ADMIN_WORDS.sub(" ", fold_latin(_clean(text))))
    key = _key(_ADMIN_WORDS.sub(" ", key))
    words = [_ARTICLE.sub("", word) for word in key.split()]
    return "".join(word for word in words if word).replace("'", "")


def _governorate_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for arabic, english, french in GOVERNORATES:
        for spelling in (arabic, english, french, *_GOVERNORATE_VARIANTS[english]):
            table.setdefault(_governorate_key(spelling), english)
    return table


_GOVERNORATE_TABLE = _governorate_table()


def read_governorate(text: str) -> str | None:
    """The canonical English name of the governorate a spelling names."""
    if is_unknown(text):
        return None
    key = _governorate_key(text)
    if key in _GOVERNORATE_TABLE:
        return _GOVERNORATE_TABLE[key]
    if len(key) >= 4:
        close = difflib.get_close_matches(key, list(_GOVERNORATE_TABLE), n=1, cutoff=0.8)
        if close:
            return _GOVERNORATE_TABLE[close[0]]
    raise FieldError(f"unknown governorate: {text!r}")


# -- status ---------------------------------------------------------------------------------

# A death word together with a detention word is a death in detention; then checked in order.
_DEATH_WORDS = (
    "killed", "died", "death", "dead", "deceased", "executed", "murdered", "martyr",
    "tue", "tuee", "mort", "morte", "decede", "decedee", "deces", "execute", "martyre",
    "قتل", "مقتول", "قتيل", "استشهد", "شهيد", "توفي", "متوفي", "وفاه", "قضي", "مات", "اعدم",
    "اعدام",
)
_DETENTION_WORDS = (
    "detention", "custody", "torture", "tortured", "prison", "jail", "detained", "branch",
    "detenu", "detenue", "emprisonne",
    "معتقل", "معتقلات", "اعتقال", "سجن", "احتجاز", "محتجز", "تعذيب", "فرع", "زنزانه",
)
_STATUS_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("disappeared", (
        "disappeared", "disappearance", "missing", "whereabouts unknown", "forcibly",
        "disparu", "disparue", "disparition",
        "مختفي", "اختفاء", "مغيب", "تغييب", "مفقود", "مجهول المصير", "خرج ولم يعد",
    )),
    ("killed", _DEATH_WORDS),
    ("released", (
        "released", "freed", "liberated", "libere", "liberee", "relache", "relachee",
        "افرج", "مفرج", "اطلق سراح", "مطلق سراح", "اخلي سبيل", "اخلاء سبيل",
    )),
    ("detained", (
        "detained", "detention", "arrested", "in custody", "imprisoned", "abducted", "held",
        "detenu", "detenue", "arrete", "arretee", "emprisonne", "incarcere",
        "معتقل", "محتجز", "موقوف", "مسجون", "اعتقل", "سجين", "مخطوف", "مختطف",
    )),
)

_AR_PREFIX = "(?:و|ف|ب|ل|ال|وال|بال|فال|لل|ك)?"
_AR_SUFFIX = "(?:ه|ا|ت|ته|وا|ون|ين|ها|هم|ات|يا)?"


def _contains(key: str, phrase: str) -> bool:
    phrase_key = _key(phrase)
    if re.search(r"[a-z]", phrase_key):
        return re.search(rf"\b{re.escape(phrase_key)}s?\b", key) is not None
    # Arabic words take prefixes (و, ب, ال) and suffixes (ه, ا); whole words otherwise.
    words = [re.escape(word) for word in phrase_key.split()]
    pattern = r"\s+".join(f"{_AR_PREFIX}{word}{_AR_SUFFIX}" for word in words)
    return re.search(rf"(?<!\w){pattern}(?!\w)", key) is not None


def read_status(text: str) -> str | None:
    """killed | died_in_detention | disappeared | detained | released, from the list's words."""
    if is_unknown(text):
        return None
    key = _key(text)
    if key.replace(" ", "_") in STATUSES:
        return key.replace(" ", "_")
    if (any(_contains(key, word) for word in _DEATH_WORDS)
            and any(_contains(key, word) for word in _DETENTION_WORDS)):
        return "died_in_detention"
    for status, phrases in _STATUS_RULES:
        if any(_contains(key, phrase) for phrase in phrases):
            return status
    raise FieldError(f"unknown status: {text!r} (expected killed, died in detention, "
                     "disappeared, detained or released, in Arabic, English or French)")
