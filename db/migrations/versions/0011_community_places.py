"""community_places: cafeterias, hubs, salons and food drop-offs with their opening rules

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 16:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'community_places',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('address', sa.String(length=300), nullable=False),
        sa.Column('lat', sa.Float(), nullable=False),
        sa.Column('lon', sa.Float(), nullable=False),
        sa.Column('audience', sa.String(length=200), nullable=False),
        sa.Column('price', sa.String(length=100), nullable=False),
        sa.Column('contact', sa.String(length=200), nullable=False),
        sa.Column('opening_text', sa.Text(), nullable=False),
        sa.Column('openings', sa.JSON(), nullable=False),
        sa.Column('closed_on_holidays', sa.Boolean(), nullable=False),
        sa.Column('closed_days', sa.JSON(), nullable=False),
        sa.Column('accepts_food', sa.String(length=200), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_community_places')),
    )
    op.create_index(op.f('ix_community_places_kind'), 'community_places', ['kind'])


def downgrade() -> None:
    op.drop_index(op.f('ix_community_places_kind'), table_name='community_places')
    op.drop_table('community_places')
