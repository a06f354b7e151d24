"""Choose the best nearby supporters for an open request and send them one card."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from db import desk as desk_repo
from db import members as member_repo
from db import requests as request_repo
from db.models import HelpRequest, Member, ProposalStatus
from db.outbox import PRIORITY_NORMAL, PRIORITY_URGENT
from handlers import postback, texts, ui
from handlers.candidates import find_candidates
from handlers.common import format_when, label_of, redact
from handlers.context import Context
from matching import RequestQuery

CARD_TEXT_LIMIT = 200


def notify_supporters(
    ctx: Context, request: HelpRequest, *, radius_boost_km: float = 0.0, priority: int = PRIORITY_NORMAL
) -> int:
    """Ask the best few supporters not yet asked; returns how many were asked."""
    if request.lat is None or request.lon is None:
        return 0
    proposals = request_repo.proposals_of(ctx.session, request.id)
    # A request given back comes back to the first round's others, who were told it was taken; whoever
    # passed, gave it back or did not come is not asked again.
    again = {p.supporter_id for p in proposals if p.status == ProposalStatus.TAKEN}
    already = {p.supporter_id for p in proposals} - again
    query = RequestQuery(
        text=request.text,
        lat=request.lat,
        lon=request.lon,
        category=request.category,
        exclude_member_ids=frozenset(
            already | {request.requester_id} | member_repo.declined_by(ctx.session, request.requester_id)
        ),
        radius_boost_km=radius_boost_km,
    )
    result, members = find_candidates(
        ctx.session,
        query,
        limit=ctx.settings.notify_count + len(again),
        now=ctx.now,
        weekly_cap=ctx.settings.weekly_ask_cap,
        on_line_only=True,  # only people who can tap 引き受ける are asked (and counted as asked)
    )
    chosen = [(members[c.supporter.member_id], c.distance_km, c.score) for c in result.candidates]
    request_repo.record_proposals(ctx.session, request, chosen, ctx.now)
    _send_cards(ctx, request, [(m, d) for m, d, _ in chosen], priority)
    return len(chosen)


def _send_cards(
    ctx: Context, request: HelpRequest, chosen: list[tuple[Member, float]], priority: int
) -> None:
    """One multicast per distance band: identical cards share one call."""
    bands: dict[str, list[str]] = defaultdict(list)
    for member, distance in chosen:
        if member.line_user_id:
            bands[texts.distance_band(distance)].append(member.line_user_id)
    for band, user_ids in bands.items():
        ctx.push(user_ids, [supporter_card(ctx, request, band)], priority=priority, request_id=request.id)


def supporter_card(ctx: Context, request: HelpRequest, distance: str) -> ui.Message:
    """What a supporter sees before accepting: never the name, address or coordinates."""
    category = label_of(request.category)
    area = request.area or texts.UNKNOWN_AREA
    shown_text = ui.clip(redact(request.text, request.requester.display_name), CARD_TEXT_LIMIT)
    bubble = ui.card(
        texts.CARD_TITLE,
        [
            (texts.CARD_CATEGORY, category),
            (texts.CARD_TEXT, shown_text),
            (texts.CARD_AREA, area),
            (texts.CARD_DISTANCE, distance),
            (texts.CARD_WHEN, format_when(ctx, request.wanted_at)),
        ],
        [
            ui.postback(texts.ACCEPT, postback.encode("acc", r=request.id), texts.ACCEPT_DISPLAY, flex=True),
            ui.postback(texts.PASS, postback.encode("pass", r=request.id), texts.PASS_DISPLAY, flex=True),
        ],
        note=texts.CARD_NOTE,
    )
    return ui.flex(texts.CARD_ALT.format(category=category, area=area), bubble)


def tell_coordinators(
    ctx: Context, request: HelpRequest, template: str = texts.COORDINATOR_UNMATCHED
) -> None:
    request.needs_coordinator = True
    notice = template.format(
        id=request.id, category=label_of(request.category), area=request.area or texts.UNKNOWN_AREA
    )
    push_to_coordinators(ctx, notice)


def push_to_coordinators(ctx: Context, notice: str, buttons: Sequence[ui.Action] = ()) -> int:
    """A 【要対応】 notice to every coordinator, with the desk one tap away; returns how many.

    buttons: more quick replies under it (e.g. blocking one side of a reported visit).
    """
    recipients = [c.line_user_id for c in member_repo.coordinators(ctx.session) if c.line_user_id]
    quick = [ui.say(texts.DESK_BUTTON), *buttons]
    ctx.push(recipients, [ui.text(notice, quick)], priority=PRIORITY_URGENT)
    # Also kept for the web desk, which shows it until someone handles it (even with nobody on LINE).
    desk_repo.add_notice(ctx.session, notice, ctx.now)
    return len(recipients)


def ask_one(ctx: Context, request: HelpRequest, supporter: Member, distance_km: float, score: float) -> bool:
    """A coordinator picks one supporter: they get the same card and can still 見送る (False: no LINE).

    Someone asked before (who passed, say) is asked again on their earlier proposal row.
    """
    if not supporter.line_user_id:
        return False
    earlier = request_repo.proposal_for(ctx.session, request.id, supporter.id)
    if earlier is None:
        request_repo.record_proposals(ctx.session, request, [(supporter, distance_km, score)], ctx.now)
    else:
        request.match_round += 1
        earlier.status, earlier.asked_at, earlier.answered_at = ProposalStatus.ASKED, ctx.now, None
        earlier.match_round = request.match_round
        supporter.last_asked_at = ctx.now
    card = supporter_card(ctx, request, texts.distance_band(distance_km))
    ctx.push(
        [supporter.line_user_id],
        [ui.text(texts.ASKED_BY_COORDINATOR), card],
        priority=PRIORITY_URGENT,
        request_id=request.id,
    )
    return True
