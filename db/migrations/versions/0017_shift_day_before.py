"""place_shifts.day_before_at: when the day-before reminders and the short-shift notice went out

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 17:14:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('place_shifts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('day_before_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('place_shifts', schema=None) as batch_op:
        batch_op.drop_column('day_before_at')
