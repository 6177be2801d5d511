"""Bar charts of victim counts, one per breakdown, as PNG or SVG (matplotlib, Agg).

Labels are Latin: a value written in Arabic (a perpetrator as an Arabic list names it) is
romanised with `dossier.text.romanize`, because the default fonts have no Arabic glyphs and
matplotlib does not shape Arabic. The files are reproducible: no date in their metadata.
"""

from __future__ import annotations

import re
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dossier.text import romanize
from dossier.victims.stats import UNKNOWN, VictimStats

__all__ = ["FORMATS", "write_charts"]

FORMATS = ("png", "svg")
_TITLES = {"year": "Victims by year (of death, else of arrest)",
           "governorate": "Victims by governorate", "sex": "Victims by sex",
           "age_group": "Victims by age group", "perpetrator": "Victims by attributed perpetrator",
           "status": "Victims by status"}
_MOST_BARS = 25
_ARABIC = re.compile("[\u0600-\u06ff]")


def _label(value: str) -> str:
    text = romanize(value) if _ARABIC.search(value) else value
    return text if len(text) <= 40 else text[:39] + "…"


def _draw(axes: Axes, name: str, rows: list[tuple[str, int]], total: int) -> None:
    if len(rows) > _MOST_BARS:
        unknown = [row for row in rows if row[0] == UNKNOWN]
        known = [row for row in rows if row[0] != UNKNOWN]
        shown, rest = known[:_MOST_BARS - 2], known[_MOST_BARS - 2:]
        rows = [*shown, (f"{len(rest)} others", sum(count for _, count in rest)), *unknown]
    labels = [_label(value) for value, _ in rows]
    counts = [count for _, count in rows]
    positions = list(range(len(rows)))
    bars = axes.bar(positions, counts, color="#4a6a8a")
    axes.bar_label(bars, labels=[f"{c:,}" for c in counts], fontsize=7)
    axes.set_xticks(positions, labels, rotation=45 if len(rows) > 6 else 0,
                    ha="right" if len(rows) > 6 else "center", fontsize=8)
    axes.set_title(f"{_TITLES.get(name, name)} — {total:,} victims", fontsize=10)
    axes.set_ylabel("victims")
    axes.spines[["top", "right"]].set_visible(False)


def _save(figure: Figure, path: Path, fmt: str) -> None:
    FigureCanvasAgg(figure)
    metadata: dict[str, str | None] = {"Date": None} if fmt == "svg" else {"Software": None}
    figure.savefig(path, format=fmt, metadata=metadata, bbox_inches="tight")


def write_charts(stats: VictimStats, out: Path, fmt: str = "png") -> list[Path]:
    """Write the breakdowns of ``stats`` as charts; return the files written.

    ``out`` ending in .png or .svg is one file with a chart per breakdown; otherwise it is a
    folder (created when missing) that gets ``victims-by-<breakdown>.<fmt>`` for each.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r} (choose from {', '.join(FORMATS)})")
    out = Path(out)
    names = list(stats.breakdowns)
    if not names:
        raise ValueError("no breakdown to draw")
    if out.suffix.lower() in (".png", ".svg"):
        fmt = out.suffix.lower()[1:]
        out.parent.mkdir(parents=True, exist_ok=True)
        figure = Figure(figsize=(9, 3.6 * len(names)))
        for position, name in enumerate(names, start=1):
            _draw(figure.add_subplot(len(names), 1, position), name, stats.breakdowns[name],
                  stats.victims)
        figure.tight_layout()
        _save(figure, out, fmt)
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in names:
        figure = Figure(figsize=(9, 4.5))
        _draw(figure.add_subplot(), name, stats.breakdowns[name], stats.victims)
        path = out / f"victims-by-{name}.{fmt}"
        _save(figure, path, fmt)
        written.append(path)
    return written
