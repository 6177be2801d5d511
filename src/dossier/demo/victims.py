"""Victim lists from several documenting organisations over one synthetic population.

The population is the synthetic world's detainees (`build_world`): each is a victim of
detention, and what happened to each (died in custody, disappeared, still detained, released)
is known. Several invented organisations document them, each with its own reach and habits:

- coverage differs by governorate (each organisation has the governorates it works in), by
  period (when it was documenting), by perpetrator (the agencies its witnesses speak of) and by
  fate (a death is more often reported than a release); some victims are better known than
  others, and two of the lists share sources (families who reported to one also reported to the
  other), so lists are not independent;
- each list is written in its own way: Arabic or English or French headers, the full name in
  one column or its parts in several, sex as ذكر/أنثى, M/F or H/F, dates in its own format,
  governorates in its own language, status in its own words, its own record ids, CSV in UTF-8
  or windows-1256, or XLSX;
- each record carries the errors real lists carry: transliteration variants, typos, swapped
  name parts, missing fields, dates a few days off or given only as a year, ages a year off,
  and the same person entered twice in one list.

`truth.json` says who is who (every record's list, row, record id and true victim), the true
total (including the victims no list recorded), each list's coverage, and how many errors of
each kind were made. Everything comes from ``random.Random(seed)``: the same seed writes the
same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from dossier.demo.names import NamePart, article_forms
from dossier.demo.render_office import reproducible_zip
from dossier.demo.units import FACILITIES, UNITS, Unit
from dossier.demo.world import GOVERNORATES, Detainee, World, build_world

__all__ = ["ERROR_KINDS", "LIST_STYLES", "ListStyle", "generate_lists"]

ERROR_KINDS = (
    "transliteration", "typo", "swapped_name_parts", "missing_field", "date_off_by_days",
    "date_year_only", "age_off_by_one", "duplicate_in_list", "status_outdated",
)

_CREATED = datetime(2017, 3, 1, 9, 0, 0)
_UNIT = {unit.id: unit for unit in UNITS + FACILITIES}
_AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_EUROPEAN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
_AR_MONTHS = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
              "تشرين الأول", "تشرين الثاني", "كانون الأول")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
_FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre")

# Governorate spellings lists use besides the usual ones (index into GOVERNORATES).
_GOVERNORATE_VARIANTS_EN: dict[int, tuple[str, ...]] = {
    1: ("Rif Damascus", "Rural Damascus"), 7: ("Idleb",), 5: ("Lattakia",),
    8: ("Dara'a", "Deraa"), 9: ("Sweida",), 11: ("Deir Ezzor", "Deir al-Zour"),
    13: ("Hasakah", "Hassakeh"),
}
_GOVERNORATE_VARIANTS_AR: dict[int, tuple[str, ...]] = {
    7: ("ادلب",), 5: ("اللادقية",), 13: ("الحسكه",), 4: ("حماه",),
}

# What each language calls each status (the first is the usual word).
_STATUS_WORDS = {
    "ar": {"died_in_detention": ("توفي تحت التعذيب", "قضى في المعتقل", "توفي في المعتقل"),
           "killed": ("استشهد", "قتل"), "disappeared": ("مختفي قسرياً", "مجهول المصير", "مغيب"),
           "detained": ("معتقل", "محتجز"), "released": ("أفرج عنه", "مفرج عنه")},
    "en": {"died_in_detention": ("Died in detention", "Died under torture", "Death in custody"),
           "killed": ("Killed",), "disappeared": ("Disappeared", "Enforced disappearance"),
           "detained": ("Detained", "In detention"), "released": ("Released",)},
    "fr": {"died_in_detention": ("Décédé en détention", "Mort sous la torture"),
           "killed": ("Tué",), "disappeared": ("Disparu", "Disparition forcée"),
           "detained": ("Détenu",), "released": ("Libéré",)},
}


@dataclass(frozen=True)
class ListStyle:
    """How one organisation documents: its reach, its file and its habits."""

    name: str
    organisation: str
    language: str  # ar | en | fr: headers, status words, governorates, perpetrators
    script: str  # ar | en | fr: the spelling of names
    file_format: str  # csv | xlsx
    encoding: str  # of a CSV
    delimiter: str
    headers: dict[str, str]  # field → header; the fields the list has, in order
    sex_words: tuple[str, str]  # male, female
    date_style: str  # dmy | dmy_indic | ymd | iso | long
    record_id: str  # format of the list's ids, with {n}
    base_rate: float
    governorates: tuple[int, ...]  # where it works; elsewhere its rate is `elsewhere`
    elsewhere: float
    years: tuple[int, int]  # the arrest years it documents well
    agencies: tuple[str, ...]  # the agencies its witnesses speak of (more often recorded)
    fate_rates: dict[str, float]  # multiplier by fate
    error_rate: float  # how careless its records are (scales every error)
    duplicate_rate: float

    @property
    def file_name(self) -> str:
        return f"{self.name}.{self.file_format}"


_AR_FULL = {"record_key": "الرقم", "full_name": "الاسم الكامل", "sex": "الجنس", "age": "العمر",
            "governorate": "المحافظة", "arrest_date": "تاريخ الاعتقال",
            "death_date": "تاريخ الوفاة", "status": "الحالة", "perpetrator": "الجهة المسؤولة"}
_EN_PARTS = {"record_key": "Record ID", "given": "First Name", "father": "Father's Name",
             "family": "Last Name", "mother": "Mother's Name", "sex": "Sex",
             "birth_date": "Date of Birth", "governorate": "Governorate",
             "arrest_date": "Date of Arrest", "death_date": "Date of Death",
             "death_place": "Place of Death", "status": "Status",
             "perpetrator": "Alleged Perpetrator"}
_FR_FULL = {"record_key": "N°", "full_name": "Nom complet", "sex": "Sexe", "age": "Âge",
            "governorate": "Gouvernorat", "arrest_date": "Date d'arrestation",
            "detention_place": "Lieu de détention", "death_date": "Date du décès",
            "status": "Statut", "perpetrator": "Auteur présumé"}
_AR_PARTS = {"record_key": "رقم السجل", "given": "الاسم", "father": "اسم الأب",
             "grandfather": "اسم الجد", "family": "الكنية", "mother": "اسم الأم", "sex": "الجنس",
             "birth_date": "تاريخ الميلاد", "governorate": "المحافظة",
             "arrest_date": "تاريخ الاعتقال", "arrest_place": "مكان الاعتقال",
             "detention_place": "مكان الاحتجاز", "death_date": "تاريخ الوفاة",
             "status": "الوضع", "perpetrator": "الجهة المعتقلة"}

_FATE_DEATHS = {"died_in_custody": 1.6, "disappeared": 1.1, "transferred": 0.6, "released": 0.4}
_FATE_EVEN = {"died_in_custody": 1.2, "disappeared": 1.2, "transferred": 0.9, "released": 0.7}

LIST_STYLES: tuple[ListStyle, ...] = (
    ListStyle("rabita", "Rabita of Detainees' Families (synthetic)", "ar", "ar", "csv", "utf-8",
              ",", _AR_FULL, ("ذكر", "أنثى"), "dmy_indic", "R-{n:05d}", 0.42,
              (0, 1, 3, 8), 0.3, (2011, 2013), ("GI", "AF"), _FATE_DEATHS, 1.0, 0.03),
    ListStyle("monitor", "Detention Monitor Network (synthetic)", "en", "en", "xlsx", "", "",
              _EN_PARTS, ("M", "F"), "iso", "{n}", 0.38, (2, 4, 7, 3, 0), 0.35, (2012, 2016),
              ("MI", "PS"), _FATE_EVEN, 0.8, 0.01),
    ListStyle("observatoire", "Observatoire des disparus (synthétique)", "fr", "fr", "csv",
              "utf-8-sig", ";", _FR_FULL, ("H", "F"), "long", "OBS/{n:04d}", 0.35,
              tuple(range(14)), 1.0, (2011, 2016), ("MI", "GI", "AF", "PS", "CS"),
              {"died_in_custody": 1.9, "disappeared": 1.5, "transferred": 0.25, "released": 0.1},
              1.2, 0.0),
    ListStyle("archive", "Archive of the North-East (synthetic)", "ar", "ar", "csv", "cp1256",
              ",", _AR_PARTS, ("ذكر", "أنثى"), "ymd", "ش{n}", 0.45, (11, 12, 13, 2, 1), 0.25,
              (2013, 2016), ("MI", "CS"), _FATE_EVEN, 1.3, 0.06),
)
_SHARED_SOURCES = ("rabita", "monitor")  # families who reported to one often reported to both


def _styles(count: int) -> list[ListStyle]:
    """``count`` styles: the four above, then variants of them with other reach."""
    styles = list(LIST_STYLES[:count])
    for extra in range(len(LIST_STYLES), count):
        base = LIST_STYLES[extra % len(LIST_STYLES)]
        shift = extra // len(LIST_STYLES) * 5
        styles.append(ListStyle(
            f"{base.name}{extra // len(LIST_STYLES) + 1}", base.organisation.replace(
                "(synth", f"{extra} (synth"), base.language, base.script, base.file_format,
            base.encoding, base.delimiter, base.headers, base.sex_words, base.date_style,
            base.record_id, base.base_rate * 0.8,
            tuple((g + shift) % len(GOVERNORATES) for g in base.governorates), base.elsewhere,
            base.years, base.agencies, base.fate_rates, base.error_rate, base.duplicate_rate))
    return styles


# -- coverage -------------------------------------------------------------------------------


def _agency(detainee: Detainee) -> str:
    return _UNIT[detainee.arresting_unit].parent or detainee.arresting_unit


def _capture_probability(style: ListStyle, detainee: Detainee, visibility: float) -> float:
    rate = style.base_rate * visibility * style.fate_rates[detainee.fate]
    if detainee.governorate not in style.governorates:
        rate *= style.elsewhere
    low, high = style.years
    if not low <= detainee.arrest_date.year <= high:
        rate *= 0.35
    if _agency(detainee) in style.agencies:
        rate *= 1.3
    return min(rate, 0.95)


# -- writing one record ---------------------------------------------------------------------


class _Writer:
    """Writes one list's records, counting the errors it makes."""

    def __init__(self, style: ListStyle, rng: random.Random) -> None:
        self.style = style
        self.rng = rng
        self.errors: Counter[str] = Counter()

    def chance(self, rate: float) -> bool:
        return self.rng.random() < rate * self.style.error_rate

    # names
    def typo(self, text: str) -> str:
        letters = [i for i, ch in enumerate(text) if ch.isalpha()]
        if len(letters) < 4:
            return text
        i = self.rng.choice(letters[1:-1])
        kind = self.rng.randrange(3)
        self.errors["typo"] += 1
        if kind == 0:
            return text[:i] + text[i + 1:]
        if kind == 1:
            return text[:i] + text[i] + text[i:]
        return text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]

    def arabic(self, part: NamePart) -> str:
        text = part.ar
        if self.chance(0.15):
            changed = text.translate(str.maketrans("أإآ", "ااا")).replace("ة", "ه").replace(
                "عبد ", "عبد")
            if changed != text:
                self.errors["transliteration"] += 1  # the spelling varies, not the letters
                text = changed
        return self.typo(text) if self.chance(0.03) else text

    def latin(self, part: NamePart, family: bool) -> str:
        spellings = part.fr if self.style.script == "fr" else part.en
        if family and part.article:
            spellings = tuple(form for base in spellings for form in
                              article_forms(base, part.ar, self.style.script == "fr"))
        text = spellings[0]
        if len(spellings) > 1 and self.rng.random() < 0.5:
            text = self.rng.choice(spellings[1:])
            self.errors["transliteration"] += 1
        return self.typo(text) if self.chance(0.04) else text

    def part(self, part: NamePart, family: bool = False) -> str:
        return self.arabic(part) if self.style.script == "ar" else self.latin(part, family)

    def names(self, detainee: Detainee) -> dict[str, str]:
        parts = {"given": self.part(detainee.given), "father": self.part(detainee.father),
                 "grandfather": self.part(detainee.grandfather),
                 "family": self.part(detainee.family, family=True),
                 "mother": self.part(detainee.mother)}
        swapped = self.chance(0.04)
        if swapped:
            self.errors["swapped_name_parts"] += 1
        if "full_name" not in self.style.headers:
            if swapped:
                parts["given"], parts["family"] = parts["family"], parts["given"]
            for optional in ("father", "grandfather", "mother"):
                if self.chance(0.08):
                    parts[optional] = ""
                    self.errors["missing_field"] += 1
            return parts
        chosen = [parts["given"], parts["father"], parts["family"]]
        if self.style.script == "ar" and self.rng.random() < 0.4:
            chosen.insert(2, parts["grandfather"])
        if self.rng.random() < 0.2:
            chosen = [parts["given"], parts["family"]]
        if swapped:
            family = chosen.pop()
            chosen = ([family.upper()] if self.style.script == "fr" else [family]) + chosen
            if self.style.script == "en":
                chosen[0] += ","
        elif self.style.script == "fr":
            chosen[-1] = chosen[-1].upper()
        return {"full_name": " ".join(chosen)}

    # dates
    def write_date(self, day: date, precision: str) -> str:
        style = self.style.date_style
        if precision == "year":
            text = str(day.year)
            return text.translate(_AR_DIGITS) if style == "dmy_indic" else text
        if style == "dmy_indic":
            text = f"{day.day}/{day.month}/{day.year}"
            return text.translate(_AR_DIGITS) if self.rng.random() < 0.6 else text
        if style == "ymd":
            return f"{day.year}/{day.month:02d}/{day.day:02d}"
        if style == "iso":
            return day.isoformat()
        if self.style.language == "fr":
            if self.rng.random() < 0.3:
                return f"{day.day:02d}/{day.month:02d}/{day.year}"
            first = "1er" if day.day == 1 else str(day.day)
            return f"{first} {_FR_MONTHS[day.month - 1]} {day.year}"
        if self.style.language == "ar":
            return f"{day.day} {_AR_MONTHS[day.month - 1]} {day.year}"
        return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"

    def date(self, day: date | None) -> str | date:
        if day is None:
            return ""
        if self.chance(0.06):
            self.errors["missing_field"] += 1
            return ""
        if self.chance(0.08):
            day += timedelta(days=self.rng.choice((-7, -3, -2, -1, 1, 2, 3, 5)))
            self.errors["date_off_by_days"] += 1
        if self.chance(0.08):
            self.errors["date_year_only"] += 1
            return self.write_date(day, "year")
        if self.style.file_format == "xlsx" and self.rng.random() < 0.5:
            return day  # a spreadsheet date cell
        return self.write_date(day, "day")

    # the other fields
    def governorate(self, index: int) -> str:
        if self.chance(0.05):
            self.errors["missing_field"] += 1
            return ""
        arabic, english, french = GOVERNORATES[index]
        if self.style.language == "ar":
            variants = _GOVERNORATE_VARIANTS_AR.get(index, ())
            return self.rng.choice(variants) if variants and self.rng.random() < 0.3 else arabic
        if self.style.language == "fr":
            return french
        variants = _GOVERNORATE_VARIANTS_EN.get(index, ())
        return self.rng.choice(variants) if variants and self.rng.random() < 0.4 else english

    def perpetrator(self, detainee: Detainee) -> str:
        if self.chance(0.15):
            self.errors["missing_field"] += 1
            return ""
        unit: Unit = _UNIT[detainee.arresting_unit]
        if self.rng.random() < 0.3 and unit.parent:
            unit = _UNIT[unit.parent]  # only the agency is known
        names = {"ar": unit.ar, "en": unit.en, "fr": unit.fr}[self.style.language]
        return names[0] if self.rng.random() < 0.7 else self.rng.choice(names)

    def status(self, detainee: Detainee) -> tuple[str, bool]:
        """The status word, and whether the list knows of a death."""
        status = {"died_in_custody": "died_in_detention", "disappeared": "disappeared",
                  "transferred": "detained", "released": "released"}[detainee.fate]
        knows_death = status == "died_in_detention"
        if knows_death and self.chance(0.12):
            status, knows_death = "disappeared", False  # the death was not yet known
            self.errors["status_outdated"] += 1
        elif knows_death and self.style.language == "ar" and self.rng.random() < 0.25:
            status = "killed"  # "martyred": the list does not say where
        words = _STATUS_WORDS[self.style.language][status]
        return (words[0] if self.rng.random() < 0.6 else self.rng.choice(words)), knows_death

    def row(self, detainee: Detainee) -> dict[str, Any]:
        """The list's values for one victim; only the fields the list has are written."""
        has = self.style.headers.__contains__
        values: dict[str, Any] = dict(self.names(detainee))
        if has("sex"):
            male, female = self.style.sex_words
            values["sex"] = male if detainee.sex == "m" else female
            if self.chance(0.04):
                values["sex"] = ""
                self.errors["missing_field"] += 1
        if has("age"):
            age = detainee.age
            if self.chance(0.1):
                age += self.rng.choice((-1, 1))
                self.errors["age_off_by_one"] += 1
            values["age"] = str(age)
            if self.chance(0.08):
                values["age"] = ""
                self.errors["missing_field"] += 1
        if has("birth_date"):
            born = date(detainee.birth_year, 1 + self.rng.randrange(12),
                        1 + self.rng.randrange(28))
            values["birth_date"] = (self.write_date(born, "year") if self.rng.random() < 0.7
                                    else self.write_date(born, "day"))
        if has("governorate"):
            values["governorate"] = self.governorate(detainee.governorate)
        if has("arrest_date"):
            values["arrest_date"] = self.date(detainee.arrest_date)
        if has("arrest_place"):
            values["arrest_place"] = GOVERNORATES[detainee.governorate][0]
        last = _UNIT.get(detainee.custody[-1][0])
        if has("detention_place") and last is not None:
            values["detention_place"] = {"ar": last.ar, "en": last.en,
                                         "fr": last.fr}[self.style.language][0]
        values["status"], knows_death = self.status(detainee)
        if has("death_date") and knows_death:
            values["death_date"] = self.date(detainee.death_date)
        if has("death_place") and knows_death and detainee.death_place == "F-601":
            values["death_place"] = "Military Hospital 601"
        if has("perpetrator"):
            values["perpetrator"] = self.perpetrator(detainee)
        return values


