"""The 困りごと conversation: category → place → when → confirm, then supporters are asked.

Every step takes words as well as taps: a town name or 郵便番号 at PLACE, 「あした10時」「いつでも」 at
WHEN (and a time already in the first message skips WHEN), 「はい」 or a change in words at CONFIRM.
Two kinds of help in one message (「電球と、あと庭の草も」) become one request per kind when sent.

stateDiagram-v2
    [*] --> CATEGORY: text not understood
    [*] --> PLACE: text understood
    CATEGORY --> PLACE: category chosen
    PLACE --> WHEN: location / registered place / typed town or 郵便番号
    PLACE --> CONFIRM: place given, time already known
    [*] --> WHEN: text understood, an address in it (「三軒茶屋2丁目の山田です、…」; CONFIRM with a time)
    WHEN --> CONFIRM: date picked / typed time / いつでも
    CONFIRM --> [*]: 依頼する (open, supporters notified)
    CONFIRM --> WHEN: 依頼する after the chosen time has passed / 日時を変える
    CONFIRM --> PLACE: 場所を変える
    CONFIRM --> DETAIL: 書き足す
    DETAIL --> CONFIRM: text added
    CONFIRM --> CONFIRM: a time or place typed, or a location sent (changed in place)
    WHEN --> WHEN: a location sent (kept as the place; the time asked again)
    PLACE --> PLACE: another need written (kept beside the first; the same for WHEN and CONFIRM)
    PLACE --> PLACE: the same kind again, 「トイレのでんきも」 (written into the request; WHEN, CONFIRM too)
    PLACE --> PLACE: another kind, 「にわのくさむしりをたのみたい」 (asked: いっしょに依頼する or 書き足す)
    PLACE --> PLACE: a town name several places share (the 区 or 市 asked for; 「世田谷区」 alone answers)
    PLACE --> PLACE: a time typed first, 「あしたの10時にきてほしい」 (kept; WHEN skipped, or asks the hour)
    PLACE --> PLACE: 「ちょっとまって」「あとでまた連絡します」 (the draft kept, told until when; every step)
    CATEGORY --> [*]: やめる
    PLACE --> [*]: やめる
    WHEN --> [*]: やめる
    DETAIL --> [*]: やめる
    CONFIRM --> [*]: やめる, or いらん / また今度 typed (draft cancelled, nobody notified)
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from db import conversations
from db import requests as request_repo
from db.engine import keep
from db.models import Conversation, HelpRequest, RequestStatus
from db.requests import ACTIVE_STATUSES
from handlers import fees, postback, texts, ui
from handlers.common import cancel_button, format_when, label_of, main_menu, request_named, understood
from handlers.context import Context
from handlers.flow import DAY, Flow
from handlers.followups import schedule_after_open
from handlers.notify import notify_supporters, tell_coordinators
from handlers.places import (
    SAME_NAME,
    Place,
    place_from_home,
    place_in_message,
    place_said_back,
    read_typed_place,
    remember_home,
    same_name_question,
    typed_place,
)
from handlers.privacy import over_request_limit
from handlers.timing import QuietHours, clock_word
from matching import Understanding, categories, quick_categories, rough_area
from matching.geocode import Located, SameName
from matching.needs import split_needs
from matching.phrases import answer_of, said
from matching.privacy import has_personal_details
from matching.safety import CLEAR_CATEGORY
from matching.when import When, moment, read_when, spelled_out
from matching.words import hints_a_request, is_unsure

FLOW = "request"
PREVIEW_LIMIT = 80
PENDING_LIMIT = 500


class Step(enum.StrEnum):
    CATEGORY = "category"
    PLACE = "place"
    WHEN = "when"
    CONFIRM = "confirm"
    DETAIL = "detail"


def start(ctx: Context, text: str, understanding: Understanding) -> None:
    """Turn a free-text 困りごと into a draft and ask the first missing thing.

    A time written in the message (「あした10時に…」) is kept, so the time step is skipped; two kinds
    of help (「電球と、あと庭の草も」) are both kept.
    """
    if over_request_limit(ctx):
        return
    needs = split_needs(text)
    # In the order written: the first need is the request, the others go out beside it.
    category = needs[0] if needs else understanding.category
    also = list(needs[1:])
    extra: dict[str, Any] = {"also": also}
    when = read_when(text, ctx.local(ctx.now), strict=True)
    columns: dict[str, Any] = {}
    if when is not None:
        columns, state = _when_fields(ctx, when)
        extra.update(state)
    # The time goes in with the draft: one INSERT, no UPDATE after it.
    request = request_repo.create_draft(ctx.session, ctx.sender, text, category, **columns)
    preview = ui.clip(text, PREVIEW_LIMIT)
    if category is None:
        _go(ctx, request, Step.CATEGORY, **extra)
        ctx.reply(ui.text(texts.REQUEST_ASK_CATEGORY.format(text=preview), _category_buttons(request)))
        return
    _go(ctx, request, Step.PLACE, **extra)
    if also:
        labels = texts.LIST_SEPARATOR.join(label_of(c) for c in [category, *also])
        said_back = texts.REQUEST_TWO_NEEDS.format(text=preview, categories=labels, count=1 + len(also))
    else:
        said_back = texts.REQUEST_UNDERSTOOD.format(text=preview, category=label_of(category))
    found = place_in_message(ctx, text)
    if found is not None:
        # 「三軒茶屋2丁目の山田です、…」: the place was given; said back (the card can change it), not asked.
        written, located = found
        place = typed_place(written, located)
        remember_home(ctx.sender, place)
        _set_place(ctx, request, place, said_back=f"{said_back}\n{place_said_back(located)}")
        return
    ctx.reply(ui.text(said_back), _ask_place(ctx, request))


def start_again(ctx: Context, earlier: HelpRequest, also: list[str]) -> None:
    """A draft dropped unsent, written out again from what the resident wrote (kind, text, place, time):
    the first thing still missing is asked, else its card is shown to send."""
    if over_request_limit(ctx):
        return
    request = request_repo.create_draft(ctx.session, ctx.sender, earlier.text, earlier.category)
    request.lat, request.lon, request.address, request.area = (
        earlier.lat,
        earlier.lon,
        earlier.address,
        earlier.area,
    )
    request.anytime = earlier.anytime
    # A time that has passed meanwhile is asked again (nobody can come then).
    passed = earlier.wanted_at is not None and earlier.wanted_at <= ctx.now
    request.wanted_at = None if passed else earlier.wanted_at
    known = _category_ids()
    extra = {"also": [c for c in dict.fromkeys(also) if c in known and c != earlier.category]}
    if request.category is None:
        _go(ctx, request, Step.CATEGORY, **extra)
        ctx.reply(
            ui.text(
                texts.REQUEST_ASK_CATEGORY.format(text=ui.clip(request.text, PREVIEW_LIMIT)),
                _category_buttons(request),
            )
        )
    elif request.lat is None and not request.address:
        _go(ctx, request, Step.PLACE, **extra)
        ctx.reply(_ask_place(ctx, request))
    elif not request.anytime and request.wanted_at is None:
        _go(ctx, request, Step.WHEN, **extra)
        ctx.reply(*([ui.text(texts.REQUEST_WHEN_PAST)] if passed else []), _ask_when(ctx, request))
    else:
        _go(ctx, request, Step.CONFIRM, **extra)
        ctx.reply(_confirmation(ctx, request))


def _when_fields(ctx: Context, when: When) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a message said about the time: the draft's columns, and the state (a day without a time)."""
    if when.anytime:
        return {"anytime": True, "wanted_at": None}, {"day": None}
    at = moment(when, ctx.settings.timezone)
    if at is not None and at > ctx.now:
        return {"wanted_at": at, "anytime": False}, {"day": None}
    if when.day is not None and when.start is None and when.day >= ctx.local(ctx.now).date():
        return {}, {"day": when.day.isoformat()}
    return {}, {}


