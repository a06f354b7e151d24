"""A master changes a class (day and time, place, seats) or calls it off; those coming are told.

The master's own class cards (「自分の教室」, 「教室」) carry 変更する and 中止する. Everyone with a seat
or on the waiting list hears of a new day or place, and of a class called off; new seats go to those
waiting (db/lifecycle.py `resize_class`), who are told as for a freed seat. A new day makes the
reminders due again.

stateDiagram-v2
    [*] --> WHAT: 変更する on the master's own class card
    WHAT --> WHEN: 日時
    WHAT --> PLACE: 場所
    WHAT --> CAPACITY: 定員
    WHEN --> [*]: date picked / typed (those coming are told; reminders due again)
    WHEN --> WHEN: a time that has passed, or not understood
    PLACE --> [*]: a place tapped / typed (those coming are told)
    CAPACITY --> [*]: a number (new seats go to those waiting, who are told)
    CAPACITY --> CAPACITY: fewer than the seats taken, or not a number
    WHAT --> [*]: やめる
    WHEN --> [*]: やめる
    PLACE --> [*]: やめる
    CAPACITY --> [*]: やめる
"""

from __future__ import annotations

import enum
from datetime import datetime

from db import conversations, lifecycle
from db import masters as master_repo
from db.models import CommunityPlace, Conversation, Master, MasterClass, Member
from db.outbox import PRIORITY_URGENT
from handlers import class_flow, postback, texts, ui
from handlers.classes import bubble, leave_button, place_text, tell_seat_given, when_text
from handlers.common import cancel_button, main_menu
from handlers.context import Context
from handlers.flow import Flow
from handlers.timing import evening_before

FLOW = "class_edit"
CODE = "cle"


class Step(enum.StrEnum):
    WHAT = "what"
    WHEN = "when"
    PLACE = "place"
    CAPACITY = "capacity"


def show_mine(ctx: Context) -> None:
    """自分の教室: the master's coming classes, each with 変更する and 中止する."""
    lessons = master_repo.classes_taught_by(ctx.session, ctx.sender.id, ctx.now, limit=10)
    if not lessons:
        ctx.reply(ui.text(texts.MY_CLASSES_NONE, [ui.say(texts.CLASS_OPEN), *main_menu(ctx)]))
        return
    alt = texts.CLASSES_ALT.format(titles="、".join(lesson.title for lesson in lessons))
    bubbles = [bubble(ctx, lesson) for lesson in lessons]
    ctx.reply(ui.text(texts.MY_CLASSES_LEAD), ui.flex(alt, ui.carousel(bubbles), main_menu(ctx)))


def _own_lesson(ctx: Context, class_id: int | None) -> tuple[MasterClass, Master] | None:
    """The sender's coming class by id; None (and a kind answer) for another's, a past or cancelled one."""
    lesson = None if class_id is None else ctx.session.get(MasterClass, class_id)
    if lesson is None or lesson.cancelled_at is not None or lesson.starts_at <= ctx.now:
        ctx.reply(ui.text(texts.CLASS_OVER, main_menu(ctx)))
        return None
    master = ctx.session.get(Master, lesson.master_id)
    if master is None or master.member_id != ctx.sender.id:
        ctx.reply(ui.text(texts.CLASS_NOT_YOURS, main_menu(ctx)))
        return None
    return lesson, master


# --- calling a class off -----------------------------------------------------------------------------


def on_stop(ctx: Context, fields: dict[str, str]) -> None:
    """中止する on the card asks once; 中止する again (ok=1) calls it off, 中止しない keeps it."""
    found = _own_lesson(ctx, postback.int_field(fields, "c"))
    if found is None:
        return
    lesson, _master = found
    if fields.get("ok") == "0":
        ctx.reply(ui.text(texts.CLASS_KEPT, main_menu(ctx)))
        return
    if fields.get("ok") != "1":
        people = len(master_repo.in_class(ctx.session, lesson.id)) + master_repo.waiting_count(
            ctx.session, lesson.id
        )
        question = texts.CLASS_STOP_CONFIRM.format(title=lesson.title, when=when_text(lesson), n=people)
        yes = ui.postback(texts.CLASS_STOP, postback.encode("clst", c=lesson.id, ok=1), texts.CLASS_STOP)
        no = ui.postback(texts.CLASS_KEEP, postback.encode("clst", c=lesson.id, ok=0), texts.CLASS_KEEP)
        ctx.reply(ui.text(question, [no, yes]))
        return
    told = call_off(ctx, lesson)
    done = texts.CLASS_STOPPED.format(title=lesson.title)
    if told:
        done += "\n" + texts.CLASS_CHANGED_TOLD.format(n=told)
    ctx.reply(ui.text(done, main_menu(ctx)))


