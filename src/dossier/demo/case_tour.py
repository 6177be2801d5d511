"""The demo's last step: a whole case built from the synthetic leak, exported and verified.

After the registry tour the demo opens the sample case (`case_seed`), records where its
suspect lives now (a synthetic residence, so that `dossier jurisdictions` has something to
weigh), loads the reference dataset of public proceedings, opens a synthetic proceeding on the
case, exports the case as a bundle and verifies the bundle as a stranger would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from dossier.cases.casefile import CaseError, load_case
from dossier.cases.matrix import Matrix, build_matrix
from dossier.cases.proceedings import (
    ProceedingError,
    add_proceeding,
    add_stage,
    load_proceeding,
)
from dossier.cases.reference import import_reference
from dossier.demo.case_seed import seed_demo_case
from dossier.export.bundle import ExportResult, export_case
from dossier.export.verify_bundle import BundleReport, verify
from dossier.registry.claims import ClaimDraft, Source, add_claims
from dossier.registry.entities import add_entity
from dossier.store.schema import entities
from dossier.workspace import Workspace

ACTOR = "dossier demo"
PROCEEDING = "DEMO-DE-COMPLAINT"
RESIDENCE_SOURCE = "synthetic demo: a residence registration (invented for the demo)"


@dataclass
class CaseTour:
    ref: str | None = None
    suspect: str | None = None
    matrix: Matrix | None = None
    proceedings_added: int = 0
    bundle: ExportResult | None = None
    verified: BundleReport | None = None
    skipped: str | None = None  # why there is no case, on a leak too small to name a head
    commands: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if self.skipped:
            return ["", f"Case: not built ({self.skipped})"]
        assert self.matrix is not None and self.bundle is not None and self.verified is not None
        summary = self.matrix.summary()
        counts = ", ".join(f"{summary.get(status, 0)} {status.replace('_', ' ')}"
                           for status in ("proven", "single_source", "contradicted", "gap"))
        lines = [
            "",
            f"Case {self.ref}: suspect {self.suspect}; proof matrix: {counts}",
            f"Proceedings: {self.proceedings_added} public proceedings of the reference dataset "
            f"loaded, and the synthetic {PROCEEDING} opened on the case",
            f"Bundle: {self.bundle.path} ({self.bundle.exhibits} exhibits, "
            f"{self.bundle.original_bytes:,} bytes of originals, "
            f"{len(self.bundle.left_out)} withheld because they name a protected person; "
            f"{self.bundle.redacted_items} with a protected name replaced by a pseudonym)",
            "Verified offline: " + ("every hash, inclusion proof and the signature match"
                                    if self.verified.ok else
                                    f"{len(self.verified.problems)} problem(s)"),
        ]
        return lines


def run_case_tour(workspace: Workspace, directory: Path) -> CaseTour:
    tour = CaseTour()
    try:
        tour.ref = seed_demo_case(workspace)
    except CaseError as exc:
        tour.skipped = str(exc)
        return tour
    case = load_case(workspace.engine, tour.ref)
    suspect = case.suspects[0]
    tour.suspect = suspect.name
    _record_residence(workspace, suspect.entity_id)
    tour.proceedings_added = import_reference(workspace.engine).proceedings_added
    _open_proceeding(workspace, tour.ref, suspect.entity_id)
    tour.matrix = build_matrix(load_case(workspace.engine, tour.ref))
    out = directory / f"{tour.ref}.zip"
    tour.bundle = export_case(workspace, tour.ref, out, overwrite=True)
    tour.verified = verify(out, trusted_key=workspace.signer.public_key_hex)
    root = workspace.root
    tour.commands = [
        f"dossier -w {root} case matrix {tour.ref}",
        f"dossier -w {root} jurisdictions '#{suspect.entity_id}'",
        f"dossier -w {root} proceedings stats --country BE",
        f"dossier bundle verify {out} --trusted-key {workspace.signer.public_key_hex}",
    ]
    return tour


def _record_residence(workspace: Workspace, person_id: int) -> None:
    """The suspect lives in Germany since 2016: invented, and the claim says so."""
    with workspace.engine.begin() as conn:
        germany = conn.scalar(select(entities.c.id).where(entities.c.kind == "place",
                                                          entities.c.name == "Germany"))
        if germany is None:
            germany = add_entity(conn, "place", "Germany", names=[("ألمانيا", "ar", "alias")],
                                 attributes={"country": "DE"}, actor=ACTOR)
        add_claims(conn, [ClaimDraft(person_id, "resides_in", (Source(citation=RESIDENCE_SOURCE),),
                                     object_id=germany, valid_from="2016", author=ACTOR,
                                     origin="manual", status="accepted")])


def _open_proceeding(workspace: Workspace, case_ref: str, person_id: int) -> None:
    try:
        load_proceeding(workspace.engine, PROCEEDING)
        return
    except ProceedingError:
        pass
    add_proceeding(workspace.engine, PROCEEDING, forum="Federal Public Prosecutor General "
                   "(synthetic)", kind="criminal", country="DE", legal_basis="VStGB §7",
                   ground="universal", case=case_ref, subject=f"#{person_id}",
                   description="A synthetic complaint opened by the demo on its sample case.",
                   source="synthetic demo", author=ACTOR)
    add_stage(workspace.engine, PROCEEDING, "complaint", on_date="2024-05-02",
              source="synthetic demo", author=ACTOR)
    add_stage(workspace.engine, PROCEEDING, "structural_investigation", on_date="2024-09",
              source="synthetic demo", author=ACTOR)
