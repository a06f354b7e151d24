"""Answers for what must not be matched: emergencies, things volunteers may not do, harm, blocked users."""

from __future__ import annotations

from handlers import texts, ui
from handlers.common import main_menu
from handlers.context import Context
from matching import Understanding


def answer_flag(ctx: Context, understanding: Understanding) -> None:
    """Reply for a flagged text; nothing is queued and no supporter hears of it."""
    if understanding.flag == "emergency":
        ctx.reply(ui.text(texts.EMERGENCY))
        return
    if understanding.flag == "not_allowed":
        reason = texts.NOT_ALLOWED_REASONS.get(
            understanding.flag_reason or "", texts.NOT_ALLOWED_DEFAULT_REASON
        )
        ctx.reply(ui.text(texts.NOT_ALLOWED.format(reason=reason), main_menu(ctx)))
        return
    ctx.reply(ui.text(texts.HARMFUL, main_menu(ctx)))


def answer_blocked(ctx: Context) -> None:
    ctx.reply(ui.text(texts.BLOCKED))
