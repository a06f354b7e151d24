"""A master opens a class in chat: which skill → when → where → how many → confirm.

stateDiagram-v2
    [*] --> SKILL: 教室をひらく, several skills registered
    [*] --> WHEN: 教室をひらく, one skill
    SKILL --> WHEN: skill tapped
    WHEN --> PLACE: date picked / typed date and time
    WHEN --> WHEN: a time that has passed, or not understood
    PLACE --> CAPACITY: a nearby place tapped / a place typed
    CAPACITY --> CONFIRM: a number tapped or typed (1–50)
    CONFIRM --> [*]: ひらく (the class is listed; the worker invites fitting やってみたい)
    SKILL --> [*]: やめる
    WHEN --> [*]: やめる
    PLACE --> [*]: やめる
    CAPACITY --> [*]: やめる
    CONFIRM --> [*]: やめる
"""

from __future__ import annotations

import enum
import unicodedata
from datetime import datetime, timedelta
from typing import Any

from db import conversations
from db import masters as master_repo
from db.models import CommunityPlace, Conversation, Master, MasterClass
from db.places import nearest
from handlers import postback, texts, ui
from handlers.classes import when_text
from handlers.common import cancel_button, main_menu
from handlers.context import Context
from handlers.flow import Flow
from matching.when import moment, read_when

FLOW = "class"
LENGTH = timedelta(hours=2)
CAPACITIES = ("3", "5", "10", "20")
NEARBY_PLACES = 3
MAX_CAPACITY = 50


class Step(enum.StrEnum):
    SKILL = "skill"
    WHEN = "when"
    PLACE = "place"
    CAPACITY = "capacity"
    CONFIRM = "confirm"


def start(ctx: Context) -> None:
    mine = master_repo.masters_of(ctx.session, ctx.sender.id)
    if not mine:
        ctx.reply(ui.text(texts.CLASS_NOT_MASTER, [ui.say(texts.MASTER_REGISTER), *main_menu(ctx)]))
        return
    if len(mine) == 1:
        _to_when(ctx, mine[0])
        return
    _go(ctx, Step.SKILL, {})
    buttons = [
        ui.postback(ui.clip(m.skill, 20), postback.encode("clf", s="skill", m=m.id), m.skill)
        for m in mine[:12]
    ]
    ctx.reply(ui.text(texts.CLASS_ASK_SKILL, [*buttons, cancel_button()]))


def _go(ctx: Context, step: Step, data: dict[str, Any]) -> None:
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, step, data, now=ctx.now)


def _to_when(ctx: Context, master: Master) -> None:
    _go(ctx, Step.WHEN, {"master": master.id})
    ctx.reply(_ask_when(ctx, master))


def _ask_when(ctx: Context, master: Master) -> ui.Message:
    return ask_when(ctx, texts.CLASS_ASK_WHEN.format(skill=master.skill), "clf")


def ask_when(ctx: Context, question: str, code: str) -> ui.Message:
    """The date picker (its postback `a=code&s=when`); class_changes.py asks a new day the same way."""
    local_now = ctx.local(ctx.now)
    earliest = local_now.strftime("%Y-%m-%dT%H:%M")
    suggested = max(f"{(local_now + timedelta(days=7)).date().isoformat()}T10:00", earliest)
    picker = ui.datetime_action(
        texts.PICK_DATETIME, postback.encode(code, s="when"), minimum=earliest, initial=suggested
    )
    return ui.text(question, [picker, cancel_button()])


def picked_moment(ctx: Context, params: dict[str, str]) -> datetime | None:
    """The date picker's local value as an aware moment; None when LINE sent none."""
    try:
        local = datetime.fromisoformat(params.get("datetime", ""))
    except ValueError:
        return None
    return local.replace(tzinfo=ctx.settings.timezone) if local.tzinfo is None else local