def on_postback(ctx: Context, state: Conversation, fields: dict[str, str], params: dict[str, str]) -> None:
    request = _draft_for(ctx, state, postback.int_field(fields, "r"))
    step = fields.get("s", "")
    if request is not None and step not in ("both", "note"):
        state = _settle(ctx, state, request)  # a text asked about is kept, whatever button came instead
    if request is None and _draft_for(ctx, state, state.data.get("request_id")) is not None:
        # A button of an earlier card while this draft is being written: go on with this one.
        ctx.reply(ui.text(texts.OLD_BUTTON_MID_FLOW))
        reprompt(ctx, state)
    elif request is None:
        on_old_button(ctx, fields)
    elif step in ("both", "note") and (pending := _pending(state)) is not None:
        _answer_about_pending(ctx, request, pending, step)
    elif step == "cat" and state.step == Step.CATEGORY and fields.get("c") in _category_ids():
        request.category = fields["c"]
        _go(ctx, request, Step.PLACE)
        ctx.reply(_ask_place(ctx, request))
    elif step == "typed" and state.step == Step.PLACE:
        ctx.reply(ui.text(texts.REQUEST_TYPE_PLACE, [cancel_button()]))
    elif step == "home" and state.step == Step.PLACE and (home := place_from_home(ctx.sender)) is not None:
        _set_place(ctx, request, home)
    elif step == "when" and state.step == Step.WHEN:
        _set_when(ctx, request, params.get("datetime"))
    elif step == "any" and state.step == Step.WHEN:
        request.anytime, request.wanted_at = True, None
        _confirm(ctx, request)
    elif step == "ok" and state.step == Step.CONFIRM:
        _submit(ctx, request)
    elif step in _CHANGES and state.step in (Step.CONFIRM, Step.DETAIL):
        _CHANGES[step](ctx, request)
    else:
        reprompt(ctx, state)


def is_send_button(fields: dict[str, str], request_id: object) -> bool:
    """依頼する on this draft's card (a held draft's card is not sent by it: handlers/safety.py asks)."""
    return fields.get("a") == "rq" and fields.get("s") == "ok" and fields.get("r") == str(request_id)


def send_draft(ctx: Context, state: Conversation) -> None:
    """The draft on the card sent, as 依頼する does (送る, once a question that held it is answered)."""
    request = _draft_for(ctx, state, state.data.get("request_id"))
    if request is None or state.step != Step.CONFIRM:
        reprompt(ctx, state)
    else:
        _submit(ctx, request)


def on_old_button(ctx: Context, fields: dict[str, str]) -> None:
    """A button of a request no longer being written: a second 依頼する must not look like a failure."""
    request = request_named(ctx, fields)
    if request is not None and request.requester_id == ctx.sender.id and request.status in ACTIVE_STATUSES:
        ctx.reply(ui.text(texts.REQUEST_ALREADY_SENT, main_menu(ctx)))
    else:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))


def on_location(ctx: Context, state: Conversation, place: Place | None) -> None:
    """At PLACE the answer; at WHEN or CONFIRM the place too (the time asked again, or the card shown with
    it): a location sent there was answered only with the step's hint, and lost."""
    request = _draft_for(ctx, state, state.data.get("request_id"))
    if request is None or state.step not in (Step.PLACE, Step.WHEN, Step.CONFIRM):
        reprompt(ctx, state)
    elif place is None and state.step == Step.PLACE:
        ctx.reply(ui.text(texts.REQUEST_ASK_PLACE_AGAIN, _place_buttons(ctx, request)))
    elif place is None:
        ctx.reply(ui.text(texts.REQUEST_PLACE_UNREADABLE), _step_question(ctx, request))
    else:
        _settle(ctx, state, request)  # a text asked about, answered by the place instead: kept in the request
        remember_home(ctx.sender, place)
        if state.step == Step.PLACE:
            _set_place(ctx, request, place)
        else:
            _set_place(ctx, request, place, said_back=texts.PLACE_RECEIVED)


