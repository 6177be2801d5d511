"""Dossier: preserve, search and verify leaked archives; a sourced registry of who commanded what;
cases by the elements of crimes, exported as bundles anyone can verify.

The public API is what ``__all__`` names. Names are imported on first use, so that
``import dossier`` stays cheap for the worker processes that only need one module.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_PUBLIC = {
    "Workspace": "dossier.workspace",
    "WorkspaceError": "dossier.workspace",
    "IngestOptions": "dossier.ingest.pipeline",
    "ingest": "dossier.ingest.pipeline",
    "verify": "dossier.custody.verify",
    "workspace_status": "dossier.status",
    "SearchIndex": "dossier.search",
    "parse_query": "dossier.search",
    "ClaimDraft": "dossier.registry.claims",
    "Source": "dossier.registry.claims",
    "add_claims": "dossier.registry.claims",
    "normalize": "dossier.text",
    "analyze": "dossier.text",
    "frameworks": "dossier.cases.frameworks",
    "create_case": "dossier.cases.casefile",
    "load_case": "dossier.cases.casefile",
    "build_matrix": "dossier.cases.matrix",
    "export_case": "dossier.export.bundle",
    "verify_bundle": "dossier.export.verify_bundle",
}

__all__ = ["__version__", *sorted(_PUBLIC)]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'dossier' has no attribute {name!r}")
    # the standalone verifier names its entry point plainly: `verify` inside the bundle
    attribute = "verify" if name == "verify_bundle" else name
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
