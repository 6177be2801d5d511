"""The same material ingested into a SQLite and a PostgreSQL workspace answers the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.ingest.pipeline import IngestOptions, ingest
from dossier.status import workspace_status
from dossier.workspace import Workspace

from .files import write_corpus

QUERIES = ["الفرع ٢٥١", "branch", '"Palestine branch"', "Saydnaya OR صيدنايا", "tél*",
           "transfer -Saydnaya", "détenu"]


@pytest.mark.postgres
def test_sqlite_and_postgresql_give_the_same_answers(tmp_path: Path, postgres_url: str) -> None:
    write_corpus(tmp_path / "leak")
    answers = []
    for name, database in (("sqlite", None), ("postgres", postgres_url)):
        workspace = Workspace.init(tmp_path / name, database=database)
        ingest(workspace, IngestOptions(collection="leak", paths=[tmp_path / "leak"], workers=2))
        status = workspace_status(workspace).as_dict()
        for key in ("workspace", "database", "custody_head"):
            status.pop(key)
        for failure in status["failures"]:
            failure.pop("last_failed_at")
        # Item ids follow the order in which parallel workers finish, so hits are compared by
        # what a user reads: path, page, score and snippet (ties in score in path order).
        searches = {query: sorted((-round(hit.score, 5), hit.path, hit.page, hit.snippet)
                                  for hit in workspace.index.search(query).hits)
                    for query in QUERIES}
        answers.append((status, searches))
        workspace.close()
    (sqlite_status, sqlite_searches), (pg_status, pg_searches) = answers
    assert sqlite_status == pg_status
    assert sqlite_searches == pg_searches
    assert sum(len(hits) for hits in sqlite_searches.values()) >= 5
