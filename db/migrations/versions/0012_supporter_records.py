"""supporter_records and agreements: vetting, the scheme's rules, insurance; existing supporters approved

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 15:40:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'supporter_records',
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('applicant', 'approved', 'declined', name='supporterstatus',
                                    native_enum=False, length=20), nullable=False),
        sa.Column('applied_at', sa.DateTime(), nullable=False),
        sa.Column('met_on', sa.Date(), nullable=True),
        sa.Column('met_how', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('decided_by', sa.String(length=100), nullable=False),
        sa.Column('agreement_version', sa.Integer(), nullable=True),
        sa.Column('agreed_at', sa.DateTime(), nullable=True),
        sa.Column('insured_year', sa.Integer(), nullable=True),
        sa.Column('insurance_note', sa.String(length=100), nullable=False),
        sa.Column('renewal_reminded_year', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'],
                                name=op.f('fk_supporter_records_member_id_members'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('member_id', name=op.f('pk_supporter_records')),
    )
    op.create_index(op.f('ix_supporter_records_status'), 'supporter_records', ['status'], unique=False)
    op.create_table(
        'agreements',
        sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint('version', name=op.f('pk_agreements')),
    )
    # Everyone who is a supporter today was trusted before vetting existed: they stay approved (and are
    # asked to agree to the rules at their next accept, since they never saw them).
    now = datetime.now(UTC).replace(tzinfo=None)
    op.execute(
        sa.text(
            "INSERT INTO supporter_records (member_id, status, applied_at, met_how, note, decided_at, "
            "decided_by, insurance_note) SELECT id, 'approved', created_at, '', '', :now, 'migration', '' "
            "FROM members WHERE is_supporter"
        ).bindparams(now=now)
    )


def downgrade() -> None:
    op.drop_table('agreements')
    op.drop_index(op.f('ix_supporter_records_status'), table_name='supporter_records')
    op.drop_table('supporter_records')
