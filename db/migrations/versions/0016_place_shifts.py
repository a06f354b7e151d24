"""place_shifts and shift_signups: help a community place needs at a time, and who is coming

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 17:12:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'place_shifts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('place_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('needed', sa.Integer(), nullable=False),
        sa.Column('taken', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['place_id'],
            ['community_places.id'],
            name=op.f('fk_place_shifts_place_id_community_places'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_place_shifts')),
    )
    op.create_index(op.f('ix_place_shifts_place_id'), 'place_shifts', ['place_id'])
    op.create_index(op.f('ix_place_shifts_starts_at'), 'place_shifts', ['starts_at'])
    op.create_table(
        'shift_signups',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('shift_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('cancelled_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['member_id'], ['members.id'], name=op.f('fk_shift_signups_member_id_members'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['shift_id'],
            ['place_shifts.id'],
            name=op.f('fk_shift_signups_shift_id_place_shifts'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shift_signups')),
        sa.UniqueConstraint('shift_id', 'member_id', name=op.f('uq_shift_signups_shift_id')),
    )
    op.create_index(op.f('ix_shift_signups_member_id'), 'shift_signups', ['member_id'])
    op.create_index(op.f('ix_shift_signups_shift_id'), 'shift_signups', ['shift_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_shift_signups_shift_id'), table_name='shift_signups')
    op.drop_index(op.f('ix_shift_signups_member_id'), table_name='shift_signups')
    op.drop_table('shift_signups')
    op.drop_index(op.f('ix_place_shifts_starts_at'), table_name='place_shifts')
    op.drop_index(op.f('ix_place_shifts_place_id'), table_name='place_shifts')
    op.drop_table('place_shifts')
