"""Stopping being a supporter, in words (「サポーターをやめたい」) or with the button in サポーター設定.

stateDiagram-v2
    [*] --> asked: サポーターをやめたい / サポーターをやめる
    asked --> [*]: やめる (no more cards; jobs held go back to others; residents told)
    asked --> [*]: 続ける
"""

from __future__ import annotations

from db import lifecycle
from handlers import accepted_requests, postback, question, texts, ui
from handlers.common import main_menu
from handlers.context import Context
from handlers.follow import release_accepted


def ask(ctx: Context) -> None:
    if not ctx.sender.is_supporter:
        ctx.reply(ui.text(texts.SUP_NOT_REGISTERED, main_menu(ctx)))
        return
    held = len(accepted_requests.accepted_by_sender(ctx))
    body = texts.SUP_QUIT_CONFIRM + (texts.SUP_QUIT_HELD.format(count=held) if held else "")
    yes = ui.postback(texts.SUP_QUIT_YES, postback.encode("supq", ok=1), texts.SUP_QUIT_YES)
    no = ui.postback(texts.SUP_QUIT_NO, postback.encode("supq", ok=0), texts.SUP_QUIT_NO)
    ctx.reply(ui.text(body, [yes, no]))
    question.ask(ctx, yes, no)


def on_answer(ctx: Context, fields: dict[str, str]) -> None:
    member = ctx.sender
    if fields.get("ok") != "1":
        ctx.reply(ui.text(texts.SUP_QUIT_KEPT, main_menu(ctx)))
        return
    if not member.is_supporter:
        ctx.reply(ui.text(texts.SUP_NOT_REGISTERED, main_menu(ctx)))
        return
    member.is_supporter, member.paused = False, False
    # Cards still out stay answerable only as "passed": nobody waits on someone who stopped.
    lifecycle.pass_all_asked(ctx.session, member.id, ctx.now)
    release_accepted(ctx, member)
    ctx.reply(ui.text(texts.SUP_QUIT_DONE, main_menu(ctx)))
