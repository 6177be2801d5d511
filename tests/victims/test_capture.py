"""Capture tables: reading the aggregated CSV a statistician gives, and building from people."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.victims.capture import CaptureTable, CaptureTableError, read_capture_csv

KOSOVO_CSV = """EXH,ABA,OSCE,HRW,count
1,0,0,0,1131
0,1,0,0,845
0,0,1,0,936
0,0,0,1,306
1,1,0,0,177
1,0,1,0,228
1,0,0,1,106
0,1,1,0,217
0,1,0,1,31
0,0,1,1,123
1,1,1,0,181
1,1,0,1,18
1,0,1,1,42
0,1,1,1,32
1,1,1,1,27
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "table.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_the_kosovo_table(tmp_path: Path) -> None:
    table = read_capture_csv(write(tmp_path, KOSOVO_CSV))
    assert table.lists == ("EXH", "ABA", "OSCE", "HRW")
    assert table.recorded == 4400
    assert table.list_sizes() == {"EXH": 1910, "ABA": 1528, "OSCE": 1786, "HRW": 685}
    vector = table.vector()
    assert vector[0] == 0 and vector[1] == 1131 and vector[2] == 845 and vector[15] == 27
    assert table.overlap("EXH", "ABA") == 177 + 181 + 18 + 27


def test_order_of_cells_is_first_list_fastest() -> None:
    table = CaptureTable.from_vector(("A", "B", "C"), [0, 60, 49, 4, 247, 112, 142, 12])
    assert table.counts[(1, 0, 0)] == 60
    assert table.counts[(1, 1, 0)] == 4
    assert table.counts[(0, 0, 1)] == 247
    assert table.recorded == 626


def test_repeated_patterns_are_summed_and_a_zero_all_zero_cell_is_accepted(
        tmp_path: Path) -> None:
    table = read_capture_csv(write(tmp_path, "A,B,count\n1,0,5\n1,0,3\n0,0,0\n1,1,2\n0,1,4\n"))
    assert table.counts == {(1, 0): 8, (0, 1): 4, (1, 1): 2}


@pytest.mark.parametrize(("text", "message"), [
    ("A,B,count\n1,0,5\n1,x,3\n", "line 3, column 'B': expected 0 or 1, got 'x'"),
    ("A,B,count\n1,0,5\n0,1,-3\n", "line 3, column 'count': negative count -3"),
    ("A,B,count\n1,0,5\n0,1,2.5\n", "line 3, column 'count': expected a whole number"),
    ("A,B,n\n1,0,5\n", "line 1: no 'count' column"),
    ("A,count\n1,5\n", "at least 2 list columns"),
    ("A,B,count\n1,0,5\n0,0,7\n", "line 3, column 'count': the all-zero cell"),
    ("A,B,count\n1,0,5\n0,1\n", "line 3: 2 cells, expected 3"),
    ("A,B,count\n1,0,0\n", "no one is recorded"),
    ("", "the file is empty"),
])
def test_errors_name_the_file_line_and_column(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(CaptureTableError) as caught:
        read_capture_csv(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CaptureTableError, match="cannot read"):
        read_capture_csv(tmp_path / "nope.csv")


def test_built_from_people_and_written_back(tmp_path: Path) -> None:
    people = [(1, 0, 1), (1, 0, 1), (0, 1, 0), (1, 1, 1), (0, 0, 1)]
    table = CaptureTable.from_histories(("A", "B", "C"), people)
    assert table.counts == {(1, 0, 1): 2, (0, 1, 0): 1, (1, 1, 1): 1, (0, 0, 1): 1}
    path = tmp_path / "out.csv"
    table.write_csv(path)
    assert read_capture_csv(path) == table
    merged = table.select(["A", "B"])
    assert merged.counts == {(1, 0): 2, (0, 1): 1, (1, 1): 1}
    assert merged.recorded == 4  # the person only on C is on neither


def test_a_table_refuses_nonsense() -> None:
    with pytest.raises(CaptureTableError, match="at least 2 lists"):
        CaptureTable(("A",), {(1,): 3})
    with pytest.raises(CaptureTableError, match="all-zero cell"):
        CaptureTable(("A", "B"), {(0, 0): 3})
    with pytest.raises(CaptureTableError, match="negative"):
        CaptureTable(("A", "B"), {(1, 0): -1})
    with pytest.raises(CaptureTableError, match="repeat"):
        CaptureTable(("A", "A"), {(1, 0): 1})
