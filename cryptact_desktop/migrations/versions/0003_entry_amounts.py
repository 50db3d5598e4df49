"""entry amounts

The exchange-neutral entry fields (in ``transactions`` and in ``file_records``, which keeps a file
row's own values) every normaliser fills and the export reads instead of a venue's
raw fields: ``counter_amount`` (what a convert gave), ``pnl`` and ``funding`` (the parts of a
realised P&L entry), ``note`` (the venue's short words for the entry) and ``mirror_of`` (the
endpoint that lists the same event, for a ledger's copy of it). The trigger that lets an
API row replace a file row is re-created to copy them too. Rows stored before are re-derived
from their raw records by their venue's normaliser at the next start (see
``AppService.refresh_normalised``), since only the venue knows how.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

API_REPLACES_FILE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS trg_transactions_api_replaces_file
BEFORE INSERT ON transactions
WHEN NEW.source = 'api' AND EXISTS (
    SELECT 1 FROM transactions
    WHERE key_id = NEW.key_id AND endpoint = NEW.endpoint AND exchange_id = NEW.exchange_id
      AND source = 'file'
)
BEGIN
    UPDATE transactions
    SET stream = NEW.stream, timestamp_ms = NEW.timestamp_ms, kind = NEW.kind, base = NEW.base,
        quote = NEW.quote, side = NEW.side, amount = NEW.amount, price = NEW.price, fee = NEW.fee,
        fee_currency = NEW.fee_currency, network = NEW.network, tx_hash = NEW.tx_hash,
        counter_amount = NEW.counter_amount, pnl = NEW.pnl, funding = NEW.funding, note = NEW.note,
        mirror_of = NEW.mirror_of,
        source = 'api', raw_json = NEW.raw_json, inserted_at_ms = NEW.inserted_at_ms
    WHERE key_id = NEW.key_id AND endpoint = NEW.endpoint AND exchange_id = NEW.exchange_id
      AND source = 'file';
END
"""

_COLUMNS = (("counter_amount", 64), ("pnl", 64), ("funding", 64), ("note", 120), ("mirror_of", 40))


def upgrade() -> None:
    for table in ("transactions", "file_records"):
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            for name, length in _COLUMNS:
                batch_op.add_column(
                    sa.Column(name, sa.String(length=length), nullable=False, server_default="")
                )
    op.execute("DROP TRIGGER IF EXISTS trg_transactions_api_replaces_file")
    op.execute(API_REPLACES_FILE_TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS trg_transactions_api_replaces_file")
    for table in ("file_records", "transactions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _ in reversed(_COLUMNS):
                batch_op.drop_column(name)
