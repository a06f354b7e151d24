"""`otagai db`: create or migrate the database, and purge old rows once."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from bot.cli.support import require_database, settings_or_fail, unreachable


@click.group()
def db() -> None:
    """Database commands."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Alembic revision to migrate to.")
def db_upgrade(revision: str) -> None:
    """Create or migrate the database at DATABASE_URL."""
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from db.migrate import upgrade

    settings = settings_or_fail()
    try:
        upgrade(settings.database_url, revision)
    except (SQLAlchemyError, ArgumentError) as exc:
        raise unreachable(settings, exc) from exc
    click.echo(f"database is at revision {revision}")


@db.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted or erased.")
def db_purge(dry_run: bool) -> None:
    """Delete old webhook event ids and finished outbox rows, and erase old message bodies, once.

    The worker does this every hour; run it by hand to see or clear a backlog.
    """
    from bot.worker import purge_once

    settings = settings_or_fail()
    require_database(settings)
    click.echo(purge_once(settings, datetime.now(UTC), dry_run=dry_run).summary())