def call_off(ctx: Context, lesson: MasterClass) -> int:
    """Cancel a coming class and tell everyone with a seat or waiting; returns how many were told.

    The reminders and invitations stop by themselves: the worker only looks at classes not cancelled.
    """
    if not lifecycle.cancel_class(ctx.session, lesson.id, ctx.now):
        return 0
    people = _everyone(ctx, lesson)
    body = texts.CLASS_STOPPED_PEOPLE.format(title=lesson.title, when=when_text(lesson))
    ctx.push(
        [person.line_user_id for person in people],
        [ui.text(body, [ui.say(texts.CLASS_LIST)])],
        priority=PRIORITY_URGENT,  # they may be about to set out
    )
    ctx.session.expire(lesson)
    return len(people)


def call_off_all(ctx: Context, member: Member) -> int:
    """A master who leaves (退会, erased): their coming classes are called off, everyone in them told."""
    return sum(
        call_off(ctx, lesson) for lesson in master_repo.classes_taught_by(ctx.session, member.id, ctx.now)
    )


def _everyone(ctx: Context, lesson: MasterClass) -> list[Member]:
    return [
        person
        for status in ("seat", "waiting")
        for person in master_repo.in_class(ctx.session, lesson.id, status)
        if person.active and person.line_user_id
    ]


# --- changing a class ----------------------------------------------------------------------------------


def on_change(ctx: Context, fields: dict[str, str]) -> None:
    """変更する on the master's card: which part to change."""
    found = _own_lesson(ctx, postback.int_field(fields, "c"))
    if found is None:
        return
    lesson, _master = found
    from handlers import registry  # the registry lists this module's flow

    registry.leave(ctx)  # a flow in progress is left its own way (a draft is cancelled)
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.WHAT, {"class": lesson.id}, now=ctx.now)
    ctx.reply(_ask_what(lesson))


def _ask_what(lesson: MasterClass) -> ui.Message:
    choices = [
        ui.postback(label, postback.encode(CODE, s="what", w=step), label)
        for label, step in (
            (texts.CLASS_CHANGE_WHEN, Step.WHEN),
            (texts.CLASS_CHANGE_PLACE, Step.PLACE),
            (texts.CLASS_CHANGE_CAPACITY, Step.CAPACITY),
        )
    ]
    question = texts.CLASS_CHANGE_WHAT.format(title=lesson.title, when=when_text(lesson))
    return ui.text(question, [*choices, cancel_button(flow=FLOW)])


def _lesson_of(ctx: Context, state: Conversation) -> tuple[MasterClass, Master] | None:
    class_id = state.data.get("class")
    found = _own_lesson(ctx, class_id if isinstance(class_id, int) else None)
    if found is None:
        conversations.clear_state(ctx.session, ctx.sender.id)
    return found


def _ask(ctx: Context, step: Step, lesson: MasterClass, master: Master) -> ui.Message:
    if step == Step.WHEN:
        return class_flow.ask_when(ctx, texts.CLASS_ASK_NEW_WHEN, CODE)
    if step == Step.PLACE:
        return class_flow.ask_place(ctx, master, texts.CLASS_ASK_NEW_PLACE, CODE)
    if step == Step.CAPACITY:
        return class_flow.ask_capacity(texts.CLASS_ASK_NEW_CAPACITY)
    return _ask_what(lesson)


def on_postback(ctx: Context, state: Conversation, fields: dict[str, str], params: dict[str, str]) -> None:
    found = _lesson_of(ctx, state)
    if found is None:
        return
    lesson, master = found
    step, asked = Step(state.step), fields.get("s", "")
    if asked == "what" and fields.get("w") in (Step.WHEN, Step.PLACE, Step.CAPACITY):
        chosen = Step(fields["w"])
        conversations.set_state(ctx.session, ctx.sender.id, FLOW, chosen, dict(state.data), now=ctx.now)
        ctx.reply(_ask(ctx, chosen, lesson, master))
    elif asked == "when" and step == Step.WHEN and (picked := class_flow.picked_moment(ctx, params)):
        _new_when(ctx, lesson, master, picked)
    elif asked == "place" and step == Step.PLACE:
        place_id = postback.int_field(fields, "p")
        place = None if place_id is None else ctx.session.get(CommunityPlace, place_id)
        if place is None:
            ctx.reply(_ask(ctx, step, lesson, master))
        else:
            _new_place(ctx, lesson, place.id, place.name)
    else:
        ctx.reply(_ask(ctx, step, lesson, master))


