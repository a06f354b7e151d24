"""Conversation state: which step of which flow a member is in (one row per member)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Conversation, utcnow

# session.info key: members found to have no conversation row in this session. The identity map
# remembers rows it found, not rows it did not: several routes ask about one event's sender, and
# each miss would be another SELECT.
_NONE = "otagai.no_conversation"
# session.info key: the rows found or added, held here so that they stay in the identity map. It holds
# unchanged objects only weakly: a state no handler still refers to would be gone, and the next
# get_state (each route asks) would read it again. Lookups still go through session.get, so a row a
# bulk DELETE took out of the session (erasure) is not returned.
_KEPT = "otagai.conversations"


def known(session: Session, member_id: int, state: Conversation | None) -> None:
    """What a query that read the member found (their conversation row, or none): no SELECT later."""
    if state is None:
        session.info.setdefault(_NONE, set()).add(member_id)
    else:
        session.info.setdefault(_KEPT, {})[member_id] = state


def get_state(session: Session, member_id: int) -> Conversation | None:
    absent: set[int] = session.info.setdefault(_NONE, set())
    if member_id in absent:
        return None
    state = session.get(Conversation, member_id)
    if state is None:
        absent.add(member_id)
    else:
        session.info.setdefault(_KEPT, {})[member_id] = state
    return state


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
    absent: set[int] = session.info.setdefault(_NONE, set())
    state = None if member_id in absent else session.get(Conversation, member_id)
    absent.discard(member_id)
    if state is None:
        state = Conversation(member_id=member_id, flow=flow, step=step, data=dict(data), updated_at=stamp)
        session.add(state)
        session.info.setdefault(_KEPT, {})[member_id] = state
        return
    state.flow, state.step = flow, step
    # A fresh dict so SQLAlchemy sees the JSON change.
    state.data = dict(data)
    state.updated_at = stamp


def clear_state(session: Session, member_id: int) -> None:
    state = session.get(Conversation, member_id)
    session.info.setdefault(_NONE, set()).add(member_id)
    session.info.setdefault(_KEPT, {}).pop(member_id, None)
    if state is not None:
        session.delete(state)
        # At once: a flow that starts next in this event (set_state) must not find the deleted row,
        # change it, and have the pending delete take its new state away at commit.
        session.flush()


def in_flow(session: Session, flow: str) -> Sequence[Conversation]:
    """Everyone's state in one flow (e.g. every relay chat going on)."""
    return session.scalars(select(Conversation).where(Conversation.flow == flow)).all()
