"""The ordered route table: the first route whose check matches handles the event."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache, partial

from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
)

from db import conversations
from db import requests as request_repo
from db.models import Conversation, HelpRequest, RequestStatus
from handlers import (
    accept,
    accepted_requests,
    after_send,
    class_flow,
    classes,
    community_places,
    completion,
    coordination,
    fees,
    follow,
    master_flow,
    masters,
    my_requests,
    offer,
    postback,
    privacy,
    relay,
    request_changes,
    request_flow,
    safety,
    shifts,
    supporter_flow,
    supporter_quit,
    texts,
    ui,
)
from handlers.common import cancel_button, main_menu
from handlers.context import Context
from handlers.places import place_from_location
from matching import understand
from matching.community import PlaceQuery, food_offer, place_query
from matching.language import foreign_language
from matching.masters import master_topic, names_a_teacher
from matching.phrases import command_of

Check = Callable[[Event, Context], bool]

# Several routes look at the same text within one event; understanding it is pure, so remember it.
_understood = lru_cache(maxsize=64)(understand)
Action = Callable[[Event, Context], None]


@dataclass(frozen=True)
class Route:
    name: str
    matches: Check
    handle: Action


def dispatch(event: Event, ctx: Context) -> str:
    """Run the first matching route; returns its name (for logs and tests)."""
    draft_id = _draft_in_progress(ctx)
    for route in ROUTES:
        if route.matches(event, ctx):
            route.handle(event, ctx)
            if draft_id is not None:
                # A button may start another flow (relay, お礼, サポーター登録 from an offer) mid-request.
                _cancel_if_left(ctx, draft_id)
            return route.name
    return "ignored"


def _draft_in_progress(ctx: Context) -> int | None:
    """The id of the draft the sender is writing, if they are in the 困りごと flow."""
    state = None if ctx.member is None else conversations.get_state(ctx.session, ctx.member.id)
    request_id = None if state is None or state.flow != request_flow.FLOW else state.data.get("request_id")
    return request_id if isinstance(request_id, int) else None


def _cancel_if_left(ctx: Context, request_id: int) -> None:
    """A draft whose flow was replaced by another is cancelled, never left half-made."""
    if _draft_in_progress(ctx) == request_id:
        return
    request = ctx.session.get(HelpRequest, request_id)
    if request is not None and request.status == RequestStatus.DRAFT:
        request.status, request.closed_at = RequestStatus.CANCELLED, ctx.now


# --- checks -------------------------------------------------------------------------------------


def _is_text(event: Event, _ctx: Context) -> bool:
    return isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent)


def _is_location(event: Event, _ctx: Context) -> bool:
    return isinstance(event, MessageEvent) and isinstance(event.message, LocationMessageContent)


def _text_of(event: Event) -> str:
    assert isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent)
    # NUL is the one character PostgreSQL cannot store in text; LINE never sends it in practice.
    return event.message.text.replace("\x00", "")


def _command_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


COMMANDS: dict[str, Callable[[Context], None]] = {}


def _command(*words: str) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    def register(action: Callable[[Context], None]) -> Callable[[Context], None]:
        for word in words:
            COMMANDS[_command_key(word)] = action
        return action

    return register


def _is_command(event: Event, ctx: Context) -> bool:
    return _is_text(event, ctx) and _command_key(_text_of(event)) in COMMANDS


# A flow left untouched this long is over: the next message starts afresh (relay keeps its own limit).
FLOW_IDLE_LIMIT = timedelta(hours=24)


def _state(ctx: Context) -> Conversation | None:
    state = conversations.get_state(ctx.session, ctx.sender.id)
    if state is None:
        return None
    if state.flow in _FLOW_CANCELS and state.updated_at < ctx.now - FLOW_IDLE_LIMIT:
        _FLOW_CANCELS[state.flow](ctx, state)
        return None
    if relay.lapsed(state, ctx.now):
        conversations.clear_state(ctx.session, ctx.sender.id)
        return None
    return state


def _clear(ctx: Context, _conversation: Conversation) -> None:
    conversations.clear_state(ctx.session, ctx.sender.id)


# How each step-by-step flow is abandoned (a request draft is marked cancelled, never left half-made).
_FLOW_CANCELS: dict[str, Callable[[Context, Conversation], None]] = {
    request_flow.FLOW: request_flow.cancel,
    supporter_flow.FLOW: supporter_flow.cancel,
    offer.FLOW: _clear,
    fees.FLOW: fees.cancel,
    after_send.FLOW: _clear,
    request_changes.FLOW: request_changes.cancel,
    safety.FLOW: _clear,
    community_places.FLOW: _clear,
    master_flow.FLOW: master_flow.cancel,
    class_flow.FLOW: class_flow.cancel,
}


def _leave_flow(ctx: Context) -> None:
    """Before another flow starts, the one in progress is abandoned properly."""
    state = _state(ctx)
    if state is not None:
        _FLOW_CANCELS.get(state.flow, _clear)(ctx, state)


# --- commands (typed or tapped as quick replies) --------------------------------------------------


# How people say they want to stop, in their own words; in relay chat these are passed on as written.
_SAID_STOP = (
    "やめたい",
    "もういい",
    "もういいです",
    "やっぱりやめる",
    "やっぱりやめます",
    "キャンセルしたい",
)


@_command("やめる", "キャンセル", "中止", "やめます", "cancel", *_SAID_STOP)
def _cancel_flow(ctx: Context) -> None:
    state = _state(ctx)
    if state is None and request_repo.active_of(ctx.session, ctx.sender.id):
        # Nothing half-done: they may mean a request they sent, which 自分の依頼 can cancel.
        mine = ui.say(texts.MENU_MY_REQUESTS)
        buttons = [mine, *(b for b in main_menu(ctx) if b != mine)]
        ctx.reply(ui.text(f"{texts.NOTHING_TO_CANCEL}\n{texts.CANCEL_A_REQUEST_HINT}", buttons))
        return
    if state is None:
        ctx.reply(ui.text(texts.NOTHING_TO_CANCEL, main_menu(ctx)))
        return
    _FLOW_CANCELS.get(state.flow, _clear)(ctx, state)
    ctx.reply(ui.text(texts.CANCELLED_FLOW, main_menu(ctx)))


@_command(texts.MENU_HELP, "メニュー", "ヘルプ", "help", "つかいかた", "はじめに")
def _help(ctx: Context) -> None:
    ctx.reply(ui.text(f"{texts.HELP}\n{texts.HELP_PRIVACY}", [*main_menu(ctx), *privacy.privacy_buttons()]))


# Privacy and problems with a visit (issue 13).
_PRIVACY_WORDS = (texts.MENU_MY_DATA, "登録情報を見る", "私の情報", "わたしの情報", "個人情報")
_LEAVE_WORDS = (texts.MENU_LEAVE, "退会する", "退会したい", "データを消して", "情報を消して")
_command(*_PRIVACY_WORDS)(privacy.show_my_data)
_command(*_LEAVE_WORDS)(privacy.leave_prompt)
_command(texts.MENU_REPORT, "困ったことを報告する")(privacy.report_prompt)
_command(texts.DECLINE_BUTTON, "この方からの依頼は受けない")(privacy.decline_prompt)
_PRIVACY_KEYS = {_command_key(w) for w in (*_PRIVACY_WORDS, *_LEAVE_WORDS)}


@_command(texts.MENU_MY_REQUESTS, "依頼を見る", "じぶんのいらい")
def _my_requests(ctx: Context) -> None:
    my_requests.show(ctx)


@_command(texts.MENU_SUPPORTER, "サポーター登録", texts.SUP_CHANGE)
def _become_supporter(ctx: Context) -> None:
    _leave_flow(ctx)
    supporter_flow.start(ctx)


@_command(texts.MENU_SUPPORTER_SETTINGS, "登録内容")
def _supporter_settings(ctx: Context) -> None:
    supporter_flow.show_settings(ctx)


@_command(texts.RICH_MENU_SUPPORTER)
def _supporter_tile(ctx: Context) -> None:
    """The rich menu is the same for everyone: its サポーター tile fits whoever taps it."""
    if ctx.member is not None and ctx.member.is_supporter:
        supporter_flow.show_settings(ctx)
    else:
        _become_supporter(ctx)


@_command(texts.SUP_PAUSE, "お休み")
def _pause(ctx: Context) -> None:
    supporter_flow.set_paused(ctx, True)


@_command(texts.SUP_RESUME, "再開")
def _resume(ctx: Context) -> None:
    supporter_flow.set_paused(ctx, False)


@_command(texts.MENU_OFFER)
def _offer(ctx: Context) -> None:
    _leave_flow(ctx)
    offer.prompt(ctx)


@_command(texts.MENU_REQUEST, "相談", "困りごと")
def _request_prompt(ctx: Context) -> None:
    _leave_flow(ctx)
    ctx.reply(ui.text(texts.REQUEST_PROMPT))


# Follow-ups (issue 4): relay chat, the supporter's list and cancellation, the check-in answers.
_command(texts.RELAY_BUTTON)(relay.start_command)
# Help the community's places need (issue 15).
_command(
    "お手伝いの募集", "お手伝い募集", "おてつだいのぼしゅう", "募集を見る", "シフト", "ボランティア募集"
)(shifts.show)


# 名人・達人 and their classes (issue 15): the flows live in master_flow and class_flow.
@_command(
    texts.MASTER_REGISTER, "達人登録", "名人・達人の登録", "名人の登録", "名人になる", "教えられることを登録"
)
def _become_master(ctx: Context) -> None:
    _leave_flow(ctx)
    master_flow.start(ctx)


@_command(texts.CLASS_OPEN, "教室を開く", "教室をひらきたい", "教室を開きたい")
def _open_class(ctx: Context) -> None:
    _leave_flow(ctx)
    class_flow.start(ctx)


_command(texts.CLASS_LIST, "教室を見る", "教室の一覧", "教室一覧", "きょうしつ")(classes.show)
_command(texts.MENU_ACCEPTED, "引き受けている依頼")(accepted_requests.show)
_command(texts.DROP_BUTTON, "引き受けをやめる", "行けなくなりました")(accepted_requests.drop_command)
_CHECKIN_WORDS = {
    "done": (texts.CHECKIN_DONE, "完了", "完了しました", "終わりました"),
    "later": (texts.CHECKIN_NOT_YET, "まだです"),
    "noshow": (texts.CHECKIN_NO_SHOW, "来ませんでした", "こなかった"),
}
for _value, _words in _CHECKIN_WORDS.items():
    _command(*_words)(partial(completion.answer, value=_value))
# While relaying, these everyday words are passed on rather than taken as commands.
_RELAYED_WORDS = {_command_key(w) for words in (*_CHECKIN_WORDS.values(), _SAID_STOP) for w in words}
_STOP_KEYS = {_command_key(w) for w in _SAID_STOP}


# Commands said in everyday words (「サポーターになりたいです」「お休みします」), from matching/phrases.toml.
# Outside a step-by-step flow, or while writing a やってみたい (「サポーターになりたいです」 there means it);
# inside the request or registration steps, the step reads the words itself.
_SAID_COMMANDS: dict[str, Callable[[Context], None]] = {
    "supporter": _become_supporter,
    "pause": _pause,
    "resume": _resume,
    "help": _help,
    "my_requests": _my_requests,
    "request": _request_prompt,
    "offer": _offer,
    "drop": accepted_requests.drop_command,
}


def _said_command(event: Event, ctx: Context) -> bool:
    if ctx.member is None or not _is_text(event, ctx):
        return False
    state = _state(ctx)
    if state is not None and state.flow != offer.FLOW:
        return False
    return command_of(_text_of(event)) in _SAID_COMMANDS


def _run_said_command(event: Event, ctx: Context) -> None:
    _SAID_COMMANDS[command_of(_text_of(event)) or ""](ctx)


def _asks_for_a_place(event: Event, ctx: Context) -> bool:
    """「近くのこども食堂」「今日やってる食堂」 outside a step-by-step flow (issue 15)."""
    if ctx.member is None or not _is_text(event, ctx):
        return False
    state = _state(ctx)
    if state is not None and state.flow not in (offer.FLOW, after_send.FLOW, community_places.FLOW):
        return False
    return place_query(_text_of(event)) is not None


def _find_places(event: Event, ctx: Context) -> None:
    query = place_query(_text_of(event))
    assert query is not None
    _leave_flow(ctx)
    community_places.start(ctx, query)


def _asks_for_a_master(event: Event, ctx: Context) -> bool:
    """「しめ縄を教えてくれる人」「竹細工の名人」 outside a step-by-step flow (issue 15)."""
    if ctx.member is None or not _is_text(event, ctx):
        return False
    state = _state(ctx)
    if state is not None and state.flow not in (offer.FLOW, after_send.FLOW, community_places.FLOW):
        return False
    text = _text_of(event)
    topic = master_topic(text)
    return topic is not None and (names_a_teacher(text) or bool(masters.fitting(ctx, topic)))


def _find_masters(event: Event, ctx: Context) -> None:
    topic = master_topic(_text_of(event))
    assert topic is not None
    _leave_flow(ctx)
    masters.search(ctx, topic)


def _offers_food(event: Event, ctx: Context) -> bool:
    """「野菜が余ってます」「お米を寄付したい」 outside a step-by-step flow (issue 15)."""
    if ctx.member is None or not _is_text(event, ctx):
        return False
    state = _state(ctx)
    if state is not None and state.flow not in (offer.FLOW, after_send.FLOW, community_places.FLOW):
        return False
    return food_offer(_text_of(event)) is not None


def _take_food_offer(event: Event, ctx: Context) -> None:
    text = _text_of(event)
    found = food_offer(text)
    assert found is not None
    _leave_flow(ctx)
    community_places.start_food(ctx, text, found)


def _in_another_language(event: Event, ctx: Context) -> bool:
    return ctx.member is not None and _is_text(event, ctx) and foreign_language(_text_of(event)) is not None


def _answer_in_their_language(event: Event, ctx: Context) -> None:
    """The service speaks Japanese; say so in their language, with the main buttons."""
    language = foreign_language(_text_of(event)) or "en"
    ctx.reply(ui.text(texts.FOREIGN[language], main_menu(ctx)))


def _flagged(event: Event, ctx: Context) -> bool:
    """Emergencies, harassment and what volunteers may not do come before anything, relay included."""
    return ctx.member is not None and _is_text(event, ctx) and safety.is_flagged(_understood(_text_of(event)))


def _answer_flag(event: Event, ctx: Context) -> None:
    text = _text_of(event)
    safety.answer_flag(ctx, _understood(text), text)


def _relaying(event: Event, ctx: Context) -> bool:
    """A message for the other side; a menu command (typed or from a menu) still works as one."""
    if not relay.matches(event, ctx):
        return False
    if not _is_command(event, ctx):
        return True
    key = _command_key(_text_of(event))
    # A thank-you being written is not a conversation: there 「キャンセルしたい」 means stop writing it.
    return key in _RELAYED_WORDS and not (key in _STOP_KEYS and relay.writing_thanks(ctx))


# --- actions ------------------------------------------------------------------------------------


def _follow(event: Event, ctx: Context) -> None:
    assert isinstance(event, FollowEvent)
    follow.on_follow(ctx, bool(event.follow and event.follow.is_unblocked))


def _run_command(event: Event, ctx: Context) -> None:
    COMMANDS[_command_key(_text_of(event))](ctx)


_OFFER_WORDS = re.compile(
    r"[てで]みたい|教えたい|おしえたい|手伝いたい|てつだいたい|お手伝いしたい|参加したい|ボランティアしたい"
)
# 「スマホを使ってみたいけど、わからない」 is a 困りごと, not a やってみたい.
_NEEDS_HELP = re.compile(r"困|こま|わから|分から|できな|られな|お願い|おねがい|ほしい|欲しい|付き添|つきそ")
_REQUEST_HINTS = re.compile(r"困|こま|手伝|てつだ|助け|たすけ|お願い|おねがい|できな|られな|ほしい|欲しい")


def _free_text(event: Event, ctx: Context) -> None:
    """Free text: safety first, then the flow in progress, then a new offer or 困りごと."""
    text = _text_of(event)
    understanding = _understood(text)
    state = _state(ctx)
    if state is not None and state.flow == safety.FLOW:
        if safety.on_text(ctx, state, text):
            return
        state = None  # not an answer to 今すぐ命にかかわりますか？: read it as a new message
    if state is not None and state.flow == request_flow.FLOW:
        request_flow.on_text(ctx, state, text, understanding)
    elif state is not None and state.flow == request_changes.FLOW:
        request_changes.on_text(ctx, state, text)
    elif state is not None and state.flow == community_places.FLOW:
        community_places.on_text(ctx, state, text)
    elif state is not None and state.flow == supporter_flow.FLOW:
        supporter_flow.on_text(ctx, state, text)
    elif state is not None and state.flow == fees.FLOW:
        fees.on_text(ctx, state, text)
    elif state is not None and state.flow == master_flow.FLOW:
        master_flow.on_text(ctx, state, text)
    elif state is not None and state.flow == class_flow.FLOW:
        class_flow.on_text(ctx, state, text)
    elif state is not None and state.flow == offer.FLOW and _is_pleasantry(text):
        offer.prompt(ctx)  # 「はい」 or only emoji says nothing to keep: ask again
    elif state is not None and state.flow == offer.FLOW and _is_trouble(text, understanding.category):
        # 「電球が切れて困っている」 after やってみたい is a 困りごと, not something they would like to do.
        _leave_flow(ctx)
        request_flow.start(ctx, text, understanding)
    elif state is not None and state.flow == offer.FLOW:
        offer.on_text(ctx, state, text)
    elif _OFFER_WORDS.search(text) and not _NEEDS_HELP.search(text):
        offer.on_text(ctx, None, text)
    elif understanding.category is None and _is_pleasantry(text):
        _small_talk(ctx)
    elif understanding.category is not None or _REQUEST_HINTS.search(text):
        request_flow.start(ctx, text, understanding)
    elif relay.active_requests_of(ctx.session, ctx.sender):
        _small_talk(ctx)
    else:
        ctx.reply(ui.text(texts.FALLBACK, main_menu(ctx)))


_PLEASANTRIES = re.compile(
    r"(どうも|よろしく|宜しく|お願い(いた)?します|おねがいします|お願いね|ありがとう(ございます|ございました)?|"
    r"ありがと|すみません|こんにちは|こんばんは|おはよう(ございます)?|はじめまして|お待ちしてい?ます|了解(です)?|"
    r"わかりました|分かりました|はい|いいえ|OK|ok|[\s\W_ー〜]+)"
)


def _is_trouble(text: str, category: str | None) -> bool:
    return category is not None and bool(_NEEDS_HELP.search(text)) and not _OFFER_WORDS.search(text)


def _is_pleasantry(text: str) -> bool:
    """Greetings and thanks ("よろしくお願いします") are not a new 困りごと."""
    return _PLEASANTRIES.sub("", unicodedata.normalize("NFKC", text)) == "" and text.strip() != ""


def _small_talk(ctx: Context) -> None:
    """A kind answer; someone who is matched is shown how to reach the other side."""
    if relay.active_requests_of(ctx.session, ctx.sender):
        ctx.reply(ui.text(texts.SMALL_TALK_MATCHED, [ui.say(texts.RELAY_BUTTON), *main_menu(ctx)]))
    else:
        ctx.reply(ui.text(texts.SMALL_TALK, main_menu(ctx)))


def _says_stop_supporting(event: Event, ctx: Context) -> bool:
    return ctx.member is not None and _is_text(event, ctx) and supporter_quit.says_stop(_text_of(event))


def _about_what_was_sent(event: Event, ctx: Context) -> bool:
    """Outside any step-by-step flow, a text is first read against the requests and cards going on."""
    if ctx.member is None or not _is_text(event, ctx):
        return False
    state = _state(ctx)
    if state is not None and state.flow != after_send.FLOW:
        return False
    return after_send.reading(ctx, _text_of(event)) is not None


def _asks_for_desk(event: Event, ctx: Context) -> bool:
    """A coordinator's 要対応 (for anyone else it is just words, answered as such)."""
    return (
        ctx.member is not None
        and ctx.member.is_coordinator
        and _is_text(event, ctx)
        and coordination.is_desk_word(_command_key(_text_of(event)))
    )


