"""Volunteer insurance (OTAGAI_INSURANCE=on): the renewal reminder in March, and the advance list of
accepted visits the insurer is told of (who, when, where, what)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from db import lifecycle
from db import requests as request_repo
from db import supporters as supporter_repo
from db.models import HelpRequest
from db.outbox import PRIORITY_LOW
from handlers import texts, ui
from handlers.context import Context
from matching import category_label

# Insurance years end on 31 March; from 1 March, in the daytime, each supporter covered this year is
# reminded once to renew.
RENEWAL_MONTH = 3
REMIND_FROM_HOUR = 10


def remind_renewals(ctx: Context) -> int:
    """Push the renewal reminder to every covered supporter not yet reminded this year; returns how many."""
    local = ctx.local(ctx.now)
    if not ctx.settings.insurance or local.month != RENEWAL_MONTH or local.hour < REMIND_FROM_HOUR:
        return 0
    year = supporter_repo.insurance_year(local.date())
    due = supporter_repo.renewal_due(ctx.session, year)
    sent = 0
    for record in due:
        # Two workers may see the same row: only the one whose update lands sends the reminder.
        if lifecycle.claim_renewal_reminder(ctx.session, record.member_id, year):
            member = record.member
            name = member.display_name or texts.SOMEONE_SUPPORTER
            ctx.push(
                [member.line_user_id],
                [ui.text(texts.INSURANCE_RENEWAL.format(name=name))],
                priority=PRIORITY_LOW,
            )
            sent += 1
    return sent


@dataclass(frozen=True)
class Visit:
    """One accepted visit as the insurer's advance list has it."""

    request_id: int
    supporter: str
    when: str  # local date and time, or 「いつでも」 with the day it was accepted
    place: str
    activity: str
    status: str


def visits(session: Session, start: datetime, end: datetime, zone: object) -> Sequence[Visit]:
    """Accepted visits (matched or done) whose time falls in [start, end); いつでも ones by their accept."""
    rows = request_repo.accepted_visits(session, start, end)
    return [_visit(request, zone) for request in rows if _before(request, end)]


def _before(request: HelpRequest, end: datetime) -> bool:
    moment = request.wanted_at or request.matched_at
    return moment is not None and moment < end


def _visit(request: HelpRequest, zone: object) -> Visit:
    assert request.accepted_by is not None
    if request.wanted_at is not None:
        when = request.wanted_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")  # type: ignore[arg-type]
    else:
        assert request.matched_at is not None
        accepted_on = request.matched_at.astimezone(zone).strftime("%Y-%m-%d")  # type: ignore[arg-type]
        when = texts.VISIT_ANYTIME.format(date=accepted_on)
    category = category_label(request.category) if request.category else texts.UNKNOWN_CATEGORY
    return Visit(
        request_id=request.id,
        supporter=request.accepted_by.display_name,
        when=when,
        place=request.address or request.area or texts.UNKNOWN_AREA,
        activity=f"{category}：{ui.clip(request.text, 60)}",
        status=request.status.value,
    )


VISIT_HEADER = ("依頼番号", "活動者", "日時", "場所", "活動内容", "状態")


def visit_rows(listed: Sequence[Visit]) -> list[tuple[object, ...]]:
    """The advance list as the insurer's CSV has it (`otagai insurance visits` and the desk alike)."""
    return [(v.request_id, v.supporter, v.when, v.place, v.activity, v.status) for v in listed]
