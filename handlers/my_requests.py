"""自分の依頼: a resident sees their active requests and can cancel one."""

from __future__ import annotations

from db import followups as followup_repo
from db import lifecycle, outbox
from db import requests as request_repo
from db.models import HelpRequest, ProposalStatus, RequestStatus
from db.outbox import PRIORITY_URGENT
from handlers import fees, postback, question, request_changes, texts, ui
from handlers.common import format_when, label_of, main_menu, name_of, relay_button, request_named
from handlers.context import Context
from handlers.relay import end_relays


def show(ctx: Context) -> None:
    active = request_repo.active_of(ctx.session, ctx.sender.id)
    if not active:
        ctx.reply(ui.text(texts.MY_NONE, main_menu(ctx)))
        return
    bubbles = [_bubble(ctx, r) for r in active[-12:]]
    ctx.reply(ui.text(texts.MY_HEADER), ui.flex(texts.MY_HEADER, ui.carousel(bubbles), main_menu(ctx)))


def _bubble(ctx: Context, request: HelpRequest) -> dict[str, object]:
    return ui.card(
        label_of(request.category),
        [
            (texts.CARD_TEXT, ui.clip(request.text, 120)),
            (texts.CARD_WHEN, format_when(ctx, request.wanted_at)),
            (texts.MY_STATUS_LABEL, texts.MY_STATUS.get(request.status.value, request.status.value)),
        ],
        [
            *_relay_buttons(request),
            *request_changes.buttons(request),
            ui.postback(
                texts.MY_CANCEL, postback.encode("mycancel", r=request.id), texts.MY_CANCEL_DISPLAY, flex=True
            ),
        ],
    )


def _relay_buttons(request: HelpRequest) -> list[ui.Action]:
    if request.status != RequestStatus.MATCHED:
        return []
    return [relay_button(request, flex=True)]


def on_cancel(ctx: Context, fields: dict[str, str]) -> None:
    request = request_named(ctx, fields)
    if request is None or request.requester_id != ctx.sender.id:
        ctx.reply(ui.text(texts.MY_NOT_YOURS, main_menu(ctx)))
        return
    if fields.get("ok") == "0":
        ctx.reply(ui.text(texts.REQUEST_KEPT, main_menu(ctx)))
        return
    if request.status in (RequestStatus.OPEN, RequestStatus.MATCHED) and fields.get("ok") != "1":
        # One stray tap (or word) must not cancel: the request is named and confirmed.
        ask_cancel(ctx, request)
        return
    cancel_fee, helper = fees.same_day_cancel_fee(ctx, request), request.accepted_by
    if withdraw(ctx, request, texts.WITHDRAWN_SUPPORTER, texts.CANCELLED_ACCEPTED_SUPPORTER):
        done = texts.MY_CANCELLED
        if cancel_fee is not None and helper is not None:
            done = f"{done}\n{fees.charge_cancellation(ctx, request, helper, cancel_fee)}"
        ctx.reply(ui.text(done, main_menu(ctx)))
    else:
        ctx.reply(ui.text(texts.NOT_OPEN, main_menu(ctx)))


def ask_cancel(ctx: Context, request: HelpRequest) -> None:
    """「【電球・修理】の依頼を、取り消しますか？」 (and who is coming), with 取り消す / 取り消さない."""
    yes = ui.postback(
        texts.MY_CANCEL, postback.encode("mycancel", r=request.id, ok=1), texts.MY_CANCEL_DISPLAY
    )
    keep = ui.postback(
        texts.KEEP_REQUEST, postback.encode("mycancel", r=request.id, ok=0), texts.KEEP_REQUEST
    )
    body = texts.CANCEL_CONFIRM.format(category=label_of(request.category))
    if request.status == RequestStatus.MATCHED and request.accepted_by is not None:
        body += "\n" + texts.CANCEL_CONFIRM_MATCHED.format(name=name_of(request, request.accepted_by))
    cancel_fee = fees.same_day_cancel_fee(ctx, request)
    if cancel_fee is not None:
        # Fees: cancelling on the day itself costs one hour (the helper had kept the time).
        body += "\n" + texts.FEE_CANCEL_NOTE.format(amount=fees.yen(cancel_fee.total_yen))
    ctx.reply(ui.text(body, [yes, keep]))
    question.ask(ctx, yes, keep)


def withdraw(ctx: Context, request: HelpRequest, asked_text: str, accepted_text: str) -> bool:
    """Cancel a request and tell every supporter who still holds a card or the job (False: already closed)."""
    category = label_of(request.category)
    accepted_by = request.accepted_by
    told = lifecycle.cancel(ctx.session, request, ctx.now)
    if told is None:
        return False
    followup_repo.cancel_pending(ctx.session, request.id, ctx.now)
    end_relays(ctx.session, request.id)
    never_saw_it = outbox.drop_unsent_cards(ctx.session, request.id, ctx.now)
    asked = [
        p.supporter.line_user_id
        for p in told
        if p.status == ProposalStatus.WITHDRAWN and p.supporter.line_user_id not in never_saw_it
    ]
    accepted = [p.supporter.line_user_id for p in told if p.status == ProposalStatus.ACCEPTED]
    if accepted_by is not None and accepted_by.line_user_id not in accepted:
        accepted.append(accepted_by.line_user_id)  # e.g. assigned by a coordinator, with no proposal
    ctx.push(asked, [ui.text(asked_text.format(category=category))], priority=PRIORITY_URGENT)
    ctx.push(accepted, [ui.text(accepted_text.format(category=category))], priority=PRIORITY_URGENT)
    return True
