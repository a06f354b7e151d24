"""Follow (greeting) and unfollow (stop everything for that member, tell who is affected).

stateDiagram-v2
    [*] --> AWAY: unfollow (requests cancelled, jobs given back, the time kept)
    AWAY --> [*]: follow again (told what was cancelled or given back while away)
"""

from __future__ import annotations

from datetime import datetime

from db import conversations
from db import requests as request_repo
from db.models import Member, ProposalStatus, RequestStatus
from db.outbox import PRIORITY_URGENT
from handlers import texts, ui
from handlers.common import label_of, main_menu, name_of
from handlers.completion import reopen_text
from handlers.context import Context
from handlers.flow import Flow
from handlers.followups import reopen
from handlers.my_requests import withdraw
from handlers.privacy import privacy_link

# While a member is away (blocked the bot), their conversation row says since when, so that on their
# return they are told what became of their requests and the jobs they held.
AWAY_FLOW = "away"


def on_follow(ctx: Context, is_unblocked: bool) -> None:
    member = ctx.sender
    returning = not member.active or is_unblocked
    member.active = True
    member.left_at = None  # back before the erasure after unfollow: nothing is erased
    name = _refresh_name(ctx, member)
    greeting = _greeting(member, returning).format(name=name)
    news = _while_away(ctx, member) if returning else []
    link = privacy_link(ctx)
    body = "\n\n".join([greeting, *news])
    ctx.reply(ui.text(body if link is None else f"{body}\n{link}", main_menu(ctx)))


def _while_away(ctx: Context, member: Member) -> list[str]:
    state = conversations.get_state(ctx.session, member.id)
    if state is None or state.flow != AWAY_FLOW:
        return []
    conversations.clear_state(ctx.session, member.id)
    try:
        since = datetime.fromisoformat(str(state.data.get("since")))
    except ValueError:
        return []
    cancelled = request_repo.cancelled_since(ctx.session, member.id, since)
    given_back = request_repo.given_back_since(ctx.session, member.id, since)
    news = [texts.AWAY_CANCELLED.format(category=label_of(r.category)) for r in cancelled]
    news += [texts.AWAY_GIVEN_BACK.format(category=label_of(r.category)) for r in given_back]
    return news[:5]


def _greeting(member: Member, returning: bool) -> str:
    """Someone a coordinator registered before they added the bot (from the roster, or as a coordinator)
    is greeted in that role, not asked for a 困りごと as if new."""
    if returning:
        return texts.GREETING_AGAIN
    if member.is_coordinator:
        return texts.GREETING_COORDINATOR
    if member.is_supporter:
        return texts.GREETING_SUPPORTER
    return texts.GREETING


def _refresh_name(ctx: Context, member: Member) -> str:
    if member.line_user_id:
        fetched = ctx.display_name_of(member.line_user_id)
        if fetched:
            member.display_name = fetched[:100]
    return member.display_name or texts.EVERYONE


def on_unfollow(ctx: Context) -> None:
    """The member left: nothing more is sent to them, and their part in open help is undone."""
    member = ctx.sender
    member.active = False
    member.left_at = ctx.now  # the retention pass erases their data some days later (bot/jobs/retention.py)
    conversations.clear_state(ctx.session, member.id)
    away = {"since": ctx.now.isoformat()}
    conversations.set_state(ctx.session, member.id, AWAY_FLOW, "away", away, now=ctx.now)
    for request in request_repo.active_of(ctx.session, member.id):
        withdraw(ctx, request, texts.REQUESTER_LEFT, texts.REQUESTER_LEFT)
    for draft in request_repo.drafts_of(ctx.session, member.id):
        draft.status, draft.closed_at = RequestStatus.CANCELLED, ctx.now
    release_accepted(ctx, member)


def release_accepted(ctx: Context, supporter: Member) -> None:
    """Requests this supporter had taken go back to matching; residents are told honestly."""
    taken = request_repo.accepted_by(ctx.session, supporter.id)
    for request in taken:
        outcome = reopen(ctx, request, supporter, ProposalStatus.WITHDRAWN)
        if outcome is None:
            continue
        asked, time_cleared = outcome
        opening = texts.SUPPORTER_LEFT.format(
            name=name_of(request, supporter), category=label_of(request.category)
        )
        ctx.push(
            [request.requester.line_user_id],
            [ui.text(reopen_text(opening, asked, time_cleared))],
            priority=PRIORITY_URGENT,
        )


# Not a conversation: what someone who blocked the bot was in, kept until they come back.
AWAY_CONVERSATION = Flow(AWAY_FLOW, idle_limit=None)
