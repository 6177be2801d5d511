"""Creating and opening workspaces on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from dossier.store.migrate import current_revision, head_revision
from dossier.workspace import Workspace, WorkspaceError


def test_init_creates_the_schema_keys_and_settings(workspace) -> None:
    root = workspace.root
    assert (root / "dossier.toml").is_file()
    assert (root / "keys" / "custody-ed25519.pem").stat().st_mode & 0o077 == 0
    assert len(workspace.signer.public_key_hex) == 64
    tables = set(inspect(workspace.engine).get_table_names())
    assert {"items", "pages", "custody_events", "sightings", "failures"} <= tables
    assert current_revision(workspace.engine) == head_revision(workspace.engine)


def test_the_migrations_build_the_schema_the_code_declares(workspace) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from dossier.store.schema import metadata

    # a column or index added to schema.py without a migration (or the other way round)
    # would leave existing workspaces behind the code
    with workspace.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_init_twice_keeps_the_key_and_reopening_works(workspace) -> None:
    key = workspace.signer.public_key_hex
    again = Workspace.init(workspace.root, database=workspace.settings.database)
    assert again.signer.public_key_hex == key
    reopened = Workspace.open(workspace.root)
    assert reopened.database_url == workspace.database_url
    again.close()
    reopened.close()


def test_opening_a_folder_that_is_not_a_workspace_says_so(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not a Dossier workspace"):
        Workspace.open(tmp_path)


def test_environment_variable_names_the_default_workspace(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DOSSIER_WORKSPACE", str(tmp_path / "from-env"))
    workspace = Workspace.init()
    assert workspace.root == (tmp_path / "from-env").resolve()
    workspace.close()