def _location(event: Event, ctx: Context) -> None:
    assert isinstance(event, MessageEvent) and isinstance(event.message, LocationMessageContent)
    message = event.message
    place = place_from_location(message.latitude, message.longitude, message.address, message.title)
    state = _state(ctx)
    if state is not None and state.flow == request_flow.FLOW:
        request_flow.on_location(ctx, state, place)
    elif state is not None and state.flow == supporter_flow.FLOW:
        supporter_flow.on_location(ctx, state, place)
    elif state is not None and state.flow == request_changes.FLOW:
        request_changes.on_location(ctx, state, place)
    elif state is not None and state.flow == community_places.FLOW:
        community_places.on_location(ctx, state, place)
    elif state is not None and state.flow == master_flow.FLOW:
        master_flow.on_location(ctx, state, place)
    elif state is None and place is not None and community_places.any_near(ctx, place):
        community_places.show(ctx, place, PlaceQuery((), today=False))
    else:
        ctx.reply(ui.text(texts.FALLBACK, main_menu(ctx)))


POSTBACK_ACTIONS: dict[str, Callable[[Context, dict[str, str]], None]] = {
    "acc": accept.on_accept,
    "agr": accept.on_agree,
    "pass": accept.on_pass,
    "mycancel": my_requests.on_cancel,
    "offsup": offer.on_become_supporter,
    "offtake": offer.on_take,
    "relay": relay.on_start,
    "mine": lambda ctx, _fields: accepted_requests.show(ctx),
    "drop": accepted_requests.on_drop,
    "ci": completion.on_checkin,
    "thx": completion.on_thanks,
    "min": completion.on_minutes,
    "desk": coordination.on_take,
    "fee": fees.on_postback,
    "leave": privacy.on_leave,
    "report": privacy.on_report,
    "nomore": privacy.on_decline,
    "block": privacy.on_block,
    "as": after_send.on_choice,
    "supq": supporter_quit.on_answer,
    "sos": safety.on_answer,
    "coord": safety.on_ask_coordinator,
    "plgo": community_places.on_directions,
    "shj": shifts.on_join,
    "shc": shifts.on_cancel,
    "shp": shifts.on_pass,
    "mreg": master_flow.on_save,
    "mnew": masters.on_become,
    "mask": masters.on_ask,
    "mka": masters.on_agree,
    "mkp": masters.on_pass,
    "mshow": masters.on_show,
    "clsl": classes.on_list_of_master,
    "clj": classes.on_join,
    "clw": classes.on_wait,
    "clx": classes.on_leave,
    "clp": classes.on_pass,
}


