"""food_gifts: food offered in chat (「野菜が余ってます」), the place pointed to, and when it was passed on

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 17:07:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'food_gifts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('foods', sa.JSON(), nullable=False),
        sa.Column('place_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('passed_on_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['member_id'], ['members.id'], name=op.f('fk_food_gifts_member_id_members'), ondelete='SET NULL'
        ),
        sa.ForeignKeyConstraint(
            ['place_id'],
            ['community_places.id'],
            name=op.f('fk_food_gifts_place_id_community_places'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_food_gifts')),
    )
    op.create_index(op.f('ix_food_gifts_member_id'), 'food_gifts', ['member_id'])
    op.create_index(op.f('ix_food_gifts_created_at'), 'food_gifts', ['created_at'])
    op.create_index(op.f('ix_food_gifts_passed_on_at'), 'food_gifts', ['passed_on_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_food_gifts_passed_on_at'), table_name='food_gifts')
    op.drop_index(op.f('ix_food_gifts_created_at'), table_name='food_gifts')
    op.drop_index(op.f('ix_food_gifts_member_id'), table_name='food_gifts')
    op.drop_table('food_gifts')
