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

# -- the registry: entities, their names, claims with sources, judgements ----------------------
# Dates of claims are ISO strings (YYYY-MM-DD, or shorter for a year or a month) so that both
# backends compare them the same way.

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),  # person | unit | facility | place
    Column("name", Text, nullable=False),  # the display name
    Column("external_id", String(200), unique=True),  # an imported id (FtM, CSV), kept for export
    Column("unit_type", String(20)),  # agency | directorate | branch | section | prison | hospital
    Column("number", String(20)),  # a unit's number ("251"), for "Branch 251" / "الفرع 251"
    Column("parent_id", ForeignKey("entities.id")),  # a unit's place in the hierarchy
    Column("protected", Boolean, nullable=False, default=False),
    Column("attributes", Text),  # JSON: birth date, nationality, notes
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_entities_kind", "kind"),
    Index("ix_entities_parent", "parent_id"),
)

entity_names = Table(
    "entity_names",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entity_id", ForeignKey("entities.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("script", String(10), nullable=False),  # arab | latn
    Column("lang", String(8)),
    Column("kind", String(20), nullable=False),  # primary | alias | variant | kunya | short
    Column("key", String(400), nullable=False),  # dossier.text.name_key(name), for lookups
    Column("source", Text),
    UniqueConstraint("entity_id", "name"),
    Index("ix_entity_names_key", "key"),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    # sha256 of what the claim says (not of its sources): the same fact proposed twice is one
    # claim with two sources
    Column("key", String(64), nullable=False, unique=True),
    Column("subject_id", ForeignKey("entities.id"), nullable=False),
    Column("predicate", String(40), nullable=False),
    Column("object_id", ForeignKey("entities.id")),
    Column("role", String(40)),  # for holds_post: head | deputy | interrogator | officer | …
    Column("value", Text),  # a literal object: a rank, a nationality, a date
    Column("valid_from", String(10)),
    Column("valid_to", String(10)),
    # exact: true throughout [valid_from, valid_to]; within: true at least once in it
    Column("time_precision", String(10), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("author", String(200), nullable=False),
    Column("origin", String(40), nullable=False),  # manual | import | extract:<rule>
    Column("status", String(20), nullable=False),  # proposed | accepted | disputed | rejected
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_claims_subject", "subject_id", "predicate"),
    Index("ix_claims_object", "object_id", "predicate", "valid_from"),
)

claim_sources = Table(
    "claim_sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", ForeignKey("claims.id"), nullable=False),
    Column("item_id", ForeignKey("items.id")),
    Column("page_number", Integer),
    Column("quote", Text),
    Column("citation", Text),  # a source outside the workspace: a report, a judgment, a URL
    Column("key", String(64), nullable=False),  # sha256 of (claim, item, page, quote, citation)
    UniqueConstraint("key"),
    Index("ix_claim_sources_claim", "claim_id"),
    Index("ix_claim_sources_item", "item_id"),
)

