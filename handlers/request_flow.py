"""The 困りごと conversation: category → place → when → confirm, then supporters are asked.

stateDiagram-v2
    [*] --> CATEGORY: text not understood
    [*] --> PLACE: text understood
    CATEGORY --> PLACE: category chosen
    PLACE --> WHEN: location / registered place
    WHEN --> CONFIRM: date picked / いつでも
    CONFIRM --> [*]: 依頼する (open, supporters notified)
    CONFIRM --> WHEN: 依頼する after the chosen time has passed
    CATEGORY --> [*]: やめる
    PLACE --> [*]: やめる
    WHEN --> [*]: やめる
    CONFIRM --> [*]: やめる (draft cancelled, nobody notified)
"""

from __future__ import annotations

import enum
import re
from datetime import datetime, timedelta

from db import conversations
from db import requests as request_repo
from db.models import Conversation, HelpRequest, RequestStatus
from db.requests import ACTIVE_STATUSES
from handlers import postback, texts, ui
from handlers.common import cancel_button, format_when, is_yes, label_of, main_menu
from handlers.context import Context
from handlers.followups import schedule_after_open
from handlers.notify import notify_supporters, tell_coordinators
from handlers.places import Place, place_from_home, remember_home
from handlers.timing import QuietHours, clock_word
from matching import Understanding, categories, quick_categories, rough_area
from matching.privacy import has_personal_details

FLOW = "request"
PREVIEW_LIMIT = 80


class Step(enum.StrEnum):
    CATEGORY = "category"
    PLACE = "place"
    WHEN = "when"
    CONFIRM = "confirm"


def start(ctx: Context, text: str, understanding: Understanding) -> None:
    """Turn a free-text 困りごと into a draft and ask the first missing thing."""
    request = request_repo.create_draft(ctx.session, ctx.sender, text, understanding.category)
    preview = ui.clip(text, PREVIEW_LIMIT)
    if understanding.category is None:
        _go(ctx, request, Step.CATEGORY)
        ctx.reply(ui.text(texts.REQUEST_ASK_CATEGORY.format(text=preview), _category_buttons(request)))
        return
    _go(ctx, request, Step.PLACE)
    ctx.reply(
        ui.text(texts.REQUEST_UNDERSTOOD.format(text=preview, category=label_of(request.category))),
        _ask_place(ctx, request),
    )


def on_postback(ctx: Context, state: Conversation, fields: dict[str, str], params: dict[str, str]) -> None:
    request = _draft_for(ctx, state, postback.int_field(fields, "r"))
    step = fields.get("s", "")
    if request is None and _draft_for(ctx, state, state.data.get("request_id")) is not None:
        # A button of an earlier card while this draft is being written: go on with this one.
        ctx.reply(ui.text(texts.OLD_BUTTON_MID_FLOW))
        reprompt(ctx, state)
    elif request is None:
        on_old_button(ctx, fields)
    elif step == "cat" and state.step == Step.CATEGORY and fields.get("c") in _category_ids():
        request.category = fields["c"]
        _go(ctx, request, Step.PLACE)
        ctx.reply(_ask_place(ctx, request))
    elif step == "typed" and state.step == Step.PLACE:
        ctx.reply(ui.text(texts.REQUEST_TYPE_PLACE, [cancel_button()]))
    elif step == "home" and state.step == Step.PLACE and (home := place_from_home(ctx.sender)) is not None:
        _set_place(ctx, request, home)
    elif step == "when" and state.step == Step.WHEN:
        _set_when(ctx, request, params.get("datetime"))
    elif step == "any" and state.step == Step.WHEN:
        request.anytime, request.wanted_at = True, None
        _confirm(ctx, request)
    elif step == "ok" and state.step == Step.CONFIRM:
        _submit(ctx, request)
    else:
        reprompt(ctx, state)


def on_old_button(ctx: Context, fields: dict[str, str]) -> None:
    """A button of a request no longer being written: a second 依頼する must not look like a failure."""
    request_id = postback.int_field(fields, "r")
    request = None if request_id is None else ctx.session.get(HelpRequest, request_id)
    if request is not None and request.requester_id == ctx.sender.id and request.status in ACTIVE_STATUSES:
        ctx.reply(ui.text(texts.REQUEST_ALREADY_SENT, main_menu(ctx)))
    else:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))