def reprompt(ctx: Context, state: Conversation) -> None:
    """Anything unexpected mid-flow: say how to go on, and ask the current step again."""
    if _draft_for(ctx, state, state.data.get("request_id")) is not None:
        ctx.reply(ui.text(texts.REQUEST_STEP_HINT))
    ask_step(ctx, state)


def ask_step(ctx: Context, state: Conversation) -> None:
    """The current step's question with its buttons, as first asked (「もういっぺん」 asks for it)."""
    request = _draft_for(ctx, state, state.data.get("request_id"))
    if request is None:
        conversations.clear_state(ctx.session, ctx.sender.id)
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
        return
    step = Step(state.step)
    if step == Step.CATEGORY:
        ctx.reply(
            ui.text(
                texts.REQUEST_ASK_CATEGORY.format(text=ui.clip(request.text, PREVIEW_LIMIT)),
                _category_buttons(request),
            )
        )
    elif step == Step.PLACE:
        ctx.reply(_ask_place(ctx, request))
    elif step == Step.WHEN:
        day = _stored_day(state)
        ctx.reply(_ask_when(ctx, request) if day is None else _ask_time_of_day(ctx, request, day))
    elif step == Step.DETAIL:
        ctx.reply(ui.text(texts.ASK_DETAIL, [cancel_button()]))
    else:
        ctx.reply(_confirmation(ctx, request))


def explain_step(ctx: Context, state: Conversation) -> None:
    """「それはなんですか」 asked back: what the step asks for, in other words, then its question again."""
    if _draft_for(ctx, state, state.data.get("request_id")) is not None:
        ctx.reply(ui.text(_EXPLAINED[Step(state.step)](state)))
    ask_step(ctx, state)


_EXPLAINED: dict[Step, Callable[[Conversation], str]] = {
    Step.CATEGORY: lambda _state: texts.EXPLAIN_CATEGORY,
    Step.PLACE: lambda _state: texts.EXPLAIN_PLACE,
    Step.WHEN: lambda state: texts.EXPLAIN_WHEN if _stored_day(state) is None else texts.EXPLAIN_WHEN_HOUR,
    Step.CONFIRM: lambda _state: texts.EXPLAIN_CONFIRM,
    Step.DETAIL: lambda _state: texts.EXPLAIN_DETAIL,
}


def on_text(ctx: Context, state: Conversation, text: str) -> None:
    """A typed answer to the step on screen; what is not understood gets one line and the step's buttons."""
    understanding = understood(text)
    request = _draft_for(ctx, state, state.data.get("request_id"))
    if request is None:
        reprompt(ctx, state)
        return
    if said("wait", text):
        _kept_for_later(ctx, state, request)
        return
    pending = _pending(state)
    if pending is not None and (choice := _choice_of(text)) is not None:
        _answer_about_pending(ctx, request, pending, choice)
        return
    state = _settle(ctx, state, request)
    step = Step(state.step)
    if step in (Step.PLACE, Step.WHEN, Step.CONFIRM) and _another_need(
        ctx, state, request, text, understanding
    ):
        return
    if step == Step.CATEGORY and understanding.category is not None:
        request.category = understanding.category
        request.text = f"{request.text}\n{text}"
        _go(ctx, request, Step.PLACE)
        ctx.reply(_ask_place(ctx, request))
    elif step == Step.PLACE:
        _typed_place(ctx, state, request, text)
    elif step == Step.WHEN:
        _typed_when(ctx, state, request, text)
    elif step == Step.CONFIRM:
        _typed_at_confirm(ctx, state, request, text)
    elif step == Step.DETAIL:
        request.text = f"{request.text}\n{text.strip()}"
        _confirm(ctx, request, texts.DETAIL_ADDED)
    else:
        ctx.reply(ui.text(texts.CATEGORY_STEP_HINT, _category_buttons(request)))


def _kept_for_later(ctx: Context, state: Conversation, request: HelpRequest) -> None:
    """「ちょっとまって」「あとでまた連絡します」: the draft waits where it is (its idle clock starts again),
    and they are told until when, with the step's buttons to go on; it got the step's hint, or was read as
    a town (「あと」)."""
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, state.step, dict(state.data), now=ctx.now)
    until = format_when(ctx, ctx.now + (CONVERSATION.idle_limit or DAY))
    ctx.reply(ui.text(texts.REQUEST_KEPT_FOR_LATER.format(until=until), _step_buttons(ctx, state, request)))


def _step_buttons(ctx: Context, state: Conversation, request: HelpRequest) -> list[ui.Action]:
    """The buttons of the step in progress, as quick replies (the card's own, at CONFIRM)."""
    step = Step(state.step)
    if step == Step.CATEGORY:
        return _category_buttons(request)
    if step == Step.PLACE:
        return _place_buttons(ctx, request)
    if step == Step.WHEN:
        return _when_buttons(ctx, request, _stored_day(state))
    if step == Step.DETAIL:
        return [cancel_button()]
    return _change_buttons(request, with_yes=True)


def _another_need(
    ctx: Context, state: Conversation, request: HelpRequest, text: str, understanding: Understanding
) -> bool:
    """「あと庭の草むしりもお願いしたい」 mid-step: a second kind of help, kept beside the first (as if
    written in the first message), and the step asked again; it was answered with the step's hint and lost."""
    also = _also(ctx)
    category = understanding.category
    if category is None or category == request.category or category in also or not hints_a_request(text):
        return False
    if state.step == Step.WHEN and _only_a_time(ctx, text):
        return False  # 「あしたのじゅうじでおねがいします」: kana read as a kind of help, but it is the time
    _keep_need(ctx, request, text, category)
    return True


