"""引き受ける / 見送る on a supporter's card: the first accept wins, atomically."""

from __future__ import annotations

from db import desk as desk_repo
from db import lifecycle, outbox
from db import requests as request_repo
from db.models import HelpRequest, ProposalStatus, RequestStatus
from db.outbox import PRIORITY_URGENT
from handlers import postback, texts, ui
from handlers.common import drop_button, format_when, label_of, main_menu, name_of, relay_button
from handlers.context import Context
from handlers.followups import schedule_after_accept

# This supporter's part in the request is over (withdrawn, or they gave it back / did not come).
CLOSED_FOR_SUPPORTER = (ProposalStatus.WITHDRAWN, ProposalStatus.DROPPED, ProposalStatus.NO_SHOW)
# They held it and it went back to others: their old card says so, not 「受付が終わりました」.
GAVE_BACK = (ProposalStatus.DROPPED, ProposalStatus.NO_SHOW)


def on_accept(ctx: Context, fields: dict[str, str]) -> None:
    found = _offered_request(ctx, fields)
    if found is None:
        return
    request, proposal_status = found
    if _is_theirs(ctx, request):
        _already_yours(ctx, request)
        return
    if proposal_status in GAVE_BACK:
        ctx.reply(ui.text(texts.GAVE_BACK_CARD, main_menu(ctx)))
        return
    if request.status != RequestStatus.OPEN or proposal_status in CLOSED_FOR_SUPPORTER:
        ctx.reply(ui.text(_closed_text(request), main_menu(ctx)))
        return
    if request.wanted_at is not None and request.wanted_at <= ctx.now:
        # Its time has passed and the worker has not expired it yet: nobody can come then.
        ctx.reply(ui.text(texts.NOT_OPEN, main_menu(ctx)))
        return
    if not lifecycle.accept(ctx.session, request, ctx.sender.id, ctx.now):
        ctx.reply(ui.text(texts.TAKEN_BY_OTHER, main_menu(ctx)))
        return
    never_saw_it = outbox.drop_unsent_cards(ctx.session, request.id, ctx.now)
    _tell_both_sides(ctx, request)
    _tell_the_others(ctx, request, never_saw_it)
    schedule_after_accept(ctx, request)


def on_pass(ctx: Context, fields: dict[str, str]) -> None:
    found = _offered_request(ctx, fields)
    if found is None:
        return
    request, status = found
    if _is_theirs(ctx, request):
        # 見送る on the card of a job they already took: they still have it (行けなくなった undoes it).
        _already_yours(ctx, request)
        return
    proposal = request_repo.proposal_for(ctx.session, request.id, ctx.sender.id)
    if proposal is not None and status == ProposalStatus.ASKED:
        proposal.status = ProposalStatus.PASSED
        proposal.answered_at = ctx.now
    if status in (ProposalStatus.ASKED, ProposalStatus.PASSED):
        ctx.reply(ui.text(texts.PASSED, main_menu(ctx)))
    elif status in GAVE_BACK:
        ctx.reply(ui.text(texts.GAVE_BACK_CARD, main_menu(ctx)))
    else:
        ctx.reply(ui.text(_closed_text(request), main_menu(ctx)))


def _is_theirs(ctx: Context, request: HelpRequest) -> bool:
    return request.status == RequestStatus.MATCHED and request.accepted_by_id == ctx.sender.id


def _already_yours(ctx: Context, request: HelpRequest) -> None:
    ctx.reply(ui.text(texts.ALREADY_YOURS, [relay_button(request), drop_button(request), *main_menu(ctx)]))


def _offered_request(ctx: Context, fields: dict[str, str]) -> tuple[HelpRequest, ProposalStatus] | None:
    """The request only if this supporter was really offered it; otherwise answer politely."""
    request_id = postback.int_field(fields, "r")
    proposal = (
        None if request_id is None else request_repo.proposal_for(ctx.session, request_id, ctx.sender.id)
    )
    if proposal is None:
        ctx.reply(ui.text(texts.NOT_OFFERED, main_menu(ctx)))
        return None
    return proposal.request, proposal.status


def _closed_text(request: HelpRequest) -> str:
    return texts.TAKEN_BY_OTHER if request.status == RequestStatus.MATCHED else texts.NOT_OPEN


def _tell_both_sides(ctx: Context, request: HelpRequest) -> None:
    """Now, and only now, the supporter learns who and where; the resident learns who is coming."""
    resident = request.requester
    when = format_when(ctx, request.wanted_at)
    category = label_of(request.category)
    short_text = ui.clip(request.text, 300)
    details = texts.ACCEPTED_SUPPORTER.format(
        category=category,
        text=short_text,
        name=name_of(request, resident),
        when=when,
        address=request.address or request.area or texts.UNKNOWN_AREA,
    )
    messages = [ui.text(details)]
    proxy = desk_repo.proxy_of(ctx.session, request.id)
    if proxy is not None:
        # Entered at the desk for someone without LINE: the coordinator arranges the visit.
        coordinator = proxy.account
        phone = coordinator.phone or proxy.phone
        messages.append(ui.text(texts.PROXY_ACCEPTED_SUPPORTER.format(name=coordinator.login, phone=phone)))
    if request.lat is not None and request.lon is not None:
        messages.append(
            ui.location(f"{category}の場所", request.address or request.area, request.lat, request.lon)
        )
    ui.with_quick(messages[-1], [relay_button(request), drop_button(request)])
    ctx.reply(*messages)
    supporter_name = name_of(request, ctx.sender)
    ctx.push(
        [resident.line_user_id],
        [
            ui.text(
                texts.ACCEPTED_RESIDENT.format(
                    name=supporter_name, category=category, text=short_text, when=when
                ),
                [relay_button(request)],
            )
        ],
        priority=PRIORITY_URGENT,
    )


def _tell_the_others(ctx: Context, request: HelpRequest, never_saw_it: set[str]) -> None:
    # Only this round's cards: someone told in an earlier round, and not asked since, hears nothing more.
    since = request.opened_at or request.created_at
    others = [
        p.supporter.line_user_id
        for p in request_repo.proposals_of(ctx.session, request.id)
        if p.status == ProposalStatus.TAKEN
        and p.supporter.line_user_id not in never_saw_it
        and p.asked_at >= since
    ]
    ctx.push(others, [ui.text(texts.TAKEN_BY_OTHER, main_menu(ctx))], priority=PRIORITY_URGENT)
