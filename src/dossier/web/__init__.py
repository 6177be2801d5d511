"""The web application: the JSON API under /api/v1 (and, later, the pages)."""

from dossier.web.app import create_app

__all__ = ["create_app"]
