"""What a follow-up does when it falls due: reminders and check-ins sent, re-asks, escalation, expiry.

stateDiagram-v2
    [*] --> pending: request opened / accepted / reopened (handlers/followups.py schedules)
    pending --> pending: due in quiet hours (waits for the morning)
    pending --> done: fell due and acted (reminder, check-in, re-ask, escalation, expiry)
    pending --> skipped: fell due but no longer fits (request moved on)
    pending --> cancelled: the request changed first
    pending --> failed: kept raising errors
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from db import followups as followup_repo
from db import lifecycle, outbox
from db.followups import DueFollowUp
from db.models import FollowUp, FollowUpKind, FollowUpState, HelpRequest, RequestStatus
from db.outbox import PRIORITY_LOW, PRIORITY_NORMAL, PRIORITY_URGENT
from handlers import postback, texts, ui
from handlers.common import format_when, label_of
from handlers.context import Context
from handlers.followups import HOUR_BEFORE, after_daytime_wait
from handlers.notify import notify_supporters, push_to_coordinators, tell_coordinators
from handlers.timing import QuietHours, day_word

if TYPE_CHECKING:
    from handlers.settings import Settings

# Pushes a person reads and acts on: they wait for the morning. Expiry is a state change and fires
# at once (its notice to the resident then waits in the outbox).
DAYTIME_ONLY = frozenset(
    {
        FollowUpKind.REMIND_EVE,
        FollowUpKind.REMIND_HOUR,
        FollowUpKind.CHECKIN,
        FollowUpKind.CHECKIN_UNANSWERED,
        FollowUpKind.REASK,
    }
)
MAX_ERRORS = 5

# --- firing -------------------------------------------------------------------------------------
# Reminders and check-ins only read and send: a batch decides them from plain rows (notice()).
# Re-asks and expiry change the request, and an unanswered check-in goes to every coordinator: they
# run one by one on ORM objects (fire()).

NOTICE_KINDS = frozenset({FollowUpKind.REMIND_EVE, FollowUpKind.REMIND_HOUR, FollowUpKind.CHECKIN})


@dataclass(frozen=True)
class Notice:
    recipient: str
    messages: list[ui.Message]
    priority: int


def waits_for_morning(kind: FollowUpKind, settings: Settings, now: datetime) -> datetime | None:
    """When a follow-up falling due now should fire instead (quiet hours), or None to fire now."""
    quiet = QuietHours.of(settings)
    if kind in DAYTIME_ONLY and quiet.contains(now):
        return quiet.ends_after(now)
    return None


def notice(settings: Settings, now: datetime, due: DueFollowUp) -> Notice | str:
    """The reminder or check-in to send now, or why it no longer applies ('skip: …')."""
    if due.request_status != RequestStatus.MATCHED or due.accepted_by_id != due.member_id:
        return "skip: no longer matched"
    category = label_of(due.category)
    if due.kind == FollowUpKind.CHECKIN:
        if not due.resident_line_id or not due.resident_active:
            return "skip: resident not on LINE"
        body = (texts.CHECKIN if due.round == 1 else texts.CHECKIN_AGAIN).format(category=category)
        return Notice(due.resident_line_id, [ui.text(body, checkin_quick_replies())], PRIORITY_NORMAL)
    if due.wanted_at is None or due.wanted_at <= now:
        return "skip: the time has passed"
    if not due.supporter_line_id:
        return "skip: supporter has no LINE"
    if due.kind == FollowUpKind.REMIND_EVE and now >= due.wanted_at - HOUR_BEFORE:
        # The worker was down over the evening: the hour-before reminder, due too, says it all.
        return "skip: the hour-before reminder covers it"
    local = due.wanted_at.astimezone(settings.timezone)
    if due.kind == FollowUpKind.REMIND_EVE:
        day = day_word(now, due.wanted_at, settings.timezone)
        body = texts.REMIND_EVE.format(day=day, time=f"{local:%H:%M}", category=category)
        priority = PRIORITY_NORMAL
    else:
        body = texts.REMIND_HOUR.format(time=f"{local:%H:%M}", category=category)
        priority = PRIORITY_URGENT
    # No request id in the message: identical reminders to several supporters share one multicast.
    return Notice(due.supporter_line_id, [ui.text(body, supporter_quick_replies())], priority)


def fire(ctx: Context, followup: FollowUp) -> None:
    """Do what a due follow-up asks, or record why it no longer applies."""
    morning = waits_for_morning(followup.kind, ctx.settings, ctx.now)
    if morning is not None:
        followup_repo.postpone(followup, morning, "waiting for the morning")
        return
    outcome = ACTIONS[followup.kind](ctx, followup, followup.request)
    state = FollowUpState.SKIPPED if outcome.startswith("skip") else FollowUpState.DONE
    followup_repo.finish(followup, state, ctx.now, outcome)


def failed(followup: FollowUp, error: str, now: datetime) -> None:
    """An error while firing: try again a little later, then give up (and leave it for coordinators)."""
    followup.attempts += 1
    followup.last_error = error[:2000]
    if followup.attempts >= MAX_ERRORS:
        followup_repo.finish(followup, FollowUpState.FAILED, now, "gave up after errors")
    else:
        followup_repo.postpone(followup, now + timedelta(minutes=5 * followup.attempts), "retry after error")


def _reask(ctx: Context, followup: FollowUp, request: HelpRequest) -> str:
    if request.status != RequestStatus.OPEN:
        return "skip: not open"
    if request.wanted_at is not None and request.wanted_at <= ctx.now:
        # Late (the worker was down): its expiry is due too, and closes it without asking anyone.
        return "skip: the time has passed"
    if followup.round == 1:
        asked = notify_supporters(
            ctx, request, radius_boost_km=ctx.settings.reask_radius_boost_km, priority=PRIORITY_LOW
        )
        if asked:
            followup_repo.schedule(
                ctx.session, request.id, FollowUpKind.REASK, after_daytime_wait(ctx), ctx.now, round=2
            )
            return f"asked {asked} more"
    return _escalate(ctx, request)


def _escalate(ctx: Context, request: HelpRequest) -> str:
    if request.needs_coordinator:
        return "already with coordinators"
    tell_coordinators(ctx, request)
    ctx.push(
        [request.requester.line_user_id],
        [ui.text(texts.ESCALATED_RESIDENT.format(category=label_of(request.category)))],
        priority=PRIORITY_NORMAL,
    )
    return "escalated"


def _unanswered(ctx: Context, followup: FollowUp, request: HelpRequest) -> str:
    """Neither check-in was answered: a coordinator finds out what happened; the supporter hears nothing."""
    supporter = request.accepted_by
    if request.status != RequestStatus.MATCHED or supporter is None or supporter.id != followup.member_id:
        return "skip: no longer matched"
    request.needs_coordinator = True  # flagged for a person, as a request nobody took is
    notice = texts.CHECKIN_UNANSWERED_COORDINATOR.format(
        id=request.id,
        category=label_of(request.category),
        area=request.area or texts.UNKNOWN_AREA,
        when=format_when(ctx, request.wanted_at),
        name=supporter.display_name or texts.SOMEONE_SUPPORTER,
    )
    told = push_to_coordinators(ctx, notice)
    return "coordinators told" if told else "no coordinator to tell"


def _expire(ctx: Context, followup: FollowUp, request: HelpRequest) -> str:
    if request.status != RequestStatus.OPEN:
        return "skip: not open"
    anytime = request.wanted_at is None
    if not lifecycle.expire(ctx.session, request, ctx.now):
        return "skip: changed meanwhile"
    followup_repo.cancel_pending(ctx.session, request.id, ctx.now)
    outbox.drop_unsent_cards(ctx.session, request.id, ctx.now)
    category = label_of(request.category)
    body = (
        texts.EXPIRED_ANYTIME_RESIDENT.format(category=category, days=ctx.settings.anytime_expire_days)
        if anytime
        else texts.EXPIRED_RESIDENT.format(category=category)
    )
    ctx.push([request.requester.line_user_id], [ui.text(body)], priority=PRIORITY_NORMAL)
    return "expired"


# Reminders and check-ins are never fired one by one: the batch sends them through notice().
ACTIONS: dict[FollowUpKind, Callable[[Context, FollowUp, HelpRequest], str]] = {
    FollowUpKind.REASK: _reask,
    FollowUpKind.EXPIRE: _expire,
    FollowUpKind.CHECKIN_UNANSWERED: _unanswered,
}


# --- quick replies without ids, so identical notices can share a multicast ----------------------
# Postbacks rather than words: a tap is never mistaken for a message being relayed.


@cache
def _supporter_actions() -> tuple[ui.Action, ...]:
    return (
        ui.postback(texts.MENU_ACCEPTED, postback.encode("mine"), texts.MENU_ACCEPTED),
        ui.postback(texts.RELAY_BUTTON, postback.encode("relay"), texts.RELAY_BUTTON),
        ui.postback(texts.DROP_BUTTON, postback.encode("drop"), texts.DROP_BUTTON),
    )


@cache
def _checkin_actions() -> tuple[ui.Action, ...]:
    return (
        ui.postback(texts.CHECKIN_DONE, postback.encode("ci", v="done"), texts.CHECKIN_DONE),
        ui.postback(texts.CHECKIN_NOT_YET, postback.encode("ci", v="later"), texts.CHECKIN_NOT_YET),
        ui.postback(texts.CHECKIN_NO_SHOW, postback.encode("ci", v="noshow"), texts.CHECKIN_NO_SHOW),
    )


def supporter_quick_replies() -> list[ui.Action]:
    return list(_supporter_actions())


def checkin_quick_replies() -> list[ui.Action]:
    return list(_checkin_actions())
