"""Deliver queued outbound messages through the gateway and record what happened."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.gateway import LineGateway, SendResult
from db import outbox
from db.engine import transaction
from db.models import OutboundMessage, OutboundStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … capped at one hour: LINE outages are usually short."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


class Deliverer:
    """Sends outbox rows; one short transaction per row so a crash loses at most one status update."""

    def __init__(
        self, gateway: LineGateway, session_factory: sessionmaker[Session], clock: Callable[[], datetime]
    ) -> None:
        self.gateway = gateway
        self.session_factory = session_factory
        self.clock = clock

    def deliver(self, row_ids: Iterable[int]) -> None:
        for row_id in row_ids:
            self.deliver_one(row_id)

    def deliver_one(self, row_id: int) -> bool:
        """Send one row if still pending; True when LINE accepted it."""
        with transaction(self.session_factory) as session:
            row = session.get(OutboundMessage, row_id)
            if row is None or row.status != OutboundStatus.PENDING:
                return False
        # No transaction is held during the HTTP call (SQLite has a single writer); a row sent twice
        # by two processes is harmless because LINE deduplicates on the retry key.
        result = self._call(row)
        with transaction(self.session_factory) as session:
            fresh = session.get(OutboundMessage, row_id)
            assert fresh is not None
            self._record(fresh, result)
        return result.ok

    def _record(self, row: OutboundMessage, result: SendResult) -> None:
        now = self.clock()
        if result.ok:
            outbox.mark_sent(row, now)
            return
        give_up = row.kind == "reply" or not result.retryable or row.attempts + 1 >= MAX_ATTEMPTS
        retry_in = None if give_up else backoff(row.attempts + 1)
        outbox.mark_failed(row, now, result.error or "unknown error", retry_in=retry_in)
        log.warning(
            "delivery failed outbound=%s kind=%s event=%s status=%s final=%s",
            row.id,
            row.kind,
            row.webhook_event_id,
            result.status,
            give_up,
        )

    def _call(self, row: OutboundMessage) -> SendResult:
        if row.kind == "reply":
            assert row.reply_token is not None
            return self.gateway.reply(row.reply_token, row.messages)
        if row.kind == "push":
            return self.gateway.push(row.recipients[0], row.messages, row.retry_key)
        return self.gateway.multicast(list(row.recipients), row.messages, row.retry_key)