def on_location(ctx: Context, state: Conversation, place: Place | None) -> None:
    request = _draft_for(ctx, state, state.data.get("request_id"))
    if request is None or state.step != Step.PLACE:
        reprompt(ctx, state)
    elif place is None:
        ctx.reply(ui.text(texts.REQUEST_ASK_PLACE_AGAIN, _place_buttons(ctx, request)))
    else:
        remember_home(ctx.sender, place)
        _set_place(ctx, request, place)


def reprompt(ctx: Context, state: Conversation) -> None:
    """Anything unexpected mid-flow: say how to go on, and ask the current step again."""
    request = _draft_for(ctx, state, state.data.get("request_id"))
    if request is None:
        conversations.clear_state(ctx.session, ctx.sender.id)
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
        return
    ctx.reply(ui.text(texts.REQUEST_STEP_HINT))
    step = Step(state.step)
    if step == Step.CATEGORY:
        ctx.reply(
            ui.text(
                texts.REQUEST_ASK_CATEGORY.format(text=ui.clip(request.text, PREVIEW_LIMIT)),
                _category_buttons(request),
            )
        )
    elif step == Step.PLACE:
        ctx.reply(_ask_place(ctx, request))
    elif step == Step.WHEN:
        ctx.reply(_ask_when(ctx, request))
    else:
        ctx.reply(_confirmation(ctx, request))


def on_text(ctx: Context, state: Conversation, text: str, understanding: Understanding) -> None:
    """A typed answer: in the category step a clearer description picks the category."""
    request = _draft_for(ctx, state, state.data.get("request_id"))
    if request is not None and state.step == Step.CATEGORY and understanding.category is not None:
        request.category = understanding.category
        request.text = f"{request.text}\n{text}"
        _go(ctx, request, Step.PLACE)
        ctx.reply(_ask_place(ctx, request))
        return
    if request is not None and state.step == Step.CONFIRM and is_yes(text):
        _submit(ctx, request)  # 「はい」 typed instead of tapping 依頼する
        return
    if request is not None and state.step == Step.PLACE and _TYPED_PLACE.search(text):
        # No location button (LINE on a PC, or too hard): a typed town; a coordinator confirms the place.
        request.address, request.area = text.strip()[:300], rough_area(text)[:100] or text.strip()[:100]
        _go(ctx, request, Step.WHEN)
        ctx.reply(_ask_when(ctx, request))
        return
    reprompt(ctx, state)


_TYPED_PLACE = re.compile(r"[都道府県市区町村]|丁目|番地")


def cancel(ctx: Context, state: Conversation) -> None:
    request = _draft_for(ctx, state, state.data.get("request_id"))
    if request is not None:
        request.status = RequestStatus.CANCELLED
        request.closed_at = ctx.now
    conversations.clear_state(ctx.session, ctx.sender.id)


def _go(ctx: Context, request: HelpRequest, step: Step) -> None:
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, step, {"request_id": request.id}, now=ctx.now)


def _draft_for(ctx: Context, state: Conversation, request_id: object) -> HelpRequest | None:
    """The draft this conversation is about, only if the ids agree and it is still a draft."""
    if state.flow != FLOW or not isinstance(request_id, int) or state.data.get("request_id") != request_id:
        return None
    request = ctx.session.get(HelpRequest, request_id)
    if request is None or request.requester_id != ctx.sender.id or request.status != RequestStatus.DRAFT:
        return None
    return request


def _category_ids() -> set[str]:
    return {c.id for c in categories()}


def _category_buttons(request: HelpRequest) -> list[ui.Action]:
    buttons = [
        ui.postback(c.label, postback.encode("rq", s="cat", r=request.id, c=c.id), c.label)
        for c in quick_categories()
    ][: ui.QUICK_REPLY_LIMIT - 1]
    return [*buttons, cancel_button()]


def _place_buttons(ctx: Context, request: HelpRequest) -> list[ui.Action]:
    buttons = [ui.location_action(texts.SEND_LOCATION)]
    if place_from_home(ctx.sender) is not None:
        buttons.append(
            ui.postback(texts.USE_HOME, postback.encode("rq", s="home", r=request.id), texts.USE_HOME)
        )
    typed = ui.postback(texts.NO_LOCATION, postback.encode("rq", s="typed", r=request.id), texts.NO_LOCATION)
    return [*buttons, typed, cancel_button()]


def _ask_place(ctx: Context, request: HelpRequest) -> ui.Message:
    return ui.text(texts.REQUEST_ASK_PLACE, _place_buttons(ctx, request))


