"""引き受けた依頼: what a supporter took on, with 「メッセージを送る」 and 行けなくなった (giving it back)."""

from __future__ import annotations

from collections.abc import Sequence

from db import requests as request_repo
from db.models import HelpRequest, ProposalStatus, RequestStatus
from db.outbox import PRIORITY_URGENT
from handlers import completion, followups, postback, question, texts, ui
from handlers.common import (
    drop_button,
    format_when,
    label_of,
    main_menu,
    name_of,
    relay_button,
    request_named,
)
from handlers.context import Context
from handlers.picker import which_request


def accepted_by_sender(ctx: Context) -> Sequence[HelpRequest]:
    return request_repo.accepted_by(ctx.session, ctx.sender.id)


def show(ctx: Context) -> None:
    taken = accepted_by_sender(ctx)
    if not taken:
        ctx.reply(ui.text(texts.ACCEPTED_NONE, main_menu(ctx)))
        return
    bubbles = [_bubble(ctx, r) for r in taken[:12]]
    ctx.reply(ui.flex(texts.ACCEPTED_HEADER, ui.carousel(bubbles), main_menu(ctx)))


def _bubble(ctx: Context, request: HelpRequest) -> dict[str, object]:
    resident = request.requester
    return ui.card(
        label_of(request.category),
        [
            (texts.CARD_TEXT, ui.clip(request.text, 120)),
            (texts.CARD_WHEN, format_when(ctx, request.wanted_at)),
            (texts.CARD_PLACE, request.address or request.area or texts.UNKNOWN_AREA),
            (texts.CARD_RESIDENT, name_of(request, resident)),
        ],
        [relay_button(request, flex=True), drop_button(request, flex=True)],
    )


def drop_command(ctx: Context) -> None:
    """「行けなくなった」: about the one accepted request, or the one chosen."""
    taken = accepted_by_sender(ctx)
    if not taken:
        ctx.reply(ui.text(texts.ACCEPTED_NONE, main_menu(ctx)))
    elif len(taken) == 1:
        confirm(ctx, taken[0])
    else:
        ctx.reply(which_request(ctx, texts.DROP_CHOOSE, taken, lambda r: postback.encode("drop", r=r.id)))


def on_drop(ctx: Context, fields: dict[str, str]) -> None:
    """Postback: without ok= ask to confirm; ok=1 gives the request back; ok=0 keeps it."""
    if "r" not in fields:
        drop_command(ctx)
        return
    request = request_named(ctx, fields)
    if request is None or request.accepted_by_id != ctx.sender.id or request.status != RequestStatus.MATCHED:
        ctx.reply(ui.text(texts.DROP_NOT_YOURS, main_menu(ctx)))
    elif "ok" not in fields:
        confirm(ctx, request)
    elif fields["ok"] != "1":
        ctx.reply(ui.text(texts.DROP_KEPT, main_menu(ctx)))
    else:
        _drop(ctx, request)


def confirm(ctx: Context, request: HelpRequest) -> None:
    body = texts.DROP_CONFIRM.format(
        category=label_of(request.category), when=format_when(ctx, request.wanted_at)
    )
    buttons = [
        ui.postback(texts.DROP_YES, postback.encode("drop", r=request.id, ok=1), texts.DROP_YES),
        ui.postback(texts.DROP_NO, postback.encode("drop", r=request.id, ok=0), texts.DROP_NO),
    ]
    ctx.reply(ui.text(body, buttons))
    question.ask(ctx, *buttons)


def _drop(ctx: Context, request: HelpRequest) -> None:
    supporter = ctx.sender
    resident = request.requester
    outcome = followups.reopen(ctx, request, supporter, ProposalStatus.DROPPED)
    if outcome is None:
        ctx.reply(ui.text(texts.DROP_NOT_YOURS, main_menu(ctx)))
        return
    asked, time_cleared = outcome
    opening = texts.DROP_RESIDENT.format(name=name_of(request, supporter))
    ctx.push(
        [resident.line_user_id],
        [ui.text(completion.reopen_text(opening, asked, time_cleared))],
        priority=PRIORITY_URGENT,
    )
    ctx.reply(ui.text(texts.DROP_DONE, main_menu(ctx)))
