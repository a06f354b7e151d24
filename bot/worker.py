"""The scheduler worker: APScheduler in its own process, running follow-ups and delivering the outbox."""

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
from bot.scheduler import BATCH, FollowUpRunner, RunReport
from bot.settings import Settings
from db.engine import make_engine, make_session_factory

log = logging.getLogger(__name__)

TICK_SECONDS = 10


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
    """`otagai run-due`: one pass as if the clock read `at`."""
    with runner_for(settings, lambda: at, batch=batch) as runner:
        return runner.run_due(at)


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

        def stop(signum: int, _frame: FrameType | None) -> None:
            log.info("worker stopping (signal %s)", signum)
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        log.info("worker started; tick every %ss", TICK_SECONDS)
        scheduler.start()
