"""desk_sign_in_links: one-time desk sign-in links sent to coordinators in LINE (hashes only)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 16:25:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'desk_sign_in_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['account_id'],
            ['desk_accounts.id'],
            name=op.f('fk_desk_sign_in_links_account_id_desk_accounts'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_sign_in_links')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_desk_sign_in_links_token_hash')),
    )
    op.create_index(op.f('ix_desk_sign_in_links_account_id'), 'desk_sign_in_links', ['account_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_desk_sign_in_links_account_id'), table_name='desk_sign_in_links')
    op.drop_table('desk_sign_in_links')
