"""Migrations build the schema the models describe, on an empty database of each backend."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import inspect

from bot.cli import main
from db.engine import make_engine
from db.migrate import current_heads
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
