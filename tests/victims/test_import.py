"""Importing victim lists as received: every row kept, problems reported per row."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from typer.testing import CliRunner

from dossier.custody.log import events
from dossier.store.schema import victim_lists, victim_records
from dossier.text import name_key
from dossier.victims.records import VictimImportError, import_list

ARABIC_CSV = (
    "الرقم,الاسم الكامل,الجنس,العمر,المحافظة,تاريخ الاعتقال,تاريخ الوفاة,الحالة\n"
    "A-1,محمد أحمد الحسن,ذكر,٣٥,ريف دمشق,٤/٣/٢٠١٢,2013,توفي تحت التعذيب\n"
    "A-2,فاطمة علي العمر,أنثى,29,أطلانتس,31/02/2012,,مختفي قسرياً\n"
    "A-3,,ذكر,40,حلب,2012-05-01,,معتقل\n"
    "A-4,خالد سمير الشامي,ذكر,17,Idleb,2013,2012-01-01,قضى في المعتقل\n"
)


def _records(workspace: Any) -> list[Any]:
    with workspace.engine.connect() as conn:
        return conn.execute(select(victim_records).order_by(victim_records.c.row_number)).all()


def test_messy_rows_are_all_kept_and_their_problems_reported(workspace: Any,
                                                              tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(ARABIC_CSV, encoding="utf-8")
    report = import_list(workspace, path, "rabita", organisation="A synthetic league")
    assert (report.rows, report.imported, report.encoding) == (4, 4, "utf-8")
    assert report.columns["الاسم الكامل"] == "full_name"
    assert report.columns["الحالة"] == "status"
    rows = _records(workspace)
    assert [r.record_key for r in rows] == ["A-1", "A-2", "A-3", "A-4"]
    first, second, third, fourth = rows
    assert (first.sex, first.age, first.governorate, first.arrest_date, first.death_date,
            first.status) == ("m", 35, "Rif Dimashq", "2012-03-04", "2013", "died_in_detention")
    assert first.name_key == name_key("محمد أحمد الحسن")
    assert json.loads(first.problems) == []
    problems = {(p.row, p.field) for p in report.problems}
    assert problems == {(2, "governorate"), (2, "arrest_date"), (3, "full_name"),
                        (4, "death_date")}
    second_problems = json.loads(second.problems)
    assert {p["field"] for p in second_problems} == {"governorate", "arrest_date"}
    assert any(p["value"] == "أطلانتس" and "unknown governorate" in p["message"]
               for p in second_problems)
    assert second.governorate is None and second.arrest_date is None
    assert second.sex == "f" and second.status == "disappeared"  # the rest is still read
    assert third.full_name is None and third.name_key is None and third.governorate == "Aleppo"
    assert "before arrest" in json.loads(fourth.problems)[0]["message"]
    assert fourth.governorate == "Idlib"
    assert all(p.file == "list.csv" for p in report.problems)
    with workspace.engine.connect() as conn:
        listed = conn.execute(select(victim_lists)).one()
    assert (listed.name, listed.organisation) == ("rabita", "A synthetic league")


def test_the_row_is_kept_exactly_and_the_file_is_preserved(workspace: Any,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(ARABIC_CSV, encoding="utf-8")
    report = import_list(workspace, path, "rabita")
    row = _records(workspace)[1]
    assert json.loads(row.raw) == {
        "الرقم": "A-2", "الاسم الكامل": "فاطمة علي العمر", "الجنس": "أنثى", "العمر": "29",
        "المحافظة": "أطلانتس", "تاريخ الاعتقال": "31/02/2012", "تاريخ الوفاة": "",
        "الحالة": "مختفي قسرياً"}
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    assert report.sha256 == row.source_sha256 == sha256
    assert workspace.blobs.path(sha256).read_bytes() == path.read_bytes()
    with workspace.engine.connect() as conn:
        imported = [e for e in events(conn) if e.action == "imported"]
    assert len(imported) == 1
    assert imported[0].subject_sha256 == sha256
    assert imported[0].details["list"] == "rabita" and imported[0].details["imported"] == 4


def test_a_second_import_of_the_same_file_adds_nothing(workspace: Any, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(ARABIC_CSV, encoding="utf-8")
    import_list(workspace, path, "rabita")
    again = import_list(workspace, path, "rabita")
    assert (again.imported, again.already_imported) == (0, 4)
    assert len(_records(workspace)) == 4
    with workspace.engine.connect() as conn:
        assert sum(1 for e in events(conn) if e.action == "imported") == 1


def test_a_windows_1256_csv_with_name_parts(workspace: Any, tmp_path: Path) -> None:
    path = tmp_path / "archive.csv"
    text = ("رقم السجل;الاسم;اسم الأب;اسم الجد;الكنية;اسم الأم;الجنس;تاريخ الميلاد;"
            "المحافظة;الوضع\r\n"
            "ش1;محمد;أحمد;علي;الحسن;فاطمة;ذكر;1980;دير الزور;أفرج عنه\r\n"
            "ش2;زينب;خالد;;العمر;;أنثى;1975/06/01;الرقة;مجهول المصير\r\n")
    path.write_bytes(text.encode("cp1256"))
    report = import_list(workspace, path, "archive")
    assert report.encoding == "cp1256" and report.imported == 2 and report.problems == []
    first, second = _records(workspace)
    assert (first.given, first.father, first.grandfather, first.family, first.mother) == (
        "محمد", "أحمد", "علي", "الحسن", "فاطمة")
    assert first.full_name == "محمد أحمد علي الحسن"
    assert first.name_key == name_key("محمد أحمد علي الحسن")
    assert (first.birth_date, first.governorate, first.status) == ("1980", "Deir ez-Zor",
                                                                   "released")
    assert second.grandfather is None and second.birth_date == "1975-06-01"
    assert json.loads(second.raw)["اسم الجد"] == ""


def test_an_xlsx_list_with_english_headers_and_date_cells(workspace: Any,
                                                           tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Record ID", "First Name", "Last Name", "Sex", "Governorate",
                  "Date of Arrest", "Status", "Alleged Perpetrator", "Notes"])
    sheet.append([101, "Mohammad", "al-Hassan", "M", "Rural Damascus",
                  datetime(2012, 3, 4), "Died in detention", "Branch 215", "seen in 2013"])
    sheet.append([102, "Fatima", "Omar", "F", "Hasakah", "sometime", "Disappeared", None, None])
    path = tmp_path / "monitor.xlsx"
    book.save(path)
    report = import_list(workspace, path, "monitor")
    assert report.format == "xlsx" and report.imported == 2
    assert report.unread_columns == ["Notes"]
    first, second = _records(workspace)
    assert (first.record_key, first.full_name, first.sex, first.governorate, first.arrest_date,
            first.status, first.perpetrator) == ("101", "Mohammad al-Hassan", "m", "Rif Dimashq",
                                                 "2012-03-04", "died_in_detention", "Branch 215")
    raw = json.loads(first.raw)
    assert raw["Record ID"] == 101 and raw["Date of Arrest"] == "2012-03-04"
    assert raw["Notes"] == "seen in 2013"  # unread columns are kept as received
    assert [(p.row, p.field) for p in report.problems] == [(2, "arrest_date")]
    assert second.arrest_date is None and second.governorate == "Al-Hasakah"


def test_map_names_columns_the_headers_do_not(workspace: Any, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("code,who,g,when,extra\nX9,Omar Khaled,F,2014,kept\n", encoding="utf-8")
    report = import_list(workspace, path, "odd", {"code": "record_key", "who": "full_name",
                                                  "g": "sex", "when": "death_date",
                                                  "extra": "ignore"})
    assert report.columns == {"code": "record_key", "who": "full_name", "g": "sex",
                              "when": "death_date"}
    row = _records(workspace)[0]
    assert (row.record_key, row.full_name, row.sex, row.death_date) == ("X9", "Omar Khaled",
                                                                        "f", "2014")
    assert json.loads(row.raw)["extra"] == "kept"
    with pytest.raises(VictimImportError, match="unknown field"):
        import_list(workspace, path, "odd", {"who": "nickname"})
    with pytest.raises(VictimImportError, match="does not have"):
        import_list(workspace, path, "odd", {"nobody": "full_name"})


def test_a_file_with_no_known_column_is_refused_with_a_hint(workspace: Any,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(VictimImportError, match="--map"):
        import_list(workspace, path, "odd")
    assert _records(workspace) == []


def test_the_import_command(workspace: Any, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    from dossier.cli import victims_cmd
    from dossier.cli.common import state

    monkeypatch.setattr(state, "workspace_path", workspace.root)
    path = tmp_path / "list.csv"
    path.write_text(ARABIC_CSV, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(victims_cmd.app, ["import", str(path), "--list", "rabita",
                                             "--map", "الرقم=record_key"])
    assert result.exit_code == 0, result.output
    assert "4 imported" in result.output
    assert "row 2: governorate" in result.output
    again = runner.invoke(victims_cmd.app, ["import", str(path), "--list", "rabita", "--json"])
    assert json.loads(again.output)["already_imported"] == 4
    bad = runner.invoke(victims_cmd.app, ["import", str(path), "--list", "x", "--map", "oops"])
    assert bad.exit_code == 1
