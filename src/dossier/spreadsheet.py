"""CSV meant to be opened in a spreadsheet, written so that no cell runs as a formula.

A leaked file's path, a name in a victim list or a search typed into the audit log is text
from outside; a cell that starts with "=", "+", "-" or "@" (or a tab or carriage return) is
read by Excel and LibreOffice as a formula, which can fetch from the network or run commands
on the investigator's machine when the file is opened ("CSV injection"). Such a cell is
written with a leading apostrophe, which spreadsheets show as text and never evaluate; a plain
number ("-12", "+3.5") is left as it is. Numbers of other types are written unchanged.

Only for CSV that people open: files that Dossier reads back (`registry export --format csv`,
capture tables) keep their cells exactly.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class _Stream(Protocol):
    def write(self, text: str, /) -> Any: ...


def cell(value: Any) -> Any:
    """``value`` as a spreadsheet will show it, never as a formula."""
    if not isinstance(value, str) or not value or value[0] not in FORMULA_STARTS:
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


class SafeWriter:
    """`csv.writer` whose every text cell goes through `cell`."""

    def __init__(self, stream: _Stream, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: _Stream, **options: Any) -> SafeWriter:
    return SafeWriter(stream, **options)
