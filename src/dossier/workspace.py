"""Opening a workspace: its settings, store, originals, keys and search index.

A workspace is a folder::

    dossier.toml   settings (the database URL when it is not the SQLite file beside it)
    dossier.db     the SQLite store (unless a PostgreSQL URL is configured)
    blobs/         originals, content-addressed, read-only
    keys/          the ed25519 key that signs the custody log head
    index/         the Tantivy search index (derived; `dossier reindex` rebuilds it)
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, insert, select

from dossier.blobs import BlobStore
from dossier.custody.log import GENESIS, HEAD_ROW, default_actor
from dossier.custody.signing import Signer
from dossier.store.engine import make_engine, normalise_url, sqlite_url
from dossier.store.migrate import current_revision, head_revision, upgrade
from dossier.store.schema import custody_head

if TYPE_CHECKING:
    from dossier.search import SearchIndex

CONFIG_NAME = "dossier.toml"
DEFAULT_DIR = "dossier-workspace"


class WorkspaceError(Exception):
    """The folder is not a workspace, or the workspace cannot be opened as configured."""


@dataclass(frozen=True)
class Settings:
    """What `dossier.toml` holds. Everything has a default so an empty file is valid."""

    database: str | None = None  # None: the SQLite file dossier.db in the workspace
    ocr_languages: str = "ara+eng+fra"
    extra: dict[str, object] = field(default_factory=dict)

    @staticmethod
    def load(path: Path) -> Settings:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise WorkspaceError(f"{path}: not valid TOML: {exc}") from exc
        store = data.get("store", {})
        ingest = data.get("ingest", {})
        return Settings(database=store.get("database"),
                        ocr_languages=ingest.get("ocr_languages", "ara+eng+fra"))

    def dump(self) -> str:
        lines = ["# Dossier workspace settings", "", "[store]"]
        if self.database:
            lines.append(f"database = {_toml_string(self.database)}")
        else:
            lines.append("# database = \"postgresql://user@host/db\"  (default: dossier.db here)")
        lines += ["", "[ingest]", f"ocr_languages = {_toml_string(self.ocr_languages)}", ""]
        return "\n".join(lines)


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def default_root() -> Path:
    return Path(os.environ.get("DOSSIER_WORKSPACE", DEFAULT_DIR))


class Workspace:
    def __init__(self, root: Path, settings: Settings) -> None:
        self.root = Path(root).resolve()
        self.settings = settings
        self.actor = default_actor()

    # -- opening ---------------------------------------------------------------------------
    @staticmethod
    def init(root: Path | None = None, database: str | None = None) -> Workspace:
        """Create a workspace (or bring an existing one's schema up to date)."""
        root = Path(root or default_root())
        root.mkdir(parents=True, exist_ok=True)
        config = root / CONFIG_NAME
        if config.exists():
            settings = Settings.load(config)
            if database and normalise_url(database) != normalise_url(settings.database or ""):
                raise WorkspaceError(f"{root} already uses "
                                     f"{settings.database or 'its SQLite file'}; "
                                     "refusing to switch its database")
        else:
            settings = Settings(database=database)
        workspace = Workspace(root, settings)
        upgrade(workspace.engine)
        with workspace.engine.begin() as conn:
            if conn.execute(select(custody_head.c.id)).first() is None:
                conn.execute(insert(custody_head).values(id=HEAD_ROW, seq=0, hash=GENESIS))
        Signer.create(workspace.keys_dir)
        workspace.blobs  # noqa: B018 - creates the folder
        if not config.exists():
            config.write_text(settings.dump(), encoding="utf-8")
        return workspace

    @staticmethod
    def open(root: Path | None = None) -> Workspace:
        root = Path(root or default_root())
        config = root / CONFIG_NAME
        if not config.exists():
            raise WorkspaceError(f"{root} is not a Dossier workspace (no {CONFIG_NAME}); "
                                 f"create one with `dossier init {root}`")
        workspace = Workspace(root, Settings.load(config))
        current, newest = current_revision(workspace.engine), head_revision(workspace.engine)
        if current != newest:
            raise WorkspaceError(f"the store of {root} is at schema {current}, this Dossier "
                                 f"needs {newest}: run `dossier init {root}` to migrate it")
        return workspace

    # -- parts -----------------------------------------------------------------------------
    @property
    def database_url(self) -> str:
        return normalise_url(self.settings.database or sqlite_url(self.root / "dossier.db"))

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.database_url)

    @cached_property
    def blobs(self) -> BlobStore:
        # Ingest writes originals in batches and flushes each batch before recording it.
        return BlobStore(self.root / "blobs", sync_each=False)

    @property
    def keys_dir(self) -> Path:
        return self.root / "keys"

    @property
    def index_dir(self) -> Path:
        return self.root / "index"

    @cached_property
    def signer(self) -> Signer:
        return Signer(self.keys_dir)

    @cached_property
    def index(self) -> SearchIndex:
        from dossier.search import SearchIndex

        return SearchIndex(self.index_dir)

    def close(self) -> None:
        if "index" in self.__dict__:
            self.index.close()
            del self.__dict__["index"]
        if "engine" in self.__dict__:
            self.engine.dispose()


def utcnow() -> datetime:
    return datetime.now(UTC)


def utc_iso(value: object) -> str:
    """A stored time as ISO 8601 in UTC on both backends: SQLite hands back naive datetimes,
    which Dossier writes in UTC, so they are marked as UTC; PostgreSQL's are converted."""
    if isinstance(value, datetime):
        return (value.replace(tzinfo=UTC) if value.tzinfo is None
                else value.astimezone(UTC)).isoformat()
    return str(value)
