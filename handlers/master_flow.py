"""Registering as a 名人・達人: what one can teach or show, where, how often, then confirm.

Each step takes a tap or typed words. The master's name and home are never shown to residents;
cards show the skill, the town and the distance (handlers/masters.py).

stateDiagram-v2
    [*] --> SKILL: 名人登録 (or 名人として登録 under a やってみたい to teach)
    [*] --> WHERE: started with the skill already known
    SKILL --> WHERE: skill tapped or typed
    WHERE --> OFTEN: where tapped or typed
    OFTEN --> PLACE: how often said, no registered place
    OFTEN --> CONFIRM: how often said, registered place known
    PLACE --> CONFIRM: location / typed town or 郵便番号
    PLACE --> PLACE: place not understood
    CONFIRM --> [*]: 登録する (saved)
    SKILL --> [*]: やめる
    WHERE --> [*]: やめる
    OFTEN --> [*]: やめる
    PLACE --> [*]: やめる
    CONFIRM --> [*]: やめる
"""

from __future__ import annotations

import enum
from typing import Any

from db import conversations
from db.models import Conversation, Master
from handlers import postback, texts, ui
from handlers.common import cancel_button, main_menu
from handlers.context import Context
from handlers.flow import Flow
from handlers.places import (
    SAME_NAME,
    Place,
    home_unknown,
    place_from_home,
    read_typed_place,
    remember_home,
    same_name_question,
    typed_place,
)
from matching.geocode import SameName
from matching.masters import SKILL_EXAMPLES

FLOW = "master"
WHERE_CHOICES = ("自宅", "公民館・集会所", "みんなのおうち", "出かけて行けます")
OFTEN_CHOICES = ("月に1回くらい", "月に2〜3回", "季節のときだけ", "相談して決めたい")


class Step(enum.StrEnum):
    SKILL = "skill"
    WHERE = "where"
    OFTEN = "often"
    PLACE = "place"
    CONFIRM = "confirm"


def start(ctx: Context, skill: str = "") -> None:
    if skill:
        _go(ctx, Step.WHERE, {"skill": skill[:40]})
        ctx.reply(_ask(Step.WHERE, skill))
        return
    _go(ctx, Step.SKILL, {})
    ctx.reply(_ask(Step.SKILL))


def _go(ctx: Context, step: Step, data: dict[str, Any]) -> None:
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, step, data, now=ctx.now)


def _ask(step: Step, skill: str = "") -> ui.Message:
    if step == Step.SKILL:
        return ui.text(texts.MASTER_ASK_SKILL, [*(ui.say(s) for s in SKILL_EXAMPLES), cancel_button()])
    if step == Step.WHERE:
        return ui.text(
            texts.MASTER_ASK_WHERE.format(skill=skill), [*(ui.say(w) for w in WHERE_CHOICES), cancel_button()]
        )
    if step == Step.OFTEN:
        return ui.text(texts.MASTER_ASK_OFTEN, [*(ui.say(o) for o in OFTEN_CHOICES), cancel_button()])
    return ui.text(texts.MASTER_ASK_PLACE, [ui.location_action(texts.PLACES_SEND_LOCATION), cancel_button()])


