"""Inserting many rows at once through the driver's own executemany.

SQLAlchemy prepares the parameters of every row of an executemany in Python, which costs more
than SQLite's insert itself on the tables an ingest fills by tens of thousands of rows per
run (near-duplicate keys, signatures). Plain tuples go straight to the driver instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table


def insert_rows(conn: Connection, table: Table, columns: Sequence[str],
                rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert rows (tuples in the order of `columns`) into table in one executemany."""
    if not rows:
        return
    unknown = [name for name in columns if name not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no column {', '.join(unknown)}")
    # SQLAlchemy fills Python-side defaults; plain SQL would leave such a column out.
    skipped = [column.name for column in table.c
               if column.name not in columns and column.default is not None]
    if skipped:
        raise ValueError(f"give {', '.join(skipped)} of {table.name}: they have defaults that "
                         "only SQLAlchemy would fill in")
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    quote = conn.dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in columns)}) "
           f"VALUES ({', '.join([mark] * len(columns))})")
    conn.exec_driver_sql(sql, list(rows))