def on_text(ctx: Context, state: Conversation, text: str) -> None:
    found = _lesson_of(ctx, state)
    if found is None:
        return
    lesson, master = found
    words, step = text.strip(), Step(state.step)
    if step == Step.WHEN and (at := class_flow.typed_moment(ctx, words)) is not None:
        _new_when(ctx, lesson, master, at)
    elif step == Step.PLACE and 0 < len(words) <= 60:
        _new_place(ctx, lesson, None, words)
    elif step == Step.CAPACITY and (capacity := class_flow.typed_capacity(words)) is not None:
        _new_capacity(ctx, lesson, master, capacity)
    elif step == Step.CAPACITY:
        ctx.reply(ui.text(texts.CLASS_CAPACITY_BAD), _ask(ctx, step, lesson, master))
    else:
        ctx.reply(_ask(ctx, step, lesson, master))


def _new_when(ctx: Context, lesson: MasterClass, master: Master, at: datetime) -> None:
    if at <= ctx.now:
        ctx.reply(ui.text(texts.CLASS_WHEN_PAST), _ask(ctx, Step.WHEN, lesson, master))
        return
    told = move(ctx, lesson, at)
    if told is None:
        _gone(ctx)
    else:
        _done(ctx, lesson, told)


def _new_place(ctx: Context, lesson: MasterClass, place_id: int | None, name: str) -> None:
    _done(ctx, lesson, relocate(ctx, lesson, place_id, name))


def _new_capacity(ctx: Context, lesson: MasterClass, master: Master, capacity: int) -> None:
    if not resize(ctx, lesson, capacity):
        ctx.reply(
            ui.text(texts.CLASS_CAPACITY_TOO_FEW.format(n=lesson.taken)),
            _ask(ctx, Step.CAPACITY, lesson, master),
        )
        return
    _done(ctx, lesson, 0)


def _done(ctx: Context, lesson: MasterClass, told: int) -> None:
    """The master sees the class as it is now, and how many were told."""
    conversations.clear_state(ctx.session, ctx.sender.id)
    summary = texts.CLASS_CHANGED.format(
        title=lesson.title, when=when_text(lesson), place=place_text(ctx, lesson), capacity=lesson.capacity
    )
    if told:
        summary += "\n" + texts.CLASS_CHANGED_TOLD.format(n=told)
    ctx.reply(ui.text(summary, [ui.say(texts.MY_CLASSES), *main_menu(ctx)]))


# --- the changes themselves, from chat or the desk (bot/desk/community.py) --------------------------


def move(ctx: Context, lesson: MasterClass, at: datetime) -> int | None:
    """A new day and time (same length); everyone in the class is told. None: the class is over or off."""
    length = lesson.ends_at - lesson.starts_at
    # A change made within the evening before says all the evening reminder would.
    told = ctx.now >= evening_before(at, ctx.settings.timezone, ctx.settings.reminder_evening_hour)
    if at <= ctx.now or not lifecycle.move_class(ctx.session, lesson.id, at, at + length, ctx.now, told=told):
        return None
    ctx.session.expire(lesson)
    return _tell_change(ctx, lesson, texts.CLASS_CHANGE_WHEN)


def relocate(ctx: Context, lesson: MasterClass, place_id: int | None, name: str) -> int:
    """A new place (a registered one, or words); everyone in the class is told."""
    lesson.place_id, lesson.place_text = place_id, name[:100]
    ctx.session.flush()
    return _tell_change(ctx, lesson, texts.CLASS_CHANGE_PLACE)


def resize(ctx: Context, lesson: MasterClass, capacity: int) -> bool:
    """A new number of seats (never below those taken); new seats go to those waiting, who are told."""
    changed, given = lifecycle.resize_class(ctx.session, lesson.id, capacity)
    ctx.session.expire(lesson)
    for member_id in given:
        tell_seat_given(ctx, lesson, member_id)
    return changed


def _tell_change(ctx: Context, lesson: MasterClass, what: str) -> int:
    """Those with a seat and those waiting hear of a new day or place, each with their own way out."""
    body = texts.CLASS_CHANGED_PEOPLE.format(
        what=what, title=lesson.title, when=when_text(lesson), place=place_text(ctx, lesson)
    )
    told = 0
    for status, button in (("seat", leave_button(lesson)), ("waiting", leave_button(lesson, waiting=True))):
        people = [p for p in master_repo.in_class(ctx.session, lesson.id, status) if p.active]
        if people:
            ctx.push([p.line_user_id for p in people], [ui.text(body, [button])], priority=PRIORITY_URGENT)
            told += len(people)
    return told


def _gone(ctx: Context) -> None:
    conversations.clear_state(ctx.session, ctx.sender.id)
    ctx.reply(ui.text(texts.CLASS_OVER, main_menu(ctx)))


def reprompt(ctx: Context, state: Conversation) -> None:
    found = _lesson_of(ctx, state)
    if found is not None:
        ctx.reply(_ask(ctx, Step(state.step), *found))


CONVERSATION = Flow(
    FLOW,
    on_text=on_text,
    postback_codes=frozenset({CODE}),
    on_postback=on_postback,
    reprompt=reprompt,
)
