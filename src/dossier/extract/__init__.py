"""Mentions: patterns (units, ranks, dates, reference numbers) and the registry's gazetteer.

``extract(workspace)`` finds on every page not yet extracted the persons, units, facilities,
places, dates, reference and detainee numbers it names, links what the registry knows, and
proposes the claims the text supports (signature blocks, statements of who headed a unit).
"""

from dossier.extract.claims import ItemContext, propose_claims
from dossier.extract.gazetteer import Gazetteer, Named
from dossier.extract.model import KINDS, Found
from dossier.extract.page import extract_page
from dossier.extract.runner import (
    EXTRACTOR_VERSION,
    ExtractError,
    ExtractProgress,
    ExtractReport,
    extract,
)

__all__ = [
    "EXTRACTOR_VERSION",
    "KINDS",
    "ExtractError",
    "ExtractProgress",
    "ExtractReport",
    "Found",
    "Gazetteer",
    "ItemContext",
    "Named",
    "extract",
    "extract_page",
    "propose_claims",
]
