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
    _indexes("masters", "member_id")

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
    _indexes("master_asks", "master_id", "member_id")

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
    _indexes("master_classes", "master_id", "starts_at")

    _class_member_table("class_invites", sa.Column("asked_at", sa.DateTime(), nullable=False))
    _indexes("class_invites", "asked_at", "class_id", "member_id")
    _class_member_table(
        "class_seats",
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    _indexes("class_seats", "class_id", "member_id")


def _class_member_table(name: str, *columns: sa.Column) -> None:
    """class_invites and class_seats: one row a class and member, gone with either of them."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["master_classes.id"],
            name=op.f(f"fk_{name}_class_id_master_classes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f(f"fk_{name}_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("class_id", "member_id", name=op.f(f"uq_{name}_class_id")),
    )


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def _drop(table: str, *indexed: str) -> None:
    """The table and its indexes, the indexes first (in reverse of their creation)."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in reversed(indexed):
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))

    op.drop_table(table)


def downgrade() -> None:
    _drop("class_seats", "class_id", "member_id")
    _drop("class_invites", "asked_at", "class_id", "member_id")
    _drop("master_classes", "master_id", "starts_at")
    _drop("master_asks", "master_id", "member_id")
    _drop("masters", "member_id")
