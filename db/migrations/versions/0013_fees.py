"""ticket_entries and visit_fees: prepaid tickets (利用券) and what each visit cost

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'ticket_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('yen', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('recorded_by', sa.String(length=100), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'],
                                name=op.f('fk_ticket_entries_member_id_members'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['request_id'], ['help_requests.id'],
                                name=op.f('fk_ticket_entries_request_id_help_requests'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_entries')),
    )
    op.create_index(op.f('ix_ticket_entries_member_id'), 'ticket_entries', ['member_id'], unique=False)
    op.create_index(op.f('ix_ticket_entries_at'), 'ticket_entries', ['at'], unique=False)
    op.create_table(
        'visit_fees',
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('resident_id', sa.Integer(), nullable=False),
        sa.Column('supporter_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.Column('hourly_yen', sa.Integer(), nullable=False),
        sa.Column('labour_yen', sa.Integer(), nullable=False),
        sa.Column('travel_yen', sa.Integer(), nullable=False),
        sa.Column('materials_yen', sa.Integer(), nullable=False),
        sa.Column('helper_yen', sa.Integer(), nullable=False),
        sa.Column('org_yen', sa.Integer(), nullable=False),
        sa.Column('charged_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['help_requests.id'],
                                name=op.f('fk_visit_fees_request_id_help_requests'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['resident_id'], ['members.id'],
                                name=op.f('fk_visit_fees_resident_id_members'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['supporter_id'], ['members.id'],
                                name=op.f('fk_visit_fees_supporter_id_members'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('request_id', name=op.f('pk_visit_fees')),
    )
    op.create_index(op.f('ix_visit_fees_resident_id'), 'visit_fees', ['resident_id'], unique=False)
    op.create_index(op.f('ix_visit_fees_supporter_id'), 'visit_fees', ['supporter_id'], unique=False)
    op.create_index(op.f('ix_visit_fees_charged_at'), 'visit_fees', ['charged_at'], unique=False)


def downgrade() -> None:
    op.drop_table('visit_fees')
    op.drop_table('ticket_entries')
