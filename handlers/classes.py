"""Classes of the 名人・達人: the list in chat, joining, a waiting list, invitations and reminders.

「教室」 lists the coming classes; 参加する takes a seat, and a full class offers キャンセル待ちする.
Seats are conditional updates in db/lifecycle.py: the last seat goes to one tap, and a freed seat goes
straight to the first one waiting, who is told. The worker invites people whose やってみたい fits a new
class (weekly ask cap, quiet hours) and reminds those coming the evening before and an hour before,
with the visits' reminder rules (OTAGAI_REMINDER_EVENING_HOUR; nothing pushed in quiet hours).
"""

from __future__ import annotations

from datetime import timedelta

from db import lifecycle
from db import masters as master_repo
from db import members as member_repo
from db.models import ClassInvite, CommunityPlace, FollowUpKind, Master, MasterClass, Member, Offer
from db.outbox import PRIORITY_NORMAL, PRIORITY_URGENT
from handlers import postback, texts, ui
from handlers.candidates import OFFER_RADIUS_KM
from handlers.common import main_menu, redact
from handlers.context import Context
from handlers.due_followups import waits_for_morning
from handlers.followups import HOUR_BEFORE
from handlers.timing import day_word, evening_before
from matching import bounding_box, haversine_km
from matching.masters import offer_fits
from matching.opening import JST
from matching.words import teaching

LOOK_AHEAD = timedelta(days=60)
SHOWN = 10
_WEEKDAYS = "月火水木金土日"


def when_text(lesson: MasterClass) -> str:
    start, end = lesson.starts_at.astimezone(JST), lesson.ends_at.astimezone(JST)
    return f"{start.month}月{start.day}日（{_WEEKDAYS[start.weekday()]}） {start:%H:%M}〜{end:%H:%M}"


def place_text(ctx: Context, lesson: MasterClass) -> str:
    place = ctx.session.get(CommunityPlace, lesson.place_id) if lesson.place_id else None
    return place.name if place is not None else lesson.place_text or "-"


def _master(ctx: Context, lesson: MasterClass) -> Master:
    master = ctx.session.get(Master, lesson.master_id)
    assert master is not None  # the foreign key cascades
    return master


def show(ctx: Context, master_id: int | None = None) -> None:
    lessons = master_repo.classes_starting_between(
        ctx.session, ctx.now, ctx.now + LOOK_AHEAD, SHOWN, master_id=master_id
    )
    if not lessons:
        ctx.reply(ui.text(texts.CLASSES_NONE, main_menu(ctx)))
        return
    bubbles = [bubble(ctx, lesson) for lesson in lessons]
    alt = texts.CLASSES_ALT.format(titles="、".join(lesson.title for lesson in lessons))
    ctx.reply(ui.text(texts.CLASSES_LEAD), ui.flex(alt, ui.carousel(bubbles), main_menu(ctx)))


def on_list_of_master(ctx: Context, fields: dict[str, str]) -> None:
    show(ctx, postback.int_field(fields, "m") or 0)


def _rows(ctx: Context, lesson: MasterClass) -> list[tuple[str, str]]:
    master = _master(ctx, lesson)
    free = max(0, lesson.capacity - lesson.taken)
    left = (
        texts.CLASS_LEFT_VALUE.format(n=free)
        if free
        else texts.CLASS_FULL_VALUE.format(n=master_repo.waiting_count(ctx.session, lesson.id))
    )
    return [
        (texts.CLASS_WHEN, when_text(lesson)),
        (texts.CLASS_PLACE, place_text(ctx, lesson)),
        (texts.MASTER_AREA, master.area or texts.UNKNOWN_AREA),
        (texts.CLASS_SEATS, texts.CLASS_SEATS_VALUE.format(n=lesson.capacity)),
        (texts.CLASS_LEFT, left),
    ]


