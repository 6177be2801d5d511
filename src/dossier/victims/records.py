"""Importing a documenting organisation's victim list (CSV or XLSX), row by row, as received.

Every row of the file becomes one ``victim_records`` row: ``raw`` is the row exactly as
received (a JSON object of the file's columns and their values), the other columns are what
Dossier read from it, and ``problems`` lists what it could not read (a bad date, an unknown
governorate, no name). A problem never drops a row.

Columns are recognised from their header in Arabic, English or French (`HEADERS`); a
``mapping`` of column → field (``--map``) overrides or completes the guess, and the field
``ignore`` leaves a column unread. The original file is stored in the workspace's blob store
and the import is a custody event, so the list as received can be verified later. Importing the
same file into the same list again adds nothing: a row is identified by its list, the file's
sha256 and its row number (1 = the first row after the header).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert, select

from dossier.custody import log as custody
from dossier.ingest.encoding import decode_text
from dossier.store.schema import victim_lists, victim_records
from dossier.text import fold_latin, name_key, normalize_arabic
from dossier.victims.fields import (
    FieldError,
    cell_text,
    read_age,
    read_date,
    read_governorate,
    read_sex,
    read_status,
)

if TYPE_CHECKING:
    from dossier.workspace import Workspace

__all__ = [
    "FIELDS",
    "HEADERS",
    "ImportReport",
    "RowProblem",
    "VictimImportError",
    "detect_columns",
    "import_list",
    "read_table",
]

FIELDS = (
    "full_name", "given", "father", "grandfather", "family", "mother", "sex", "age",
    "birth_date", "arrest_date", "arrest_place", "detention_place", "death_date", "death_place",
    "governorate", "status", "perpetrator", "record_key",
)
IGNORE = "ignore"
NAME_PARTS = ("given", "father", "grandfather", "family")
DATE_FIELDS = ("birth_date", "arrest_date", "death_date")
TEXT_FIELDS = ("arrest_place", "detention_place", "death_place", "perpetrator")

# Header names as lists write them, in Arabic, English and French (compared after folding case,
# accents, Arabic letter forms and punctuation; see `_header_key`).
HEADERS: dict[str, tuple[str, ...]] = {
    "full_name": (
        "full name", "name", "names", "victim name", "name of victim", "victim", "full_name",
        "nom complet", "nom et prenom", "nom prenom", "nom de la victime", "victime",
        "الاسم الكامل", "الاسم الثلاثي", "الاسم الرباعي", "اسم الضحية", "الاسم والكنية",
        "اسم الشهيد", "اسم المعتقل", "الاسم الكامل للضحية", "الضحية",
    ),
    "given": (
        "given name", "first name", "firstname", "forename", "given", "prenom", "الاسم",
        "الاسم الاول", "اسم", "الاسم الأول",
    ),
    "father": (
        "father", "father name", "father's name", "fathers name", "name of father",
        "nom du pere", "prenom du pere", "pere", "اسم الاب", "الاب", "اسم الأب",
    ),
    "grandfather": (
        "grandfather", "grandfather name", "grandfather's name", "nom du grand pere",
        "grand pere", "اسم الجد", "الجد",
    ),
    "family": (
        "family name", "last name", "lastname", "surname", "family", "nom", "nom de famille",
        "الكنية", "اسم العائلة", "العائلة", "النسبة", "اللقب", "الشهرة",
    ),
    "mother": (
        "mother", "mother name", "mother's name", "mothers name", "name of mother",
        "nom de la mere", "prenom de la mere", "mere", "اسم الام", "الام", "اسم الأم",
    ),
    "sex": ("sex", "gender", "sexe", "genre", "الجنس", "النوع"),
    "age": ("age", "age at death", "age at arrest", "age (years)", "العمر", "السن", "age ans"),
    "birth_date": (
        "date of birth", "birth date", "dob", "born", "birth year", "year of birth",
        "date de naissance", "annee de naissance", "ne le", "تاريخ الميلاد", "تاريخ الولادة",
        "المواليد", "سنة الميلاد", "التولد", "مواليد",
    ),
    "arrest_date": (
        "date of arrest", "arrest date", "arrested on", "date arrested", "date of detention",
        "date d'arrestation", "date de l'arrestation", "date d arrestation", "arrete le",
        "تاريخ الاعتقال", "تاريخ الاحتجاز", "تاريخ التوقيف", "تاريخ الاختفاء",
    ),
    "arrest_place": (
        "place of arrest", "arrest place", "arrest location", "arrested in", "lieu d'arrestation",
        "lieu de l'arrestation", "lieu d arrestation", "مكان الاعتقال", "مكان التوقيف",
    ),
    "detention_place": (
        "place of detention", "detention place", "detention facility", "detained at",
        "held at", "lieu de detention", "مكان الاحتجاز", "مكان الاعتقال الأخير", "الجهة المحتجزة",
        "مكان الاحتجاز الأخير", "السجن",
    ),
    "death_date": (
        "date of death", "death date", "died on", "date died", "date du deces", "decede le",
        "date de deces", "تاريخ الوفاة", "تاريخ الاستشهاد", "تاريخ الوفاه", "تاريخ القتل",
    ),
    "death_place": (
        "place of death", "death place", "died in", "lieu du deces", "lieu de deces",
        "مكان الوفاة", "مكان الاستشهاد", "مكان القتل",
    ),
    "governorate": (
        "governorate", "province", "governorate of origin", "region", "muhafaza",
        "gouvernorat", "province d'origine", "المحافظة", "محافظة", "المحافظه",
    ),
    "status": (
        "status", "fate", "current status", "situation", "statut", "sort", "etat", "الحالة",
        "الوضع", "المصير", "وضع الضحية", "الوضع الحالي",
    ),
    "perpetrator": (
        "perpetrator", "alleged perpetrator", "responsible party", "responsible",
        "arresting party", "arresting unit", "auteur", "auteur presume", "responsable",
        "الجهة المسؤولة", "الجهة المعتقلة", "الجهة الفاعلة", "الجاني", "الجهة",
    ),
    "record_key": (
        "id", "record id", "record no", "record number", "no", "number", "ref", "reference",
        "case id", "case number", "n", "numero", "no de dossier", "ref dossier", "identifiant",
        "الرقم", "رقم", "الرقم التسلسلي", "رقم السجل", "رقم الملف", "الرقم المرجعي", "م", "ت",
    ),
}


class VictimImportError(ValueError):
    """A file that cannot be imported at all: unreadable, no header, a bad mapping."""


@dataclass(frozen=True)
class RowProblem:
    file: str
    row: int
    field: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: row {self.row}: {self.field}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "field": self.field, "value": self.value,
                "message": self.message}


@dataclass
class ImportReport:
    list_name: str
    list_id: int
    file: str
    sha256: str
    format: str  # csv | xlsx
    encoding: str | None  # of a CSV file
    columns: dict[str, str]  # column of the file → field it is read as
    unread_columns: list[str]  # columns kept in raw only
    rows: int = 0  # data rows in the file
    imported: int = 0  # rows added now
    already_imported: int = 0  # rows a previous import of the same file added
    problems: list[RowProblem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"list": self.list_name, "list_id": self.list_id, "file": self.file,
                "sha256": self.sha256, "format": self.format, "encoding": self.encoding,
                "columns": self.columns, "unread_columns": self.unread_columns,
                "rows": self.rows, "imported": self.imported,
                "already_imported": self.already_imported,
                "problems": [p.as_dict() for p in self.problems]}


# -- reading the file -----------------------------------------------------------------------


@dataclass
class Table:
    header: list[str]  # unique column names, in file order
    rows: list[tuple[int, dict[str, Any]]]  # (row number, column → value as received)
    format: str
    encoding: str | None


def _unique_header(cells: list[Any]) -> list[str]:
    names: list[str] = []
    for position, cell in enumerate(cells, start=1):
        name = cell_text(cell).strip() or f"column {position}"
        base, count = name, 2
        while name in names:
            name, count = f"{base} ({count})", count + 1
        names.append(name)
    return names


def _table(cells: Iterator[list[Any]], fmt: str, encoding: str | None) -> Table:
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, Any]]] = []
    number = 0
    for row in cells:
        blank = all(cell_text(c).strip() == "" for c in row)
        if header is None:
            if not blank:
                header = _unique_header(row)
            continue
        number += 1
        if blank:
            continue
        values: dict[str, Any] = {}
        for position, cell in enumerate(row):
            if position < len(header):
                values[header[position]] = cell
            elif cell_text(cell).strip():
                values[f"column {position + 1}"] = cell
        for name in header[len(row):]:
            values[name] = None if fmt == "xlsx" else ""
        rows.append((number, values))
    if header is None:
        raise VictimImportError("the file has no header row")
    return Table(header, rows, fmt, encoding)


def _json_cell(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return cell_text(value)


def _read_csv(data: bytes) -> Table:
    text, encoding = decode_text(data)
    sample = text[:20000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    return _table((list(row) for row in reader), "csv", encoding)


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise VictimImportError(f"{path}: not a readable XLSX workbook: {exc}") from exc
    try:
        for sheet in book.worksheets:
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
            if any(any(cell_text(c).strip() for c in row) for row in rows):
                return _table(iter(rows), "xlsx", None)
    finally:
        book.close()
    raise VictimImportError(f"{path}: the workbook has no rows")


def read_table(path: Path) -> Table:
    """The header and rows of a CSV or XLSX file, values as received."""
    path = Path(path)
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if path.suffix.lower() == ".xls":
        raise VictimImportError(f"{path}: old .xls workbooks are not read; save it as XLSX")
    return _read_csv(data)


# -- columns --------------------------------------------------------------------------------


def _header_key(text: str) -> str:
    folded = normalize_arabic(fold_latin(text.strip()))
    folded = re.sub(r"[^\w\s]", " ", folded).replace("_", " ")
    return re.sub(r"\s+", " ", folded).strip()


_HEADER_TABLE: dict[str, str] = {}
for _field, _names in HEADERS.items():
    for _name in _names:
        _HEADER_TABLE.setdefault(_header_key(_name), _field)


_AMBIGUOUS_NAME_HEADERS = {_header_key(h) for h in ("الاسم", "اسم", "nom", "name", "الإسم")}


def detect_columns(header: list[str], mapping: dict[str, str] | None = None) -> dict[str, str]:
    """Column → field for the columns whose header is known, ``mapping`` overriding.

    A field is read from one column only: the first column that names it.
    """
    mapping = dict(mapping or {})
    for column, target in mapping.items():
        if column not in header:
            raise VictimImportError(f"--map names a column the file does not have: {column!r} "
                                    f"(columns: {', '.join(header)})")
        if target not in FIELDS and target != IGNORE:
            raise VictimImportError(f"--map {column}={target}: unknown field {target!r} "
                                    f"(fields: {', '.join(FIELDS)}, or {IGNORE})")
    taken = {target for target in mapping.values() if target != IGNORE}
    columns: dict[str, str] = {}
    for column in header:
        if column in mapping:
            if mapping[column] != IGNORE:
                columns[column] = mapping[column]
            continue
        guess = _HEADER_TABLE.get(_header_key(column))
        if guess is not None and guess not in taken:
            columns[column] = guess
            taken.add(guess)
    # "الاسم", "Nom" or "Name" alone, with no other part of the name, holds the whole name.
    parts = [column for column, target in columns.items() if target in NAME_PARTS]
    if (len(parts) == 1 and "full_name" not in taken and parts[0] not in mapping
            and _header_key(parts[0]) in _AMBIGUOUS_NAME_HEADERS):
        columns[parts[0]] = "full_name"
    return columns


# -- reading a row --------------------------------------------------------------------------

_READERS: dict[str, Callable[[str], Any]] = {
    "sex": read_sex, "age": read_age, "governorate": read_governorate, "status": read_status,
    **{name: read_date for name in DATE_FIELDS},
}


def _text(value: str) -> str | None:
    cleaned = re.sub(r"\s+", " ", value).strip()
    return cleaned or None


def read_row(values: dict[str, Any], columns: dict[str, str]
             ) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """What Dossier reads from one row, and the problems of reading it."""
    texts = {target: cell_text(values.get(column)) for column, target in columns.items()}
    record: dict[str, Any] = {name: None for name in FIELDS}
    problems: list[dict[str, str]] = []
    for target, text in texts.items():
        reader = _READERS.get(target)
        if reader is None:
            record[target] = _text(text)
            continue
        try:
            record[target] = reader(text)
        except FieldError as exc:
            problems.append({"field": target, "value": text, "message": str(exc)})
    parts = [record[part] for part in NAME_PARTS if record[part]]
    if record["full_name"] is None and parts:
        record["full_name"] = " ".join(parts)
    if record["full_name"] is None:
        problems.append({"field": "full_name", "value": "", "message": "no name"})
        record["name_key"] = None
    else:
        record["name_key"] = name_key(record["full_name"])[:400] or None
    arrest, death = record["arrest_date"], record["death_date"]
    if arrest and death and death[: len(arrest)] < arrest[: len(death)]:
        problems.append({"field": "death_date", "value": texts.get("death_date", death),
                         "message": f"death ({death}) before arrest ({arrest})"})
    if record["record_key"]:
        record["record_key"] = record["record_key"][:200]
    return record, problems


# -- importing ------------------------------------------------------------------------------


def _list_id(conn: Connection, name: str, organisation: str | None) -> int:
    found = conn.execute(select(victim_lists.c.id).where(victim_lists.c.name == name)).first()
    if found is not None:
        return int(found.id)
    result = conn.execute(insert(victim_lists).values(
        name=name, organisation=organisation, created_at=datetime.now(UTC)))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def import_list(workspace: Workspace, path: Path, list_name: str,
                mapping: dict[str, str] | None = None, *,
                organisation: str | None = None) -> ImportReport:
    """Import a CSV or XLSX victim list into the list ``list_name`` (created if new)."""
    path = Path(path)
    if not path.is_file():
        raise VictimImportError(f"{path}: no such file")
    if not list_name.strip():
        raise VictimImportError("a list needs a name")
    table = read_table(path)
    columns = detect_columns(table.header, mapping)
    if not columns:
        raise VictimImportError(
            f"{path}: no column was recognised ({', '.join(table.header)}); "
            "name them with --map COLUMN=field")
    sha256, _size = workspace.blobs.put_file(path)
    workspace.blobs.flush()
    report = ImportReport(list_name, 0, path.name, sha256, table.format, table.encoding,
                          columns, [c for c in table.header if c not in columns],
                          rows=len(table.rows))
    now = datetime.now(UTC)
    with workspace.engine.begin() as conn:
        report.list_id = _list_id(conn, list_name, organisation)
        done = {row.row_number for row in conn.execute(
            select(victim_records.c.row_number).where(
                victim_records.c.list_id == report.list_id,
                victim_records.c.source_sha256 == sha256))}
        batch: list[dict[str, Any]] = []
        for number, values in table.rows:
            record, problems = read_row(values, columns)
            report.problems += [RowProblem(path.name, number, p["field"], p["value"],
                                           p["message"]) for p in problems]
            if number in done:
                report.already_imported += 1
                continue
            raw = {column: _json_cell(value) for column, value in values.items()}
            batch.append({**record, "list_id": report.list_id, "source_sha256": sha256,
                          "row_number": number, "imported_at": now,
                          "raw": json.dumps(raw, ensure_ascii=False),
                          "problems": json.dumps(problems, ensure_ascii=False)})
            if len(batch) >= 1000:
                conn.execute(insert(victim_records), batch)
                report.imported += len(batch)
                batch = []
        if batch:
            conn.execute(insert(victim_records), batch)
            report.imported += len(batch)
        if report.imported:
            custody.append(conn, "imported", actor=workspace.actor, sha256=sha256, details={
                "what": "victim list", "list": list_name, "file": path.name,
                "format": table.format, "encoding": table.encoding, "columns": columns,
                "rows": report.rows, "imported": report.imported,
                "problem_count": len(report.problems)})
    return report
