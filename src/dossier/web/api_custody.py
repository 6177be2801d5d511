"""POST /verify: re-hash every original and page and check the custody chain and its seal."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from dossier.custody.verify import verify as verify_workspace
from dossier.web.deps import UserDep, WorkspaceDep

router = APIRouter(tags=["custody"])


@router.post("/verify")
def verify(workspace: WorkspaceDep, _: UserDep) -> dict[str, Any]:
    """The workspace verification report: `ok` is false when any problem was found."""
    return dict(verify_workspace(workspace).as_dict())
