"""`otagai worker` (the scheduler process) and `otagai run-due` (one pass of its jobs, for cron and tests)."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from bot.cli.support import require_database, settings_or_fail
from handlers.settings import Settings


@click.command()
def worker() -> None:
    """Run the scheduler worker (its own process; never inside web workers)."""
    from bot.worker import run_worker

    settings = settings_or_fail(require_secrets=True)
    require_database(settings)
    run_worker(settings)


@click.command("run-due")
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
