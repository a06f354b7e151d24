"""desk_roles: a desk account's role per area; every existing account becomes an administrator of its area

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 18:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'desk_roles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=True),
        sa.Column('role', sa.Enum('administrator', 'coordinator', 'read_only', name='deskrolekind',
                                  native_enum=False, length=20), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['desk_accounts.id'],
                                name=op.f('fk_desk_roles_account_id_desk_accounts'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_desk_roles_area_id_areas'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_roles')),
        sa.UniqueConstraint('account_id', 'area_id', name=op.f('uq_desk_roles_account_id')),
    )
    op.create_index(op.f('ix_desk_roles_account_id'), 'desk_roles', ['account_id'], unique=False)
    # Until now an account had one area (or none: every area) and could do everything there: each keeps
    # exactly that, as an administrator of it.
    op.execute(
        "INSERT INTO desk_roles (account_id, area_id, role) "
        "SELECT id, area_id, 'administrator' FROM desk_accounts"
    )
    with op.batch_alter_table('desk_accounts', schema=None) as batch_op:
        batch_op.drop_constraint('fk_desk_accounts_area_id_areas', type_='foreignkey')
        batch_op.drop_column('area_id')


def downgrade() -> None:
    with op.batch_alter_table('desk_accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('area_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_desk_accounts_area_id_areas', 'areas', ['area_id'], ['id'])
    # One area per account again: the role of the lowest id (the migrated one, or the first given).
    op.execute(
        "UPDATE desk_accounts SET area_id = (SELECT area_id FROM desk_roles WHERE desk_roles.account_id = "
        "desk_accounts.id ORDER BY id LIMIT 1)"
    )
    op.drop_index(op.f('ix_desk_roles_account_id'), table_name='desk_roles')
    op.drop_table('desk_roles')