def _from_another_flow(state: Conversation | None, fields: dict[str, str]) -> bool:
    """A やめる from an old card, tapped while a different flow (or another draft) is in progress."""
    if state is None or "f" not in fields:
        return False
    if state.flow != fields["f"]:
        return True
    return "r" in fields and str(state.data.get("request_id")) != fields["r"]


def _postback(event: Event, ctx: Context) -> None:
    assert isinstance(event, PostbackEvent)
    fields = postback.decode(event.postback.data)
    if fields is None:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
        return
    action = fields["a"]
    state = _state(ctx)
    if action == "cancel" and _from_another_flow(state, fields):
        ctx.reply(ui.text(texts.STALE_CANCEL, [cancel_button()]))
    elif action == "cancel":
        _cancel_flow(ctx)
    elif action == "chg":  # 自分の依頼: change the day (a picker's value comes in params), place, details
        request_changes.on_postback(ctx, fields, dict(event.postback.params or {}))
    elif action in POSTBACK_ACTIONS:
        POSTBACK_ACTIONS[action](ctx, fields)
    elif action == "rq" and state is not None and state.flow == request_flow.FLOW:
        request_flow.on_postback(ctx, state, fields, dict(event.postback.params or {}))
    elif action == "sup" and state is not None and state.flow == supporter_flow.FLOW:
        supporter_flow.on_postback(ctx, state, fields)
    elif action == "clf" and state is not None and state.flow == class_flow.FLOW:
        class_flow.on_postback(ctx, state, fields, dict(event.postback.params or {}))
    elif state is not None and state.flow in _REPROMPTS:
        # A button of an earlier card: the menu would end the flow in progress, so go on with it.
        ctx.reply(ui.text(texts.OLD_BUTTON_MID_FLOW))
        _REPROMPTS[state.flow](ctx, state)
    elif action == "rq":
        request_flow.on_old_button(ctx, fields)
    elif action == "sup" and (ctx.sender.is_supporter or supporter_flow.is_applicant(ctx)):
        # A second tap on 登録する, or a button of a registration already finished.
        ctx.reply(ui.text(texts.SUP_ALREADY_REGISTERED, main_menu(ctx)))
    else:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))