def _keep_need(ctx: Context, request: HelpRequest, text: str, category: str) -> None:
    """Another kind of help, kept beside the first (sent as its own request), and the step asked again."""
    _write_in(request, text)
    state = conversations.get_state(ctx.session, ctx.sender.id)
    step = Step(state.step) if state is not None else Step.CONFIRM
    _go(ctx, request, step, also=[*_also(ctx), category])
    ctx.reply(
        ui.text(texts.REQUEST_ALSO_KEPT.format(category=label_of(category))), _step_question(ctx, request)
    )


def _keep_note(ctx: Context, request: HelpRequest, text: str) -> None:
    """Words written into the request (the supporter reads them), and the step asked again."""
    _write_in(request, text)
    state = conversations.get_state(ctx.session, ctx.sender.id)
    _go(ctx, request, Step(state.step) if state is not None else Step.CONFIRM)
    said_back = texts.REQUEST_NOTE_KEPT.format(text=ui.clip(text.strip(), PREVIEW_LIMIT))
    ctx.reply(ui.text(said_back), _step_question(ctx, request))


def _write_in(request: HelpRequest, text: str) -> None:
    if text.strip() and text.strip() not in request.text.split("\n"):
        request.text = f"{request.text}\n{text.strip()}"


def _step_question(ctx: Context, request: HelpRequest) -> ui.Message:
    """The question of the step in progress, as asked at it (the card at CONFIRM)."""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    step = Step(state.step) if state is not None else Step.CONFIRM
    if step == Step.PLACE:
        return _ask_place(ctx, request)
    if step == Step.WHEN:
        day = _stored_day(state) if state is not None else None
        return _ask_when(ctx, request) if day is None else _ask_time_of_day(ctx, request, day)
    return _confirmation(ctx, request)


# --- a text of another kind typed instead of the step's answer ----------------------------------

PENDING = "pending"  # the step's data: such a text, asked about ({"text", "category"})
_BOTH = re.compile(r"いっしょ|一緒|両方|りょうほう")
_ADD = re.compile(r"書き?足|かきた|書き?加|かきくわ")
# Words about the step's own buttons and place (「位置情報がわからない」「ボタンが押せない」).
_ABOUT_THE_STEP = re.compile(r"送れ|おくれ|押せ|おせ|位置|場所|ばしょ|住所|じゅうしょ|ボタン|ぼたん")


def _not_the_answer(ctx: Context, state: Conversation, request: HelpRequest, text: str) -> bool:
    """A text the step cannot read that names a kind of help: never lost (it got the step's hint). The
    same kind (「トイレのでんきもきれとるんじゃ」) is written into the request; another kind without words
    asking for it (「にわのくさむしりをたのみたい」, or 「犬がいます」 which is a detail) is asked about."""
    read = understood(text)
    category = read.category
    if category is None or is_unsure(text) or _ABOUT_THE_STEP.search(text):
        return False  # 「ちょっと分からない」「スマホで送れない」 (read as スマホ) are about the step itself
    if category == request.category or category in _also(ctx):
        _keep_note(ctx, request, text)
        return True
    if not read.scores or read.scores[0][1] < CLEAR_CATEGORY:
        return False
    _go(
        ctx,
        request,
        Step(state.step),
        **{PENDING: {"text": text.strip()[:PENDING_LIMIT], "category": category}},
    )
    both = ui.postback(
        texts.REQUEST_ALSO_YES, postback.encode("rq", s="both", r=request.id), texts.REQUEST_ALSO_YES
    )
    note = ui.postback(
        texts.REQUEST_ALSO_NOTE, postback.encode("rq", s="note", r=request.id), texts.REQUEST_ALSO_NOTE
    )
    asked = texts.REQUEST_ALSO_ASK.format(
        text=ui.clip(text.strip(), PREVIEW_LIMIT), category=label_of(category)
    )
    ctx.reply(ui.text(asked, [both, note, cancel_button()]))
    return True


def _pending(state: Conversation) -> dict[str, str] | None:
    pending = state.data.get(PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("text"), str):
        return None
    category = pending.get("category")
    return {"text": pending["text"], "category": category if isinstance(category, str) else ""}


def _choice_of(text: str) -> str | None:
    """The answer typed to the question about a text: はい / いっしょに (both), いいえ / 書き足す (note)."""
    answer = answer_of(text, ("yes", "no", "add_detail"))
    if answer == "yes" or _BOTH.search(text):
        return "both"
    if answer in ("no", "add_detail") or _ADD.search(text):
        return "note"
    return None


def _answer_about_pending(ctx: Context, request: HelpRequest, pending: dict[str, str], choice: str) -> None:
    """both: a request of its own kind beside this one; note: the words added to this one."""
    if choice == "both" and pending["category"] in _category_ids():
        _keep_need(ctx, request, pending["text"], pending["category"])
    else:
        _keep_note(ctx, request, pending["text"])


def _settle(ctx: Context, state: Conversation, request: HelpRequest) -> Conversation:
    """The step answered instead of the question about a text: the text is kept in the request (as words
    added to it), never dropped; the state without the question is returned."""
    pending = _pending(state)
    if pending is None:
        return state
    _write_in(request, pending["text"])
    _go(ctx, request, Step(state.step))
    settled = conversations.get_state(ctx.session, ctx.sender.id)
    return settled if settled is not None else state


