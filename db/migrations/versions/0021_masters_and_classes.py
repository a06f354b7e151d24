"""masters, master_asks, master_classes, class_seats, class_invites: 名人・達人 and their classes

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 18:50:25.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "masters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("skill", sa.String(length=40), nullable=False),
        sa.Column("where_text", sa.String(length=100), nullable=False),
        sa.Column("how_often", sa.String(length=60), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("area", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_masters_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_masters")),
    )
    with op.batch_alter_table("masters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_masters_member_id"), ["member_id"], unique=False)

    op.create_table(
        "master_asks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("master_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["master_id"], ["masters.id"], name=op.f("fk_master_asks_master_id_masters"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_master_asks_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_asks")),
        sa.UniqueConstraint("master_id", "member_id", name=op.f("uq_master_asks_master_id")),
    )
    with op.batch_alter_table("master_asks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_master_asks_master_id"), ["master_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_master_asks_member_id"), ["member_id"], unique=False)

    op.create_table(
        "master_classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("master_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("place_text", sa.String(length=100), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("taken", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("invited_at", sa.DateTime(), nullable=True),
        sa.Column("remind_eve_at", sa.DateTime(), nullable=True),
        sa.Column("remind_hour_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["master_id"],
            ["masters.id"],
            name=op.f("fk_master_classes_master_id_masters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["community_places.id"],
            name=op.f("fk_master_classes_place_id_community_places"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_classes")),
    )
    with op.batch_alter_table("master_classes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_master_classes_master_id"), ["master_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_master_classes_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "class_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["master_classes.id"],
            name=op.f("fk_class_invites_class_id_master_classes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_class_invites_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_invites")),
        sa.UniqueConstraint("class_id", "member_id", name=op.f("uq_class_invites_class_id")),
    )
    with op.batch_alter_table("class_invites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_class_invites_asked_at"), ["asked_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_class_invites_class_id"), ["class_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_class_invites_member_id"), ["member_id"], unique=False)

    op.create_table(
        "class_seats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["master_classes.id"],
            name=op.f("fk_class_seats_class_id_master_classes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_class_seats_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_seats")),
        sa.UniqueConstraint("class_id", "member_id", name=op.f("uq_class_seats_class_id")),
    )
    with op.batch_alter_table("class_seats", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_class_seats_class_id"), ["class_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_class_seats_member_id"), ["member_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("class_seats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_seats_member_id"))
        batch_op.drop_index(batch_op.f("ix_class_seats_class_id"))

    op.drop_table("class_seats")
    with op.batch_alter_table("class_invites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_invites_member_id"))
        batch_op.drop_index(batch_op.f("ix_class_invites_class_id"))
        batch_op.drop_index(batch_op.f("ix_class_invites_asked_at"))

    op.drop_table("class_invites")
    with op.batch_alter_table("master_classes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_master_classes_starts_at"))
        batch_op.drop_index(batch_op.f("ix_master_classes_master_id"))

    op.drop_table("master_classes")
    with op.batch_alter_table("master_asks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_master_asks_member_id"))
        batch_op.drop_index(batch_op.f("ix_master_asks_master_id"))

    op.drop_table("master_asks")
    with op.batch_alter_table("masters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_masters_member_id"))

    op.drop_table("masters")
