"""Follow-ups scheduled when a request opens, is accepted or is reopened (what they do when they fall due:
handlers/due_followups.py).

After open:   reask(1) after the daytime wait → ask wider → reask(2) → flag for coordinators;
              expire at the wanted time (いつでも: after some days).
After accept: remind_eve (evening before), remind_hour (an hour before), checkin (after the time;
              いつでも: some days after the accept); in case nobody answers, checkin round 2 (asked
              again, gently) → checkin_unanswered (coordinators told). An answer, or any change to
              the request, cancels what is still waiting.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from db import followups as followup_repo
from db import lifecycle
from db.models import FollowUpKind, HelpRequest, Member, ProposalStatus
from handlers.context import Context
from handlers.notify import notify_supporters, tell_coordinators
from handlers.relay import end_relays
from handlers.timing import QuietHours, days_later_at, evening_before

HOUR_BEFORE = timedelta(hours=1)
# A check-in nobody answers: asked once more after two days, and coordinators told three days after
# that, in the morning (residents are up, coordinators at work). Nothing is completed or credited
# without the resident's word: a person finds out what happened.
CHECKIN_AGAIN_AFTER_DAYS = 2
UNANSWERED_AFTER_DAYS = 3
MORNING_HOUR = 10
CHECKIN_CHAIN = (FollowUpKind.CHECKIN, FollowUpKind.CHECKIN_UNANSWERED)


# --- scheduling -----------------------------------------------------------------------------------


def schedule_after_open(ctx: Context, request: HelpRequest) -> None:
    """Opened (or reopened): re-ask after the daytime wait, expire when its time has passed."""
    followup_repo.cancel_pending(ctx.session, request.id, ctx.now)
    expire_at = request.wanted_at or ctx.now + timedelta(days=ctx.settings.anytime_expire_days)
    reask_at = after_daytime_wait(ctx)
    if reask_at < expire_at:
        followup_repo.schedule(ctx.session, request.id, FollowUpKind.REASK, reask_at, ctx.now, round=1)
    followup_repo.schedule(ctx.session, request.id, FollowUpKind.EXPIRE, max(expire_at, ctx.now), ctx.now)


def schedule_after_accept(ctx: Context, request: HelpRequest) -> None:
    """Accepted: reminders for the supporter, then the resident's check-in."""
    followup_repo.cancel_pending(ctx.session, request.id, ctx.now)
    supporter_id = request.accepted_by_id
    assert supporter_id is not None
    settings = ctx.settings

    def add(kind: FollowUpKind, due: datetime) -> None:
        followup_repo.schedule(ctx.session, request.id, kind, due, ctx.now, member_id=supporter_id)

    if request.wanted_at is None:
        _schedule_checkins(ctx, request, ctx.now + timedelta(days=settings.anytime_checkin_days))
        return
    eve = evening_before(request.wanted_at, settings.timezone, settings.reminder_evening_hour)
    hour_before = request.wanted_at - HOUR_BEFORE
    if ctx.now < eve < hour_before:
        add(FollowUpKind.REMIND_EVE, eve)
    if ctx.now < hour_before:
        add(FollowUpKind.REMIND_HOUR, hour_before)
    checkin = request.wanted_at + timedelta(hours=settings.checkin_after_hours)
    _schedule_checkins(ctx, request, max(checkin, ctx.now))


def schedule_checkin_again(ctx: Context, request: HelpRequest) -> None:
    """まだ: ask again later (a day for a set time; the いつでも interval otherwise)."""
    followup_repo.cancel_pending(ctx.session, request.id, ctx.now, kinds=CHECKIN_CHAIN)
    if request.wanted_at is None:
        due = ctx.now + timedelta(days=ctx.settings.anytime_checkin_days)
    else:
        # Never before the usual check-in (まだ typed ahead of the appointment changes nothing).
        usual = request.wanted_at + timedelta(hours=ctx.settings.checkin_after_hours)
        due = max(ctx.now + timedelta(days=1), usual)
    _schedule_checkins(ctx, request, due)


def _schedule_checkins(ctx: Context, request: HelpRequest, due: datetime) -> None:
    """The check-in, then, in case nobody answers, a second one and a notice for coordinators.

    All three are scheduled now, so a request whose resident cannot be reached on LINE (the
    check-ins are skipped) still reaches a coordinator; an answer cancels whatever is still waiting.
    """
    sent = QuietHours.of(ctx.settings).ends_after(due)  # one due at night goes out in the morning
    zone = ctx.settings.timezone
    again = days_later_at(sent, CHECKIN_AGAIN_AFTER_DAYS, zone, MORNING_HOUR)
    unanswered = days_later_at(again, UNANSWERED_AFTER_DAYS, zone, MORNING_HOUR)
    for kind, when, number in (
        (FollowUpKind.CHECKIN, due, 1),
        (FollowUpKind.CHECKIN, again, 2),
        (FollowUpKind.CHECKIN_UNANSWERED, unanswered, 1),
    ):
        followup_repo.schedule(
            ctx.session, request.id, kind, when, ctx.now, member_id=request.accepted_by_id, round=number
        )


def after_daytime_wait(ctx: Context) -> datetime:
    """When the next round of asking is due: the re-ask wait, counted in daytime only."""
    quiet = QuietHours.of(ctx.settings)
    return quiet.add_daytime(ctx.now, timedelta(minutes=ctx.settings.reask_after_minutes))


# --- reopening after a no-show or a supporter's cancellation ------------------------------------


def reopen(
    ctx: Context,
    request: HelpRequest,
    supporter: Member,
    why: ProposalStatus,
    *,
    tell_coordinators_if_nobody: bool = True,
) -> tuple[int, bool] | None:
    """The match is undone and the request offered again; None when it was no longer this match.

    Returns (supporters asked, whether the time was cleared to いつでも because it had passed).
    A caller with its own notice for coordinators (a no-show) sends one notice instead of two.
    """
    if not lifecycle.release(ctx.session, request, supporter.id, why, ctx.now):
        return None
    end_relays(ctx.session, request.id)
    time_cleared = False
    if request.wanted_at is not None and request.wanted_at <= ctx.now + HOUR_BEFORE:
        # Nobody can come at a time that has passed: the next supporter agrees a time in relay chat.
        request.wanted_at, request.anytime, time_cleared = None, True, True
    request.opened_at = ctx.now
    asked = notify_supporters(ctx, request)
    if asked == 0:
        request.needs_coordinator = True
        if tell_coordinators_if_nobody:
            tell_coordinators(ctx, request)
    schedule_after_open(ctx, request)
    return asked, time_cleared