def _only_a_time(ctx: Context, text: str) -> bool:
    """The text says a time, and no kind of help once its time words are spelled out as the parser reads
    them (kana hours such as じゅうじ misread as a need)."""
    return read_when(text, ctx.local(ctx.now)) is not None and understood(spelled_out(text)).category is None


_TYPED_PLACE = re.compile(r"[都道府県市区町村]|丁目|番地")
# 「午後にして」 at the card asks for a time; 「夜は家にいます」 is a detail, not a new time.
_ASKS_FOR_A_TIME = re.compile(r"にして|がいい|が良い|に変|にかえ|に変更|でお願い|でおねがい|^.{0,6}$")
# At the confirmation card kana alone (「どうしよう」) may read as a town: a new place has kanji or digits.
_PLACE_LIKE = re.compile(r"[\u4e00-\u9fff\d０-９]")


def _typed_place(ctx: Context, state: Conversation, request: HelpRequest, text: str) -> None:
    home = place_from_home(ctx.sender)
    if said("home", text):
        if home is None:
            ctx.reply(ui.text(texts.PLACE_NO_HOME, _place_buttons(ctx, request)))
        else:
            _set_place(ctx, request, home)
        return
    located = read_typed_place(ctx, text, state.data.get(SAME_NAME))
    # A town several places share is one only in kanji (「いつでもええよ」 is no town 「いつ」); said beside a
    # time (「太子堂です。あしたの午前中で」), its 区 or 市 is asked once the time is kept.
    shared = located if isinstance(located, SameName) and _PLACE_LIKE.search(located.name) else None
    if not isinstance(located, Located) and _time_at_place(ctx, request, text, shared):
        return
    if isinstance(located, SameName):
        # 「太子堂」 alone: in several places; the 区 or 市 is asked for, the name kept for the answer.
        _go(ctx, request, Step.PLACE, **{SAME_NAME: located.name})
        ctx.reply(ui.text(same_name_question(located), _place_buttons(ctx, request)))
    elif located is not None:
        place = typed_place(text, located)
        remember_home(ctx.sender, place)
        noted = _time_beside_place(ctx, request, text)
        said_back = "\n".join(filter(None, [place_said_back(located), noted]))
        _set_place(ctx, request, place, said_back=said_back)
    elif _TYPED_PLACE.search(text):
        # An address we cannot place (a new town, a typo): a coordinator confirms it, nobody is refused.
        request.address, request.area = text.strip()[:300], rough_area(text)[:100] or text.strip()[:100]
        _after_place(ctx, request, texts.PLACE_FOR_COORDINATOR.format(place=ui.clip(text.strip(), 40)))
    elif not _not_the_answer(ctx, state, request, text):
        ctx.reply(ui.text(texts.PLACE_NOT_FOUND, _place_buttons(ctx, request)))


def _time_beside_place(ctx: Context, request: HelpRequest, text: str) -> str | None:
    """「世田谷区太子堂 あした10じ」: a time written beside the place is kept, as one in the first message
    is (read the same strict way), so the time step is skipped or asks only the hour of a day said. The
    place was said back and the time asked all over again. What the supporter is told besides (早めがいい,
    another day) is returned to say back."""
    when = read_when(text, ctx.local(ctx.now), strict=True)
    if when is None or _kept_at_place(ctx, request, when) is None:
        return None
    return _keep_for_supporter(request, when)


def _kept_at_place(ctx: Context, request: HelpRequest, when: When, **extra: str) -> dict[str, Any] | None:
    """A time said at the place step, kept on the draft (the time step is then skipped, or asks only the
    hour of a day said); the step's data, or None for a time already past (the time step asks it)."""
    columns, data = _when_fields(ctx, when)
    if not columns and _stored_day_of(data) is None:
        return None
    for column, value in columns.items():
        setattr(request, column, value)
    data.update(extra)
    _go(ctx, request, Step.PLACE, **data)
    return data


def _time_at_place(ctx: Context, request: HelpRequest, text: str, shared: SameName | None = None) -> bool:
    """「あしたの10時にきてほしい」「いつでもええよ」 answered before the place: the time is kept, as one in
    the first message is (the time step is then skipped, or asks only the hour of a day said), and the
    place is asked again. It got 「場所が分かりませんでした」, and the time was asked all over again later."""
    when = read_when(text, ctx.local(ctx.now), strict=_ASKS_FOR_A_TIME.search(text) is None)
    if when is None or understood(spelled_out(text)).category is not None:
        return False  # a need with a time in it is the need's to keep (_not_the_answer)
    data = _kept_at_place(ctx, request, when, **({SAME_NAME: shared.name} if shared is not None else {}))
    if data is None:
        return False
    day = _stored_day_of(data)
    if day is not None:
        said_back = texts.PLACE_STEP_DAY_KEPT.format(day=_day_label(day))
    else:
        said_back = texts.PLACE_STEP_WHEN_KEPT.format(when=format_when(ctx, request.wanted_at))
    noted = _keep_for_supporter(request, when)
    if shared is None:
        question = _ask_place(ctx, request)
    else:
        question = ui.text(same_name_question(shared), _place_buttons(ctx, request))
    ctx.reply(ui.text("\n".join(filter(None, [said_back, noted]))), question)
    return True


def _typed_when(ctx: Context, state: Conversation, request: HelpRequest, text: str) -> None:
    when = read_when(text, ctx.local(ctx.now))
    day = _stored_day(state)
    if when is not None and day is not None and when.start is not None and not when.said_day:
        when = When(day=day, start=when.start, end=when.end, said_day=True)  # 「10時」 after 「あした」
    if when is None:
        if not _not_the_answer(ctx, state, request, text):
            ctx.reply(ui.text(texts.WHEN_HINT, _when_buttons(ctx, request, day)))
    elif when.complete:
        _set_when_reading(ctx, request, when)
    elif when.day is not None:
        _go(ctx, request, Step.WHEN, day=when.day.isoformat())
        said_back = _keep_for_supporter(request, when)
        ctx.reply(*([ui.text(said_back)] if said_back else []), _ask_time_of_day(ctx, request, when.day))
    else:
        ctx.reply(ui.text(texts.WHEN_HINT, _when_buttons(ctx, request, day)))


