"""`dossier demo`: a synthetic leak generated, ingested, searched and summarised, and a case.

After the searches the tour puts the synthetic world's officers and units into the registry
(their names only: who held which post is what the documents must tell), extracts mentions
and claims from every page, and asks who headed a unit on a day a document attests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from dossier.demo.case_tour import CaseTour, run_case_tour
from dossier.demo.registry_seed import seed_registry
from dossier.demo.world import World, build_world
from dossier.extract import ExtractReport, extract
from dossier.ingest.pipeline import IngestOptions, ingest
from dossier.ingest.progress import IngestProgress, ProgressCallback
from dossier.registry.command import PostHolder, who
from dossier.search import SearchResults
from dossier.status import Status, workspace_status
from dossier.store.schema import entities
from dossier.text import NameMatch, match_names
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


_PLURAL = {"facility": "facilities"}


@dataclass
class TourReport:
    directory: Path
    leak: Path
    workspace: Path
    generated_files: int
    ingest: IngestProgress
    status: Status
    searches: list[SearchResults] = field(default_factory=list)
    registry: dict[str, int] = field(default_factory=dict)  # entities seeded, per kind
    extraction: ExtractReport | None = None
    question: tuple[str, str, str] | None = None  # (unit name, its number or id, ISO date)
    answer: list[PostHolder] = field(default_factory=list)
    truth_holder: str | None = None
    names: list[NameMatch] = field(default_factory=list)
    case: CaseTour | None = None

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
        lines += self._render_registry()
        if self.case is not None:
            lines += self.case.lines()
        workspace = self.workspace
        lines += [
            "",
            "Try next:",
            f"  dossier -w {workspace} search 'فرع فلسطين'",
            f"  dossier -w {workspace} search '\"Branch 251\"' --lang en --json",
            f"  dossier -w {workspace} status",
            f"  dossier -w {workspace} custody log --item 1",
            f"  dossier -w {workspace} verify",
            f"  dossier -w {workspace} serve    # then open http://127.0.0.1:8000/ in a browser",
        ]
        if self.question is not None:
            unit, reference, day = self.question
            lines.append(f"  dossier -w {workspace} command who --unit {reference} --on {day}")
        if self.answer:
            lines.append(f"  dossier -w {workspace} profile {self.answer[0].person_id}")
        if self.names:
            first = self.names[0]
            lines.append(f"  dossier names match '{first.a}' '{first.b}'")
        if self.case is not None:
            lines += [f"  {command}" for command in self.case.commands]
        return "\n".join(lines)

    def _render_registry(self) -> list[str]:
        if self.extraction is None:
            return []
        report = self.extraction
        seeded = ", ".join(f"{count} {_PLURAL.get(kind, kind + 's')}"
                           for kind, count in sorted(self.registry.items()))
        kinds = ", ".join(f"{kind} {count:,}" for kind, count in sorted(report.mentions.items()))
        lines = [
            "",
            f"Registry: {seeded} from the synthetic world (names in three languages, no posts)",
            f"Extracted from {report.pages:,} pages in {report.seconds:,.1f}s: {kinds}; "
            f"{report.linked:,} linked to the registry; {report.claims_new:,} claims proposed "
            f"with {report.claim_sources_new:,} sources",
        ]
        if self.question is not None:
            unit, _reference, day = self.question
            lines.append(f"Who headed {unit} on {day}?")
            for holder in self.answer:
                lines.append(f"  {holder.person_name} ({holder.standing}, {holder.basis})")
                for claim in holder.claims[:2]:
                    for source in claim.sources[:1]:
                        quote = (source.quote or "").replace("\n", " ")[:100]
                        lines.append(f"     item {source.item_id} {source.path} "
                                     f"p. {source.page_number}: {quote}")
            if not self.answer:
                lines.append("  nobody found in the claims")
            if self.truth_holder:
                lines.append(f"  (the synthetic truth: {self.truth_holder})")
        if self.names:
            lines.append("Names across scripts:")
            for match in self.names:
                lines.append(f"  {match.a} / {match.b}: {match.decision} ({match.score:.2f})")
        return lines


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
        report = TourReport(
            directory, leak, workspace.root, len(truth["files"]), progress, status, searches
        )
        _registry_tour(workspace, build_world(seed), truth, report)
        report.case = run_case_tour(workspace, directory)
    finally:
        workspace.close()
    return report


def _registry_tour(workspace: Workspace, world: World, truth: dict[str, Any],
                   report: TourReport) -> None:
    with workspace.engine.begin() as conn:
        ids = seed_registry(conn, world, actor="dossier demo")
        counted = conn.execute(select(entities.c.kind, func.count())
                               .where(entities.c.id.in_(list(ids.values())))
                               .group_by(entities.c.kind))
        report.registry = {str(kind): int(count) for kind, count in counted}
    report.extraction = extract(workspace)
    attested = _attested_headship(truth)
    if attested is not None:
        unit_id, day = attested
        unit = world.by_id[unit_id]
        report.question = (unit.en[0], str(unit.number or f"#{ids[unit_id]}"), day)
        with workspace.engine.connect() as conn:
            report.answer = who(conn, ids[unit_id], date.fromisoformat(day), roles=("head",))
        holder, _post = world.head_of(unit_id, date.fromisoformat(day))
        report.truth_holder = holder.en_names[0]
    officer = world.persons[0]
    report.names = [match_names(officer.ar_names[0], officer.en_names[-1]),
                    match_names(officer.ar_names[0], world.persons[1].en_names[0])]


def _attested_headship(truth: dict[str, Any]) -> tuple[str, str] | None:
    """A (unit, day) on which a document of the leak says who headed the unit; 251 first."""
    found = [(claim["unit"], claim["date"]) for record in truth["files"]
             for claim in record.get("claims", []) if claim["role"] == "head"]
    found.sort(key=lambda pair: (pair[0] != "GI-251", pair))
    return found[0] if found else None
