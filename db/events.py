"""Processed webhook events: the primary key turns a redelivered event into a no-op."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import ProcessedEvent

# One prebuilt INSERT on the session's connection: every webhook event runs it, and the ORM's
# unit of work (an object, a flush) cost more than the statement itself.
_CLAIM = insert(cast(Table, ProcessedEvent.__table__))


class DuplicateEvent(Exception):
    """The event was already processed (or is being processed by a concurrent delivery)."""


def claim_event(session: Session, webhook_event_id: str, event_type: str) -> None:
    """Insert the event id as the transaction's first write; raise DuplicateEvent if it exists.

    The primary key, not a prior SELECT, decides, so two concurrent deliveries cannot both win:
    on PostgreSQL the second insert waits for the first transaction and then fails.
    """
    try:
        session.connection().execute(
            _CLAIM, {"webhook_event_id": webhook_event_id, "event_type": event_type[:40]}
        )
    except IntegrityError as exc:
        raise DuplicateEvent(webhook_event_id) from exc
