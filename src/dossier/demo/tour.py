"""`dossier demo`: a synthetic leak generated, ingested, searched and summarised."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dossier.ingest.pipeline import IngestOptions, ingest
from dossier.ingest.progress import IngestProgress, ProgressCallback
from dossier.search import SearchResults
from dossier.status import Status, workspace_status
from dossier.workspace import Workspace

# Searches that show what Dossier does with Arabic: Arabic-Indic digits, prefixes, phrases.
DEMO_QUERIES = (
    "الفرع ٢٥١",
    "251 branch",
    '"مشفى تشرين"',
    "Saydnaya OR صيدنايا",
    "تعذيب -تحقيق",
    "interrog*",
    "transfert",
)


@dataclass
class TourReport:
    directory: Path
    leak: Path
    workspace: Path
    generated_files: int
    ingest: IngestProgress
    status: Status
    searches: list[SearchResults] = field(default_factory=list)

    def render(self) -> str:
        lines = [
            "",
            f"Synthetic leak: {self.generated_files:,} files in {self.leak} "
            f"(truth in {self.directory / 'truth.json'})",
            f"Workspace: {self.workspace}",
            f"Ingested in {self.ingest.elapsed:,.1f}s: {self.status.items:,} originals "
            f"(members of archives and attachments included), {self.status.pages:,} pages, "
            f"{self.status.ocr_pages:,} of them OCR; "
            f"{self.status.duplicate_sightings:,} exact duplicates, "
            f"{self.status.near_duplicate_groups:,} near-duplicate groups",
            "By type: " + ", ".join(f"{k} {v}" for k, v in sorted(self.status.by_type.items())),
            "By language: "
            + ", ".join(f"{k} {v}" for k, v in sorted(self.status.by_language.items())),
            f"Quarantined: {len(self.status.failures)} file(s) that could not be read "
            "(the leak contains deliberately broken files):",
        ]
        lines += [f"  - {f['kind']}: {f['message']}" for f in self.status.failures[:8]]
        head = self.status.custody_head
        lines.append(
            f"Custody: {head['seq']:,} events, head {head['hash'][:16]}… signed with "
            f"key {head['public_key'][:16]}…"
        )
        lines.append("")
        lines.append("Searches:")
        for result in self.searches:
            lines.append(f"  {result.query!r}: {result.total:,} pages")
            for hit in result.hits[:2]:
                snippet = hit.marked("[", "]", escape_html=False).replace("\n", " ")
                lines.append(f"     item {hit.item_id} {hit.path} p. {hit.page}: {snippet[:160]}")
        workspace = self.workspace
        lines += [
            "",
            "Try next:",
            f"  dossier -w {workspace} search 'فرع فلسطين'",
            f"  dossier -w {workspace} search '\"Branch 251\"' --lang en --json",
            f"  dossier -w {workspace} status",
            f"  dossier -w {workspace} custody log --item 1",
            f"  dossier -w {workspace} verify",
        ]
        return "\n".join(lines)


def run_tour(
    directory: Path, docs: int = 300, seed: int = 7, on_progress: ProgressCallback | None = None
) -> TourReport:
    from dossier.demo import generate_leak

    directory = Path(directory)
    truth = generate_leak(directory, docs=docs, seed=seed)
    leak = directory / "leak"
    workspace = Workspace.init(directory / "workspace")
    try:
        progress = ingest(
            workspace,
            IngestOptions(
                collection="demo-leak",
                paths=[leak],
                acquired_from="dossier demo (synthetic)",
                note=f"generated with seed {seed}",
            ),
            on_progress,
        )
        status = workspace_status(workspace)
        searches = [workspace.index.search(query, limit=3) for query in DEMO_QUERIES]
    finally:
        workspace.close()
    return TourReport(
        directory, leak, workspace.root, len(truth["files"]), progress, status, searches
    )