def _typed_at_confirm(ctx: Context, state: Conversation, request: HelpRequest, text: str) -> None:
    answer = answer_of(text, ("yes", "no", "change_when", "change_place", "add_detail", "decline"))
    if answer == "yes":
        _submit(ctx, request)  # 「はい」「それでいいです」 typed instead of tapping 依頼する
    elif answer == "decline":
        # 「いらん」「また今度」: not sending it after all, as the やめる button does.
        cancel(ctx, state)
        ctx.reply(ui.text(texts.CANCELLED_FLOW, main_menu(ctx)))
    elif answer == "no":
        ctx.reply(ui.text(texts.CONFIRM_WHAT_TO_CHANGE, _change_buttons(request)))
    elif answer == "change_when":
        _change_when(ctx, request)
    elif answer == "change_place":
        _change_place(ctx, request)
    elif answer == "add_detail":
        _add_detail(ctx, request)
    elif (
        when := read_when(text, ctx.local(ctx.now), strict=_ASKS_FOR_A_TIME.search(text) is None)
    ) is not None:
        # 「あさってにして」: a new time said straight away.
        _go(ctx, request, Step.WHEN)
        if not _same_hour_another_day(ctx, request, when):
            _typed_when(ctx, state, request, text)
    elif _PLACE_LIKE.search(text) and (located := read_typed_place(ctx, text)) is not None:
        _new_place_at_confirm(ctx, request, text, located)
    elif not _not_the_answer(ctx, state, request, text):
        ctx.reply(ui.text(texts.CONFIRM_HINT, _change_buttons(request, with_yes=True)))


def _same_hour_another_day(ctx: Context, request: HelpRequest, when: When) -> bool:
    """「やっぱりあさってにして」 at a card whose time has an hour: the day changes, the hour said stays (it
    was asked again: 「11月27日(金)ですね。何時ごろがいいですか？」). False when that is not what was said."""
    if when.anytime or when.day is None or when.start is not None or request.wanted_at is None:
        return False
    hour = request.wanted_at.astimezone(ctx.settings.timezone).time()
    at = moment(When(day=when.day, start=hour, said_day=True), ctx.settings.timezone)
    if at is None or at < ctx.now:
        return False
    request.wanted_at, request.anytime = at, False
    noted = _keep_for_supporter(request, when)
    changed = texts.WHEN_DAY_CHANGED.format(when=format_when(ctx, at))
    _go(ctx, request, Step.WHEN, day=None)
    _confirm(ctx, request, "\n".join(filter(None, [changed, noted])))
    return True


def _new_place_at_confirm(ctx: Context, request: HelpRequest, text: str, located: Located | SameName) -> None:
    if isinstance(located, SameName):
        # 「太子堂」 alone at the card: the 区 or 市 asked for, as at the place step (it got the card's hint,
        # and 「世田谷区」 next moved the request to the whole 区).
        _go(ctx, request, Step.PLACE, **{SAME_NAME: located.name})
        ctx.reply(ui.text(same_name_question(located), _place_buttons(ctx, request)))
        return
    place = typed_place(text, located)
    request.lat, request.lon, request.address, request.area = place.lat, place.lon, place.address, place.area
    _confirm(ctx, request, place_said_back(located))


def _change_when(ctx: Context, request: HelpRequest) -> None:
    _go(ctx, request, Step.WHEN, day=None)
    ctx.reply(_ask_when(ctx, request))


def _change_place(ctx: Context, request: HelpRequest) -> None:
    _go(ctx, request, Step.PLACE)
    ctx.reply(_ask_place(ctx, request))


def _add_detail(ctx: Context, request: HelpRequest) -> None:
    _go(ctx, request, Step.DETAIL)
    ctx.reply(ui.text(texts.ASK_DETAIL, [cancel_button()]))


_CHANGES = {"chw": _change_when, "chp": _change_place, "add": _add_detail}


def _change_buttons(request: HelpRequest, *, with_yes: bool = False) -> list[ui.Action]:
    yes = [ui.postback(texts.CONFIRM_YES, postback.encode("rq", s="ok", r=request.id), texts.CONFIRM_YES)]
    changes = [
        ui.postback(label, postback.encode("rq", s=step, r=request.id), label)
        for step, label in (
            ("chw", texts.CHANGE_WHEN),
            ("chp", texts.CHANGE_PLACE),
            ("add", texts.ADD_DETAIL),
        )
    ]
    return [*(yes if with_yes else []), *changes, cancel_button()]


def cancel(ctx: Context, state: Conversation) -> None:
    request = _draft_for(ctx, state, state.data.get("request_id"))
    if request is not None:
        request.status = RequestStatus.CANCELLED
        request.closed_at = ctx.now
    conversations.clear_state(ctx.session, ctx.sender.id)


def _go(ctx: Context, request: HelpRequest, step: Step, **extra: Any) -> None:
    """Move to a step, keeping what earlier steps noted about this draft (a second kind, a day said)."""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    data: dict[str, Any] = {}
    if state is not None and state.flow == FLOW and state.data.get("request_id") == request.id:
        data.update(state.data)
    data.update(extra, request_id=request.id)
    if SAME_NAME not in extra:
        data.pop(SAME_NAME, None)  # asked about at the place step, answered or left there
    if PENDING not in extra:
        data.pop(PENDING, None)  # kept in the request by whoever settled it (_settle, _keep_*)
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, step, data, now=ctx.now)


