"""Conversation state: which step of which flow a member is in (one row per member)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from db.models import Conversation, utcnow


def get_state(session: Session, member_id: int) -> Conversation | None:
    return session.get(Conversation, member_id)


def set_state(
    session: Session,
    member_id: int,
    flow: str,
    step: str,
    data: dict[str, Any],
    *,
    now: datetime | None = None,
) -> None:
    """Move a member to a step; `now` (the handler's clock) stamps it, so idle flows can be ended."""
    stamp = now or utcnow()
    state = session.get(Conversation, member_id)
    if state is None:
        session.add(
            Conversation(member_id=member_id, flow=flow, step=step, data=dict(data), updated_at=stamp)
        )
        return
    state.flow, state.step = flow, step
    # A fresh dict so SQLAlchemy sees the JSON change.
    state.data = dict(data)
    state.updated_at = stamp


def clear_state(session: Session, member_id: int) -> None:
    state = session.get(Conversation, member_id)
    if state is not None:
        session.delete(state)
        # At once: a flow that starts next in this event (set_state) must not find the deleted row,
        # change it, and have the pending delete take its new state away at commit.
        session.flush()
