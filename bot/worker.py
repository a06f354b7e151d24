"""The worker process: APScheduler runs the jobs in bot/jobs/ (follow-ups every tick, retention hourly)."""

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
from bot.jobs.followups import BATCH, FollowUpRunner, RunReport
from bot.jobs.retention import Retention, RetentionReport
from db.engine import make_engine, make_session_factory
from handlers.settings import Settings
from matching.warm import warm_up

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
    gateway = LineGateway(
        settings.line_channel_access_token, settings.line_api_endpoint, settings.line_api_data_endpoint
    )
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
        report.retention = Retention(runner.session_factory, settings=settings).run(at)
        return report


def purge_once(settings: Settings, now: datetime, *, dry_run: bool = False) -> RetentionReport:
    """`otagai db purge`: one retention pass; it needs only the database, not the LINE channel."""
    engine = make_engine(settings.database_url)
    try:
        return Retention(make_session_factory(engine), settings=settings).run(now, dry_run=dry_run)
    finally:
        engine.dispose()


def run_worker(settings: Settings, clock: Callable[[], datetime] = system_clock) -> None:
    # Re-asks understand the request to rank supporters and cards mask personal details: the data that
    # reading needs is built before the first tick (it runs at once), as in the web process.
    warm_up()
    with runner_for(settings, clock) as runner:
        scheduler = BlockingScheduler(timezone=settings.timezone)

        def tick() -> None:
            runner.run_due(clock())

        retention = Retention(runner.session_factory, settings=settings)
        # A job that fails is tried again at its next run: everything it works on is a database row.
        _every(scheduler, TICK_SECONDS, tick, clock, "followups")
        _every(scheduler, RETENTION_SECONDS, lambda: retention.run(clock()), clock, "retention")

        def stop(signum: int, _frame: FrameType | None) -> None:
            log.info("worker stopping (signal %s)", signum)
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        log.info("worker started; tick every %ss", TICK_SECONDS)
        scheduler.start()


def _every(
    scheduler: BlockingScheduler,
    seconds: int,
    job: Callable[[], object],
    clock: Callable[[], datetime],
    name: str,
) -> None:
    """Run `job` now and then every `seconds`, one at a time; a failure is logged, never fatal."""

    def guarded() -> None:
        try:
            job()
        except Exception:
            log.exception("worker job %s failed", name)

    scheduler.add_job(
        guarded,
        "interval",
        seconds=seconds,
        id=name,
        max_instances=1,
        coalesce=True,
        next_run_time=clock(),
    )
