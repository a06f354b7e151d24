"""The thank-you after 完了: the resident's お礼 (one tap, written, or a sticker) reaches the supporter once.

stateDiagram-v2
    [*] --> WRITING: 自分で書く (completion.on_thanks, after 完了)
    WRITING --> [*]: one text or sticker passed on (once per request) / 送らない / 30 minutes idle
    [*] --> [*]: ありがとうを送る (the preset thank-you, one tap)

The next message of someone WRITING reaches on_message through relay chat's route (handlers/relay.py), which
carries every message of a conversation with the other side and ends both the same way when idle.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from linebot.v3.webhooks import StickerMessageContent, TextMessageContent

from db import conversations, lifecycle
from db.models import HelpRequest, RequestStatus
from db.outbox import PRIORITY_URGENT
from handlers import postback, texts, ui
from handlers.common import main_menu, name_of
from handlers.context import Context

FLOW = "thanks"


def start(ctx: Context, request: HelpRequest) -> None:
    """自分で書く: the next message is the thank-you."""
    data = {"request_id": request.id, "at": ctx.now.isoformat()}
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, "compose", data)
    # A postback, not words: 送らない must never be passed on as the thank-you itself.
    skip = ui.postback(texts.THANKS_SKIP, postback.encode("thx", r=request.id, n=1), texts.THANKS_SKIP)
    ctx.reply(ui.text(texts.THANKS_PROMPT, [skip]))


def leave(ctx: Context) -> None:
    """A thanks button was tapped: a thank-you still being written is no longer awaited."""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    if state is not None and state.flow == FLOW:
        conversations.clear_state(ctx.session, ctx.sender.id)


def writing(ctx: Context) -> bool:
    """Whether the sender's next message is their thank-you."""
    state = None if ctx.member is None else conversations.get_state(ctx.session, ctx.member.id)
    return state is not None and state.flow == FLOW


def on_message(ctx: Context, request: HelpRequest | None, message: Any) -> None:
    """The message written after 自分で書く: passed on as the thank-you (text or sticker)."""
    conversations.clear_state(ctx.session, ctx.sender.id)
    if request is None or request.requester_id != ctx.sender.id or request.status != RequestStatus.DONE:
        ctx.reply(ui.text(texts.THANKS_TOO_LATE, main_menu(ctx)))
        return
    if isinstance(message, TextMessageContent) and message.text.strip() == texts.THANKS_SKIP:
        ctx.reply(ui.text(texts.THANKS_SKIPPED, main_menu(ctx)))
    elif isinstance(message, TextMessageContent):
        send(ctx, request, message.text)
    elif isinstance(message, StickerMessageContent):
        send(ctx, request, None, ui.sendable_sticker(message.package_id, message.sticker_id))
    else:
        ctx.reply(ui.text(texts.RELAY_UNSUPPORTED, main_menu(ctx)))


def send(ctx: Context, request: HelpRequest, words: str | None, extra: Sequence[ui.Message] = ()) -> None:
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


def already_thanked(ctx: Context, request: HelpRequest) -> None:
    """A second お礼 for the same help: the supporter already has it, so nothing is pushed again."""
    supporter = request.accepted_by
    name = texts.SOMEONE_SUPPORTER if supporter is None else name_of(request, supporter)
    ctx.reply(ui.text(texts.THANKS_ALREADY.format(name=name), main_menu(ctx)))
