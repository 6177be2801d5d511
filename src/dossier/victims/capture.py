"""Capture tables: how many people each combination of lists recorded.

A capture table has one 0/1 column per list and a count of the people recorded by exactly that
combination of lists. The cell where every list says 0 — the people nobody recorded — is what
multiple systems estimation estimates, so a table can never give it a non-zero count.

Cells are indexed with the first list varying fastest: the pattern (x_1, …, x_J) sits at index
x_1 + 2·x_2 + 4·x_3 + …, the order of Madigan and York's tables and of the dga package.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

Pattern = tuple[int, ...]


class CaptureTableError(ValueError):
    """A capture table that cannot be read or makes no sense; the message says where."""


def patterns(n_lists: int) -> np.ndarray:
    """Every 0/1 pattern over ``n_lists`` lists, one row per cell, first list fastest."""
    index = np.arange(2**n_lists)
    return ((index[:, None] >> np.arange(n_lists)[None, :]) & 1).astype(np.int64)


def cell_index(pattern: Sequence[int]) -> int:
    return sum(int(bit) << position for position, bit in enumerate(pattern))


@dataclass(frozen=True)
class CaptureTable:
    """Counts of people per capture pattern (observed cells only: the all-zero cell is absent)."""

    lists: tuple[str, ...]
    counts: Mapping[Pattern, int]
    source: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        where = f"{self.source}: " if self.source else ""
        if len(self.lists) < 2:
            raise CaptureTableError(f"{where}a capture table needs at least 2 lists, "
                                    f"got {len(self.lists)}")
        if len(set(self.lists)) != len(self.lists):
            raise CaptureTableError(f"{where}list names repeat: {', '.join(self.lists)}")
        for pattern, count in self.counts.items():
            if len(pattern) != len(self.lists) or any(bit not in (0, 1) for bit in pattern):
                raise CaptureTableError(f"{where}pattern {pattern} does not match "
                                        f"{len(self.lists)} lists of 0/1")
            if count < 0:
                raise CaptureTableError(f"{where}negative count {count} for {pattern}")
            if not any(pattern) and count:
                raise CaptureTableError(f"{where}the all-zero cell (people on no list) "
                                        f"cannot be observed, got {count}")
        cleaned = {tuple(int(b) for b in p): int(c) for p, c in self.counts.items()
                   if any(p) and c}
        object.__setattr__(self, "counts", dict(sorted(cleaned.items(),
                                                       key=lambda item: cell_index(item[0]))))

    @property
    def n_lists(self) -> int:
        return len(self.lists)

    @property
    def recorded(self) -> int:
        """People recorded by at least one list."""
        return sum(self.counts.values())

    def vector(self) -> np.ndarray:
        """Counts of all 2^J cells (first list fastest); the all-zero cell holds 0."""
        out = np.zeros(2**self.n_lists, dtype=np.int64)
        for pattern, count in self.counts.items():
            out[cell_index(pattern)] = count
        return out

    def list_sizes(self) -> dict[str, int]:
        sizes = patterns(self.n_lists).T @ self.vector()
        return {name: int(size) for name, size in zip(self.lists, sizes, strict=True)}

    def overlap(self, first: str, second: str) -> int:
        """People recorded by both lists (and maybe others)."""
        a, b = self.lists.index(first), self.lists.index(second)
        return sum(c for p, c in self.counts.items() if p[a] and p[b])

    def select(self, lists: Sequence[str]) -> CaptureTable:
        """The table over a subset of the lists (people on none of them drop out)."""
        positions = [self.lists.index(name) for name in lists]
        merged: dict[Pattern, int] = {}
        for pattern, count in self.counts.items():
            sub = tuple(pattern[i] for i in positions)
            if any(sub):
                merged[sub] = merged.get(sub, 0) + count
        return CaptureTable(tuple(lists), merged, self.source)

    @classmethod
    def from_vector(cls, lists: Sequence[str], counts: Sequence[int] | np.ndarray,
                    source: str | None = None) -> CaptureTable:
        """From 2^J counts with the first list varying fastest (cell 0 must be 0)."""
        n_lists = len(lists)
        values = [int(v) for v in counts]
        if len(values) != 2**n_lists:
            raise CaptureTableError(f"{len(lists)} lists need {2**n_lists} cells, "
                                    f"got {len(values)}")
        rows = patterns(n_lists)
        return cls(tuple(lists), {tuple(int(b) for b in rows[i]): v
                                  for i, v in enumerate(values)}, source)

    @classmethod
    def from_histories(cls, lists: Sequence[str], histories: Iterable[Sequence[int]],
                       source: str | None = None) -> CaptureTable:
        """From one 0/1 capture history per person."""
        counts: dict[Pattern, int] = {}
        for history in histories:
            pattern = tuple(int(bool(b)) for b in history)
            counts[pattern] = counts.get(pattern, 0) + 1
        return cls(tuple(lists), counts, source)

    def rows(self) -> list[dict[str, int]]:
        """One dict per observed cell: the lists' 0/1 columns and ``count``."""
        return [{**dict(zip(self.lists, pattern, strict=True)), "count": count}
                for pattern, count in self.counts.items()]

    def write_csv(self, path: Path) -> None:
        with Path(path).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=[*self.lists, "count"])
            writer.writeheader()
            writer.writerows(self.rows())


