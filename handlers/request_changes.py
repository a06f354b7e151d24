"""Changing a request already sent, from 自分の依頼: its day and time, its place, or a detail added.

A supporter who accepted hears of the change at once, with 行けなくなった at hand if it no longer suits.

stateDiagram-v2
    [*] --> WHEN: 日時を変える
    [*] --> PLACE: 場所を変える
    [*] --> DETAIL: 書き足す
    WHEN --> [*]: date picked / いつでも / a time typed (「あした10時」)
    PLACE --> [*]: location / a town or 郵便番号 typed
    DETAIL --> [*]: the text, added
    WHEN --> [*]: やめる
    PLACE --> [*]: やめる
    DETAIL --> [*]: やめる
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from db import conversations
from db.models import Conversation, HelpRequest, RequestStatus
from db.outbox import PRIORITY_URGENT
from db.requests import ACTIVE_STATUSES
from handlers import postback, texts, ui
from handlers.common import (
    cancel_button,
    drop_button,
    format_when,
    label_of,
    main_menu,
    name_of,
    relay_button,
)
from handlers.context import Context
from handlers.flow import Flow
from handlers.followups import schedule_after_accept, schedule_after_open
from handlers.places import (
    SAME_NAME,
    Place,
    home_unknown,
    place_from_home,
    place_said_back,
    read_typed_place,
    same_name_question,
    typed_place,
)
from matching.geocode import SameName
from matching.phrases import answer_of
from matching.when import moment, read_when

FLOW = "change"
DETAIL_LIMIT = 500


class Step(enum.StrEnum):
    WHEN = "when"
    PLACE = "place"
    DETAIL = "detail"


def buttons(request: HelpRequest) -> list[ui.Action]:
    """The change buttons on a request's card in 自分の依頼."""
    return [
        ui.postback(
            texts.CHANGE_WHEN, postback.encode("chg", k=Step.WHEN, r=request.id), texts.CHANGE_WHEN, flex=True
        ),
        ui.postback(
            texts.CHANGE_PLACE,
            postback.encode("chg", k=Step.PLACE, r=request.id),
            texts.CHANGE_PLACE,
            flex=True,
        ),
        ui.postback(
            texts.ADD_DETAIL, postback.encode("chg", k=Step.DETAIL, r=request.id), texts.ADD_DETAIL, flex=True
        ),
    ]


def on_postback(ctx: Context, fields: dict[str, str], params: dict[str, str]) -> None:
    request = _own_active(ctx, postback.int_field(fields, "r"))
    kind = fields.get("k", "")
    if request is None or kind not in {s.value for s in Step}:
        ctx.reply(ui.text(texts.NOT_OPEN, main_menu(ctx)))
    elif kind == Step.WHEN and fields.get("any") == "1":
        _apply_when(ctx, request, None)
    elif kind == Step.WHEN and "datetime" in params:
        _picked(ctx, request, params["datetime"])
    else:
        conversations.set_state(
            ctx.session, ctx.sender.id, FLOW, kind, {"request_id": request.id}, now=ctx.now
        )
        ctx.reply(_ask(ctx, request, Step(kind)))


def ask_when(ctx: Context, request: HelpRequest) -> None:
    """「日にちを変えたいんですが」 after sending: the 日時を変える step, as its button starts it."""
    conversations.set_state(
        ctx.session, ctx.sender.id, FLOW, Step.WHEN, {"request_id": request.id}, now=ctx.now
    )
    ctx.reply(_ask(ctx, request, Step.WHEN))


def on_text(ctx: Context, state: Conversation, text: str) -> None:
    request = _own_active(ctx, state.data.get("request_id"))
    if request is None:
        conversations.clear_state(ctx.session, ctx.sender.id)
        ctx.reply(ui.text(texts.NOT_OPEN, main_menu(ctx)))
    elif state.step == Step.DETAIL:
        conversations.clear_state(ctx.session, ctx.sender.id)
        add_detail(ctx, request, text)
    elif state.step == Step.WHEN:
        when = read_when(text, ctx.local(ctx.now))
        if when is not None and when.anytime:
            _apply_when(ctx, request, None)
        elif when is not None and (chosen := moment(when, ctx.settings.timezone)) is not None:
            _apply_when(ctx, request, chosen)
        else:
            ctx.reply(ui.text(texts.WHEN_HINT), _ask(ctx, request, Step.WHEN))
    elif home_unknown(ctx.sender, text):
        ctx.reply(ui.text(texts.PLACE_NO_HOME), _ask(ctx, request, Step.PLACE))
    elif answer_of(text, ("home",)) == "home" and (saved := place_from_home(ctx.sender)) is not None:
        _apply_place(ctx, request, saved, None)  # 「うちです」: the place they registered
    else:
        located = read_typed_place(ctx, text, state.data.get(SAME_NAME))
        if isinstance(located, SameName):
            data = {**state.data, SAME_NAME: located.name}  # 「太子堂」 alone: the 区 or 市 is asked for
            conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.PLACE, data, now=ctx.now)
            buttons = [ui.location_action(texts.SEND_LOCATION), cancel_button(flow=FLOW)]
            ctx.reply(ui.text(same_name_question(located), buttons))
        elif located is None:
            ctx.reply(ui.text(texts.PLACE_NOT_FOUND), _ask(ctx, request, Step.PLACE))
        else:
            _apply_place(ctx, request, typed_place(text, located), place_said_back(located))


