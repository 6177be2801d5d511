"""`dossier names …`: do two names write the same person, and which spellings to search for."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from dossier.cli.common import console, fail, print_json
from dossier.text import match_names, name_variants

app = typer.Typer(help="Names across scripts: match two names, list spelling variants.",
                  no_args_is_help=True)


class PairsError(ValueError):
    """A row of a pairs file that cannot be read."""


@app.command("match")
def match(
    a: Annotated[str | None, typer.Argument(help="The first name (any script).")] = None,
    b: Annotated[str | None, typer.Argument(help="The second name.")] = None,
    pairs: Annotated[Path | None, typer.Option(
        "--pairs", help="Score many pairs: a CSV file with header a,b or JSON lines with keys "
                        "a and b. Prints one JSON object per pair.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Score two names: a score, a decision (same / different / unsure) and its features."""
    if pairs is not None:
        if a is not None or b is not None:
            raise fail("give either two names or --pairs FILE, not both")
        _match_pairs(pairs)
        return
    if a is None or b is None:
        raise fail("give two names, or --pairs FILE")
    result = match_names(a, b)
    if any(feature.name == "nothing_to_compare" for feature in result.features):
        raise fail(f"nothing to compare: {result.features[0].detail}; give a name, not only "
                   "a rank or a title", code=2)
    if as_json:
        print_json(result.as_dict())
        return
    console.print(f"{result.decision}  score {result.score:.3f}")
    for feature in result.features:
        console.print(f"  {feature.weight:+5.1f}  {feature.name}: {feature.detail}", markup=False)


def _match_pairs(path: Path) -> None:
    bad = 0
    try:
        rows = list(_read_pairs(path))
    except OSError as exc:
        raise fail(f"{path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise fail(f"{path}: not UTF-8 text ({exc.reason})") from exc
    for line, row in rows:
        if isinstance(row, PairsError):
            bad += 1
            sys.stderr.write(f"error: {path}:{line}: {row}\n")
            continue
        sys.stdout.write(json.dumps(match_names(*row).as_dict(), ensure_ascii=False) + "\n")
    if bad:
        raise fail(f"{bad} bad row(s) in {path}; the others were scored")


def _read_pairs(path: Path) -> Iterator[tuple[int, tuple[str, str] | PairsError]]:
    """(line number, (a, b) or the error) for every row of a CSV or JSON-lines file."""
    text = path.read_text(encoding="utf-8-sig")
    first = next((line for line in text.splitlines() if line.strip()), "")
    if first.lstrip().startswith("{"):
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                yield number, _json_row(line)
        return
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if "a" not in header or "b" not in header:
        yield 1, PairsError("the CSV header must name the columns a and b")
        return
    left, right = header.index("a"), header.index("b")
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        number = reader.line_num
        if len(row) <= max(left, right) or not row[left].strip() or not row[right].strip():
            yield number, PairsError("the row needs a value in both columns a and b")
        else:
            yield number, (row[left], row[right])


def _json_row(line: str) -> tuple[str, str] | PairsError:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return PairsError(f"not JSON: {exc.msg}")
    if not isinstance(value, dict):
        return PairsError("expected an object with keys a and b")
    a, b = value.get("a"), value.get("b")
    if not isinstance(a, str) or not isinstance(b, str) or not a.strip() or not b.strip():
        return PairsError("expected an object with non-empty string keys a and b")
    return a, b


@app.command("variants")
def variants(
    name: Annotated[str, typer.Argument(help="A name in Arabic or Latin script.")],
    limit: Annotated[int, typer.Option(help="At most this many spellings.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the spellings Dossier would search for, in both scripts, the name itself first."""
    found = name_variants(name, limit=limit)
    if as_json:
        print_json({"name": name, "variants": found})
        return
    for spelling in found:
        console.print(spelling, markup=False)
