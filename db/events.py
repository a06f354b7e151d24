"""Processed webhook events: the primary key turns a redelivered event into a no-op."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Executable, Table, bindparam, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import ProcessedEvent, utcnow

# One prebuilt INSERT on the session's connection: every webhook event runs it, and the ORM's
# unit of work (an object, a flush) cost more than the statement itself.
_CLAIM = insert(cast(Table, ProcessedEvent.__table__))
# The same INSERT as a WITH clause, for a SELECT that claims the event as it reads (PostgreSQL runs a
# data-modifying WITH to completion whether or not the SELECT uses it).
CLAIM_CTE = (
    insert(cast(Table, ProcessedEvent.__table__))
    .values(
        webhook_event_id=bindparam("webhook_event_id"),
        event_type=bindparam("event_type"),
        received_at=bindparam("received_at"),
    )
    .cte("claim")
)


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


def claim_with(
    session: Session, statement: Executable, claim: tuple[str, str], params: dict[str, Any]
) -> Any:
    """Run a SELECT carrying CLAIM_CTE: the event is claimed (or DuplicateEvent), its first row returned."""
    webhook_event_id, event_type = claim
    try:
        return session.execute(
            statement,
            {
                **params,
                "webhook_event_id": webhook_event_id,
                "event_type": event_type[:40],
                "received_at": utcnow(),
            },
        ).first()
    except IntegrityError as exc:
        raise DuplicateEvent(webhook_event_id) from exc
