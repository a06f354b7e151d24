"""After a request is sent: a text is first read against what is going on (matching/after_send.py).

A resident's detail is added to the request (and passed to the supporter who accepted), a question for the
helper is relayed, a cancel or status question acts on the request it names, a check-in answer in words
counts; a supporter's 「引き受けます」「見送ります」「行けなくなった」 answers the card or the job, and their
words for the resident are relayed. When a text could be a detail or a new request, one tap decides.

stateDiagram-v2
    [*] --> acted: the text plainly means something about a request or card
    [*] --> CHOOSE: unsure (detail or new?) / several requests and the text names none
    CHOOSE --> acted: この依頼への追加 / the request tapped
    CHOOSE --> request_flow: 新しい依頼
    CHOOSE --> [*]: やめる / another text
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from db import conversations
from db import requests as request_repo
from db.models import HelpRequest, ProposalStatus, RequestStatus
from handlers import (
    accept,
    accepted_requests,
    completion,
    due_followups,
    my_requests,
    picker,
    postback,
    relay,
    request_changes,
    request_flow,
    texts,
    ui,
)
from handlers.common import cancel_button, format_when, label_of, main_menu, name_of, request_named
from handlers.context import Context
from handlers.flow import Flow
from handlers.picker import which_request
from matching import understand
from matching.after_send import Meaning, Situation, categories_named, is_question, pick, read_after_send

FLOW = "after_send"
ASK_PREVIEW = 40


@dataclass(frozen=True)
class Going:
    """What the sender has going on, as a resident and as a supporter."""

    open: Sequence[HelpRequest]
    matched: Sequence[HelpRequest]
    cards: Sequence[HelpRequest]
    accepted: Sequence[HelpRequest]
    checkin_due: bool

    @property
    def own(self) -> list[HelpRequest]:
        return [*self.open, *self.matched]

    def situation(self) -> Situation:
        return Situation(
            open_requests=bool(self.open),
            matched_requests=bool(self.matched),
            checkin_due=self.checkin_due,
            cards=bool(self.cards),
            accepted=bool(self.accepted),
            categories=frozenset(r.category for r in self.own if r.category),
            texts=tuple(r.text for r in self.own),
            card_categories=frozenset(r.category for r in self.cards if r.category),
        )


def going_on(ctx: Context) -> Going:
    own, cards, accepted = request_repo.going_on(ctx.session, ctx.sender.id)
    matched = [r for r in own if r.status == RequestStatus.MATCHED]
    return Going(
        open=[r for r in own if r.status == RequestStatus.OPEN],
        matched=matched,
        cards=cards,
        accepted=accepted,
        checkin_due=any(completion.time_has_come(ctx, r) for r in matched),
    )


def reading(ctx: Context, text: str) -> tuple[Meaning, Going] | None:
    """What the text means for what the sender has going on; None when it starts nothing here."""
    going = going_on(ctx)
    if not (going.own or going.cards or going.accepted):
        return None
    meaning = read_after_send(text, going.situation())
    if meaning is None or meaning == Meaning.NEW_REQUEST:
        return None
    return meaning, going


def in_choice(ctx: Context) -> bool:
    state = None if ctx.member is None else conversations.get_state(ctx.session, ctx.member.id)
    return state is not None and state.flow == FLOW


def handle(ctx: Context, text: str) -> None:
    conversations.clear_state(ctx.session, ctx.sender.id)  # a new text answers no earlier question
    found = reading(ctx, text)
    assert found is not None
    meaning, going = found
    ACTIONS[meaning](ctx, text, going)


# --- resident -----------------------------------------------------------------------------------


# What a resident's text does to one of their own requests, once it is known which one.
_ON_OWN: dict[str, Callable[[Context, HelpRequest, str], None]] = {
    Meaning.DETAIL: request_changes.add_detail,
    Meaning.CANCEL: lambda ctx, request, _text: my_requests.ask_cancel(ctx, request),
    Meaning.CHANGE_WHEN: lambda ctx, request, _text: request_changes.ask_when(ctx, request),
}


def _about_own(meaning: Meaning) -> Callable[[Context, str, Going], None]:
    """The action for a meaning in _ON_OWN: on the request the text names, or asked which one."""

    def act(ctx: Context, text: str, going: Going) -> None:
        request = _named(text, going.own)
        if request is None:
            _choose(ctx, text, going.own, meaning)
        else:
            _ON_OWN[meaning](ctx, request, text)

    return act


def _status(ctx: Context, text: str, going: Going) -> None:
    request = _named(text, going.own)
    shown = [request] if request is not None else list(going.own)
    lines = [status_line(ctx, r) for r in shown[-5:]]
    ctx.reply(ui.text("\n\n".join(lines), _status_buttons(ctx, shown)))


def status_line(ctx: Context, request: HelpRequest) -> str:
    category = label_of(request.category)
    if request.status == RequestStatus.MATCHED and request.accepted_by is not None:
        return texts.STATUS_MATCHED.format(
            category=category,
            name=name_of(request, request.accepted_by),
            when=format_when(ctx, request.wanted_at),
        )
    asked = sum(
        1 for p in request_repo.proposals_of(ctx.session, request.id) if p.status == ProposalStatus.ASKED
    )
    if request.needs_coordinator or asked == 0:
        return texts.STATUS_WITH_COORDINATOR.format(category=category)
    return texts.STATUS_OPEN.format(category=category, count=asked)


def _status_buttons(ctx: Context, shown: Sequence[HelpRequest]) -> list[ui.Action]:
    if any(r.status == RequestStatus.MATCHED for r in shown):
        return [ui.say(texts.RELAY_BUTTON), *main_menu(ctx)]
    return main_menu(ctx)


def _checkin(value: str) -> Callable[[Context, str, Going], None]:
    def answer(ctx: Context, text: str, going: Going) -> None:
        request = _named(text, going.matched)
        if request is not None and len(going.matched) > 1:
            completion.on_checkin(ctx, {"r": str(request.id), "v": value})
        else:
            completion.answer(ctx, value)

    return answer


def _relay(ctx: Context, text: str, going: Going) -> None:
    talking = [*going.matched, *going.accepted]
    request = _named(text, talking)
    if request is None:
        _choose(ctx, text, talking, Meaning.RELAY)
    else:
        relay.pass_on_text(ctx, request, text)


def _unsure(ctx: Context, text: str, going: Going) -> None:
    """A detail of a request they sent, or a new one? One tap decides; the text waits meanwhile."""
    request = _named(text, going.own) or going.own[-1]
    _keep(ctx, text)
    preview = ui.clip(text.strip(), ASK_PREVIEW)
    add = ui.postback(
        texts.ADD_TO_REQUEST, postback.encode("as", v="detail", r=request.id), texts.ADD_TO_REQUEST
    )
    new = ui.postback(texts.NEW_REQUEST, postback.encode("as", v="new"), texts.NEW_REQUEST)
    body = texts.DETAIL_OR_NEW.format(text=preview, category=label_of(request.category))
    ctx.reply(ui.text(body, [add, new, cancel_button(flow=FLOW)]))


# --- supporter ----------------------------------------------------------------------------------


def _accept(ctx: Context, text: str, going: Going) -> None:
    card = _named(text, going.cards)
    if card is None:
        _choose_card(ctx, going.cards)
    else:
        accept.on_accept(ctx, {"r": str(card.id)})


def _pass(ctx: Context, text: str, going: Going) -> None:
    card = _named(text, going.cards)
    if card is None:
        _choose_card(ctx, going.cards)
    else:
        accept.on_pass(ctx, {"r": str(card.id)})


def _choose_card(ctx: Context, cards: Sequence[HelpRequest], *, asked: bool = False) -> None:
    """Several cards and the words name none (or a bare はい, or words about a card): each card's own
    buttons, kind and day; a question about it is told where it can be asked (once accepted)."""
    buttons: list[ui.Action] = []
    for card in picker.shown(cards)[:6]:  # two buttons each
        label = picker.label(ctx, card)
        buttons.append(ui.postback(f"{texts.ACCEPT}:{label}", postback.encode("acc", r=card.id)))
        buttons.append(ui.postback(f"{texts.PASS}:{label}", postback.encode("pass", r=card.id)))
    question = texts.ONE_CARD if len(cards) == 1 else texts.CHOOSE_CARD
    ctx.reply(ui.text(f"{texts.CARD_ASK_AFTER_ACCEPTING}\n{question}" if asked else question, buttons))


def _give_back(ctx: Context, text: str, going: Going) -> None:
    request = _named(text, going.accepted)
    if request is None:
        accepted_requests.drop_command(ctx)
    else:
        accepted_requests.confirm(ctx, request)


# --- choosing -----------------------------------------------------------------------------------


def _named(text: str, requests: Sequence[HelpRequest]) -> HelpRequest | None:
    """The request the words name by its kind, or the only one."""
    chosen = pick(categories_named(text), [(r.id, r.category) for r in requests])
    return next((r for r in requests if r.id == chosen), None)


def _choose(ctx: Context, text: str, requests: Sequence[HelpRequest], meaning: Meaning) -> None:
    _keep(ctx, text)
    ctx.reply(
        which_request(
            ctx,
            texts.WHICH_REQUEST,
            requests,
            lambda r: postback.encode("as", v=meaning.value, r=r.id),
            cancel_button(flow=FLOW),
        )
    )


def _keep(ctx: Context, text: str) -> None:
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, "choose", {"text": text}, now=ctx.now)


def on_choice(ctx: Context, fields: dict[str, str]) -> None:
    """A tap on この依頼への追加 / 新しい依頼 / one of the requests listed for a text."""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    text = state.data.get("text") if state is not None and state.flow == FLOW else None
    value = fields.get("v", "")
    if not isinstance(text, str):
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
        return
    conversations.clear_state(ctx.session, ctx.sender.id)
    if value == "new":
        request_flow.start(ctx, text, understand(text))
        return
    request = _chosen_request(ctx, fields)
    if request is None:
        ctx.reply(ui.text(texts.NOT_OPEN, main_menu(ctx)))
    elif value in _ON_OWN and request.requester_id == ctx.sender.id:
        _ON_OWN[value](ctx, request, text)
    elif value == Meaning.RELAY and request.status == RequestStatus.MATCHED:
        relay.pass_on_text(ctx, request, text)
    else:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))


def _chosen_request(ctx: Context, fields: dict[str, str]) -> HelpRequest | None:
    request = request_named(ctx, fields)
    if request is None or ctx.sender.id not in (request.requester_id, request.accepted_by_id):
        return None
    return request if request.status in request_repo.ACTIVE_STATUSES else None


ACTIONS: dict[Meaning, Callable[[Context, str, Going], None]] = {
    Meaning.DETAIL: _about_own(Meaning.DETAIL),
    Meaning.RELAY: _relay,
    Meaning.CANCEL: _about_own(Meaning.CANCEL),
    Meaning.CHANGE_WHEN: _about_own(Meaning.CHANGE_WHEN),
    Meaning.STATUS: _status,
    Meaning.CHECKIN_DONE: _checkin("done"),
    Meaning.CHECKIN_NOT_YET: _checkin("later"),
    Meaning.CHECKIN_NOSHOW: _checkin("noshow"),
    Meaning.ACCEPT: _accept,
    Meaning.PASS: _pass,
    Meaning.GIVE_BACK: _give_back,
    Meaning.UNSURE: _unsure,
    Meaning.CARD_UNSURE: lambda ctx, text, going: _choose_card(ctx, going.cards, asked=is_question(text)),
    Meaning.CHECKIN_UNCLEAR: lambda ctx, _text, _going: ctx.reply(
        ui.text(texts.CHECKIN_UNCLEAR, due_followups.checkin_quick_replies())
    ),
}


# While 「この依頼への追加 / 新しい依頼」 waits for a tap, a text is read afresh (about a request, a place).
CONVERSATION = Flow(FLOW, lets_through=frozenset({"after-send", "find-place", "food-offer"}))
