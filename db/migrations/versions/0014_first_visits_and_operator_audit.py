"""first_visits (顔合わせ: a coordinator goes along the first time) and operator commands in the audit log

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 16:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'first_visits',
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('coordinator_id', sa.Integer(), nullable=False),
        sa.Column('marked_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['help_requests.id'],
                                name=op.f('fk_first_visits_request_id_help_requests'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['coordinator_id'], ['members.id'],
                                name=op.f('fk_first_visits_coordinator_id_members'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('request_id', name=op.f('pk_first_visits')),
    )
    # An operator command has no desk account: the audit line names the operator instead.
    with op.batch_alter_table('desk_actions', schema=None) as batch_op:
        batch_op.alter_column('account_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('actor', sa.String(length=100), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('desk_actions', schema=None) as batch_op:
        batch_op.drop_column('actor')
        batch_op.alter_column('account_id', existing_type=sa.Integer(), nullable=False)
    op.drop_table('first_visits')
