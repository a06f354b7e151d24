"""The scheduler worker: APScheduler in its own process, running follow-ups, the outbox and retention."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler

from bot.app import system_clock
from bot.delivery import Deliverer
from bot.gateway import LineGateway
from bot.scheduler import BATCH, FollowUpRunner, Retention, RetentionReport, RunReport
from bot.settings import Settings
from db.engine import make_engine, make_session_factory

log = logging.getLogger(__name__)

TICK_SECONDS = 10
# Retention is hourly: the tables only need to stop growing, and a pass that finds nothing is a few
# index lookups. It also runs when the worker starts, so a worker restarted often still purges.
RETENTION_SECONDS = 3600


@contextmanager
def runner_for(
    settings: Settings, clock: Callable[[], datetime] = system_clock, *, batch: int = BATCH
) -> Iterator[FollowUpRunner]:
    """A follow-up runner with its own engine and gateway, closed afterwards."""
    engine = make_engine(settings.database_url)
    gateway = LineGateway(settings.line_channel_access_token, settings.line_api_endpoint)
    session_factory = make_session_factory(engine)
    deliverer = Deliverer(gateway, session_factory, clock, settings=settings)
    try:
        yield FollowUpRunner(settings, session_factory, deliverer, batch=batch)
    finally:
        gateway.close()
        engine.dispose()


def run_once(settings: Settings, at: datetime, *, batch: int = BATCH) -> RunReport:
    """`otagai run-due`: one pass of every worker job (retention included) as if the clock read `at`."""
    with runner_for(settings, lambda: at, batch=batch) as runner:
        report = runner.run_due(at)
        report.retention = Retention(runner.session_factory).run(at)
        return report


def purge_once(settings: Settings, now: datetime, *, dry_run: bool = False) -> RetentionReport:
    """`otagai db purge`: one retention pass; it needs only the database, not the LINE channel."""
    engine = make_engine(settings.database_url)
    try:
        return Retention(make_session_factory(engine)).run(now, dry_run=dry_run)
    finally:
        engine.dispose()


def run_worker(settings: Settings, clock: Callable[[], datetime] = system_clock) -> None:
    with runner_for(settings, clock) as runner:
        scheduler = BlockingScheduler(timezone=settings.timezone)

        def tick() -> None:
            try:
                runner.run_due(clock())
            except Exception:
                # The next tick tries again; nothing is lost because every follow-up is a database row.
                log.exception("worker tick failed")

        scheduler.add_job(
            tick,
            "interval",
            seconds=TICK_SECONDS,
            id="followups",
            max_instances=1,
            coalesce=True,
            next_run_time=clock(),
        )
        retention = Retention(runner.session_factory)

        def purge() -> None:
            try:
                retention.run(clock())
            except Exception:
                # The next pass deletes what this one left: retention is never urgent.
                log.exception("retention pass failed")

        scheduler.add_job(
            purge,
            "interval",
            seconds=RETENTION_SECONDS,
            id="retention",
            max_instances=1,
            coalesce=True,
            next_run_time=clock(),
        )

        def stop(signum: int, _frame: FrameType | None) -> None:
            log.info("worker stopping (signal %s)", signum)
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        log.info("worker started; tick every %ss", TICK_SECONDS)
        scheduler.start()
