"""The bundles of a case kept in the workspace, for those who export and verify from a browser.

`dossier case export CASE OUT.zip` writes where its user says. A server cannot let a browser
name a path, so it writes each case's bundles into the workspace itself::

    exports/<case ref>/<case ref>-<UTC time>.zip

and lets a bundle be named only as one of the files of that folder (no path, no link, nothing
but letters, digits, '.', '_' and '-', ending in .zip). The sha256 listed for a bundle is the one
the custody log recorded when it was exported; verifying a bundle checks it with the bundle's
own verifier against the workspace's key, and checks too that the file still has the sha256
recorded at export.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from dossier.cases.casefile import CASE_REF, load_case
from dossier.export.bundle import ExportResult, export_case
from dossier.export.verify_bundle import BundleReport, Problem, verify
from dossier.store.schema import custody_events
from dossier.workspace import Workspace

__all__ = ["EXPORTS_DIR", "BundleFile", "BundleNotFound", "case_exports", "export_to_workspace",
           "find_bundle", "list_bundles", "verify_case_bundle"]

EXPORTS_DIR = "exports"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}\.zip")
_CHUNK = 1 << 20


class BundleNotFound(LookupError):
    """No bundle of that name among the case's bundles (or a name that cannot be one)."""


@dataclass(frozen=True)
class BundleFile:
    name: str
    size: int
    sha256: str | None  # as recorded in the custody log at export; None if not recorded
    exported_at: str | None
    exported_by: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "sha256": self.sha256,
                "exported_at": self.exported_at, "exported_by": self.exported_by}


def case_exports(workspace: Workspace, case_ref: str) -> Path:
    """The folder of the case's bundles (it may not exist yet). A case's reference is letters,
    digits, '.', '_' and '-' starting with a letter or digit (see `create_case`), so it is
    always one plain folder name; anything else is refused, whoever calls."""
    if not CASE_REF.fullmatch(case_ref):
        raise BundleNotFound(f"no case {case_ref!r}")
    return workspace.root / EXPORTS_DIR / case_ref


def find_bundle(workspace: Workspace, case_ref: str, name: str) -> Path:
    """The path of the case's bundle ``name``; BundleNotFound for any other name."""
    if not _NAME.fullmatch(name) or ".." in name:
        raise BundleNotFound(f"no bundle {name!r} of case {case_ref!r}")
    folder = case_exports(workspace, case_ref)
    path = folder / name
    if path.is_symlink() or not path.is_file() or path.parent != folder:
        raise BundleNotFound(f"no bundle {name!r} of case {case_ref!r}")
    return path


def list_bundles(workspace: Workspace, case_ref: str) -> list[BundleFile]:
    """The case's bundles, newest first, with what the custody log recorded of each."""
    folder = case_exports(workspace, case_ref)
    if not folder.is_dir():
        return []
    with workspace.engine.connect() as conn:
        recorded = _recorded(conn, case_ref)
    found = []
    for path in folder.iterdir():
        if path.is_symlink() or not path.is_file() or not _NAME.fullmatch(path.name):
            continue
        event = recorded.get(path.name, {})
        found.append((path.stat().st_mtime, BundleFile(
            path.name, path.stat().st_size, event.get("sha256"), event.get("at"),
            event.get("actor"))))
    return [bundle for _, bundle in sorted(found, key=lambda pair: (-pair[0], pair[1].name))]


def export_to_workspace(workspace: Workspace, case_ref: str, *, actor: str | None = None,
                        include: Sequence[int] = ()) -> ExportResult:
    """Export the case into its folder of the workspace under a new name (see
    :func:`dossier.export.bundle.export_case` for what the bundle holds)."""
    case = load_case(workspace.engine, case_ref)  # CaseError before any folder is made
    folder = case_exports(workspace, case.ref)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = folder / f"{case.ref}-{stamp}.zip"
    number = 2
    while out.exists() or out.with_name(out.name + ".partial").exists():
        out = folder / f"{case.ref}-{stamp}-{number}.zip"
        number += 1
    return export_case(workspace, case.ref, out, include=include, actor=actor)


def verify_case_bundle(workspace: Workspace, case_ref: str, name: str) -> BundleReport:
    """Verify the case's bundle ``name`` with its own verifier against the workspace's public
    key, and check that the file is the one the custody log recorded at export."""
    path = find_bundle(workspace, case_ref, name)
    report = verify(path, workspace.signer.public_key_hex)
    with workspace.engine.connect() as conn:
        recorded = _recorded(conn, case_ref).get(name, {}).get("sha256")
    actual = _sha256(path)
    if recorded is None:
        report.problems.append(Problem(
            "custody", name, "the custody log records no export of this bundle for this case"))
    elif actual != recorded:
        report.problems.append(Problem(
            "custody", name, f"the file's sha256 is {actual}, not {recorded} as recorded "
                             "when it was exported: it was changed afterwards"))
    report.ok = report.ok and not report.problems
    return report


def _recorded(conn: Connection, case_ref: str) -> dict[str, dict[str, Any]]:
    """bundle name → the custody event that recorded its export (sha256, at, actor): the event
    of the bundle itself, which names no item."""
    rows = conn.execute(select(custody_events.c.at, custody_events.c.actor,
                               custody_events.c.subject_sha256, custody_events.c.details)
                        .where(custody_events.c.action == "exported",
                               custody_events.c.item_id.is_(None))
                        .order_by(custody_events.c.seq))
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        details = json.loads(row.details)
        if details.get("case") == case_ref and isinstance(details.get("bundle"), str):
            found[details["bundle"]] = {"sha256": row.subject_sha256, "at": row.at,
                                        "actor": row.actor}
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
