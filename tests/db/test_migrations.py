"""Migrations build the schema the models describe, on an empty database of each backend."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import inspect

from bot.cli import main
from db.engine import make_engine
from db.migrate import current_heads, upgrade
from db.models import Base


def test_models_and_migrations_agree(database_url: str) -> None:
    """The fixture database was built by `upgrade head` on an empty database."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_heads() == tuple(current_heads(database_url))
    engine.dispose()


def test_otagai_db_upgrade_creates_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    result = CliRunner().invoke(main, ["db", "upgrade"], env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    engine = make_engine(url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()
    again = CliRunner().invoke(main, ["db", "upgrade"], env={"DATABASE_URL": url})
    assert again.exit_code == 0, again.output


def test_upgrade_keeps_existing_rows(tmp_path: Path) -> None:
    """SQLite batch migrations recreate tables; rows pointing at them must survive."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0001")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO members (id, line_user_id, display_name, is_supporter, is_coordinator, home_area, "
            "radius_km, skill_text, active, paused, blocked, created_at, updated_at) VALUES "
            "(1, 'U1', '山田', 0, 0, '', 3, '', 1, 0, 0, '2026-11-01 00:00:00', '2026-11-01 00:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO help_requests (id, requester_id, text, status, area, anytime, match_round, "
            "needs_coordinator, created_at) VALUES (1, 1, '電球', 'open', '', 1, 1, 0, '2026-11-01 00:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO proposals (id, request_id, supporter_id, status, distance_km, score, match_round, "
            "asked_at) VALUES (1, 1, 1, 'asked', 1.0, 0.5, 1, '2026-11-01 00:00:00')"
        )
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        counts = [
            conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
            for t in ("members", "help_requests", "proposals")
        ]
    engine.dispose()
    assert counts == [1, 1, 1]


def test_supporters_from_before_vetting_stay_approved(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0005")
    engine = make_engine(url)
    with engine.begin() as conn:
        for member_id, is_supporter in ((1, 1), (2, 0)):
            conn.exec_driver_sql(
                "INSERT INTO members (id, line_user_id, display_name, is_supporter, is_coordinator, "
                "home_area, radius_km, skill_text, active, paused, blocked, created_at, updated_at) VALUES "
                f"({member_id}, 'U{member_id}', '佐藤', {is_supporter}, 0, '', 3, '', 1, 0, 0, "
                "'2026-11-01 00:00:00', '2026-11-01 00:00:00')"
            )
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT member_id, status, decided_by, agreement_version FROM supporter_records"
        ).all()
    engine.dispose()
    # Approved, and (never having seen the rules) asked to agree to them at their next accept.
    assert [tuple(row) for row in rows] == [(1, "approved", "migration", None)]


def test_desk_accounts_become_administrators_of_their_area(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0017")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO areas (id, name, lat, lon, radius_km, created_at) VALUES "
            "(1, '世田谷', 35.6, 139.6, 5, '2026-11-01 00:00:00')"
        )
        for account_id, area in ((1, "1"), (2, "NULL")):
            conn.exec_driver_sql(
                "INSERT INTO desk_accounts (id, login, password_hash, area_id, phone, active, created_at) "
                f"VALUES ({account_id}, 'c{account_id}', 'x', {area}, '', 1, '2026-11-01 00:00:00')"
            )
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT account_id, area_id, role FROM desk_roles ORDER BY account_id"
        ).all()
    engine.dispose()
    # One with an area administers that area; one without administers the whole organisation, as before.
    assert [tuple(row) for row in rows] == [(1, 1, "administrator"), (2, None, "administrator")]
