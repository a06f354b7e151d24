"""shift_invites and place_shifts.invited_at: fitting supporters and やってみたい offers invited to a shift

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 18:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('place_shifts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited_at', sa.DateTime(), nullable=True))
    op.create_table(
        'shift_invites',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('shift_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('asked_at', sa.DateTime(), nullable=False),
        sa.Column('answer', sa.String(length=10), nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['member_id'], ['members.id'], name=op.f('fk_shift_invites_member_id_members'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['shift_id'],
            ['place_shifts.id'],
            name=op.f('fk_shift_invites_shift_id_place_shifts'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shift_invites')),
        sa.UniqueConstraint('shift_id', 'member_id', name=op.f('uq_shift_invites_shift_id')),
    )
    op.create_index(op.f('ix_shift_invites_asked_at'), 'shift_invites', ['asked_at'])
    op.create_index(op.f('ix_shift_invites_member_id'), 'shift_invites', ['member_id'])
    op.create_index(op.f('ix_shift_invites_shift_id'), 'shift_invites', ['shift_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_shift_invites_shift_id'), table_name='shift_invites')
    op.drop_index(op.f('ix_shift_invites_member_id'), table_name='shift_invites')
    op.drop_index(op.f('ix_shift_invites_asked_at'), table_name='shift_invites')
    op.drop_table('shift_invites')
    with op.batch_alter_table('place_shifts', schema=None) as batch_op:
        batch_op.drop_column('invited_at')
