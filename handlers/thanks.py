"""The resident's お礼 after 完了: one tap, a few written words or a sticker, passed on to the supporter once.

stateDiagram-v2
    [*] --> [*]: お礼を送る (one tap: a ready thank-you passed on) / 送らない
    [*] --> [*]: thanks typed or a sticker sent under お礼を伝えませんか？ (passed on)
    [*] --> THANKS: 自分で書く (after 完了)
    THANKS --> [*]: one text or sticker passed on (once per request) / 送らない / おわる / 30 minutes idle
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from linebot.v3.webhooks import Event, MessageEvent, StickerMessageContent, TextMessageContent

from db import conversations, lifecycle
from db.models import HelpRequest, RequestStatus
from db.outbox import PRIORITY_URGENT
from handlers import postback, relay, texts, ui
from handlers.common import main_menu, name_of, request_named
from handlers.context import Context
from handlers.flow import Flow

THANKS_FLOW = "thanks"


def on_thanks(ctx: Context, fields: dict[str, str]) -> None:
    """After 完了: a one-tap thank-you, a written one (next message), or none."""
    leave_thanks(ctx)
    request = request_named(ctx, fields)
    if request is not None and request.requester_id != ctx.sender.id:
        request = None
    if request is None or request.status != RequestStatus.DONE:
        ctx.reply(ui.text(texts.THANKS_TOO_LATE, main_menu(ctx)))
    elif fields.get("n") == "1":
        ctx.reply(ui.text(texts.THANKS_SKIPPED, main_menu(ctx)))
    elif request.thanked_at is not None:
        already_thanked(ctx, request)
    elif fields.get("p") == "1":
        send_thanks(ctx, request, texts.THANKS_PRESET)
    elif fields.get("w") == "1":
        start_thanks(ctx, request)
    else:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))


def start_thanks(ctx: Context, request: HelpRequest) -> None:
    relay.keep(ctx, THANKS_FLOW, request)
    # A postback, not words: 送らない must never be passed on as the thank-you itself.
    skip = ui.postback(texts.THANKS_SKIP, postback.encode("thx", r=request.id, n=1), texts.THANKS_SKIP)
    ctx.reply(ui.text(texts.THANKS_PROMPT, [skip]))


def leave_thanks(ctx: Context) -> None:
    """A thanks button was tapped: a thank-you still being written is no longer awaited."""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    if state is not None and state.flow == THANKS_FLOW:
        conversations.clear_state(ctx.session, ctx.sender.id)


def on_message(event: Event, ctx: Context) -> None:
    """The next message after 自分で書く is the thank-you (a text or a sticker); おわる stops writing it."""
    assert isinstance(event, MessageEvent)
    state = conversations.get_state(ctx.session, ctx.sender.id)
    assert state is not None
    message = event.message
    if relay.ended_in_words(ctx, message):
        return
    request = ctx.session.get(HelpRequest, state.data.get("request_id", -1))
    _thanks_message(ctx, request, message)


def _thanks_message(ctx: Context, request: HelpRequest | None, message: Any) -> None:
    conversations.clear_state(ctx.session, ctx.sender.id)
    if request is None or request.requester_id != ctx.sender.id or request.status != RequestStatus.DONE:
        ctx.reply(ui.text(texts.THANKS_TOO_LATE, main_menu(ctx)))
        return
    if isinstance(message, TextMessageContent) and message.text.strip() == texts.THANKS_SKIP:
        ctx.reply(ui.text(texts.THANKS_SKIPPED, main_menu(ctx)))
    elif isinstance(message, TextMessageContent):
        send_thanks(ctx, request, message.text)
    elif isinstance(message, StickerMessageContent):
        send_thanks(ctx, request, None, relay.sticker(message))
    else:
        ctx.reply(ui.text(texts.RELAY_UNSUPPORTED, main_menu(ctx)))


def send_thanks(
    ctx: Context, request: HelpRequest, words: str | None, extra: Sequence[ui.Message] = ()
) -> None:
    """Pass the resident's thank-you on to the supporter, and tell the resident it arrived."""
    supporter = request.accepted_by
    if supporter is None:
        ctx.reply(ui.text(texts.THANKS_TOO_LATE, main_menu(ctx)))
        return
    if not lifecycle.mark_thanked(ctx.session, request, ctx.now):
        already_thanked(ctx, request)
        return
    name = name_of(request, ctx.sender)
    if words is None:
        messages = [ui.text(texts.THANKS_FORWARD_STICKER.format(name=name)), *extra]
    else:
        messages = [ui.text(texts.THANKS_FORWARD.format(name=name, text=ui.clip(words.strip(), 500)))]
    ctx.push([supporter.line_user_id], messages, priority=PRIORITY_URGENT)
    ctx.reply(ui.text(texts.THANKS_SENT.format(name=name_of(request, supporter)), main_menu(ctx)))


def asked_for(asked: dict[str, Any] | None) -> int | None:
    """The request the question just asked is about, when it asked 「お礼を伝えませんか？」."""
    fields = None if asked is None else postback.decode(str(asked["yes"]["data"]))
    return None if fields is None or fields.get("a") != "thx" else postback.int_field(fields, "r")


def in_words(ctx: Context, request_id: int, text: str) -> None:
    """「ほんまにたすかりました」 typed under 「お礼を伝えませんか？」: that is the thank-you, passed on."""
    _thanks_answered(ctx, request_id, text)


def in_sticker(ctx: Context, request_id: int, message: StickerMessageContent) -> None:
    """A sticker sent under 「お礼を伝えませんか？」 (a bow, a thank-you): passed on as the thank-you."""
    _thanks_answered(ctx, request_id, None, relay.sticker(message))


def _thanks_answered(
    ctx: Context, request_id: int, words: str | None, extra: Sequence[ui.Message] = ()
) -> None:
    request = ctx.session.get(HelpRequest, request_id)
    if request is None or request.requester_id != ctx.sender.id or request.status != RequestStatus.DONE:
        ctx.reply(ui.text(texts.THANKS_TOO_LATE, main_menu(ctx)))
    elif request.thanked_at is not None:
        already_thanked(ctx, request)
    else:
        send_thanks(ctx, request, words, extra)


def already_thanked(ctx: Context, request: HelpRequest) -> None:
    """A second お礼 for the same help: the supporter already has it, so nothing is pushed again."""
    supporter = request.accepted_by
    name = texts.SOMEONE_SUPPORTER if supporter is None else name_of(request, supporter)
    ctx.reply(ui.text(texts.THANKS_ALREADY.format(name=name), main_menu(ctx)))


# A thank-you being written is not a conversation: there 「キャンセルしたい」 means stop writing it.
CONVERSATION = Flow(
    THANKS_FLOW,
    idle_limit=relay.IDLE_LIMIT,
    on_message=on_message,
    passes_on=frozenset({"checkin_done", "checkin_later", "checkin_noshow"}),
)
