"""The `otagai` command: database migrations, the scheduler worker, and operator tools."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime

import click

from bot.cli_support import require_database, settings_or_fail, unreachable
from bot.coordinator_cli import match, supporters
from bot.desk_cli import areas, coordinators, requests
from bot.members_cli import members
from bot.places_cli import places
from bot.report_cli import report
from bot.richmenu_cli import richmenu
from bot.scheme_cli import agreement_group, audit_command, fees_group, insurance_group, tickets_group
from handlers.settings import Settings


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log at DEBUG level.")
def main(verbose: bool) -> None:
    """Otagai (お互いさま): a LINE bot for neighbourhood mutual aid."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


main.add_command(match)
main.add_command(supporters)
main.add_command(coordinators)
main.add_command(requests)
main.add_command(report)
main.add_command(agreement_group)
main.add_command(insurance_group)
main.add_command(tickets_group)
main.add_command(fees_group)
main.add_command(audit_command)
main.add_command(members)
main.add_command(areas)
main.add_command(richmenu)
main.add_command(places)


@main.group()
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


@main.command()
def worker() -> None:
    """Run the scheduler worker (its own process; never inside web workers)."""
    from bot.worker import run_worker

    settings = settings_or_fail(require_secrets=True)
    require_database(settings)
    run_worker(settings)


@main.command("run-due")
@click.option(
    "--at",
    "at",
    default=None,
    metavar="ISO8601",
    help="Act as if the clock read this time (an offset is honoured; without one, OTAGAI_TIMEZONE).",
)
def run_due(at: str | None) -> None:
    """Handle every follow-up and message due now (or at --at), and purge old rows, once: for cron,
    operations and tests."""
    from bot.worker import run_once

    settings = settings_or_fail(require_secrets=True)
    require_database(settings)
    click.echo(run_once(settings, _moment(at, settings)).summary())


def _moment(at: str | None, settings: Settings) -> datetime:
    if at is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(at)
    except ValueError as exc:
        raise click.BadParameter(f"{at!r} is not an ISO 8601 time such as 2026-12-01T09:00+09:00") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=settings.timezone)
    return moment.astimezone(UTC)


@main.command()
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port on 127.0.0.1 for the bot and the chat page.",
)
@click.option("--reset", is_flag=True, help="Start with a clean sample town: no requests, chats or credits.")
def demo(port: int, reset: bool) -> None:
    """Try the bot in a browser: a fake LINE, demo neighbours, and a chat page (no LINE channel needed)."""
    from bot.dev.demo import run

    run(port, reset=reset)


if __name__ == "__main__":  # pragma: no cover
    main()
