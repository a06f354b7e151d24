"""Relay chat: once matched, resident and supporter message each other through the bot, never by LINE id.

stateDiagram-v2
    [*] --> RELAY: メッセージを送る (one active request, or the one chosen) / 返事を送る
    RELAY --> RELAY: text, photo, sticker or place → passed on, with who and which request
    RELAY --> [*]: おわる / やめる / 30 minutes idle / the request closes
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from linebot.v3.webhooks import (
    Event,
    ImageMessageContent,
    LocationMessageContent,
    MessageEvent,
    StickerMessageContent,
    TextMessageContent,
)
from sqlalchemy.orm import Session

from db import conversations, first_visits
from db import requests as request_repo
from db.models import Conversation, HelpRequest, Member, RelayMedia, RequestStatus
from db.outbox import PRIORITY_NORMAL, PRIORITY_URGENT
from handlers import postback, texts, ui
from handlers.common import label_of, main_menu, name_of, request_named
from handlers.context import Context
from handlers.flow import Flow
from handlers.picker import which_request
from handlers.timing import QuietHours, clock_word
from matching.words import ends_relay

FLOW = "relay"
IDLE_LIMIT = timedelta(minutes=30)
RATE_WINDOW = timedelta(minutes=1)
ENDED = "ended"
RELAY_TEXT_LIMIT = 2000
# Stickers LINE lets a bot send (Messaging API sticker list); others are described in words.
SENDABLE_STICKER_PACKAGES = frozenset(
    {"446", "789", "1070", "6136", "6325", "6359", "6362", "6370", "6632", "8515", "8522", "8525"}
    | {"11537", "11538", "11539"}
)


# --- who can talk about what ----------------------------------------------------------------------


def active_requests_of(session: Session, member: Member) -> Sequence[HelpRequest]:
    """Matched requests where this member is the resident or the supporter."""
    return request_repo.matched_with(session, member.id)


def other_side(request: HelpRequest, member: Member) -> Member | None:
    if request.requester_id == member.id:
        return request.accepted_by
    if request.accepted_by_id == member.id:
        return request.requester
    return None


# --- starting and ending ------------------------------------------------------------------------


def start_command(ctx: Context) -> None:
    """「メッセージを送る」: start with the one active request, or let the user choose."""
    active = active_requests_of(ctx.session, ctx.sender)
    if not active:
        ctx.reply(ui.text(texts.RELAY_NONE, main_menu(ctx)))
    elif len(active) == 1:
        _start(ctx, active[0])
    else:
        ctx.reply(which_request(ctx, texts.RELAY_CHOOSE, active, lambda r: postback.encode("relay", r=r.id)))


def on_start(ctx: Context, fields: dict[str, str]) -> None:
    """The 「メッセージを送る」 / 「返事を送る」 button of one request (without an id: choose one)."""
    if "r" not in fields:
        start_command(ctx)
        return
    request = request_named(ctx, fields)
    if request is None or ctx.sender.id not in (request.requester_id, request.accepted_by_id):
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
    elif request.status != RequestStatus.MATCHED or request.accepted_by is None:
        ctx.reply(_cannot_relay(request, ctx))
    else:
        _start(ctx, request)


def _start(ctx: Context, request: HelpRequest) -> None:
    other = other_side(request, ctx.sender)
    assert other is not None
    keep(ctx, FLOW, request)
    ctx.reply(ui.text(texts.RELAY_START.format(name=name_of(request, other)), [_end_button()]))


def keep(ctx: Context, flow: str, request: HelpRequest, *, sent: list[str] | None = None) -> None:
    data: dict[str, object] = {"request_id": request.id}
    if sent:
        data["sent"] = sent  # when the last messages were passed on (the per-minute limit)
    # Stamped with the handler's clock: half an hour after the last message, the flow ends.
    conversations.set_state(ctx.session, ctx.sender.id, flow, "compose", data, now=ctx.now)


def _sent_lately(state: Conversation, now: datetime) -> list[str]:
    """The times of messages passed on in the last minute (an abuse limit, per member)."""
    recent = []
    for stamp in state.data.get("sent", []):
        try:
            if now - datetime.fromisoformat(str(stamp)) < RATE_WINDOW:
                recent.append(str(stamp))
        except ValueError:
            continue
    return recent


def end_relays(session: Session, request_id: int) -> None:
    """The request closed or changed hands: whoever was writing about it is told so at their next message."""
    for state in conversations.in_flow(session, FLOW):
        if state.data.get("request_id") == request_id:
            state.step = ENDED


def _end_button() -> ui.Action:
    return ui.say(texts.RELAY_END_BUTTON)


# --- messages while relaying --------------------------------------------------------------------


def ended_in_words(ctx: Context, message: object) -> bool:
    """おわる (typed, or its button): what the sender was writing ends; True when it did."""
    if isinstance(message, TextMessageContent) and ends_relay(message.text, texts.RELAY_END_BUTTON):
        conversations.clear_state(ctx.session, ctx.sender.id)
        ctx.reply(ui.text(texts.RELAY_ENDED, main_menu(ctx)))
        return True
    return False


def on_message(event: Event, ctx: Context) -> None:
    assert isinstance(event, MessageEvent)
    state = conversations.get_state(ctx.session, ctx.sender.id)
    assert state is not None
    message = event.message
    if ended_in_words(ctx, message):
        return
    request = ctx.session.get(HelpRequest, state.data.get("request_id", -1))
    other = None if request is None else other_side(request, ctx.sender)
    if request is None or other is None or request.status != RequestStatus.MATCHED or state.step == ENDED:
        conversations.clear_state(ctx.session, ctx.sender.id)
        ctx.reply(_cannot_relay(request, ctx))
        return
    if not other.line_user_id or not other.active:
        ctx.reply(ui.text(texts.RELAY_NOT_ON_LINE.format(name=name_of(request, other)), main_menu(ctx)))
        return
    recent = _sent_lately(state, ctx.now)
    if len(recent) >= ctx.settings.relay_per_minute:
        ctx.reply(ui.text(texts.RELAY_LIMIT, [_end_button()]))
        return
    header = {"category": label_of(request.category), "name": name_of(request, ctx.sender)}
    passed_on = _pass_on(ctx, request, message, header)
    if passed_on is None:
        ctx.reply(ui.text(texts.RELAY_UNSUPPORTED, [_end_button()]))
        return
    if not passed_on:
        ctx.reply(ui.text(texts.RELAY_NO_IMAGES, [_end_button()]))
        return
    reply_button = ui.postback(texts.RELAY_REPLY_BUTTON, postback.encode("relay", r=request.id))
    passed_on[-1] = ui.with_quick(passed_on[-1], [reply_button])
    copies = [{k: v for k, v in message.items() if k != "quickReply"} for message in passed_on]
    ctx.push([other.line_user_id], passed_on, priority=PRIORITY_URGENT)
    _copy_to_companion(ctx, request, copies)
    request.relay_count += 1  # the desk shows how much the two sides talked, never what
    keep(ctx, FLOW, request, sent=[*recent, ctx.now.isoformat()])
    ctx.reply(ui.text(_sent_text(ctx, name_of(request, other)), [_end_button()]))


def _copy_to_companion(ctx: Context, request: HelpRequest, messages: list[dict[str, Any]]) -> None:
    """顔合わせ: the coordinator going along reads what the two sides say (without the reply button)."""
    coordinator = first_visits.companion(ctx.session, request.id)
    if coordinator is not None and coordinator.id != ctx.sender.id:
        ctx.push([coordinator.line_user_id], messages, priority=PRIORITY_NORMAL)


def _cannot_relay(request: HelpRequest | None, ctx: Context) -> ui.Message:
    """Why nothing was passed on, in words that fit what happened to the request."""
    if request is None or request.status in (RequestStatus.DONE, RequestStatus.EXPIRED):
        return ui.text(texts.RELAY_CLOSED, main_menu(ctx))
    if request.status == RequestStatus.CANCELLED:
        return ui.text(texts.RELAY_CANCELLED, main_menu(ctx))
    if request.requester_id != ctx.sender.id:
        return ui.text(texts.RELAY_HANDED_OVER, main_menu(ctx))
    supporter = request.accepted_by
    if request.status == RequestStatus.MATCHED and supporter is not None:
        body = texts.RELAY_NEW_SUPPORTER.format(name=name_of(request, supporter))
        return ui.text(body, [ui.say(texts.RELAY_BUTTON), *main_menu(ctx)])
    return ui.text(texts.RELAY_SEARCHING, main_menu(ctx))


def _sent_text(ctx: Context, name: str) -> str:
    quiet = QuietHours.of(ctx.settings)
    if quiet.contains(ctx.now):
        return texts.RELAY_SENT_NIGHT.format(name=name, time=clock_word(quiet.end))
    return texts.RELAY_SENT.format(name=name)


def _pass_on(
    ctx: Context, request: HelpRequest, message: Any, header: dict[str, str]
) -> list[ui.Message] | None:
    """The messages the other side receives; [] when a photo cannot be passed on, None if unsupported."""
    if isinstance(message, TextMessageContent):
        body = texts.RELAY_HEADER.format(**header) + "\n" + ui.clip(message.text, RELAY_TEXT_LIMIT)
        return [ui.text(body)]
    if isinstance(message, StickerMessageContent):
        return [ui.text(texts.RELAY_STICKER.format(**header)), *sticker(message)]
    if isinstance(message, ImageMessageContent):
        image = _image(ctx, request, message)
        return [ui.text(texts.RELAY_IMAGE.format(**header)), image] if image else []
    if isinstance(message, LocationMessageContent):
        if not on_earth(message.latitude, message.longitude):
            return (
                None  # not a place LINE can show (the webhook's checks leave such coordinates out of range)
            )
        return [
            ui.text(texts.RELAY_LOCATION.format(**header)),
            ui.location(
                message.title or texts.LOCATION_UNTITLED,
                message.address or "",
                message.latitude,
                message.longitude,
            ),
        ]
    return None


def sticker(message: StickerMessageContent) -> list[ui.Message]:
    if message.package_id not in SENDABLE_STICKER_PACKAGES:
        return []
    return [{"type": "sticker", "packageId": message.package_id, "stickerId": message.sticker_id}]


def _image(ctx: Context, request: HelpRequest, message: ImageMessageContent) -> ui.Message | None:
    """A photo LINE holds is served from our /relay/media URL (LINE apps load images over https)."""
    provider = message.content_provider
    if provider.type == "external" and (provider.original_content_url or "").startswith("https://"):
        original = provider.original_content_url or ""
        preview = provider.preview_image_url or original
    elif ctx.settings.public_url:
        token = secrets.token_urlsafe(32)
        ctx.session.add(
            RelayMedia(token=token, request_id=request.id, line_message_id=message.id, created_at=ctx.now)
        )
        original = preview = f"{ctx.settings.public_url}/relay/media/{token}"
    else:
        return None
    return {"type": "image", "originalContentUrl": original, "previewImageUrl": preview}


def pass_on_text(ctx: Context, request: HelpRequest, text: str) -> None:
    """One typed message for the other side, written without 「メッセージを送る」 first: passed on as is."""
    other = other_side(request, ctx.sender)
    if other is None or request.status != RequestStatus.MATCHED:
        ctx.reply(_cannot_relay(request, ctx))
        return
    if not other.line_user_id or not other.active:
        ctx.reply(ui.text(texts.RELAY_NOT_ON_LINE.format(name=name_of(request, other)), main_menu(ctx)))
        return
    header = texts.RELAY_HEADER.format(category=label_of(request.category), name=name_of(request, ctx.sender))
    reply_button = ui.postback(texts.RELAY_REPLY_BUTTON, postback.encode("relay", r=request.id))
    body = f"{header}\n{ui.clip(text, RELAY_TEXT_LIMIT)}"
    ctx.push([other.line_user_id], [ui.text(body, [reply_button])], priority=PRIORITY_URGENT)
    sent = _sent_text(ctx, name_of(request, other))
    ctx.reply(ui.text(f"{sent}\n{texts.RELAY_SENT_TYPED_HINT}", main_menu(ctx)))


def on_earth(lat: float, lon: float) -> bool:
    """Finite coordinates within the globe's ranges (anywhere, not only Japan: neighbours travel)."""
    return math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180


# Every message goes to the other side, commands excepted; everyday words that are also commands
# (「もういい」「終わりました」) are passed on as written.
CONVERSATION = Flow(
    FLOW,
    idle_limit=IDLE_LIMIT,
    on_message=on_message,
    passes_on=frozenset({"said_stop", "checkin_done", "checkin_later", "checkin_noshow"}),
)
