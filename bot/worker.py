"""The scheduler worker: APScheduler in its own process, delivering what the web processes queued."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler

from bot.app import system_clock
from bot.delivery import Deliverer
from bot.gateway import LineGateway
from bot.settings import Settings
from db import outbox
from db.engine import make_engine, make_session_factory, transaction

log = logging.getLogger(__name__)

TICK_SECONDS = 15


def run_due(deliverer: Deliverer, now: datetime, batch: int = 100) -> int:
    """One pass: retry pushes that are due; returns how many were sent."""
    with transaction(deliverer.session_factory) as session:
        due = [row.id for row in outbox.pending(session, now, limit=batch)]
    return sum(1 for row_id in due if deliverer.deliver_one(row_id))


def run_worker(settings: Settings, clock: Callable[[], datetime] = system_clock) -> None:
    engine = make_engine(settings.database_url)
    gateway = LineGateway(settings.line_channel_access_token, settings.line_api_endpoint)
    deliverer = Deliverer(gateway, make_session_factory(engine), clock)
    scheduler = BlockingScheduler(timezone=settings.timezone)
    scheduler.add_job(
        lambda: run_due(deliverer, clock()),
        "interval",
        seconds=TICK_SECONDS,
        id="outbox",
        max_instances=1,
        coalesce=True,
    )
    log.info("worker started; tick every %ss", TICK_SECONDS)
    try:
        scheduler.start()
    finally:
        gateway.close()
        engine.dispose()
