"""The coordinators' web desk: areas, desk accounts, sign-in attempts, the audit log, proxy requests

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 15:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'areas',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('lat', sa.Float(), nullable=False),
        sa.Column('lon', sa.Float(), nullable=False),
        sa.Column('radius_km', sa.Float(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_areas')),
        sa.UniqueConstraint('name', name=op.f('uq_areas_name')),
    )
    op.create_table(
        'desk_accounts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('login', sa.String(length=100), nullable=False),
        sa.Column('password_hash', sa.String(length=255), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=True),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.Column('phone', sa.String(length=30), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_sign_in_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_desk_accounts_area_id_areas')),
        sa.ForeignKeyConstraint(
            ['member_id'], ['members.id'], name=op.f('fk_desk_accounts_member_id_members')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_accounts')),
        sa.UniqueConstraint('login', name=op.f('uq_desk_accounts_login')),
    )
    op.create_table(
        'desk_sign_in_attempts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('login', sa.String(length=100), nullable=False),
        sa.Column('succeeded', sa.Boolean(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_sign_in_attempts')),
    )
    op.create_index('ix_desk_sign_in_attempts_login_at', 'desk_sign_in_attempts', ['login', 'at'])
    op.create_table(
        'desk_actions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['account_id'], ['desk_accounts.id'], name=op.f('fk_desk_actions_account_id_desk_accounts')
        ),
        sa.ForeignKeyConstraint(
            ['member_id'], ['members.id'], name=op.f('fk_desk_actions_member_id_members'), ondelete='SET NULL'
        ),
        sa.ForeignKeyConstraint(
            ['request_id'],
            ['help_requests.id'],
            name=op.f('fk_desk_actions_request_id_help_requests'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_actions')),
    )
    op.create_index(op.f('ix_desk_actions_account_id'), 'desk_actions', ['account_id'])
    op.create_index(op.f('ix_desk_actions_request_id'), 'desk_actions', ['request_id'])
    op.create_table(
        'proxy_requests',
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('phone', sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ['account_id'], ['desk_accounts.id'], name=op.f('fk_proxy_requests_account_id_desk_accounts')
        ),
        sa.ForeignKeyConstraint(
            ['request_id'],
            ['help_requests.id'],
            name=op.f('fk_proxy_requests_request_id_help_requests'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('request_id', name=op.f('pk_proxy_requests')),
    )


def downgrade() -> None:
    op.drop_table('proxy_requests')
    op.drop_index(op.f('ix_desk_actions_request_id'), table_name='desk_actions')
    op.drop_index(op.f('ix_desk_actions_account_id'), table_name='desk_actions')
    op.drop_table('desk_actions')
    op.drop_index('ix_desk_sign_in_attempts_login_at', table_name='desk_sign_in_attempts')
    op.drop_table('desk_sign_in_attempts')
    op.drop_table('desk_accounts')
    op.drop_table('areas')