# How each step-by-step flow asks its current step again.
_REPROMPTS: dict[str, Callable[[Context, Conversation], None]] = {
    request_flow.FLOW: request_flow.reprompt,
    supporter_flow.FLOW: supporter_flow.reprompt,
    offer.FLOW: lambda ctx, _state: offer.prompt(ctx),
    fees.FLOW: fees.reprompt,
    master_flow.FLOW: master_flow.reprompt,
    class_flow.FLOW: class_flow.reprompt,
}


def _other_message(event: Event, ctx: Context) -> None:
    """Stickers, images, audio, files, or a message type LINE adds later: never silence."""
    state = _state(ctx)
    if state is not None and state.flow == request_flow.FLOW:
        request_flow.reprompt(ctx, state)
    elif state is not None and state.flow == supporter_flow.FLOW:
        supporter_flow.reprompt(ctx, state)
    else:
        ctx.reply(ui.text(texts.FALLBACK_MEDIA), ui.text(texts.FALLBACK, main_menu(ctx)))


def _blocked(event: Event, ctx: Context) -> bool:
    """A member coordinators blocked gets one polite answer, except to see or erase their own data."""
    if ctx.member is None or not ctx.member.blocked or ctx.reply_token is None:
        return False
    return not _asks_about_own_data(event, ctx)


