"""The relational schema, one definition for SQLite and PostgreSQL (SQLAlchemy Core).

Alembic migrations in `store/migrations/` create and evolve it; this module is what the code
queries against. Timestamps that enter a hash (custody) are ISO strings so that both backends
return them byte for byte.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

collections = Table(
    "collections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("description", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

acquisitions = Table(
    "acquisitions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("collection_id", ForeignKey("collections.id"), nullable=False),
    Column("acquired_from", Text),
    Column("note", Text),
    Column("acquired_by", String(200), nullable=False),
    Column("sources", Text, nullable=False),  # JSON list of the paths given to `ingest`
    Column("resume_key", String(64), nullable=False, index=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
)

items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("collection_id", ForeignKey("collections.id"), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("media_type", String(20)),
    Column("mime", String(100)),
    Column("path", Text, nullable=False),
    Column("parent_id", ForeignKey("items.id")),
    Column("acquisition_id", ForeignKey("acquisitions.id"), nullable=False),
    Column("depth", Integer, nullable=False, default=0),
    # stage: acquired -> extracted -> indexed; status: pending | ok | failed
    Column("stage", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("page_count", Integer),
    Column("language", String(8)),
    Column("metadata", Text),  # JSON
    Column("near_dup_group", Integer),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("collection_id", "sha256"),
    Index("ix_items_pending", "collection_id", "stage", "status"),
)

sightings = Table(
    "sightings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", ForeignKey("items.id"), nullable=False, index=True),
    Column("acquisition_id", ForeignKey("acquisitions.id"), nullable=False),
    Column("path", Text, nullable=False),
    Column("parent_item_id", ForeignKey("items.id")),
    # sha256 of (parent item, path): one sighting per place per acquisition, however often resumed
    Column("place_key", String(64), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("acquisition_id", "place_key"),
)

pages = Table(
    "pages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", ForeignKey("items.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("text_sha256", String(64), nullable=False),
    Column("method", String(10), nullable=False),  # text | ocr
    Column("tool", String(200), nullable=False),
    Column("confidence", Float),
    Column("language", String(8)),
    Column("indexed", Boolean, nullable=False, default=False),
    UniqueConstraint("item_id", "number"),
    Index("ix_pages_unindexed", "indexed"),
)

failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("collection_id", ForeignKey("collections.id"), nullable=False),
    Column("item_id", ForeignKey("items.id")),
    Column("path", Text, nullable=False),
    Column("stage", String(20), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("message", Text, nullable=False),
    Column("attempts", Integer, nullable=False, default=1),
    Column("first_failed_at", DateTime(timezone=True), nullable=False),
    Column("last_failed_at", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True)),
    Index("ix_failures_item", "item_id"),
)

item_signatures = Table(
    "item_signatures",
    metadata,
    Column("item_id", ForeignKey("items.id"), primary_key=True),
    Column("signature", LargeBinary, nullable=False),
)

neardup_keys = Table(
    "neardup_keys",
    metadata,
    Column("key", String(48), primary_key=True),
    Column("item_id", ForeignKey("items.id"), primary_key=True),
)

custody_events = Table(
    "custody_events",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("item_id", Integer, index=True),
    Column("subject_sha256", String(64)),
    Column("details", Text, nullable=False),  # canonical JSON
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# One row that every append locks (SELECT … FOR UPDATE on PostgreSQL), so that the chain has a
# single writer at a time whatever the number of processes.
custody_head = Table(
    "custody_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)

custody_signatures = Table(
    "custody_signatures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("signature", String(128), nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("signed_at", String(40), nullable=False),
)
