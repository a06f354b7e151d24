"""place_needs: what a community place needs this week (food kinds), for pointing food offers to it

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 19:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'place_needs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('place_id', sa.Integer(), nullable=False),
        sa.Column('week_start', sa.Date(), nullable=False),
        sa.Column('foods', sa.JSON(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['place_id'],
            ['community_places.id'],
            name=op.f('fk_place_needs_place_id_community_places'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_place_needs')),
        sa.UniqueConstraint('place_id', 'week_start', name=op.f('uq_place_needs_place_id')),
    )
    op.create_index(op.f('ix_place_needs_place_id'), 'place_needs', ['place_id'])
    op.create_index(op.f('ix_place_needs_week_start'), 'place_needs', ['week_start'])


def downgrade() -> None:
    op.drop_index(op.f('ix_place_needs_week_start'), table_name='place_needs')
    op.drop_index(op.f('ix_place_needs_place_id'), table_name='place_needs')
    op.drop_table('place_needs')