def _asks_about_own_data(event: Event, ctx: Context) -> bool:
    if isinstance(event, PostbackEvent):
        fields = postback.decode(event.postback.data)
        return fields is not None and fields["a"] == "leave"
    return _is_text(event, ctx) and _command_key(_text_of(event)) in _PRIVACY_KEYS


ROUTES: list[Route] = [
    Route("follow", lambda e, c: isinstance(e, FollowEvent) and c.member is not None, _follow),
    Route(
        "unfollow",
        lambda e, c: isinstance(e, UnfollowEvent) and c.member is not None,
        lambda e, c: follow.on_unfollow(c),
    ),
    Route("blocked", _blocked, lambda e, c: safety.answer_blocked(c)),
    Route("postback", lambda e, c: isinstance(e, PostbackEvent) and c.member is not None, _postback),
    Route("safety", _flagged, _answer_flag),
    Route("desk", _asks_for_desk, lambda e, c: coordination.show(c)),
    Route("relay", _relaying, relay.on_message),
    Route("command", lambda e, c: c.member is not None and _is_command(e, c), _run_command),
    Route("stop-supporting", _says_stop_supporting, lambda e, c: supporter_quit.ask(c)),
    Route("said-command", _said_command, _run_said_command),
    Route("find-place", _asks_for_a_place, _find_places),
    Route("find-master", _asks_for_a_master, _find_masters),
    Route("food-offer", _offers_food, _take_food_offer),
    Route("foreign", _in_another_language, _answer_in_their_language),
    Route("after-send", _about_what_was_sent, lambda e, c: after_send.handle(c, _text_of(e))),
    Route("text", lambda e, c: c.member is not None and _is_text(e, c), _free_text),
    Route("location", lambda e, c: c.member is not None and _is_location(e, c), _location),
    Route("other-message", lambda e, c: c.member is not None and isinstance(e, MessageEvent), _other_message),
]
