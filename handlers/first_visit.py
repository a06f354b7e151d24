"""顔合わせ (a first visit together): a coordinator marked to go along (by `otagai requests first-visit`
or on the desk) learns the visit, the supporter learns who comes with them, the coordinator gets the
reminders and relay messages, and may write to both sides through the relay."""

from __future__ import annotations

from db import first_visits
from db.models import HelpRequest, Member, RequestStatus
from db.outbox import PRIORITY_NORMAL, PRIORITY_URGENT
from handlers import postback, texts, ui
from handlers.common import format_when, label_of, name_of
from handlers.context import Context

# As long as a relay message from either side.
MESSAGE_LIMIT = 2000


class NotCoordinator(ValueError):
    """Only a coordinator goes along."""


class NoVisit(ValueError):
    """The request is closed: nobody visits any more."""


def mark(ctx: Context, request: HelpRequest, coordinator: Member) -> None:
    """Mark the request 顔合わせ with this coordinator going along, and tell them (and the supporter)."""
    if not coordinator.is_coordinator:
        raise NotCoordinator(coordinator.display_name)
    if request.status not in (RequestStatus.OPEN, RequestStatus.MATCHED):
        raise NoVisit(request.status.value)
    first_visits.mark(ctx.session, request.id, coordinator, ctx.now)
    category = label_of(request.category)
    supporter = request.accepted_by
    details = texts.FIRST_VISIT_COORDINATOR.format(
        id=request.id,
        category=category,
        resident=request.requester.display_name or texts.SOMEONE_RESIDENT,
        place=request.address or request.area or texts.UNKNOWN_AREA,
        when=format_when(ctx, request.wanted_at),
        supporter=(supporter.display_name or texts.SOMEONE_SUPPORTER)
        if supporter
        else texts.FIRST_VISIT_NOBODY_YET,
    )
    ctx.push([coordinator.line_user_id], [ui.text(details)], priority=PRIORITY_NORMAL)
    if supporter is not None:
        note = texts.FIRST_VISIT_SUPPORTER.format(
            category=category, name=coordinator.display_name or texts.SOMEONE_COORDINATOR
        )
        ctx.push([supporter.line_user_id], [ui.text(note)], priority=PRIORITY_NORMAL)


def unmark(ctx: Context, request: HelpRequest) -> bool:
    return first_visits.unmark(ctx.session, request.id)


def write(ctx: Context, request: HelpRequest, coordinator: Member, body: str) -> int:
    """The coordinator going along writes to both sides, as a relay message naming them.

    Returns how many people it goes to (0: nobody on LINE, or not the coordinator going along, or the
    visit no longer being arranged)."""
    going = first_visits.companion(ctx.session, request.id)
    if going is None or going.id != coordinator.id or request.status != RequestStatus.MATCHED:
        return 0
    recipients = [
        m.line_user_id
        for m in (request.requester, request.accepted_by)
        if m is not None and m.line_user_id and m.active
    ]
    if not recipients:
        return 0
    header = texts.RELAY_COMPANION_HEADER.format(
        category=label_of(request.category), name=coordinator.display_name or texts.SOMEONE_COORDINATOR
    )
    message = ui.text(f"{header}\n{ui.clip(body.strip(), MESSAGE_LIMIT)}")
    # Each side its own push, so that each gets the reply button for this request.
    for recipient in recipients:
        reply = ui.postback(texts.RELAY_REPLY_BUTTON, postback.encode("relay", r=request.id))
        ctx.push([recipient], [ui.with_quick(message, [reply])], priority=PRIORITY_URGENT)
    request.relay_count += 1
    return len(recipients)


def after_accept(ctx: Context, request: HelpRequest) -> None:
    coordinator = first_visits.companion(ctx.session, request.id)
    if coordinator is None or request.accepted_by is None:
        return
    category = label_of(request.category)
    ctx.push(
        [coordinator.line_user_id],
        [
            ui.text(
                texts.FIRST_VISIT_ACCEPTED.format(
                    id=request.id,
                    category=category,
                    name=name_of(request, request.accepted_by),
                    when=format_when(ctx, request.wanted_at),
                )
            )
        ],
        priority=PRIORITY_NORMAL,
    )
    name = coordinator.display_name or texts.SOMEONE_COORDINATOR
    ctx.push(
        [request.accepted_by.line_user_id],
        [ui.text(texts.FIRST_VISIT_SUPPORTER.format(category=category, name=name))],
        priority=PRIORITY_NORMAL,
    )
