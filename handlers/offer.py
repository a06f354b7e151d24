"""やってみたい: keep the offer, show open requests it could serve and people who want the same.

stateDiagram-v2
    [*] --> TEXT: やってみたい
    TEXT --> TEXT: only 「はい」 or emoji, a question back or a slip (asked again)
    TEXT --> [*]: what they would like to do (kept; open requests near, similar offers, masters shown;
    TEXT --> [*]: サポーター登録もしますか？ asked, a typed はい / いいえ answers it: handlers/question.py)
    TEXT --> [*]: a 困りごと instead (the request flow takes over)
    TEXT --> [*]: やめる
"""

from __future__ import annotations

from db import conversations
from db import requests as request_repo
from db.models import Conversation, HelpRequest, Offer, ProposalStatus, RequestStatus
from handlers import accept, masters, postback, question, request_flow, supporter_flow, texts, ui
from handlers.common import cancel_button, label_of, main_menu, redact, request_named, understood
from handlers.context import Context
from handlers.flow import Flow
from matching import bounding_box, haversine_km, skills_from_text
from matching.words import asks_back, is_pleasantry, is_trouble, offers_to_do

FLOW = "offer"
NEARBY_KM = 5.0
LIST_LIMIT = 3


def prompt(ctx: Context) -> None:
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, "text", {}, now=ctx.now)
    ctx.reply(ui.text(texts.OFFER_PROMPT, [cancel_button()]))


def on_text(ctx: Context, state: Conversation | None, text: str) -> None:
    """Store the offer and answer with what it connects to."""
    if state is not None:
        conversations.clear_state(ctx.session, ctx.sender.id)
    found = skills_from_text(text)
    offer = request_repo.add_offer(ctx.session, ctx.sender, text, sorted(found))
    lines = [texts.OFFER_SAVED.format(text=ui.clip(text, 60))]
    if not found:
        lines.append(texts.OFFER_UNKNOWN)
    nearby = _nearby_requests(ctx, offer)
    if nearby:
        lines.append(texts.OFFER_REQUESTS_NEAR)
        lines += [_request_line(ctx, r) for r in nearby[:LIST_LIMIT]]
    similar = request_repo.similar_offers(ctx.session, offer, limit=LIST_LIMIT)
    if similar:
        lines.append(texts.OFFER_SIMILAR)
        lines += [_offer_line(o) for o in similar]
    master_lines, master_buttons = masters.for_offer(ctx, offer)
    lines += master_lines
    if not nearby and found and not master_lines:
        lines.append(texts.OFFER_NONE_YET)
    buttons = [*master_buttons, *main_menu(ctx)]
    if ctx.sender.is_supporter:
        # Each listed need can be taken at once, as its card's 引き受ける would.
        buttons[:0] = [_take_button(r) for r in nearby[:LIST_LIMIT]]
    if not found or ctx.sender.is_supporter:
        ctx.reply(ui.text("\n".join(lines), buttons))
        return
    # The last line is a question: 「はい」「ぜひ」 typed next registers, 「いいえ」 keeps only the offer.
    lines.append(texts.OFFER_ASK_SUPPORTER)
    register = postback.encode("offsup", o=offer.id)
    yes = ui.postback(texts.OFFER_BECOME_SUPPORTER, register, texts.MENU_SUPPORTER)
    no = ui.postback(texts.OFFER_NOT_NOW, postback.encode("offsup", o=offer.id, n=1), texts.OFFER_NOT_NOW)
    ctx.reply(ui.text("\n".join(lines), [yes, no, *buttons][: ui.QUICK_REPLY_LIMIT]))
    question.ask(ctx, yes, no, *master_buttons)


def _take_button(request: HelpRequest) -> ui.Action:
    label = texts.OFFER_TAKE.format(category=label_of(request.category))
    return ui.postback(label, postback.encode("offtake", r=request.id), label)


