"""`dossier demo`: the synthetic leak, end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dossier.cli.common import console
from dossier.cli.progress import progress_display

app = typer.Typer(help="The synthetic world: a fake leak with a known truth.",
                  invoke_without_command=True)


@app.callback()
def demo(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Option(
        "--dir", help="Where the demo leak and its workspace are written.")] = Path("dossier-demo"),
    docs: Annotated[int, typer.Option(help="How many documents the leak has.", min=10)] = 300,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic world.")] = 7,
) -> None:
    """Generate a synthetic leak, ingest it, search it in Arabic and English, summarise."""
    if ctx.invoked_subcommand is not None:
        return
    from dossier.demo.tour import run_tour

    with progress_display() as on_progress:
        report = run_tour(directory, docs=docs, seed=seed, on_progress=on_progress)
    console.print(report.render(), markup=False)


@app.command()
def generate(
    out: Annotated[Path, typer.Argument(help="Folder to write the leak and truth.json into.")],
    docs: Annotated[int, typer.Option(help="How many documents.", min=1)] = 300,
    seed: Annotated[int, typer.Option(help="Seed; the same seed writes the same bytes.")] = 7,
    born_digital_only: Annotated[bool, typer.Option(
        help="Only born-digital PDFs (for benchmarks).")] = False,
) -> None:
    """Write a synthetic leak and its truth.json (deterministic for a seed)."""
    from dossier.demo import generate_leak

    truth = generate_leak(out, docs=docs, seed=seed, born_digital_only=born_digital_only)
    console.print(f"wrote {len(truth['files']):,} files and {out / 'truth.json'}")


@app.command()
def victims(
    out: Annotated[Path, typer.Argument(help="Folder to write the lists and truth.json into.")],
    victims: Annotated[int, typer.Option(
        "--victims", help="How many victims the synthetic population has.", min=1)] = 2000,
    lists: Annotated[int, typer.Option(
        "--lists", help="How many organisations' lists to write.", min=1)] = 4,
    seed: Annotated[int, typer.Option(help="Seed; the same seed writes the same bytes.")] = 7,
) -> None:
    """Write victim lists of several organisations over one synthetic population, and truth.json."""
    from dossier.demo.victims import generate_lists

    truth = generate_lists(out, victims=victims, lists=lists, seed=seed)
    for entry in truth["lists"]:
        console.print(f"{out / entry['file']}: {entry['records']:,} records of "
                      f"{entry['victims']:,} victims ({entry['coverage']:.0%} coverage)")
    console.print(f"{truth['total']:,} victims in all, {truth['unrecorded']:,} on no list; "
                  f"the truth is in {out / 'truth.json'}")
