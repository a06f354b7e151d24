"""Vetting after the meeting: a coordinator's interview (面談) or briefing (説明会) is recorded, and the
applicant approved or declined and told kindly in LINE. One step for `otagai supporters approve/decline`
and the desk's 面談・承認 page."""

from __future__ import annotations

from datetime import date

from db import supporters as supporter_repo
from db.models import Member, SupporterStatus
from db.outbox import PRIORITY_NORMAL
from handlers import texts, ui
from handlers.context import Context

MET_HOW = {"interview": "面談", "briefing": "説明会"}


class NotApplied(ValueError):
    """They never registered as a supporter in chat (nor came from a roster)."""


def record_meeting(ctx: Context, person: Member, met_on: date, met_how: str, note: str) -> None:
    """The meeting alone, before a decision (a second interview, or a decision left for later)."""
    supporter_repo.record_meeting(ctx.session, person, ctx.now, met_on=met_on, met_how=met_how, note=note)


def decide(
    ctx: Context, person: Member, *, approve: bool, by: str, met_on: date, met_how: str, note: str
) -> bool:
    """Approve (matched from now on) or decline (never asked); True when their state changed, and then
    they are told in LINE. Deciding the same again changes nothing and tells nobody."""
    record = supporter_repo.record_of(ctx.session, person)
    if record is None and not person.is_supporter:
        raise NotApplied(person.display_name)
    was = record.status if record is not None else None
    step = supporter_repo.approve if approve else supporter_repo.decline
    step(ctx.session, person, ctx.now, by=by, met_on=met_on, met_how=met_how, note=note)
    state = SupporterStatus.APPROVED if approve else SupporterStatus.DECLINED
    if was == state:
        return False
    if person.line_user_id and person.active:
        template = texts.SUP_APPROVED if approve else texts.SUP_DECLINED
        name = person.display_name or texts.SOMEONE_SUPPORTER
        ctx.push([person.line_user_id], [ui.text(template.format(name=name))], priority=PRIORITY_NORMAL)
    return True


def audit_note(met_on: date, met_how: str, note: str) -> str:
    return f"{met_how} {met_on} {note}".strip()