def bubble(ctx: Context, lesson: MasterClass) -> dict[str, object]:
    rows = _rows(ctx, lesson)
    master = _master(ctx, lesson)
    if master.member_id == ctx.sender.id:
        names = "、".join(m.display_name or "?" for m in master_repo.in_class(ctx.session, lesson.id))
        rows.append((texts.CLASS_COMING, names or texts.CLASS_NOBODY))
        buttons: list[ui.Action] = [  # handlers/class_changes.py
            ui.postback(
                texts.CLASS_CHANGE, postback.encode("clch", c=lesson.id), texts.CLASS_CHANGE, flex=True
            ),
            ui.postback(texts.CLASS_STOP, postback.encode("clst", c=lesson.id), texts.CLASS_STOP, flex=True),
        ]
    else:
        buttons = [_button(lesson, master_repo.seat_status(ctx.session, lesson.id, ctx.sender.id))]
    note = redact(lesson.note, master.member.display_name) or None
    return ui.card(lesson.title, rows, buttons, note=note)


def _button(lesson: MasterClass, status: str | None) -> ui.Action:
    if status == "seat":
        label, action = texts.CLASS_LEAVE, "clx"
    elif status == "waiting":
        label, action = texts.CLASS_STOP_WAITING, "clx"
    elif lesson.taken >= lesson.capacity:
        label, action = texts.CLASS_WAIT, "clw"
    else:
        label, action = texts.CLASS_JOIN, "clj"
    return ui.postback(label, postback.encode(action, c=lesson.id), label, flex=True)


def _lesson(ctx: Context, fields: dict[str, str]) -> MasterClass | None:
    class_id = postback.int_field(fields, "c")
    lesson = None if class_id is None else ctx.session.get(MasterClass, class_id)
    if lesson is None or lesson.cancelled_at is not None or lesson.starts_at <= ctx.now:
        ctx.reply(ui.text(texts.CLASS_OVER, main_menu(ctx)))
        return None
    return lesson


def leave_button(lesson: MasterClass, *, waiting: bool = False) -> ui.Action:
    label = texts.CLASS_STOP_WAITING if waiting else texts.CLASS_LEAVE
    return ui.postback(label, postback.encode("clx", c=lesson.id), label)


def on_join(ctx: Context, fields: dict[str, str]) -> None:
    lesson = _lesson(ctx, fields)
    if lesson is None:
        return
    if _master(ctx, lesson).member_id == ctx.sender.id:
        ctx.reply(ui.text(texts.MASTER_ASK_OWN, main_menu(ctx)))
        return
    outcome = lifecycle.take_class_seat(ctx.session, lesson.id, ctx.sender.id, ctx.now)
    if outcome == "seat":
        joined = texts.CLASS_JOINED.format(
            title=lesson.title, when=when_text(lesson), place=place_text(ctx, lesson)
        )
        ctx.reply(ui.text(joined, [leave_button(lesson), *main_menu(ctx)]))
    elif outcome == "already":
        ctx.reply(ui.text(texts.CLASS_ALREADY, main_menu(ctx)))
    else:
        wait = ui.postback(texts.CLASS_WAIT, postback.encode("clw", c=lesson.id), texts.CLASS_WAIT)
        ctx.reply(ui.text(texts.CLASS_FULL.format(title=lesson.title), [wait, *main_menu(ctx)]))


def on_wait(ctx: Context, fields: dict[str, str]) -> None:
    lesson = _lesson(ctx, fields)
    if lesson is None:
        return
    if lesson.taken < lesson.capacity:  # a seat came free meanwhile: take it instead
        on_join(ctx, fields)
        return
    if not lifecycle.wait_for_class(ctx.session, lesson.id, ctx.sender.id, ctx.now):
        ctx.reply(ui.text(texts.CLASS_ALREADY, main_menu(ctx)))
        return
    place_in_line = master_repo.waiting_count(ctx.session, lesson.id)
    ctx.reply(ui.text(texts.CLASS_WAITING.format(n=place_in_line), main_menu(ctx)))


