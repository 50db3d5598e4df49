"""transfer classes

What the user says an outgoing transfer was when no deposit of theirs matched it (sent to another
wallet of theirs, sold or paid, a gift, lost): one row per entry identity (key, endpoint, exchange
record id), so the answer survives a re-sync of the same record and goes with its key.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "transfer_classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("endpoint", sa.String(length=40), nullable=False),
        sa.Column("exchange_id", sa.String(length=200), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("decided_at_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["key_id"], ["api_keys.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_id", "endpoint", "exchange_id", name="uq_transfer_classes"),
    )
    with op.batch_alter_table("transfer_classes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transfer_classes_key_id"), ["key_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("transfer_classes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfer_classes_key_id"))
    op.drop_table("transfer_classes")
