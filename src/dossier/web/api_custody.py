"""POST /verify: re-hash every original and page and check the custody chain and its seal."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from dossier.custody.verify import verify as verify_workspace
from dossier.web.deps import Verify, WorkspaceDep, audit

router = APIRouter(tags=["custody"])


@router.post("/verify")
def verify(workspace: WorkspaceDep, user: Verify) -> dict[str, Any]:
    """The workspace verification report: `ok` is false when any problem was found."""
    report = dict(verify_workspace(workspace).as_dict())
    with workspace.engine.connect() as conn:
        audit(conn, user, "verify", "workspace", {"ok": bool(report.get("ok"))})
    return report
