"""Indexes for retention: processed_events.received_at and outbound_messages.created_at

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ('ix_processed_events_received_at', 'processed_events', 'received_at'),
    ('ix_outbound_messages_created_at', 'outbound_messages', 'created_at'),
)


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        # Webhooks and senders keep writing to both tables while a release migrates: a plain CREATE INDEX
        # would block their inserts for as long as it takes to index a large table.
        with op.get_context().autocommit_block():
            for name, table, column in INDEXES:
                op.create_index(op.f(name), table, [column], unique=False, postgresql_concurrently=True)
    else:
        for name, table, column in INDEXES:
            op.create_index(op.f(name), table, [column], unique=False)


def downgrade() -> None:
    for name, table, _column in INDEXES:
        op.drop_index(op.f(name), table_name=table)