def _set_place(ctx: Context, request: HelpRequest, place: Place) -> None:
    request.lat, request.lon = place.lat, place.lon
    request.address, request.area = place.address, place.area
    _go(ctx, request, Step.WHEN)
    ctx.reply(_ask_when(ctx, request))


def _ask_when(ctx: Context, request: HelpRequest) -> ui.Message:
    local_now = ctx.local(ctx.now)
    earliest = local_now.strftime("%Y-%m-%dT%H:%M")
    suggested = (local_now + timedelta(days=1)).replace(hour=10, minute=0).strftime("%Y-%m-%dT%H:%M")
    return ui.text(
        texts.REQUEST_ASK_WHEN,
        [
            ui.datetime_action(
                texts.PICK_DATETIME,
                postback.encode("rq", s="when", r=request.id),
                minimum=earliest,
                initial=suggested,
            ),
            ui.postback(texts.ANYTIME, postback.encode("rq", s="any", r=request.id), texts.ANYTIME),
            cancel_button(),
        ],
    )


def _set_when(ctx: Context, request: HelpRequest, picked: str | None) -> None:
    try:
        local = datetime.fromisoformat(picked or "")
    except ValueError:
        ctx.reply(_ask_when(ctx, request))
        return
    # The picker has no time zone: its value is the resident's local time.
    moment = local.replace(tzinfo=ctx.settings.timezone) if local.tzinfo is None else local
    if moment < ctx.now:
        ctx.reply(ui.text(texts.REQUEST_WHEN_PAST), _ask_when(ctx, request))
        return
    request.wanted_at, request.anytime = moment, False
    _confirm(ctx, request)


def _confirm(ctx: Context, request: HelpRequest) -> None:
    _go(ctx, request, Step.CONFIRM)
    ctx.reply(_confirmation(ctx, request))


def _confirmation(ctx: Context, request: HelpRequest) -> ui.Message:
    bubble = ui.card(
        texts.REQUEST_CONFIRM_TITLE,
        [
            (texts.CARD_CATEGORY, label_of(request.category)),
            (texts.CARD_TEXT, ui.clip(request.text, 300)),
            (texts.CARD_AREA, request.address or request.area or texts.UNKNOWN_AREA),
            (texts.CARD_WHEN, format_when(ctx, request.wanted_at)),
        ],
        [
            ui.postback(
                texts.CONFIRM_YES, postback.encode("rq", s="ok", r=request.id), texts.CONFIRM_YES, flex=True
            ),
            cancel_button(flex=True, flow=FLOW, request_id=request.id),
        ],
    )
    return ui.flex(texts.REQUEST_CONFIRM_TITLE, bubble)


def _submit(ctx: Context, request: HelpRequest) -> None:
    if request.wanted_at is not None and request.wanted_at <= ctx.now:
        # The card waited in the chat past the chosen time: nobody can come then, so ask again.
        _go(ctx, request, Step.WHEN)
        ctx.reply(ui.text(texts.REQUEST_WHEN_PAST), _ask_when(ctx, request))
        return
    conversations.clear_state(ctx.session, ctx.sender.id)
    request_repo.open_request(request, ctx.now)
    if request.lat is None:
        tell_coordinators(ctx, request, texts.COORDINATOR_NO_PLACE)
        ctx.reply(ui.text(texts.REQUEST_PLACE_BY_COORDINATOR, main_menu(ctx)))
        return
    asked = notify_supporters(ctx, request)
    schedule_after_open(ctx, request)
    # Said once, when it matters: their own details in the text reach only the one who accepts.
    note = texts.PRIVACY_NOTE if has_personal_details(request.text, [ctx.sender.display_name]) else None
    if asked == 0:
        tell_coordinators(ctx, request)
        ctx.reply(ui.text(_with_note(texts.REQUEST_NO_SUPPORTER, note), main_menu(ctx)))
    else:
        ctx.reply(ui.text(_with_note(_sent_text(ctx, asked), note), main_menu(ctx)))


def _with_note(body: str, note: str | None) -> str:
    return body if note is None else f"{body}\n{note}"


def _sent_text(ctx: Context, asked: int) -> str:
    """Honest about timing: at night the cards wait in the outbox until quiet hours end."""
    quiet = QuietHours.of(ctx.settings)
    if quiet.contains(ctx.now):
        return texts.REQUEST_SENT_NIGHT.format(count=asked, time=clock_word(quiet.end))
    return texts.REQUEST_SENT.format(count=asked)
