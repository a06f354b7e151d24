"""Processed webhook events: the primary key turns a redelivered event into a no-op."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import ProcessedEvent


class DuplicateEvent(Exception):
    """The event was already processed (or is being processed by a concurrent delivery)."""


def claim_event(session: Session, webhook_event_id: str, event_type: str) -> None:
    """Insert the event id as the transaction's first write; raise DuplicateEvent if it exists.

    The primary key, not a prior SELECT, decides, so two concurrent deliveries cannot both win:
    on PostgreSQL the second insert waits for the first transaction and then fails.
    """
    session.add(ProcessedEvent(webhook_event_id=webhook_event_id, event_type=event_type[:40]))
    try:
        session.flush()
    except IntegrityError as exc:
        raise DuplicateEvent(webhook_event_id) from exc