def _stored_day(state: Conversation) -> date | None:
    return _stored_day_of(state.data)


def _stored_day_of(data: dict[str, Any]) -> date | None:
    raw = data.get("day")
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def _also(ctx: Context) -> list[str]:
    state = conversations.get_state(ctx.session, ctx.sender.id)
    also = [] if state is None or state.flow != FLOW else state.data.get("also", [])
    known = _category_ids()
    return [c for c in also if isinstance(c, str) and c in known] if isinstance(also, list) else []


def _draft_for(ctx: Context, state: Conversation, request_id: object) -> HelpRequest | None:
    """The draft this conversation is about, only if the ids agree and it is still a draft."""
    if state.flow != FLOW or not isinstance(request_id, int) or state.data.get("request_id") != request_id:
        return None
    request = ctx.session.get(HelpRequest, request_id)
    if request is None or request.requester_id != ctx.sender.id or request.status != RequestStatus.DRAFT:
        return None
    keep(ctx.session, request)  # _left reads it again after the route (a cancel, another flow)
    return request


def _category_ids() -> set[str]:
    return {c.id for c in categories()}


def _category_buttons(request: HelpRequest) -> list[ui.Action]:
    buttons = [
        ui.postback(c.label, postback.encode("rq", s="cat", r=request.id, c=c.id), c.label)
        for c in quick_categories()
    ][: ui.QUICK_REPLY_LIMIT - 1]
    return [*buttons, cancel_button()]


def _place_buttons(ctx: Context, request: HelpRequest) -> list[ui.Action]:
    buttons = [ui.location_action(texts.SEND_LOCATION)]
    if place_from_home(ctx.sender) is not None:
        buttons.append(
            ui.postback(texts.USE_HOME, postback.encode("rq", s="home", r=request.id), texts.USE_HOME)
        )
    typed = ui.postback(texts.NO_LOCATION, postback.encode("rq", s="typed", r=request.id), texts.NO_LOCATION)
    return [*buttons, typed, cancel_button()]


def _ask_place(ctx: Context, request: HelpRequest) -> ui.Message:
    return ui.text(texts.REQUEST_ASK_PLACE, _place_buttons(ctx, request))


def _set_place(ctx: Context, request: HelpRequest, place: Place, said_back: str | None = None) -> None:
    request.lat, request.lon = place.lat, place.lon
    request.address, request.area = place.address, place.area
    _after_place(ctx, request, said_back)


def _after_place(ctx: Context, request: HelpRequest, said_back: str | None = None) -> None:
    """The time may be known already (from the first message, or when the place was changed)."""
    if request.anytime or request.wanted_at is not None:
        _confirm(ctx, request, said_back)
        return
    state = conversations.get_state(ctx.session, ctx.sender.id)
    day = None if state is None else _stored_day(state)
    _go(ctx, request, Step.WHEN)
    question = _ask_when(ctx, request) if day is None else _ask_time_of_day(ctx, request, day)
    ctx.reply(*([ui.text(said_back)] if said_back else []), question)


def _ask_when(ctx: Context, request: HelpRequest) -> ui.Message:
    return ui.text(texts.REQUEST_ASK_WHEN, _when_buttons(ctx, request, None))


def _ask_time_of_day(ctx: Context, request: HelpRequest, day: date) -> ui.Message:
    return ui.text(texts.WHEN_ASK_TIME.format(day=_day_label(day)), _when_buttons(ctx, request, day))


def _day_label(day: date) -> str:
    return texts.DAY.format(month=day.month, day=day.day, weekday=texts.WEEKDAYS[day.weekday()])


def _when_buttons(ctx: Context, request: HelpRequest, day: date | None) -> list[ui.Action]:
    local_now = ctx.local(ctx.now)
    earliest = local_now.strftime("%Y-%m-%dT%H:%M")
    initial_day = day or (local_now + timedelta(days=1)).date()
    suggested = max(f"{initial_day.isoformat()}T10:00", earliest)
    parts = [ui.say(w) for w in (texts.WHEN_MORNING, texts.WHEN_AFTERNOON, texts.WHEN_EVENING)] if day else []
    return [
        *parts,
        ui.datetime_action(
            texts.PICK_DATETIME,
            postback.encode("rq", s="when", r=request.id),
            minimum=earliest,
            initial=suggested,
        ),
        ui.postback(texts.ANYTIME, postback.encode("rq", s="any", r=request.id), texts.ANYTIME),
        cancel_button(),
    ]


def _set_when(ctx: Context, request: HelpRequest, picked: str | None) -> None:
    try:
        local = datetime.fromisoformat(picked or "")
    except ValueError:
        ctx.reply(_ask_when(ctx, request))
        return
    # The picker has no time zone: its value is the resident's local time.
    chosen = local.replace(tzinfo=ctx.settings.timezone) if local.tzinfo is None else local
    if chosen < ctx.now:
        ctx.reply(ui.text(texts.REQUEST_WHEN_PAST), _ask_when(ctx, request))
        return
    request.wanted_at, request.anytime = chosen, False
    _confirm(ctx, request)


def _set_when_reading(ctx: Context, request: HelpRequest, when: When) -> None:
    at = moment(when, ctx.settings.timezone)
    if when.anytime:
        request.anytime, request.wanted_at = True, None
    elif at is None or at < ctx.now:
        ctx.reply(ui.text(texts.REQUEST_WHEN_PAST), _ask_when(ctx, request))
        return
    else:
        request.wanted_at, request.anytime = at, False
    _go(ctx, request, Step.WHEN, day=None)
    _confirm(ctx, request, _keep_for_supporter(request, when))