def read_capture_csv(path: Path | str) -> CaptureTable:
    """Read an aggregated capture table: one 0/1 column per list and a ``count`` column.

    A pattern given on several lines is summed. Errors name the file, the line and the column.
    """
    path = Path(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise CaptureTableError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    with handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            raise CaptureTableError(f"{path}: the file is empty") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise CaptureTableError(f"{path}, line 1: {exc}") from exc
        if "count" not in header:
            raise CaptureTableError(f"{path}, line 1: no 'count' column "
                                    f"(columns: {', '.join(header)})")
        if any(not name for name in header):
            raise CaptureTableError(f"{path}, line 1: a column has no name")
        if len(set(header)) != len(header):
            raise CaptureTableError(f"{path}, line 1: column names repeat")
        count_at = header.index("count")
        lists = [name for name in header if name != "count"]
        if len(lists) < 2:
            raise CaptureTableError(f"{path}, line 1: a capture table needs at least 2 list "
                                    f"columns besides 'count', got {len(lists)}")
        counts: dict[Pattern, int] = {}
        try:
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise CaptureTableError(f"{path}, line {line}: {len(row)} cells, "
                                            f"expected {len(header)}")
                pattern = tuple(_bit(path, line, name, value)
                                for name, value in zip(header, row, strict=True)
                                if name != "count")
                count = _count(path, line, row[count_at])
                if not any(pattern) and count:
                    raise CaptureTableError(
                        f"{path}, line {line}, column 'count': the all-zero cell (people on "
                        f"no list) cannot be observed; it is what is estimated, got {count}")
                counts[pattern] = counts.get(pattern, 0) + count
        except (csv.Error, UnicodeDecodeError) as exc:
            raise CaptureTableError(f"{path}, line {reader.line_num}: {exc}") from exc
    table = CaptureTable(tuple(lists), counts, str(path))
    if table.recorded == 0:
        raise CaptureTableError(f"{path}: no one is recorded (every count is 0)")
    return table


def _bit(path: Path, line: int, column: str, value: str) -> int:
    text = value.strip()
    if text not in ("0", "1"):
        raise CaptureTableError(f"{path}, line {line}, column '{column}': expected 0 or 1, "
                                f"got '{value}'")
    return int(text)


def _count(path: Path, line: int, value: str) -> int:
    text = value.strip()
    try:
        count = int(text)
    except ValueError:
        raise CaptureTableError(f"{path}, line {line}, column 'count': expected a whole "
                                f"number, got '{value}'") from None
    if count < 0:
        raise CaptureTableError(f"{path}, line {line}, column 'count': negative count {count}")
    return count
