"""outbound_messages.request_id: a supporter's card still waiting is not sent once its request moved on

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = 'ix_outbound_messages_request_id'


def upgrade() -> None:
    # A nullable column without a default: no table rewrite on either backend.
    op.add_column('outbound_messages', sa.Column('request_id', sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        # As in 0004: webhooks and senders keep writing to the outbox while a release migrates.
        with op.get_context().autocommit_block():
            op.create_index(
                op.f(INDEX), 'outbound_messages', ['request_id'], unique=False, postgresql_concurrently=True
            )
    else:
        op.create_index(op.f(INDEX), 'outbound_messages', ['request_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f(INDEX), table_name='outbound_messages')
    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.drop_column('request_id')