claim_reviews = Table(
    "claim_reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", ForeignKey("claims.id"), nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("author", String(200), nullable=False),
    Column("reason", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("page_id", ForeignKey("pages.id"), nullable=False),
    Column("item_id", ForeignKey("items.id"), nullable=False),
    Column("page_number", Integer, nullable=False),
    Column("char_start", Integer, nullable=False),  # character offsets in the page text
    Column("char_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    # person | unit | facility | place | date | ref | detainee_number
    Column("kind", String(20), nullable=False),
    Column("value", Text),  # normalised: an ISO date, a unit number, a reference number
    Column("attributes", Text),  # JSON: rank, title, role
    Column("extractor", String(40), nullable=False),
    Column("score", Float, nullable=False),
    Column("entity_id", ForeignKey("entities.id")),  # the entity it was linked to, if any
    Column("link_score", Float),
    UniqueConstraint("page_id", "char_start", "char_end", "kind"),
    Index("ix_mentions_entity", "entity_id"),
    Index("ix_mentions_item", "item_id"),
    Index("ix_mentions_kind", "kind", "entity_id"),
)

# Which pages extraction has seen, and with which version of the rules: extraction is
# incremental, and a new version of the rules re-extracts.
page_extractions = Table(
    "page_extractions",
    metadata,
    Column("page_id", ForeignKey("pages.id"), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("extracted_at", DateTime(timezone=True), nullable=False),
)

# A decision that two records are, are not, or may be the same (nomenklatura's model). Records
# are named "e:<entity id>" or "m:<mention id>"; the newest judgement on a pair wins, so a wrong
# merge is undone by a new judgement, never by editing rows.
judgements = Table(
    "judgements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("left_ref", String(40), nullable=False),
    Column("right_ref", String(40), nullable=False),
    Column("verdict", String(10), nullable=False),  # same | not_same | unsure
    Column("author", String(200), nullable=False),
    Column("origin", String(20), nullable=False),  # human | machine
    Column("score", Float),
    Column("reason", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_judgements_pair", "left_ref", "right_ref"),
    Index("ix_judgements_right", "right_ref"),
)

# Unlinked person mentions that look alike, grouped as a candidate new person for review.
candidates = Table(
    "candidates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("key", String(400), nullable=False, unique=True),  # the name key that groups them
    Column("label", Text, nullable=False),
    Column("status", String(20), nullable=False),  # open | accepted | dismissed
    Column("entity_id", ForeignKey("entities.id")),  # the entity it became or was linked to
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolved_by", String(200)),  # who accepted or dismissed it
    Column("reason", Text),  # why, as they said
)

candidate_mentions = Table(
    "candidate_mentions",
    metadata,
    Column("candidate_id", ForeignKey("candidates.id"), primary_key=True),
    Column("mention_id", ForeignKey("mentions.id"), primary_key=True),
)

# -- victims: lists as received, their records, and the victims the linkage derives --------------

victim_lists = Table(
    "victim_lists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("organisation", Text),
    Column("description", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# One row of one list. ``raw`` is the row exactly as received (JSON object of the file's columns);
# the other columns are what Dossier read from it, and ``problems`` says what it could not read.
victim_records = Table(
    "victim_records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_id", ForeignKey("victim_lists.id"), nullable=False),
    Column("source_sha256", String(64), nullable=False),  # the file the row came from
    Column("row_number", Integer, nullable=False),  # 1 = the first row after the header
    Column("record_key", String(200)),  # the list's own id for the record
    Column("raw", Text, nullable=False),
    Column("full_name", Text),
    Column("given", Text),
    Column("father", Text),
    Column("grandfather", Text),
    Column("family", Text),
    Column("mother", Text),
    Column("name_key", String(400)),  # dossier.text.name_key of the name
    Column("sex", String(1)),  # m | f
    Column("age", Integer),
    Column("birth_date", String(10)),  # ISO; YYYY or YYYY-MM when only that is known
    Column("arrest_date", String(10)),
    Column("arrest_place", Text),
    Column("detention_place", Text),
    Column("death_date", String(10)),
    Column("death_place", Text),
    Column("governorate", String(40)),  # the canonical English name of the governorate
    Column("status", String(30)),  # killed | died_in_detention | disappeared | detained | released
    Column("perpetrator", Text),
    Column("problems", Text),  # JSON list of {"field", "value", "message"}
    Column("imported_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("list_id", "source_sha256", "row_number"),
    Index("ix_victim_records_name_key", "name_key"),
)

# Derived by linkage from the judgements on records ("v:<record id>"): which victim each record
# belongs to. Rebuilt whole by every linkage run or judgement; never edited by hand.
victim_links = Table(
    "victim_links",
    metadata,
    Column("record_id", ForeignKey("victim_records.id"), primary_key=True),
    Column("victim_id", Integer, nullable=False, index=True),  # the lowest record id of the cluster
)

linkage_runs = Table(
    "linkage_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("backend", String(20), nullable=False),  # duckdb | spark
    Column("settings", Text, nullable=False),  # JSON: blocking rules, comparisons, thresholds
    Column("records", Integer, nullable=False),
    Column("pairs_scored", Integer),
    Column("pairs_linked", Integer),
    Column("pairs_for_review", Integer),
    Column("victims", Integer),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("author", String(200), nullable=False),
)

# -- cases: suspects, charges, evidence linked to the elements of offences ----------------------
# Offences, elements and modes of liability are not rows: they live in the framework YAML files
# (dossier/cases/data/frameworks/) and are named here by their ids ("rome", "7-1-f", "torture").

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(100), nullable=False, unique=True),  # what a user types: "koblenz-251"
    Column("title", Text, nullable=False),
    Column("description", Text),
    Column("status", String(20), nullable=False),  # open | closed
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

case_suspects = Table(
    "case_suspects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id"), nullable=False),
    Column("entity_id", ForeignKey("entities.id"), nullable=False),  # a registry person
    Column("note", Text),
    Column("added_by", String(200), nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("case_id", "entity_id"),
)

case_charges = Table(
    "case_charges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id"), nullable=False, index=True),
    Column("suspect_id", ForeignKey("case_suspects.id"), nullable=False),
    Column("framework", String(40), nullable=False),
    Column("offence", String(60), nullable=False),
    Column("mode", String(60), nullable=False),  # the mode of liability, from the same framework
    Column("note", Text),
    Column("added_by", String(200), nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("suspect_id", "framework", "offence", "mode"),
)

# One piece of evidence for or against one element of one charge: an item with its anchor
# (a page and a quote, or a region of an image), and the investigator's assessment.
case_evidence = Table(
    "case_evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id"), nullable=False),
    Column("charge_id", ForeignKey("case_charges.id"), nullable=False),
    Column("element", String(60), nullable=False),  # an element id of the charge's offence/mode
    Column("item_id", ForeignKey("items.id"), nullable=False),
    Column("page_number", Integer),
    Column("quote", Text),
    # whether the quote is in the text of its page (of any page of the item when none is
    # given), checked when the evidence is linked (and linked again); null: no quote, or no
    # text to check it in
    Column("quote_found", Boolean),
    Column("region", Text),  # JSON {"x", "y", "width", "height"} in pixels of the page image
    Column("stance", String(12), nullable=False),  # supports | contradicts
    # Who or what the evidence comes from, for independence; default: the item's acquisition
    Column("source", Text),
    Column("assessment", Text),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_case_evidence_case", "case_id", "charge_id", "element"),
    Index("ix_case_evidence_item", "item_id"),
)

# -- proceedings and extradition requests, each fact with its source ------------------------------

proceedings = Table(
    "proceedings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(100), nullable=False, unique=True),
    Column("case_id", ForeignKey("cases.id")),  # the case it belongs to, if any
    Column("country", String(2)),  # ISO 3166 code of the state; null: international
    Column("forum", Text, nullable=False),  # the court or prosecutor: "OLG Koblenz", "ICJ"
    Column("kind", String(20), nullable=False),  # criminal | state_responsibility | civil
    Column("legal_basis", Text),  # "VStGB §7", "Convention against Torture"
    # universal | territorial | active_personality | passive_personality | state_party | other
    Column("ground", String(30)),
    Column("parties", Text),  # JSON list of {"role", "name", "entity_id"}
    Column("subject_entity_id", ForeignKey("entities.id")),  # the accused, when in the registry
    Column("description", Text),
    Column("source", Text),  # the citation the record as a whole rests on
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_proceedings_country", "country"),
)

proceeding_stages = Table(
    "proceeding_stages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("proceeding_id", ForeignKey("proceedings.id"), nullable=False, index=True),
    # complaint | structural_investigation | individual_investigation | investigating_judge |
    # arrest_warrant | arrest | indictment | trial | verdict | appeal | final | declined | closed
    # (and the stages of a state case: notification, application, provisional_measures)
    Column("stage", String(30), nullable=False),
    Column("on_date", String(10)),  # ISO, or shorter when only the year or month is known
    Column("reason", Text),  # why a file was declined or closed
    Column("note", Text),
    Column("source", Text),  # the citation for this stage
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

extraditions = Table(
    "extraditions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(100), nullable=False, unique=True),
    Column("requesting_state", String(2), nullable=False),
    Column("requested_state", String(2), nullable=False),
    Column("channel", Text),  # diplomatic | judicial | Interpol | committee
    Column("requested_on", String(10)),
    Column("subject", Text, nullable=False),  # who is sought, as the source puts it
    Column("subject_entity_id", ForeignKey("entities.id")),
    Column("subject_status", Text),  # where the subject is and on what footing
    Column("outcome", String(20), nullable=False),  # pending | granted | refused | withdrawn
    Column("note", Text),
    Column("source", Text),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# -- accounts, access and the audit log ------------------------------------------------------------
# A session row holds the sha256 of its token, never the token itself, so that a copy of the
# database does not let anyone in.

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", Text),
    Column("password_hash", Text, nullable=False),  # argon2id, PHC string
    Column("role", String(20), nullable=False),  # a role of dossier/accounts/data/roles.yaml
    Column("language", String(2), nullable=False),  # ar | en
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_login_at", DateTime(timezone=True)),
)

collection_grants = Table(
    "collection_grants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id"), nullable=False),
    Column("collection_id", ForeignKey("collections.id"), nullable=False),
    Column("granted_by", String(200), nullable=False),
    Column("granted_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("user_id", "collection_id"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", ForeignKey("users.id"), nullable=False, index=True),
    Column("csrf_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),  # the absolute limit
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("user_agent", Text),
    Column("remote", String(64)),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(100), nullable=False),
    Column("remote", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("ok", Boolean, nullable=False),
    Index("ix_login_attempts_username", "username", "at"),
    Index("ix_login_attempts_remote", "remote", "at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("target", Text),
    Column("details", Text, nullable=False),  # canonical JSON
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_log_actor", "actor"),
    Index("ix_audit_log_action", "action"),
)

# The single row every audit append locks, as custody_head does for custody.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)
