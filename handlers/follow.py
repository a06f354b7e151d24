"""Follow (greeting) and unfollow (stop everything for that member, tell who is affected)."""

from __future__ import annotations

from sqlalchemy import select

from db import conversations
from db import requests as request_repo
from db.models import HelpRequest, Member, ProposalStatus, RequestStatus
from db.outbox import PRIORITY_URGENT
from handlers import texts, ui
from handlers.common import label_of, main_menu, name_of
from handlers.completion import reopen_text
from handlers.context import Context
from handlers.followups import reopen
from handlers.my_requests import withdraw


def on_follow(ctx: Context, is_unblocked: bool) -> None:
    member = ctx.sender
    returning = not member.active or is_unblocked
    member.active = True
    name = _refresh_name(ctx, member)
    ctx.reply(ui.text(_greeting(member, returning).format(name=name), main_menu(ctx)))


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
    return member.display_name or "みなさま"


def on_unfollow(ctx: Context) -> None:
    """The member left: nothing more is sent to them, and their part in open help is undone."""
    member = ctx.sender
    member.active = False
    conversations.clear_state(ctx.session, member.id)
    for request in request_repo.active_of(ctx.session, member.id):
        withdraw(ctx, request, texts.REQUESTER_LEFT, texts.REQUESTER_LEFT)
    for draft in ctx.session.scalars(
        select(HelpRequest).where(
            HelpRequest.requester_id == member.id, HelpRequest.status == RequestStatus.DRAFT
        )
    ):
        draft.status, draft.closed_at = RequestStatus.CANCELLED, ctx.now
    _release_accepted(ctx, member)


def _release_accepted(ctx: Context, supporter: Member) -> None:
    """Requests this supporter had taken go back to matching; residents are told honestly."""
    taken = ctx.session.scalars(
        select(HelpRequest).where(
            HelpRequest.accepted_by_id == supporter.id, HelpRequest.status == RequestStatus.MATCHED
        )
    ).all()
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