def on_text(ctx: Context, state: Conversation, text: str) -> None:
    words = text.strip()
    data = dict(state.data)
    step = Step(state.step)
    if step == Step.CONFIRM:
        reprompt(ctx, state)
    elif not words or len(words) > 60:
        ctx.reply(ui.text(texts.MASTER_TOO_LONG), _ask(step, str(data.get("skill", ""))))
    elif step == Step.SKILL:
        data["skill"] = words[:40]
        _go(ctx, Step.WHERE, data)
        ctx.reply(_ask(Step.WHERE, data["skill"]))
    elif step == Step.WHERE:
        data["where"] = words[:100]
        _go(ctx, Step.OFTEN, data)
        ctx.reply(_ask(Step.OFTEN))
    elif step == Step.OFTEN:
        data["often"] = words[:60]
        home = place_from_home(ctx.sender)
        if home is None:
            _go(ctx, Step.PLACE, data)
            ctx.reply(_ask(Step.PLACE))
        else:
            _confirm(ctx, data, home)
    else:  # PLACE, typed
        buttons = [ui.location_action(texts.PLACES_SEND_LOCATION), cancel_button()]
        if home_unknown(ctx.sender, words):
            ctx.reply(ui.text(texts.PLACE_NO_HOME, buttons))
            return
        found = read_typed_place(ctx, words, data.pop(SAME_NAME, None))
        if isinstance(found, SameName):
            _go(ctx, Step.PLACE, {**data, SAME_NAME: found.name})  # the 区 or 市 is asked for
            ctx.reply(ui.text(same_name_question(found), buttons))
        elif found is None:
            ctx.reply(ui.text(texts.PLACES_WHERE_UNKNOWN, buttons))
        else:
            on_location(ctx, state, typed_place(words, found))


def on_location(ctx: Context, state: Conversation, place: Place | None) -> None:
    if state.step != Step.PLACE or place is None:
        reprompt(ctx, state)
        return
    remember_home(ctx.sender, place)
    _confirm(ctx, {k: v for k, v in state.data.items() if k != SAME_NAME}, place)


def _confirm(ctx: Context, data: dict[str, Any], place: Place) -> None:
    data |= {"lat": place.lat, "lon": place.lon, "area": place.area}
    _go(ctx, Step.CONFIRM, data)
    ctx.reply(_confirmation(data))


def _confirmation(data: dict[str, Any]) -> ui.Message:
    bubble = ui.card(
        texts.MASTER_CONFIRM_TITLE,
        [
            (texts.MASTER_SKILL, str(data.get("skill", ""))),
            (texts.MASTER_WHERE, str(data.get("where", ""))),
            (texts.MASTER_OFTEN, str(data.get("often", ""))),
            (texts.CARD_AREA, str(data.get("area", "")) or texts.UNKNOWN_AREA),
        ],
        [
            ui.postback(texts.MASTER_SAVE, postback.encode("mreg"), texts.MASTER_SAVE, flex=True),
            cancel_button(flex=True, flow=FLOW),
        ],
        note=texts.MASTER_CONFIRM_NOTE,
    )
    return ui.flex(texts.MASTER_CONFIRM_ALT.format(skill=data.get("skill", "")), bubble)


def on_save(ctx: Context, _fields: dict[str, str]) -> None:
    """登録する: the master is saved; the flow ends."""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    if state is None or state.flow != FLOW or state.step != Step.CONFIRM:
        ctx.reply(ui.text(texts.MASTER_SAVE_STALE, main_menu(ctx)))
        return
    data = state.data
    master = Master(
        member_id=ctx.sender.id,
        skill=str(data["skill"])[:40],
        where_text=str(data.get("where", ""))[:100],
        how_often=str(data.get("often", ""))[:60],
        lat=float(data["lat"]),
        lon=float(data["lon"]),
        area=str(data.get("area", ""))[:100],
        created_at=ctx.now,
    )
    ctx.session.add(master)
    conversations.clear_state(ctx.session, ctx.sender.id)
    ctx.reply(
        ui.text(texts.MASTER_SAVED.format(skill=master.skill), [ui.say(texts.CLASS_OPEN), *main_menu(ctx)])
    )


def reprompt(ctx: Context, state: Conversation) -> None:
    step = Step(state.step)
    if step == Step.CONFIRM:
        ctx.reply(_confirmation(state.data))
    else:
        ctx.reply(_ask(step, str(state.data.get("skill", ""))))


def cancel(ctx: Context, _state: Conversation) -> None:
    conversations.clear_state(ctx.session, ctx.sender.id)


CONVERSATION = Flow(FLOW, cancel=cancel, on_text=on_text, on_location=on_location, reprompt=reprompt)
