"""Volunteer shifts at the community's places: see the help wanted, sign up and cancel in chat.

A coordinator posts a shift with `otagai places shift`; the worker then invites the supporters and
やってみたい offers that fit (the same ranking, weekly ask cap and quiet hours as request cards) with a
card of 参加する / 見送る. 「お手伝いの募集」 lists the coming shifts that still need people (a coordinator
also sees who is coming); 参加する and 参加をやめる are postbacks whose race rules are conditional updates
in db/lifecycle.py (the last seat goes to exactly one tap).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from db import lifecycle
from db import shifts as shift_repo
from db.models import CommunityPlace, Member, PlaceShift, ShiftInvite
from db.outbox import PRIORITY_NORMAL
from handlers import postback, texts, ui
from handlers.candidates import find_invitees
from handlers.common import main_menu
from handlers.context import Context
from handlers.notify import push_to_coordinators
from matching import RequestQuery
from matching.community import kind_label
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
    shifts = shift_repo.starting_between(ctx.session, ctx.now, ctx.now + LOOK_AHEAD, SHOWN * 3)
    mine = shift_repo.joined_by(ctx.session, ctx.sender.id)
    shown = [s for s in shifts if s.taken < s.needed or s.id in mine][:SHOWN]
    if not shown:
        ctx.reply(ui.text(texts.SHIFTS_NONE, main_menu(ctx)))
        return
    coordinator = ctx.sender.is_coordinator
    bubbles = [_bubble(ctx, shift, shift.id in mine, show_coming=coordinator) for shift in shown]
    names = texts.LIST_SEPARATOR.join(f"{_place(ctx, s).name} {s.role}" for s in shown)
    ctx.reply(
        ui.text(texts.SHIFTS_LEAD),
        ui.flex(texts.SHIFTS_ALT.format(names=names), ui.carousel(bubbles), main_menu(ctx)),
    )


def _place(ctx: Context, shift: PlaceShift) -> CommunityPlace:
    place = ctx.session.get(CommunityPlace, shift.place_id)
    assert place is not None  # the foreign key cascades
    return place


def _bubble(ctx: Context, shift: PlaceShift, joined: bool, *, show_coming: bool = False) -> dict[str, object]:
    place = _place(ctx, shift)
    rows = [
        (texts.SHIFT_ROLE, shift.role),
        (texts.SHIFT_WHEN, when_text(shift)),
        (texts.SHIFT_LEFT, texts.SHIFT_LEFT_VALUE.format(n=max(0, shift.needed - shift.taken))),
    ]
    if show_coming:
        # who is coming, in the order they signed up (for the place's coordinators only)
        names = [name or "?" for name in shift_repo.coming_names(ctx.session, shift.id)]
        rows.append((texts.SHIFT_COMING, "、".join(names) or texts.SHIFT_NOBODY_YET))
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
    if shift_repo.is_joined(ctx.session, shift.id, ctx.sender.id):
        ctx.reply(ui.text(texts.SHIFT_ALREADY, main_menu(ctx)))
    elif lifecycle.join_shift(ctx.session, shift.id, ctx.sender.id, ctx.now):
        _answer_invite(ctx, shift, "joined")
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


def give_up_all(ctx: Context, member: Member) -> int:
    """A member who leaves (退会, erased): their seats on coming shifts are free again for others.

    Shifts have no waiting list; one already past its day-before notice that is now short reaches the
    coordinators at once (the worker's notice has gone), a later one is counted by that notice.
    """
    freed = 0
    for shift in shift_repo.coming_joined_by(ctx.session, member.id, ctx.now):
        if not lifecycle.leave_shift(ctx.session, shift.id, member.id, ctx.now):
            continue
        freed += 1
        ctx.session.refresh(shift)
        if shift.day_before_at is not None and shift.taken < shift.needed:
            notice = texts.SHIFT_SHORT.format(
                place=_place(ctx, shift).name,
                role=shift.role,
                when=when_text(shift),
                taken=shift.taken,
                needed=shift.needed,
            )
            push_to_coordinators(ctx, notice)
    return freed


def day_before(ctx: Context) -> int:
    """Shifts starting within a day: remind those coming, and tell coordinators of one still short."""
    due = shift_repo.due_day_before(ctx.session, ctx.now, ctx.now + DAY_BEFORE)
    handled = 0
    for shift in due:
        if not lifecycle.claim_day_before(ctx.session, shift.id, ctx.now):
            continue
        handled += 1
        place = _place(ctx, shift)
        coming = shift_repo.coming_line_ids(ctx.session, shift.id)
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


def _answer_invite(ctx: Context, shift: PlaceShift, answer: str) -> bool:
    """Record an invited person's answer; False when they were not invited to this shift."""
    invite = shift_repo.invite_of(ctx.session, shift.id, ctx.sender.id)
    if invite is None:
        return False
    invite.answer, invite.answered_at = answer, ctx.now
    return True


def on_pass(ctx: Context, fields: dict[str, str]) -> None:
    """見送る on an invitation: kept, so the report knows; nothing else changes."""
    shift = _shift(ctx, fields)
    if shift is None:
        return
    _answer_invite(ctx, shift, "passed")
    ctx.reply(ui.text(texts.SHIFT_PASSED, main_menu(ctx)))


def invite_new(ctx: Context) -> int:
    """Invite fitting people to each shift posted since the last pass; returns how many were invited."""
    fresh = shift_repo.to_invite(ctx.session, ctx.now)
    invited = 0
    for shift in fresh:
        if lifecycle.claim_invitations(ctx.session, shift.id, ctx.now):
            invited += invite(ctx, shift)
    return invited


def invite(ctx: Context, shift: PlaceShift) -> int:
    """The best few people for this shift who are not coming yet get an invitation card."""
    place = _place(ctx, shift)
    coming = shift_repo.signed_up_ids(ctx.session, shift.id)
    asked = shift_repo.invited_ids(ctx.session, shift.id)
    query = RequestQuery(
        text=f"{kind_label(place.kind)}の{shift.role}のお手伝い {shift.note}".strip(),
        lat=place.lat,
        lon=place.lon,
        category="cafeteria",
        exclude_member_ids=frozenset(coming | asked),
    )
    seats = max(0, shift.needed - shift.taken)
    if seats == 0:
        return 0
    result, people = find_invitees(
        ctx.session,
        query,
        limit=ctx.settings.notify_count + seats,
        now=ctx.now,
        weekly_cap=ctx.settings.weekly_ask_cap,
    )
    bands: dict[str, list[str]] = defaultdict(list)
    for found in result.candidates:
        member = people[found.supporter.member_id]
        ctx.session.add(ShiftInvite(shift_id=shift.id, member_id=member.id, asked_at=ctx.now))
        member.last_asked_at = ctx.now  # fairness: the next ask goes to someone else first
        if member.line_user_id:
            bands[texts.distance_band(found.distance_km)].append(member.line_user_id)
    for band, user_ids in bands.items():
        ctx.push(user_ids, [invitation(shift, place, band)], priority=PRIORITY_NORMAL)
    ctx.session.flush()
    return len(result.candidates)


def invitation(shift: PlaceShift, place: CommunityPlace, distance: str) -> ui.Message:
    """The invitation card: what, where, when, how far, seats left; 参加する / 見送る."""
    when = when_text(shift)
    rows = [
        (texts.SHIFT_PLACE, f"{place.name}（{kind_label(place.kind)}）"),
        (texts.SHIFT_ROLE, shift.role),
        (texts.SHIFT_WHEN, when),
        (texts.SHIFT_DISTANCE, distance),
        (texts.SHIFT_LEFT, texts.SHIFT_LEFT_VALUE.format(n=max(0, shift.needed - shift.taken))),
    ]
    note = f"{shift.note}\n{texts.SHIFT_INVITE_NOTE}" if shift.note else texts.SHIFT_INVITE_NOTE
    buttons = [
        ui.postback(texts.SHIFT_JOIN, postback.encode("shj", s=shift.id), texts.SHIFT_JOIN, flex=True),
        ui.postback(texts.SHIFT_PASS, postback.encode("shp", s=shift.id), texts.SHIFT_PASS, flex=True),
    ]
    bubble = ui.card(texts.SHIFT_INVITE_TITLE, rows, buttons, note=note)
    alt = texts.SHIFT_INVITE_ALT.format(place=place.name, role=shift.role, when=when)
    return ui.flex(alt, bubble)