def on_leave(ctx: Context, fields: dict[str, str]) -> None:
    lesson = _lesson(ctx, fields)
    if lesson is None:
        return
    was, promoted = lifecycle.leave_class(ctx.session, lesson.id, ctx.sender.id)
    if was == "none":
        ctx.reply(ui.text(texts.CLASS_NOT_JOINED, main_menu(ctx)))
        return
    done = texts.CLASS_LEFT_DONE if was == "seat" else texts.CLASS_WAIT_LEFT
    ctx.reply(ui.text(done.format(title=lesson.title), main_menu(ctx)))
    if promoted is not None:
        tell_seat_given(ctx, lesson, promoted)


def give_up_all(ctx: Context, member: Member) -> int:
    """A member who leaves (退会, erased): their seats in coming classes go to the first one waiting, who
    is told at once, and their places in line are given up; returns how many seats were given on."""
    given = 0
    for class_id in master_repo.coming_classes_of(ctx.session, member.id, ctx.now):
        _was, promoted = lifecycle.leave_class(ctx.session, class_id, member.id)
        lesson = ctx.session.get(MasterClass, class_id)
        if promoted is not None and lesson is not None:
            ctx.session.refresh(lesson)
            tell_seat_given(ctx, lesson, promoted)
            given += 1
    return given


def tell_seat_given(ctx: Context, lesson: MasterClass, member_id: int) -> None:
    """The first one waiting got a seat (freed, or a class made bigger): they hear of it at once."""
    person = ctx.session.get(Member, member_id)
    body = texts.CLASS_SEAT_FREED.format(
        title=lesson.title, when=when_text(lesson), place=place_text(ctx, lesson)
    )
    ctx.push(
        [person.line_user_id if person else None],
        [ui.text(body, [leave_button(lesson)])],
        priority=PRIORITY_URGENT,  # a seat given: they should know at once, to say no in time
    )


def on_pass(ctx: Context, _fields: dict[str, str]) -> None:
    ctx.reply(ui.text(texts.CLASS_PASSED, main_menu(ctx)))


# --- the worker: invitations and reminders ---------------------------------------------------------


def invite_new(ctx: Context) -> int:
    """People whose やってみたい fits a new class (to learn it) are invited once, within the weekly cap."""
    invited = 0
    for lesson in master_repo.classes_to_invite(ctx.session, ctx.now):
        if lifecycle.claim_class_step(ctx.session, lesson.id, "invited_at", ctx.now):
            invited += _invite(ctx, lesson)
    return invited


def _invite(ctx: Context, lesson: MasterClass) -> int:
    master = _master(ctx, lesson)
    place = ctx.session.get(CommunityPlace, lesson.place_id) if lesson.place_id else None
    lat, lon = (place.lat, place.lon) if place else (master.lat, master.lon)
    if lat is None or lon is None or lesson.taken >= lesson.capacity:
        return 0
    taken = master_repo.class_member_ids(ctx.session, lesson.id)
    offers = member_repo.offerers_in_box(
        ctx.session, bounding_box(lat, lon, OFFER_RADIUS_KM), ["teaching"], exclude=taken | {master.member_id}
    )
    fits = [(m, o) for m, o in offers if _fits(master.skill, o) and _within(m, lat, lon)]
    weekly = member_repo.asks_since(ctx.session, (m.id for m, _ in fits), member_repo.week_ago(ctx.now))
    chosen = [m for m, _ in fits if weekly.get(m.id, 0) < ctx.settings.weekly_ask_cap][
        : ctx.settings.notify_count
    ]
    for member in chosen:
        ctx.session.add(ClassInvite(class_id=lesson.id, member_id=member.id, asked_at=ctx.now))
        member.last_asked_at = ctx.now
    if chosen:
        card = ui.card(
            texts.CLASS_INVITE_TITLE,
            [(texts.MASTER_SKILL, lesson.title), *_rows(ctx, lesson)],
            [
                ui.postback(
                    texts.CLASS_JOIN, postback.encode("clj", c=lesson.id), texts.CLASS_JOIN, flex=True
                ),
                ui.postback(
                    texts.CLASS_PASS, postback.encode("clp", c=lesson.id), texts.CLASS_PASS, flex=True
                ),
            ],
            note=texts.CLASS_INVITE_NOTE,
        )
        alt = texts.CLASS_INVITE_ALT.format(title=lesson.title, when=when_text(lesson))
        ctx.push([m.line_user_id for m in chosen], [ui.flex(alt, card)], priority=PRIORITY_NORMAL)
    ctx.session.flush()
    return len(chosen)


