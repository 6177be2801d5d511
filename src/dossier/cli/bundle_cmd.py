"""`dossier case export` and `dossier bundle verify`: write an evidence bundle, check one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from dossier.cli.common import console, fail, open_workspace, print_json
from dossier.cli.progress import progress_display
from dossier.progress import RunClock

app = typer.Typer(help="Evidence bundles: check one anywhere, without a workspace.",
                  no_args_is_help=True, rich_markup_mode=None)


@dataclass
class _ExportProgress(RunClock):
    done: int = 0
    total: int = 0
    phase: str = "originals"

    def line(self) -> str:
        rate = self.per_second(self.done)
        eta = self.time_left(self.total - self.done, rate)
        return (f"export: {self.done / 1e6:,.0f} of {self.total / 1e6:,.0f} MB of originals, "
                f"{rate / 1e6:,.0f} MB/s, {self.eta_text(eta)} left")


def export(
    case: Annotated[str, typer.Argument(help="The case reference (e.g. koblenz-251).")],
    out: Annotated[Path, typer.Argument(help="The bundle to write (OUT.zip).")],
    include: Annotated[list[int] | None, typer.Option(
        "--include", help="The item id of an original to put in the bundle although it names "
                          "a protected person (repeat for more).")] = None,
    overwrite: Annotated[bool, typer.Option(
        "--overwrite", help="Replace OUT if it exists (it is replaced only once the new "
                            "bundle is complete).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress line.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Export the case as a BagIt bundle (zip) that anyone can verify with verify_bundle.py."""
    from dossier.cases.casefile import CaseError
    from dossier.export.bundle import ExportError, export_case

    state = _ExportProgress()
    with open_workspace() as workspace, progress_display(quiet or as_json) as show:
        def on_progress(done: int, total: int) -> None:
            state.done, state.total = done, total
            show(state)

        try:
            result = export_case(workspace, case, out, include=include or (),
                                 progress=on_progress, overwrite=overwrite)
        except (CaseError, ExportError) as exc:
            raise fail(str(exc)) from exc
        state.phase = "done"
    if as_json:
        print_json(result.as_dict())
        return
    console.print(f"wrote {result.path}: {result.exhibits} exhibits, "
                  f"{result.original_bytes:,} bytes of originals", markup=False)
    console.print(f"  sha256 {result.sha256}", markup=False)
    console.print(f"  custody tree of {result.tree_size:,} events, root {result.tree_root}",
                  markup=False)
    if result.redacted_items:
        console.print(f"  protected names pseudonymised in {result.redacted_items} exhibit(s)",
                      markup=False)
    for item, reason in result.left_out:
        console.print(f"  original of item {item} withheld: {reason}", markup=False)
    console.print(f"  check it with: dossier bundle verify {result.path} --trusted-key "
                  f"{workspace.signer.public_key_hex}", markup=False)


@app.command()
def verify(
    bundle: Annotated[Path, typer.Argument(help="The bundle (.zip, or its unzipped folder).")],
    trusted_key: Annotated[str | None, typer.Option(
        "--trusted-key", help="The ed25519 public key (hex) obtained separately from the "
                              "sender; the bundle must be signed by it.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check a bundle's hashes, custody proofs and signature; exit 1 on any problem.

    Needs no workspace: this is the verifier every bundle carries (verify_bundle.py). Without
    --trusted-key a consistent bundle exits 0 but is reported as signed by a key that is not
    confirmed.
    """
    from dossier.export.verify_bundle import verify as verify_bundle

    if not bundle.exists():
        raise fail(f"{bundle} does not exist")
    report = verify_bundle(bundle, trusted_key)
    if as_json:
        print_json(report.as_dict())
    else:
        for problem in report.problems:
            console.print(f"[red]{problem.kind}[/]: {escape(problem.where)}: "
                          f"{escape(problem.message)}",
                          markup=True)
        console.print(f"checked {report.files:,} files and {report.events:,} custody events",
                      markup=False)
        style = "bold red" if not report.ok else "" if report.key_confirmed else "bold yellow"
        console.print(f"[{style}]{escape(report.verdict)}[/]" if style
                      else escape(report.verdict), markup=True)
    if not report.ok:
        raise typer.Exit(1)


def register(root: typer.Typer, case_app: typer.Typer) -> None:
    """Attach `dossier bundle …` to the root app and `export` to `dossier case`."""
    root.add_typer(app, name="bundle")
    case_app.command("export")(export)
