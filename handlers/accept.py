"""引き受ける / 見送る on a supporter's card: the first accept wins, atomically.

Before it counts, the scheme's rules in force must have been agreed to (同意して引き受ける), and where
the organisation checks volunteer insurance, the supporter must be covered this insurance year.
"""

from __future__ import annotations

from db import desk as desk_repo
from db import lifecycle, outbox
from db import requests as request_repo
from db import supporters as supporter_repo
from db.models import HelpRequest, ProposalStatus, RequestStatus
from db.outbox import PRIORITY_URGENT
from handlers import agreement, first_visit, postback, texts, ui
from handlers.common import drop_button, format_when, label_of, main_menu, name_of, relay_button
from handlers.context import Context
from handlers.followups import schedule_after_accept
from handlers.notify import push_to_coordinators

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
    if not ctx.sender.is_supporter:
        # Declined (or withdrawn) after the card went out: the card no longer counts.
        ctx.reply(ui.text(texts.NOT_OFFERED, main_menu(ctx)))
        return
    if not _insured(ctx):
        _refuse_uninsured(ctx, request)
        return
    if not agreement.has_agreed(ctx):
        ctx.reply(*agreement.before_accept(ctx, request.id))
        return
    if not lifecycle.accept(ctx.session, request, ctx.sender.id, ctx.now):
        ctx.reply(ui.text(texts.TAKEN_BY_OTHER, main_menu(ctx)))
        return
    never_saw_it = outbox.drop_unsent_cards(ctx.session, request.id, ctx.now)
    _tell_both_sides(ctx, request)
    _tell_the_others(ctx, request, never_saw_it)
    schedule_after_accept(ctx, request)
    first_visit.after_accept(ctx, request)


def on_agree(ctx: Context, fields: dict[str, str]) -> None:
    """同意して引き受ける: the rules in force are agreed to, then it is an accept like any other."""
    request_id, version = postback.int_field(fields, "r"), postback.int_field(fields, "v")
    if request_id is None or version is None:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
        return
    if version != agreement.current(ctx.session)[0]:
        ctx.reply(*agreement.before_accept(ctx, request_id, changed=True))
        return
    agreement.record(ctx, version)
    on_accept(ctx, {"r": str(request_id)})


def _insured(ctx: Context) -> bool:
    if not ctx.settings.insurance:
        return True
    record = supporter_repo.record_of(ctx.session, ctx.sender)
    return supporter_repo.is_insured(record, ctx.local(ctx.now).date())


def _refuse_uninsured(ctx: Context, request: HelpRequest) -> None:
    """A visit the insurance would not cover is not made: the supporter and the coordinators are told."""
    ctx.reply(ui.text(texts.INSURANCE_LAPSED, main_menu(ctx)))
    push_to_coordinators(
        ctx,
        texts.COORDINATOR_INSURANCE_LAPSED.format(
            name=ctx.sender.display_name or texts.SOMEONE_SUPPORTER,
            id=request.id,
            category=label_of(request.category),
        ),
    )


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
            ui.location(
                texts.LOCATION_OF_REQUEST.format(category=category),
                request.address or request.area,
                request.lat,
                request.lon,
            )
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