def _fits(skill: str, offer: Offer) -> bool:
    # A やってみたい to teach the same thing is another master, not a learner.
    return teaching(offer.text, also=True) is None and offer_fits(skill, offer.text)


def _within(member: Member, lat: float, lon: float) -> bool:
    assert member.home_lat is not None and member.home_lon is not None
    return haversine_km(lat, lon, member.home_lat, member.home_lon) <= OFFER_RADIUS_KM


def remind_due(ctx: Context) -> int:
    """The evening before and an hour before: those with a seat, and the master, are reminded once."""
    sent = 0
    for lesson in master_repo.classes_starting_by(ctx.session, ctx.now, ctx.now + timedelta(days=2)):
        hour_at = lesson.starts_at - HOUR_BEFORE
        eve_at = evening_before(lesson.starts_at, ctx.settings.timezone, ctx.settings.reminder_evening_hour)
        if ctx.now >= hour_at and lesson.remind_hour_at is None:
            kind, step = FollowUpKind.REMIND_HOUR, "remind_hour_at"
        elif eve_at <= ctx.now < hour_at and lesson.remind_eve_at is None:
            kind, step = FollowUpKind.REMIND_EVE, "remind_eve_at"
        else:
            continue
        if waits_for_morning(kind, ctx.settings, ctx.now) is not None:
            continue  # as for visits: nothing pushed at night, it goes in the morning
        if not lifecycle.claim_class_step(ctx.session, lesson.id, step, ctx.now):
            continue
        if kind == FollowUpKind.REMIND_HOUR and lesson.remind_eve_at is None:
            lifecycle.claim_class_step(ctx.session, lesson.id, "remind_eve_at", ctx.now)  # it says it all
        sent += _remind(ctx, lesson, kind)
    return sent


def _remind(ctx: Context, lesson: MasterClass, kind: FollowUpKind) -> int:
    people = master_repo.in_class(ctx.session, lesson.id)
    where = place_text(ctx, lesson)
    local = lesson.starts_at.astimezone(ctx.settings.timezone)
    if kind == FollowUpKind.REMIND_EVE:
        day = day_word(ctx.now, lesson.starts_at, ctx.settings.timezone)
        body = texts.CLASS_REMIND_EVE.format(day=day, title=lesson.title, when=when_text(lesson), place=where)
        priority = PRIORITY_NORMAL
        master = _master(ctx, lesson)
        names = "、".join(p.display_name or "?" for p in people) or texts.CLASS_NOBODY
        to_master = texts.CLASS_REMIND_MASTER.format(
            day=day, title=lesson.title, when=when_text(lesson), n=len(people), names=names
        )
        ctx.push([master.member.line_user_id], [ui.text(to_master)], priority=priority)
    else:
        body = texts.CLASS_REMIND_HOUR.format(title=lesson.title, time=f"{local:%H:%M}", place=where)
        priority = PRIORITY_URGENT
    ctx.push(
        [p.line_user_id for p in people if p.active],
        [ui.text(body, [leave_button(lesson)])],
        priority=priority,
    )
    return len(people)