# -- files ----------------------------------------------------------------------------------


def _write_file(style: ListStyle, rows: list[dict[str, Any]], path: Path) -> None:
    fields = list(style.headers)
    header = [style.headers[f] for f in fields]
    table = [[row.get(f, "") for f in fields] for row in rows]
    if style.file_format == "xlsx":
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "victims"
        sheet.append(header)
        for values in table:
            sheet.append([v if v != "" else None for v in values])
        book.properties.creator = "SYNTHETIC"
        book.properties.created = _CREATED
        buffer = io.BytesIO()
        book.save(buffer)
        path.write_bytes(reproducible_zip(buffer.getvalue(), _CREATED))
        return
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=style.delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[str(v) for v in values] for values in table])
    data = text.getvalue()
    if style.encoding == "cp1256":
        data = data.translate(_EUROPEAN_DIGITS)  # windows-1256 has no Arabic-Indic digits
    path.write_bytes(data.encode(style.encoding))


def generate_lists(out: Path, *, victims: int = 2000, lists: int = 4, seed: int = 7,
                   world: World | None = None) -> dict[str, Any]:
    """Write ``lists`` victim lists and truth.json into ``out``; return the truth.

    The population is ``world``'s detainees when given (``victims`` is then ignored), else those
    of ``build_world(seed, detainees=victims)``.
    """
    if lists < 1:
        raise ValueError("at least one list")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    population = (world or build_world(seed, detainees=victims)).detainees
    rng = random.Random(f"dossier-victims-{seed}")
    styles = _styles(lists)
    visibility = {d.id: rng.choice((0.5, 0.8, 1.0, 1.0, 1.3, 1.7)) for d in population}
    shared = {d.id for d in population if rng.random() < 0.25}
    records: list[dict[str, Any]] = []
    list_truth: list[dict[str, Any]] = []
    captured: dict[str, set[str]] = {d.id: set() for d in population}
    for style in styles:
        writer = _Writer(style, random.Random(f"dossier-victims-{seed}-{style.name}"))
        entries: list[Detainee] = []
        for detainee in population:
            rate = _capture_probability(style, detainee, visibility[detainee.id])
            if style.name in _SHARED_SOURCES and detainee.id in shared:
                rate = min(0.95, rate * 2.2)
            if writer.rng.random() < rate:
                entries.append(detainee)
                if writer.rng.random() < style.duplicate_rate:
                    entries.append(detainee)
                    writer.errors["duplicate_in_list"] += 1
        writer.rng.shuffle(entries)
        rows: list[dict[str, Any]] = []
        for number, detainee in enumerate(entries, start=1):
            values = writer.row(detainee)
            values["record_key"] = style.record_id.format(n=1000 + number * 3)
            rows.append(values)
            captured[detainee.id].add(style.name)
            records.append({"list": style.name, "file": style.file_name, "row": number,
                            "record_id": values["record_key"], "victim": detainee.id})
        _write_file(style, rows, out / style.file_name)
        distinct = {d.id for d in entries}
        by_governorate = Counter(GOVERNORATES[d.governorate][1] for d in population)
        in_list = Counter(GOVERNORATES[d.governorate][1] for d in population if d.id in distinct)
        list_truth.append({
            "name": style.name, "organisation": style.organisation, "file": style.file_name,
            "format": style.file_format, "encoding": style.encoding or None,
            "language": style.language, "columns": style.headers,
            "records": len(entries), "victims": len(distinct),
            "coverage": round(len(distinct) / len(population), 4) if population else 0.0,
            "coverage_by_governorate": {g: round(in_list[g] / n, 4)
                                        for g, n in sorted(by_governorate.items())},
            "errors": {kind: writer.errors[kind] for kind in ERROR_KINDS},
        })
    patterns = Counter("".join("1" if s.name in captured[d.id] else "0" for s in styles)
                       for d in population)
    recorded = sum(1 for names in captured.values() if names)
    truth: dict[str, Any] = {
        "seed": seed,
        "total": len(population),
        "recorded": recorded,
        "unrecorded": len(population) - recorded,
        "lists": list_truth,
        "dependence": {"shared_sources": list(_SHARED_SOURCES), "share": 0.25},
        "capture_patterns": dict(sorted(patterns.items())),
        "victims": [_victim_truth(d, sorted(captured[d.id])) for d in population],
        "records": records,
    }
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1),
                                    encoding="utf-8")
    return truth


_STATUS_OF_FATE: dict[str, str] = {"died_in_custody": "died_in_detention",
                                   "disappeared": "disappeared", "transferred": "detained",
                                   "released": "released"}


def _victim_truth(detainee: Detainee, lists: list[str]) -> dict[str, Any]:
    return {"id": detainee.id, "sex": detainee.sex, "age": detainee.age,
            "governorate": GOVERNORATES[detainee.governorate][1],
            "arrest_date": detainee.arrest_date.isoformat(),
            "death_date": detainee.death_date.isoformat() if detainee.death_date else None,
            "status": _STATUS_OF_FATE[detainee.fate], "perpetrator": detainee.arresting_unit,
            "agency": _agency(detainee), "name": detainee.name_ar, "lists": lists}