def on_location(ctx: Context, state: Conversation, place: Place | None) -> None:
    request = _own_active(ctx, state.data.get("request_id"))
    if request is None or state.step != Step.PLACE:
        conversations.clear_state(ctx.session, ctx.sender.id)
        ctx.reply(ui.text(texts.NOT_OPEN, main_menu(ctx)))
    elif place is None:
        ctx.reply(ui.text(texts.REQUEST_ASK_PLACE_AGAIN), _ask(ctx, request, Step.PLACE))
    else:
        _apply_place(ctx, request, place, None)


def cancel(ctx: Context, _state: Conversation) -> None:
    conversations.clear_state(ctx.session, ctx.sender.id)


def add_detail(ctx: Context, request: HelpRequest, text: str) -> None:
    """The detail joins the request's text; a supporter who accepted hears it at once."""
    detail = ui.clip(text.strip(), DETAIL_LIMIT)
    request.text = f"{request.text}\n{texts.DETAIL_MARK}{detail}"
    category = label_of(request.category)
    supporter = request.accepted_by if request.status == RequestStatus.MATCHED else None
    if supporter is not None and supporter.line_user_id and supporter.active:
        body = texts.DETAIL_FORWARD.format(category=category, name=name_of(request, ctx.sender), text=detail)
        reply = ui.postback(texts.RELAY_REPLY_BUTTON, postback.encode("relay", r=request.id))
        ctx.push([supporter.line_user_id], [ui.text(body, [reply])], priority=PRIORITY_URGENT)
        said = texts.DETAIL_ADDED_TOLD.format(category=category, name=name_of(request, supporter))
    else:
        said = texts.DETAIL_ADDED_TO_REQUEST.format(category=category)
    ctx.reply(ui.text(said, main_menu(ctx)))


def _own_active(ctx: Context, request_id: object) -> HelpRequest | None:
    request = ctx.session.get(HelpRequest, request_id) if isinstance(request_id, int) else None
    if request is None or request.requester_id != ctx.sender.id or request.status not in ACTIVE_STATUSES:
        return None
    return request


def _ask(ctx: Context, request: HelpRequest, step: Step) -> ui.Message:
    stop = cancel_button(flow=FLOW)
    if step == Step.DETAIL:
        return ui.text(texts.ASK_DETAIL, [stop])
    if step == Step.PLACE:
        return ui.text(texts.CHANGE_ASK_PLACE, [ui.location_action(texts.SEND_LOCATION), stop])
    local_now = ctx.local(ctx.now)
    picker = ui.datetime_action(
        texts.PICK_DATETIME,
        postback.encode("chg", k=Step.WHEN, r=request.id),
        minimum=local_now.strftime("%Y-%m-%dT%H:%M"),
        initial=(local_now + timedelta(days=1)).replace(hour=10, minute=0).strftime("%Y-%m-%dT%H:%M"),
    )
    anytime = ui.postback(
        texts.ANYTIME, postback.encode("chg", k=Step.WHEN, r=request.id, any=1), texts.ANYTIME
    )
    body = texts.CHANGE_ASK_WHEN.format(when=format_when(ctx, request.wanted_at))
    return ui.text(body, [picker, anytime, stop])


def _picked(ctx: Context, request: HelpRequest, picked: str) -> None:
    try:
        local = datetime.fromisoformat(picked)
    except ValueError:
        ctx.reply(_ask(ctx, request, Step.WHEN))
        return
    _apply_when(ctx, request, local.replace(tzinfo=ctx.settings.timezone) if local.tzinfo is None else local)


def _apply_when(ctx: Context, request: HelpRequest, chosen: datetime | None) -> None:
    if chosen is not None and chosen <= ctx.now:
        ctx.reply(ui.text(texts.REQUEST_WHEN_PAST), _ask(ctx, request, Step.WHEN))
        return
    conversations.clear_state(ctx.session, ctx.sender.id)
    request.wanted_at, request.anytime = chosen, chosen is None
    # Reminders, check-in, re-asks and expiry follow the new time.
    if request.status == RequestStatus.MATCHED:
        schedule_after_accept(ctx, request)
    else:
        schedule_after_open(ctx, request)
    when = format_when(ctx, chosen)
    told = _tell_supporter(ctx, request, texts.CHANGED_WHEN_SUPPORTER, when=when)
    _done(ctx, request, texts.CHANGED_WHEN.format(when=when), told)


def _apply_place(ctx: Context, request: HelpRequest, place: Place, said_back: str | None) -> None:
    conversations.clear_state(ctx.session, ctx.sender.id)
    request.lat, request.lon = place.lat, place.lon
    request.address, request.area = place.address, place.area
    where = request.address or request.area or texts.UNKNOWN_AREA
    told = _tell_supporter(ctx, request, texts.CHANGED_PLACE_SUPPORTER, place=where)
    opening = f"{said_back}\n" if said_back else ""
    _done(ctx, request, opening + texts.CHANGED_PLACE.format(place=request.area or where), told)


def _tell_supporter(ctx: Context, request: HelpRequest, template: str, **values: str) -> str | None:
    """The supporter who accepted hears of the change, and may give the request back; their name, or None."""
    supporter = request.accepted_by if request.status == RequestStatus.MATCHED else None
    if supporter is None:
        return None
    if supporter.line_user_id and supporter.active:
        body = template.format(category=label_of(request.category), **values)
        message = ui.text(body, [relay_button(request), drop_button(request)])
        ctx.push([supporter.line_user_id], [message], priority=PRIORITY_URGENT)
    return name_of(request, supporter)


def _done(ctx: Context, request: HelpRequest, said: str, told: str | None) -> None:
    if told is not None:
        said += "\n" + texts.CHANGE_TOLD.format(name=told)
    ctx.reply(ui.text(said, main_menu(ctx)))


CONVERSATION = Flow(FLOW, cancel=cancel, on_text=on_text, on_location=on_location)
