"""hidden counts and file contents

``key_endpoints.hidden_count``: how many of the endpoint's stored rows the Transactions view does
not show as rows of their own (a ledger's copies of trades the key also syncs from their own
endpoint, and records another key of the same exchange account already holds). The key list shows
``record_count - hidden_count``, so its counts mean what the view shows. Filled in at the next
start (``Store.refresh_counts``).

``imported_files.content_sha256``: a hash of a file's rows (not its bytes), so the same rows saved
again with other line breaks or blank lines are recognised as imported already.

Revision ID: 0005_trust
Revises: 0004
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_trust"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("key_endpoints", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("hidden_count", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("imported_files", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("content_sha256", sa.String(length=64), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("imported_files", schema=None) as batch_op:
        batch_op.drop_column("content_sha256")
    with op.batch_alter_table("key_endpoints", schema=None) as batch_op:
        batch_op.drop_column("hidden_count")