def on_take(ctx: Context, fields: dict[str, str]) -> None:
    """A need listed under a やってみたい: taken like a card, by a supporter it was shown to."""
    request = request_named(ctx, fields)
    if request is None or not ctx.sender.is_supporter or request.requester_id == ctx.sender.id:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
        return
    proposal = request_repo.proposal_for(ctx.session, request.id, ctx.sender.id)
    if proposal is None and request.status == RequestStatus.OPEN:
        distance = _distance(ctx.sender.home_lat, ctx.sender.home_lon, request)
        request_repo.record_proposals(ctx.session, request, [(ctx.sender, distance, 0.0)], ctx.now)
    elif proposal is not None and proposal.status == ProposalStatus.PASSED:
        proposal.status = ProposalStatus.ASKED  # passed on the card, but wants it now
    accept.on_accept(ctx, {"r": str(request.id)})


def on_become_supporter(ctx: Context, fields: dict[str, str]) -> None:
    offer_id = postback.int_field(fields, "o")
    offer = None if offer_id is None else ctx.session.get(Offer, offer_id)
    if offer is None or offer.member_id != ctx.sender.id:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
        return
    if fields.get("n") == "1":
        ctx.reply(ui.text(texts.OFFER_KEPT, main_menu(ctx)))
        return
    # Tapped or typed (「はい」): one line says what opens, above what the offer already told us.
    intro = texts.OFFER_REGISTER_INTRO if offer.categories else texts.OFFER_REGISTER_START
    supporter_flow.start(ctx, skills=frozenset(offer.categories), skill_text=offer.text, intro=intro)


def _nearby_requests(ctx: Context, offer: Offer) -> list[HelpRequest]:
    member = ctx.sender
    if member.home_lat is None or member.home_lon is None or not offer.categories:
        return []
    box = bounding_box(member.home_lat, member.home_lon, NEARBY_KM)
    found = request_repo.open_in_box(ctx.session, box, offer.categories, exclude_requester=member.id)
    return sorted(found, key=lambda r: _distance(member.home_lat, member.home_lon, r))


def _distance(lat: float | None, lon: float | None, request: HelpRequest) -> float:
    if None in (lat, lon, request.lat, request.lon):
        return float("inf")
    return haversine_km(lat, lon, request.lat, request.lon)  # type: ignore[arg-type]


def _request_line(ctx: Context, request: HelpRequest) -> str:
    # Same privacy rule as the supporter card: area and redacted text only.
    text = ui.clip(redact(request.text, request.requester.display_name), 40)
    area = request.area or texts.UNKNOWN_AREA
    return texts.OFFER_REQUEST_LINE.format(category=label_of(request.category), text=text, area=area)


def _offer_line(other: Offer) -> str:
    # Other people's offers are shown like request cards: redacted text and town only.
    text = ui.clip(redact(other.text, other.member.display_name), 40)
    return texts.OFFER_OTHER_LINE.format(text=text, area=other.member.home_area or texts.UNKNOWN_AREA)


def _on_step_text(ctx: Context, state: Conversation, text: str) -> None:
    """What they would like to do, written after やってみたい."""
    if is_pleasantry(text):
        prompt(ctx)  # 「はい」 or only emoji says nothing to keep: ask again
    elif asks_back(text) and not skills_from_text(text) and not offers_to_do(text):
        # 「なんのこと？」「まちがえました」 is no offer: it was kept as one (「すてきです！記録しました」).
        ctx.reply(ui.text(texts.OFFER_ASK_AGAIN, [cancel_button()]))
    elif is_trouble(text, understood(text).category):
        # 「電球が切れて困っている」 after やってみたい is a 困りごと, not something they would like to do.
        conversations.clear_state(ctx.session, ctx.sender.id)
        request_flow.start(ctx, text, understood(text))
    else:
        on_text(ctx, state, text)


def _reprompt(ctx: Context, _state: Conversation) -> None:
    prompt(ctx)


# 「サポーターになりたいです」, a place or a master asked for, or food offered mean just that mid-offer.
CONVERSATION = Flow(
    FLOW,
    on_text=_on_step_text,
    reprompt=_reprompt,
    ask_step=_reprompt,  # 「もういっぺん」「わからん」: the question again (it was kept as the offer itself)
    lets_through=frozenset({"said-command", "find-place", "food-offer", "find-master"}),
)
