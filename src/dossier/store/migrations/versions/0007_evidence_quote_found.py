"""case evidence: whether its quote was found in the text of its page

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 22:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quote_found", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_evidence", schema=None) as batch_op:
        batch_op.drop_column("quote_found")
