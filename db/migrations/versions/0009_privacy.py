"""Privacy and abuse: members.left_at / erased_at, match_exclusions, problem_reports

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 15:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.models

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable columns without a default: no table rewrite on either backend.
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left_at', db.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('erased_at', db.models.UTCDateTime(), nullable=True))
    op.create_table(
        'match_exclusions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('supporter_id', sa.Integer(), nullable=False),
        sa.Column('resident_id', sa.Integer(), nullable=False),
        sa.Column('created_at', db.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['resident_id'], ['members.id'],
            name=op.f('fk_match_exclusions_resident_id_members'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['supporter_id'], ['members.id'],
            name=op.f('fk_match_exclusions_supporter_id_members'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_match_exclusions')),
        sa.UniqueConstraint('supporter_id', 'resident_id', name=op.f('uq_match_exclusions_supporter_id')),
    )
    op.create_index(op.f('ix_match_exclusions_resident_id'), 'match_exclusions', ['resident_id'])
    op.create_index(op.f('ix_match_exclusions_supporter_id'), 'match_exclusions', ['supporter_id'])
    op.create_table(
        'problem_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('reporter_id', sa.Integer(), nullable=False),
        sa.Column('created_at', db.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['reporter_id'], ['members.id'], name=op.f('fk_problem_reports_reporter_id_members'),
        ),
        sa.ForeignKeyConstraint(
            ['request_id'], ['help_requests.id'],
            name=op.f('fk_problem_reports_request_id_help_requests'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_reports')),
    )
    op.create_index(op.f('ix_problem_reports_reporter_id'), 'problem_reports', ['reporter_id'])
    op.create_index(op.f('ix_problem_reports_request_id'), 'problem_reports', ['request_id'])


def downgrade() -> None:
    op.drop_table('problem_reports')
    op.drop_table('match_exclusions')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
        batch_op.drop_column('left_at')
