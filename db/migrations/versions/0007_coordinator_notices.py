"""coordinator_notices: the 【要対応】 notices sent in LINE, kept for the web desk until handled

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 15:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'coordinator_notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('handled_at', sa.DateTime(), nullable=True),
        sa.Column('handled_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['handled_by_id'],
            ['desk_accounts.id'],
            name=op.f('fk_coordinator_notices_handled_by_id_desk_accounts'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_coordinator_notices')),
    )
    op.create_index(op.f('ix_coordinator_notices_handled_at'), 'coordinator_notices', ['handled_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_coordinator_notices_handled_at'), table_name='coordinator_notices')
    op.drop_table('coordinator_notices')
