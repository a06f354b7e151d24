"""A handler Context for a coordinator's action on the desk, and delivery of what it queued."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import datetime

from flask import current_app
from sqlalchemy.orm import Session

from handlers.context import Context

log = logging.getLogger(__name__)
# The coordinator waits for the page: pushes not started within this are left to the worker.
SEND_SECONDS = 1.5


def desk_context(db: Session, now: datetime) -> Context:
    """No LINE event behind it: no reply token, no sender; pushes go through the outbox as usual."""
    return Context.without_event(db, current_app.extensions["otagai.settings"], now)


def deliver(row_ids: Sequence[int]) -> None:
    """Send after commit; anything left (quiet hours, LINE down) stays in the outbox for the worker."""
    if not row_ids:
        return
    try:
        current_app.extensions["otagai.processor"].deliverer.deliver(
            list(row_ids), until=time.monotonic() + SEND_SECONDS
        )
    except Exception:
        log.exception("desk delivery failed; left to the worker")