def typed_moment(ctx: Context, words: str) -> datetime | None:
    """「12月5日の10時」「来週の土曜 午前10時」: a typed day and time, or None."""
    reading = read_when(words, ctx.local(ctx.now))
    return None if reading is None else moment(reading, ctx.settings.timezone)


def typed_capacity(words: str) -> int | None:
    """「5」「５人」「10名」 → the number of seats, or None outside 1–50."""
    digits = unicodedata.normalize("NFKC", words.strip()).rstrip("人名 ")
    if digits.isascii() and digits.isdigit() and 1 <= int(digits) <= MAX_CAPACITY:
        return int(digits)
    return None


def _master(ctx: Context, state: Conversation) -> Master | None:
    master_id = state.data.get("master")
    master = ctx.session.get(Master, master_id) if isinstance(master_id, int) else None
    return master if master is not None and master.member_id == ctx.sender.id else None


def on_postback(ctx: Context, state: Conversation, fields: dict[str, str], params: dict[str, str]) -> None:
    step = fields.get("s", "")
    if step == "skill" and state.step == Step.SKILL:
        master_id = postback.int_field(fields, "m")
        master = next(
            (m for m in master_repo.masters_of(ctx.session, ctx.sender.id) if m.id == master_id), None
        )
        if master is None:
            reprompt(ctx, state)
        else:
            _to_when(ctx, master)
    elif step == "when" and state.step == Step.WHEN:
        picked = picked_moment(ctx, params)
        if picked is None:
            reprompt(ctx, state)
        else:
            _set_when(ctx, state, picked)
    elif step == "place" and state.step == Step.PLACE:
        place_id = postback.int_field(fields, "p")
        place = None if place_id is None else ctx.session.get(CommunityPlace, place_id)
        if place is None:
            reprompt(ctx, state)
        else:
            _set_place(ctx, state, place.id, place.name)
    elif step == "open" and state.step == Step.CONFIRM:
        _open(ctx, state)
    else:
        reprompt(ctx, state)


def on_text(ctx: Context, state: Conversation, text: str) -> None:
    words = text.strip()
    step = Step(state.step)
    if step == Step.WHEN:
        at = typed_moment(ctx, words)
        if at is None:
            reprompt(ctx, state)
        else:
            _set_when(ctx, state, at)
    elif step == Step.PLACE and 0 < len(words) <= 60:
        _set_place(ctx, state, None, words)
    elif step == Step.CAPACITY:
        capacity = typed_capacity(words)
        if capacity is not None:
            data = dict(state.data) | {"capacity": capacity}
            _go(ctx, Step.CONFIRM, data)
            ctx.reply(_confirmation(ctx, data))
        else:
            ctx.reply(ui.text(texts.CLASS_CAPACITY_BAD), ask_capacity())
    else:
        reprompt(ctx, state)


def _set_when(ctx: Context, state: Conversation, at: datetime) -> None:
    master = _master(ctx, state)
    if master is None:
        cancel(ctx, state)
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
        return
    if at <= ctx.now:
        ctx.reply(ui.text(texts.CLASS_WHEN_PAST), _ask_when(ctx, master))
        return
    data = dict(state.data) | {"at": at.isoformat()}
    _go(ctx, Step.PLACE, data)
    ctx.reply(_ask_place(ctx, master))


def _ask_place(ctx: Context, master: Master) -> ui.Message:
    return ask_place(ctx, master, texts.CLASS_ASK_PLACE, "clf")


def ask_place(ctx: Context, master: Master, question: str, code: str) -> ui.Message:
    """Places near the master as buttons (`a=code&s=place&p=ID`), their own place, or typed words."""
    near = (
        nearest(ctx.session, master.lat, master.lon, ctx.now, limit=NEARBY_PLACES, max_km=10)
        if master.lat is not None and master.lon is not None
        else []
    )
    buttons = [
        ui.postback(ui.clip(n.place.name, 20), postback.encode(code, s="place", p=n.place.id), n.place.name)
        for n in near
    ]
    if master.where_text:
        buttons.append(ui.say(ui.clip(master.where_text, 20)))
    return ui.text(question, [*buttons, cancel_button()])


