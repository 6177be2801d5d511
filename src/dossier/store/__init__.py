"""The relational store: one schema (SQLAlchemy Core) on SQLite or PostgreSQL."""

from dossier.store.engine import StoreError, is_postgres, make_engine, normalise_url, sqlite_url
from dossier.store.migrate import upgrade

__all__ = ["StoreError", "is_postgres", "make_engine", "normalise_url", "sqlite_url", "upgrade"]
