"""Volunteer shifts at the community's places: see the help wanted, sign up and cancel in chat.

A coordinator posts a shift with `otagai places shift add`; 「お手伝いの募集」 lists the coming shifts
that still need people; 参加する and 参加をやめる are postbacks whose race rules are conditional updates
in db/lifecycle.py (the last seat goes to exactly one tap).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from db import lifecycle
from db.models import CommunityPlace, Member, PlaceShift, ShiftSignup
from db.outbox import PRIORITY_NORMAL
from handlers import postback, texts, ui
from handlers.common import main_menu
from handlers.context import Context
from handlers.notify import push_to_coordinators
from matching.opening import JST

LOOK_AHEAD = timedelta(days=30)
DAY_BEFORE = timedelta(hours=24)

SHOWN = 10


def when_text(shift: PlaceShift) -> str:
    start, end = shift.starts_at.astimezone(JST), shift.ends_at.astimezone(JST)
    weekday = texts.WEEKDAYS[start.weekday()]
    return texts.SHIFT_TIME.format(
        month=start.month, day=start.day, weekday=weekday, start=f"{start:%H:%M}", end=f"{end:%H:%M}"
    )


def show(ctx: Context) -> None:
    shifts = list(
        ctx.session.scalars(
            select(PlaceShift)
            .where(PlaceShift.starts_at > ctx.now, PlaceShift.starts_at < ctx.now + LOOK_AHEAD)
            .order_by(PlaceShift.starts_at)
            .limit(SHOWN * 3)
        )
    )
    mine = {
        signup.shift_id
        for signup in ctx.session.scalars(
            select(ShiftSignup).where(
                ShiftSignup.member_id == ctx.sender.id, ShiftSignup.cancelled_at.is_(None)
            )
        )
    }
    shown = [s for s in shifts if s.taken < s.needed or s.id in mine][:SHOWN]
    if not shown:
        ctx.reply(ui.text(texts.SHIFTS_NONE, main_menu(ctx)))
        return
    bubbles = [_bubble(ctx, shift, shift.id in mine) for shift in shown]
    names = texts.LIST_SEPARATOR.join(f"{_place(ctx, s).name} {s.role}" for s in shown)
    ctx.reply(
        ui.text(texts.SHIFTS_LEAD),
        ui.flex(texts.SHIFTS_ALT.format(names=names), ui.carousel(bubbles), main_menu(ctx)),
    )


def _place(ctx: Context, shift: PlaceShift) -> CommunityPlace:
    place = ctx.session.get(CommunityPlace, shift.place_id)
    assert place is not None  # the foreign key cascades
    return place


def _bubble(ctx: Context, shift: PlaceShift, joined: bool) -> dict[str, object]:
    place = _place(ctx, shift)
    rows = [
        (texts.SHIFT_ROLE, shift.role),
        (texts.SHIFT_WHEN, when_text(shift)),
        (texts.SHIFT_LEFT, texts.SHIFT_LEFT_VALUE.format(n=max(0, shift.needed - shift.taken))),
    ]
    if joined:
        button = ui.postback(
            texts.SHIFT_CANCEL, postback.encode("shc", s=shift.id), texts.SHIFT_CANCEL, flex=True
        )
    else:
        button = ui.postback(
            texts.SHIFT_JOIN, postback.encode("shj", s=shift.id), texts.SHIFT_JOIN, flex=True
        )
    return ui.card(place.name, rows, [button], note=shift.note or None)


def _shift(ctx: Context, fields: dict[str, str]) -> PlaceShift | None:
    shift_id = postback.int_field(fields, "s")
    shift = None if shift_id is None else ctx.session.get(PlaceShift, shift_id)
    if shift is None or shift.starts_at <= ctx.now:
        ctx.reply(ui.text(texts.SHIFT_OVER, main_menu(ctx)))
        return None
    return shift


def on_join(ctx: Context, fields: dict[str, str]) -> None:
    shift = _shift(ctx, fields)
    if shift is None:
        return
    already = ctx.session.scalar(
        select(ShiftSignup.id).where(
            ShiftSignup.shift_id == shift.id,
            ShiftSignup.member_id == ctx.sender.id,
            ShiftSignup.cancelled_at.is_(None),
        )
    )
    if already is not None:
        ctx.reply(ui.text(texts.SHIFT_ALREADY, main_menu(ctx)))
    elif lifecycle.join_shift(ctx.session, shift.id, ctx.sender.id, ctx.now):
        place = _place(ctx, shift)
        cancel = ui.postback(texts.SHIFT_CANCEL, postback.encode("shc", s=shift.id), texts.SHIFT_CANCEL)
        joined = texts.SHIFT_JOINED.format(place=place.name, role=shift.role, when=when_text(shift))
        ctx.reply(ui.text(joined, [cancel, *main_menu(ctx)]))
    else:
        ctx.reply(ui.text(texts.SHIFT_FULL, main_menu(ctx)))


def on_cancel(ctx: Context, fields: dict[str, str]) -> None:
    shift = _shift(ctx, fields)
    if shift is None:
        return
    if lifecycle.leave_shift(ctx.session, shift.id, ctx.sender.id, ctx.now):
        ctx.reply(
            ui.text(
                texts.SHIFT_LEFT_DONE.format(place=_place(ctx, shift).name, role=shift.role), main_menu(ctx)
            )
        )
    else:
        ctx.reply(ui.text(texts.SHIFT_NOT_JOINED, main_menu(ctx)))


def day_before(ctx: Context) -> int:
    """Shifts starting within a day: remind those coming, and tell coordinators of one still short."""
    due = ctx.session.scalars(
        select(PlaceShift).where(
            PlaceShift.day_before_at.is_(None),
            PlaceShift.starts_at > ctx.now,
            PlaceShift.starts_at <= ctx.now + DAY_BEFORE,
        )
    ).all()
    handled = 0
    for shift in due:
        if not lifecycle.claim_day_before(ctx.session, shift.id, ctx.now):
            continue
        handled += 1
        place = _place(ctx, shift)
        coming = ctx.session.scalars(
            select(Member.line_user_id)
            .join(ShiftSignup, ShiftSignup.member_id == Member.id)
            .where(ShiftSignup.shift_id == shift.id, ShiftSignup.cancelled_at.is_(None), Member.active)
        ).all()
        when = when_text(shift)
        if coming:
            cancel = ui.postback(texts.SHIFT_CANCEL, postback.encode("shc", s=shift.id), texts.SHIFT_CANCEL)
            reminder = texts.SHIFT_REMINDER.format(place=place.name, role=shift.role, when=when)
            ctx.push(list(coming), [ui.text(reminder, [cancel])], priority=PRIORITY_NORMAL)
        if shift.taken < shift.needed:
            notice = texts.SHIFT_SHORT.format(
                place=place.name, role=shift.role, when=when, taken=shift.taken, needed=shift.needed
            )
            push_to_coordinators(ctx, notice)
    return handled