def _keep_for_supporter(request: HelpRequest, when: When) -> str | None:
    """Add what the reading leaves out (早めがいい, another day that suits) to the request's text, which the
    supporter reads, and say so; nothing when there is nothing to add."""
    if when.soon:
        note, said_back = texts.WHEN_SOON_NOTE, texts.WHEN_SOON_SAID
    elif when.also_days:
        days = texts.LIST_SEPARATOR.join(
            texts.DAY.format(month=d.month, day=d.day, weekday=texts.WEEKDAYS[d.weekday()])
            for d in when.also_days
        )
        note, said_back = (
            texts.WHEN_ALSO_DAYS_NOTE.format(days=days),
            texts.WHEN_ALSO_DAYS_SAID.format(days=days),
        )
    else:
        return None
    if note not in request.text:
        request.text = f"{request.text}\n{note}"
    return said_back


def _confirm(ctx: Context, request: HelpRequest, said_back: str | None = None) -> None:
    _go(ctx, request, Step.CONFIRM)
    ctx.reply(*([ui.text(said_back)] if said_back else []), _confirmation(ctx, request))


def _confirmation(ctx: Context, request: HelpRequest) -> ui.Message:
    kinds = [request.category, *_also(ctx)]
    bubble = ui.card(
        texts.REQUEST_CONFIRM_TITLE,
        [
            (texts.CARD_CATEGORY, texts.LIST_SEPARATOR.join(label_of(c) for c in kinds)),
            (texts.CARD_TEXT, ui.clip(request.text, 300)),
            (texts.CARD_AREA, request.address or request.area or texts.UNKNOWN_AREA),
            (texts.CARD_WHEN, format_when(ctx, request.wanted_at)),
            # Where the organisation charges, the resident knows the price before sending.
            *([(texts.CARD_FEE, fees.estimate_text(ctx.settings))] if ctx.settings.fees else []),
        ],
        [
            ui.postback(
                texts.CONFIRM_YES, postback.encode("rq", s="ok", r=request.id), texts.CONFIRM_YES, flex=True
            ),
            *(
                ui.postback(label, postback.encode("rq", s=step, r=request.id), label, flex=True)
                for step, label in (
                    ("chw", texts.CHANGE_WHEN),
                    ("chp", texts.CHANGE_PLACE),
                    ("add", texts.ADD_DETAIL),
                )
            ),
            cancel_button(flex=True, flow=FLOW, request_id=request.id),
        ],
        note=texts.CARD_KINDS_NOTE.format(count=len(kinds)) if len(kinds) > 1 else None,
    )
    return ui.flex(texts.REQUEST_CONFIRM_TITLE, bubble)


def _submit(ctx: Context, request: HelpRequest) -> None:
    if request.wanted_at is not None and request.wanted_at <= ctx.now:
        # The card waited in the chat past the chosen time: nobody can come then, so ask again.
        _go(ctx, request, Step.WHEN)
        ctx.reply(ui.text(texts.REQUEST_WHEN_PAST), _ask_when(ctx, request))
        return
    also = _also(ctx)
    conversations.clear_state(ctx.session, ctx.sender.id)
    answer = _open(ctx, request)
    for category in also:
        # A second kind of help in the same message: its own request, so each is matched to its skill.
        twin = request_repo.create_draft(ctx.session, ctx.sender, request.text, category)
        twin.lat, twin.lon, twin.address, twin.area = request.lat, request.lon, request.address, request.area
        twin.wanted_at, twin.anytime = request.wanted_at, request.anytime
        _open(ctx, twin)
        answer += "\n" + texts.REQUEST_ALSO_SENT.format(category=label_of(category))
    if request.lat is not None and has_personal_details(request.text, [ctx.sender.display_name]):
        # Said once, when it matters: their own details in the text reach only the one who accepts.
        answer += "\n" + texts.PRIVACY_NOTE
    ctx.reply(ui.text(answer, main_menu(ctx)))


def _open(ctx: Context, request: HelpRequest) -> str:
    """Open one request and ask its supporters; returns what to tell the resident."""
    request_repo.open_request(request, ctx.now)
    if request.lat is None:
        tell_coordinators(ctx, request, texts.COORDINATOR_NO_PLACE)
        return texts.REQUEST_PLACE_BY_COORDINATOR
    asked = notify_supporters(ctx, request)
    schedule_after_open(ctx, request)
    if asked == 0:
        tell_coordinators(ctx, request)
        return texts.REQUEST_NO_SUPPORTER
    return _sent_text(ctx, asked)


def _sent_text(ctx: Context, asked: int) -> str:
    """Honest about timing: at night the cards wait in the outbox until quiet hours end."""
    quiet = QuietHours.of(ctx.settings)
    if quiet.contains(ctx.now):
        return texts.REQUEST_SENT_NIGHT.format(count=asked, time=clock_word(quiet.end))
    return texts.REQUEST_SENT.format(count=asked)


def _left(ctx: Context, data: dict[str, Any]) -> None:
    """A button may start another flow (relay, お礼, サポーター登録 from an offer) mid-request: the draft
    is then cancelled, never left half-made."""
    request_id = data.get("request_id")
    state = conversations.get_state(ctx.session, ctx.sender.id)
    if state is not None and state.flow == FLOW and state.data.get("request_id") == request_id:
        return
    request = ctx.session.get(HelpRequest, request_id) if isinstance(request_id, int) else None
    if request is not None and request.status == RequestStatus.DRAFT:
        request.status, request.closed_at = RequestStatus.CANCELLED, ctx.now


CONVERSATION = Flow(
    FLOW,
    cancel=cancel,
    on_text=on_text,
    on_location=on_location,
    postback_codes=frozenset({"rq"}),
    on_postback=on_postback,
    on_old_postback=on_old_button,
    reprompt=reprompt,
    ask_step=ask_step,
    explain_step=explain_step,
    on_media=reprompt,
    on_left=_left,
)
