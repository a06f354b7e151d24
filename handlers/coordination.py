"""Coordinators in LINE: the requests waiting for a person (要対応), and taking one in hand.

A coordinator types 要対応 (or taps it under a 【要対応】 notice) and sees what waits, oldest
first; 対応する on one takes it off everyone's list and shows what they need to call or visit
(staff see the resident's name and address; supporters never do before accepting).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from db import lifecycle
from db import requests as request_repo
from db.models import HelpRequest, Proposal, ProposalStatus
from handlers import postback, texts, ui
from handlers.common import format_when, label_of, main_menu, name_of, request_named
from handlers.context import Context
from matching.words import command_key, command_words

# One message: a list a person can read on a phone, and one button per request (quick replies ≤ 13).
DESK_LIMIT = 10


def desk_button() -> ui.Action:
    return ui.say(texts.DESK_BUTTON)


def is_desk_word(text: str) -> bool:
    return command_key(text) in {command_key(w) for w in command_words("desk")}


def show(ctx: Context) -> None:
    # Oldest first: who has waited longest is seen first, and never cut off by newer ones.
    waiting = request_repo.for_desk(
        ctx.session,
        statuses=request_repo.ACTIVE_STATUSES,
        flagged_only=True,
        limit=DESK_LIMIT + 1,
        oldest_first=True,
    )
    if not waiting:
        ctx.reply(ui.text(texts.DESK_EMPTY, main_menu(ctx)))
        return
    shown = waiting[:DESK_LIMIT]
    asked = request_repo.proposals_by_request(ctx.session, [request.id for request in shown])
    entries = [_entry(ctx, request, asked[request.id]) for request in shown]
    more = texts.DESK_MORE if len(waiting) > DESK_LIMIT else ""
    buttons = [
        ui.postback(
            texts.DESK_TAKE.format(id=request.id),
            postback.encode("desk", r=request.id),
            texts.DESK_TAKE_SAID.format(id=request.id),
        )
        for request in shown
    ]
    ctx.reply(ui.text(texts.DESK_HEAD + "\n\n".join(entries) + more, buttons))


def on_take(ctx: Context, fields: dict[str, str]) -> None:
    """対応する: off the list for every coordinator; the details to act on come back."""
    request = request_named(ctx, fields)
    if not ctx.sender.is_coordinator or request is None:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
        return
    if request.status not in request_repo.ACTIVE_STATUSES:
        ctx.reply(ui.text(texts.DESK_CLOSED.format(id=request.id), [desk_button(), *main_menu(ctx)]))
        return
    # A conditional update: of two coordinators tapping at once, one takes it and the other is told.
    if not lifecycle.take_off_desk(ctx.session, request):
        ctx.reply(ui.text(texts.DESK_ALREADY.format(id=request.id), [desk_button(), *main_menu(ctx)]))
        return
    ctx.reply(ui.text(_details(ctx, request), [desk_button(), *main_menu(ctx)]))


def _entry(ctx: Context, request: HelpRequest, proposals: list[Proposal]) -> str:
    return texts.DESK_ENTRY.format(
        id=request.id,
        category=label_of(request.category),
        area=request.area or texts.UNKNOWN_AREA,
        when=format_when(ctx, request.wanted_at),
        state=_state_of(request, proposals),
    )


def _state_of(request: HelpRequest, proposals: Sequence[Proposal]) -> str:
    if request.accepted_by is not None:
        return texts.DESK_STATE_MATCHED.format(name=name_of(request, request.accepted_by))
    answers = Counter(p.status for p in proposals)
    if answers[ProposalStatus.NO_SHOW]:
        return texts.DESK_STATE_NO_SHOW
    asked = sum(answers.values())
    return texts.DESK_STATE_OPEN.format(asked=asked) if asked else texts.DESK_STATE_NOBODY


def _details(ctx: Context, request: HelpRequest) -> str:
    return texts.DESK_TAKEN.format(
        id=request.id,
        category=label_of(request.category),
        text=ui.clip(request.text, 300),
        name=name_of(request, request.requester),
        place=request.address or request.area or texts.UNKNOWN_AREA,
        when=format_when(ctx, request.wanted_at),
        state=_state_of(request, request_repo.proposals_of(ctx.session, request.id)),
    )
