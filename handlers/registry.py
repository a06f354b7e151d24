"""Every step-by-step flow the bot has, and the sender's flow in progress (ended here when idle).

Adding a flow: write its module (ending with `CONVERSATION = Flow(...)`, see handlers/flow.py) and add
one line to FLOWS below.
"""

from __future__ import annotations

from db import conversations
from db.models import Conversation
from handlers import (
    after_send,
    class_changes,
    class_flow,
    community_places,
    fees,
    follow,
    master_flow,
    offer,
    question,
    relay,
    request_changes,
    request_flow,
    safety,
    supporter_flow,
    thanks,
)
from handlers.context import Context
from handlers.flow import Flow, Registry

FLOWS = Registry(
    [
        request_flow.CONVERSATION,
        supporter_flow.CONVERSATION,
        request_changes.CONVERSATION,
        offer.CONVERSATION,
        fees.CONVERSATION,
        safety.CONVERSATION,
        community_places.CONVERSATION,
        master_flow.CONVERSATION,
        class_flow.CONVERSATION,
        class_changes.CONVERSATION,
        after_send.CONVERSATION,
        relay.CONVERSATION,
        thanks.CONVERSATION,
        follow.AWAY_CONVERSATION,
        question.CONVERSATION,
    ]
)


def current(ctx: Context) -> tuple[Conversation, Flow] | None:
    """The sender's state and its flow; no side effects (idle flows are ended by `end_if_idle`)."""
    if ctx.member is None:
        return None
    state = conversations.get_state(ctx.session, ctx.member.id)
    return None if state is None else (state, FLOWS[state.flow])


def end_if_idle(ctx: Context) -> None:
    """The one place idle flows end: each by its own limit, the way it is cancelled (a draft too)."""
    found = current(ctx)
    if found is not None and found[1].is_idle(found[0], ctx.now):
        found[1].cancel(ctx, found[0])


def leave(ctx: Context) -> None:
    """Before another flow starts, the one in progress is abandoned properly."""
    found = current(ctx)
    if found is not None:
        found[1].cancel(ctx, found[0])