def _set_place(ctx: Context, state: Conversation, place_id: int | None, name: str) -> None:
    data = dict(state.data) | {"place": place_id, "place_text": name[:100]}
    _go(ctx, Step.CAPACITY, data)
    ctx.reply(ask_capacity())


def ask_capacity(question: str = texts.CLASS_ASK_CAPACITY) -> ui.Message:
    return ui.text(question, [*(ui.say(f"{n}人", n) for n in CAPACITIES), cancel_button()])


def _draft(ctx: Context, data: dict[str, Any]) -> MasterClass | None:
    master_id = data.get("master")
    master = ctx.session.get(Master, master_id) if isinstance(master_id, int) else None
    try:
        start = datetime.fromisoformat(str(data.get("at")))
    except ValueError:
        return None
    if master is None:
        return None
    place_id = data.get("place")
    return MasterClass(
        master_id=master.id,
        title=texts.CLASS_TITLE.format(skill=master.skill)[:60],
        starts_at=start,
        ends_at=start + LENGTH,
        place_id=place_id if isinstance(place_id, int) else None,
        place_text=str(data.get("place_text", ""))[:100],
        capacity=int(data.get("capacity", 1)),
        taken=0,
        note="",
    )


def _confirmation(ctx: Context, data: dict[str, Any]) -> ui.Message:
    lesson = _draft(ctx, data)
    if lesson is None:
        return ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx))
    bubble = ui.card(
        texts.CLASS_CONFIRM_TITLE,
        [
            (texts.MASTER_SKILL, lesson.title),
            (texts.CLASS_WHEN, when_text(lesson)),
            (texts.CLASS_PLACE, lesson.place_text or "-"),
            (texts.CLASS_SEATS, texts.CLASS_SEATS_VALUE.format(n=lesson.capacity)),
        ],
        [
            ui.postback(
                texts.CLASS_DO_OPEN, postback.encode("clf", s="open"), texts.CLASS_DO_OPEN, flex=True
            ),
            cancel_button(flex=True, flow=FLOW),
        ],
        note=texts.CLASS_CONFIRM_NOTE,
    )
    return ui.flex(texts.CLASS_CONFIRM_ALT.format(title=lesson.title), bubble)


def _open(ctx: Context, state: Conversation) -> None:
    lesson = _draft(ctx, dict(state.data))
    conversations.clear_state(ctx.session, ctx.sender.id)
    if lesson is None or lesson.starts_at <= ctx.now:
        ctx.reply(ui.text(texts.CLASS_WHEN_PAST, main_menu(ctx)))
        return
    lesson.created_at = ctx.now
    ctx.session.add(lesson)
    ctx.session.flush()
    ctx.reply(ui.text(texts.CLASS_OPENED.format(title=lesson.title, when=when_text(lesson)), main_menu(ctx)))


def reprompt(ctx: Context, state: Conversation) -> None:
    step = Step(state.step)
    master = _master(ctx, state)
    if step == Step.SKILL or (master is None and step != Step.SKILL):
        cancel(ctx, state)
        start(ctx)
    elif step == Step.WHEN:
        ctx.reply(_ask_when(ctx, master))
    elif step == Step.PLACE:
        ctx.reply(_ask_place(ctx, master))
    elif step == Step.CAPACITY:
        ctx.reply(ask_capacity())
    else:
        ctx.reply(_confirmation(ctx, dict(state.data)))


def cancel(ctx: Context, _state: Conversation) -> None:
    conversations.clear_state(ctx.session, ctx.sender.id)


CONVERSATION = Flow(
    FLOW,
    cancel=cancel,
    on_text=on_text,
    postback_codes=frozenset({"clf"}),
    on_postback=on_postback,
    reprompt=reprompt,
)
