"""The ordered route table: the first route whose check matches handles the event.

The sender's flow in progress is looked up once in the registry (handlers/registry.py); what each flow
does with a text, a location, a button or a sticker is declared by the flow itself (handlers/flow.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
)

from db.models import Conversation
from db.outbox import PRIORITY_REPLY
from handlers import (
    accept,
    accepted_requests,
    after_send,
    class_changes,
    class_flow,
    classes,
    commands,
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
    question,
    registry,
    relay,
    request_changes,
    request_flow,
    safety,
    shifts,
    supporter_quit,
    texts,
    thanks,
    ui,
)
from handlers.common import cancel_button, main_menu, understood
from handlers.context import REPLY_LIMIT, Context
from handlers.flow import Flow
from handlers.places import place_from_location
from matching.after_send import Meaning, keys, says
from matching.community import PlaceQuery, food_offer, place_query
from matching.language import foreign_language
from matching.masters import master_topic, names_a_teacher, seeks_a_master
from matching.phrases import command_of as said_command_of
from matching.phrases import said
from matching.words import (
    asks_cost,
    hints_a_request,
    is_pleasantry,
    offers_to_do,
    says_stop_supporting,
    says_thanks,
    wants_to_thank,
)

Check = Callable[[Event, Context], bool]
Action = Callable[[Event, Context], None]


@dataclass(frozen=True)
class Route:
    name: str
    matches: Check
    handle: Action


def dispatch(event: Event, ctx: Context) -> str:
    """Run the first matching route; returns its name (for logs and tests)."""
    registry.end_if_idle(ctx)
    ctx.asked = question.take(ctx)  # answered by this event's words, or over
    began = registry.current(ctx)
    began_data = {} if began is None else dict(began[0].data)
    route = next(route for route in ROUTES if route.matches(event, ctx))  # the last matches anything
    route.handle(event, ctx)
    if began is not None and began[1].on_left is not None and not safety.keeps(ctx, began[1].name):
        # (A flow the safety question interrupted is not left: it goes on once the question is answered.)
        began[1].on_left(ctx, began_data)
    _say_first(ctx)
    return route.name


def _say_first(ctx: Context) -> None:
    """What must be said before the route's answer goes first; what a full reply has no room for is
    pushed after it, never dropped (it tells of a request that was not sent)."""
    room = REPLY_LIMIT - len(ctx.replies)
    ctx.replies[:0] = ctx.first[:room]
    if ctx.first[room:] and ctx.member is not None:
        ctx.push([ctx.member.line_user_id], ctx.first[room:], priority=PRIORITY_REPLY)
    ctx.first.clear()


# --- checks -------------------------------------------------------------------------------------


def _is_text(event: Event, _ctx: Context) -> bool:
    return isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent)


def _is_location(event: Event, _ctx: Context) -> bool:
    return isinstance(event, MessageEvent) and isinstance(event.message, LocationMessageContent)


def _text_of(event: Event) -> str:
    assert isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent)
    # NUL is the one character PostgreSQL cannot store in text; LINE never sends it in practice.
    return event.message.text.replace("\x00", "")


def _command_of(event: Event, ctx: Context) -> commands.Command | None:
    return commands.command_of(_text_of(event)) if _is_text(event, ctx) else None


def _is_command(event: Event, ctx: Context) -> bool:
    command = _command_of(event, ctx)
    if command is None:
        return False
    if command.name in _STOPS and registry.current(ctx) is None:
        # Nothing half-done: 「やっぱりやめときます」 means a request sent, which after-send names and asks.
        found = after_send.reading(ctx, _text_of(event))
        return found is None or found[0] != Meaning.CANCEL
    return True


_STOPS = frozenset({"cancel", "said_stop"})


def _open_to(ctx: Context, route: str) -> bool:
    """Outside any flow, or in a flow that lets this route take a text (else its step reads the words)."""
    found = registry.current(ctx)
    return found is None or route in found[1].lets_through


def _said_command(event: Event, ctx: Context) -> bool:
    if ctx.member is None or not _is_text(event, ctx) or not _open_to(ctx, "said-command"):
        return False
    return said_command_of(_text_of(event)) in commands.SAID


def _run_said_command(event: Event, ctx: Context) -> None:
    commands.SAID[said_command_of(_text_of(event)) or ""](ctx)


def _asks_for_a_master(event: Event, ctx: Context) -> bool:
    """「しめ縄を教えてくれる人」「竹細工の名人」 outside a step-by-step flow (issue 15); in the middle of
    one only when asked in so many words, and never in the flows about teaching (their steps name skills)."""
    if ctx.member is None or not _is_text(event, ctx):
        return False
    text = _text_of(event)
    topic = master_topic(text)
    if topic is None:
        return False
    if _open_to(ctx, "find-master"):
        return names_a_teacher(text) or bool(masters.fitting(ctx, topic))
    found = registry.current(ctx)
    return found is not None and found[1].name not in _TEACHING_FLOWS and seeks_a_master(text)


_TEACHING_FLOWS = frozenset({master_flow.FLOW, class_flow.FLOW, class_changes.FLOW})


def _find_masters(event: Event, ctx: Context) -> None:
    """The masters found; a flow in progress that can ask its step again goes on under the answer."""
    topic = master_topic(_text_of(event))
    assert topic is not None
    found = None if _open_to(ctx, "find-master") else registry.current(ctx)
    if found is not None and found[1].reprompt is not None:
        masters.search(ctx, topic)  # at most two messages; a step asked again takes at most three
        found[1].reprompt(ctx, found[0])
        return
    registry.leave(ctx)
    masters.search(ctx, topic)


def _asks_for_a_place(event: Event, ctx: Context) -> bool:
    """「近くのこども食堂」「今日やってる食堂」 outside a step-by-step flow (issue 15)."""
    if ctx.member is None or not _is_text(event, ctx) or not _open_to(ctx, "find-place"):
        return False
    return place_query(_text_of(event)) is not None


def _find_places(event: Event, ctx: Context) -> None:
    query = place_query(_text_of(event))
    assert query is not None
    registry.leave(ctx)
    community_places.start(ctx, query)


def _offers_food(event: Event, ctx: Context) -> bool:
    """「野菜が余ってます」「お米を寄付したい」 outside a step-by-step flow (issue 15)."""
    if ctx.member is None or not _is_text(event, ctx) or not _open_to(ctx, "food-offer"):
        return False
    return food_offer(_text_of(event)) is not None


def _take_food_offer(event: Event, ctx: Context) -> None:
    text = _text_of(event)
    found = food_offer(text)
    assert found is not None
    registry.leave(ctx)
    community_places.start_food(ctx, text, found)


def _in_another_language(event: Event, ctx: Context) -> bool:
    return ctx.member is not None and _is_text(event, ctx) and foreign_language(_text_of(event)) is not None


def _answer_in_their_language(event: Event, ctx: Context) -> None:
    """The service speaks Japanese; say so in their language, with the main buttons."""
    language = foreign_language(_text_of(event)) or "en"
    ctx.reply(ui.text(texts.FOREIGN[language], main_menu(ctx)))


def _flagged(event: Event, ctx: Context) -> bool:
    """Emergencies, harassment and what volunteers may not do come before anything, relay included."""
    if ctx.member is None or not _is_text(event, ctx):
        return False
    understanding = understood(_text_of(event))
    found = registry.current(ctx)
    if found is not None and found[1].only_emergencies:
        return understanding.flag == "emergency"
    return safety.is_flagged(understanding)


def _answer_flag(event: Event, ctx: Context) -> None:
    text = _text_of(event)
    safety.answer_flag(ctx, understood(text), text)


def _answers_question(event: Event, ctx: Context) -> bool:
    """「はい」「いいえ」 (or a button's label) typed to the question asked just before (取り消しますか？)."""
    if ctx.asked is None or not _is_text(event, ctx):
        return False
    text = _text_of(event)
    return _typed_or_wanted(ctx.asked, text) is not None or question.reading(ctx.asked, text) is not None


def _typed_or_wanted(asked: dict[str, Any], text: str) -> str | None:
    """A button's label typed, or 「おれいをいいたい」 under お礼を伝えませんか？ (its 自分で書く button)."""
    typed = question.typed_button(asked, text)
    # 「お礼を言いたい、ありがとう」 is the thank-you itself, not a wish to write one.
    wants_only = wants_to_thank(text) and not says_thanks(text)
    if typed is None and wants_only and thanks.asked_for(asked) is not None and asked.get("others"):
        return str(asked["others"][0]["data"])
    return typed


def _answer_question(event: Event, ctx: Context) -> None:
    assert ctx.asked is not None
    typed = _typed_or_wanted(ctx.asked, _text_of(event))
    answer = question.reading(ctx.asked, _text_of(event))
    if typed is not None:
        _run_postback(ctx, typed, {})  # a button's label typed: as if tapped (「自分で書く」)
    elif answer in ("yes", "no"):
        _run_postback(ctx, question.postback_of(ctx.asked, answer), {})
    else:
        question.ask_again(ctx, ctx.asked)


def _thanks_in_words(event: Event, ctx: Context) -> bool:
    """Thanks typed when asked 「お礼を伝えませんか？」: the words are the thank-you."""
    if thanks.asked_for(ctx.asked) is None or not _is_text(event, ctx):
        return False
    text = _text_of(event)
    return says_thanks(text) or says("done", keys(text))  # 「明るくなりました」: how it went, for them


def _pass_thanks_on(event: Event, ctx: Context) -> None:
    request_id = thanks.asked_for(ctx.asked)
    assert request_id is not None
    thanks.in_words(ctx, request_id, _text_of(event))


def _taken_by_flow(event: Event, ctx: Context) -> bool:
    """A flow that takes every message (relay chat); a command still works as one, unless the flow
    passes its words on (「もういい」 said to the other side)."""
    found = registry.current(ctx)
    if found is None or found[1].on_message is None or not isinstance(event, MessageEvent):
        return False
    command = _command_of(event, ctx)
    return command is None or command.name in found[1].passes_on


def _give_to_flow(event: Event, ctx: Context) -> None:
    found = registry.current(ctx)
    assert found is not None and found[1].on_message is not None
    found[1].on_message(event, ctx)


# --- actions ------------------------------------------------------------------------------------


def _follow(event: Event, ctx: Context) -> None:
    assert isinstance(event, FollowEvent)
    follow.on_follow(ctx, bool(event.follow and event.follow.is_unblocked))


def _run_command(event: Event, ctx: Context) -> None:
    command = _command_of(event, ctx)
    assert command is not None
    command.run(ctx)


def _free_text(event: Event, ctx: Context) -> None:
    """Free text: the flow in progress reads it as an answer to its step, else it is a new message."""
    text = _text_of(event)
    found = registry.current(ctx)
    if found is not None and _about_the_step(ctx, found[0], found[1], text):
        return
    if (
        found is not None
        and found[1].on_text is not None
        and found[1].on_text(ctx, found[0], text) is not False
    ):
        return  # the step read it (False: not an answer to the step, so it is read as a new message)
    _new_text(ctx, text)


def _about_the_step(ctx: Context, state: Conversation, flow: Flow, text: str) -> bool:
    """「もういっぺん」: the step's question again; 「それはなんですか」: what it asks for, then the step;
    「いくらかかりますか」: what help costs, then the step.

    Both are about the step, not answers to it: the step's own reading gave only its hint for them.
    """
    if flow.ask_step is None:
        return False
    if said("again", text):
        flow.ask_step(ctx, state)
    elif flow.explain_step is not None and said("explain", text):
        flow.explain_step(ctx, state)
    elif asks_cost(text):
        ctx.reply(ui.text(fees.cost_answer(ctx.settings)))
        flow.ask_step(ctx, state)
    else:
        return False
    return True


def _new_text(ctx: Context, text: str) -> None:
    """A new offer or 困りごと, a pleasantry, or the menu."""
    understanding = understood(text)
    if offers_to_do(text):
        offer.on_text(ctx, None, text)
    elif is_pleasantry(text):
        # Only greetings, thanks or a word on the weather, whatever kind they touch (「きょうはさむいね」
        # began a 雪かき・灯油 request).
        _small_talk(ctx)
    elif understanding.category is None and said_command_of(text) == "about_own_requests":
        commands.SAID["my_requests"](ctx)  # 「たのんだことどうなった」 with nothing going on
    elif understanding.category is not None or hints_a_request(text):
        request_flow.start(ctx, text, understanding)
    elif relay.active_requests_of(ctx.session, ctx.sender):
        _small_talk(ctx)
    else:
        ctx.reply(ui.text(texts.FALLBACK_TEXT, main_menu(ctx)))


def _small_talk(ctx: Context) -> None:
    """A kind answer; someone who is matched is shown how to reach the other side."""
    if relay.active_requests_of(ctx.session, ctx.sender):
        ctx.reply(ui.text(texts.SMALL_TALK_MATCHED, [ui.say(texts.RELAY_BUTTON), *main_menu(ctx)]))
    else:
        ctx.reply(ui.text(texts.SMALL_TALK, main_menu(ctx)))


def _says_stop_supporting(event: Event, ctx: Context) -> bool:
    return ctx.member is not None and _is_text(event, ctx) and says_stop_supporting(_text_of(event))


def _about_what_was_sent(event: Event, ctx: Context) -> bool:
    """Outside any step-by-step flow, a text is first read against the requests and cards going on."""
    if ctx.member is None or not _is_text(event, ctx) or not _open_to(ctx, "after-send"):
        return False
    return after_send.reading(ctx, _text_of(event)) is not None


def _says_time_taken(event: Event, ctx: Context) -> bool:
    """「１時間くらい」 from a supporter whose help was just completed: the time it took, not a 困りごと."""
    if ctx.member is None or not _is_text(event, ctx) or not _open_to(ctx, "typed-time"):
        return False
    minutes = completion.typed_minutes(_text_of(event))
    return minutes is not None and completion.visit_to_time(ctx) is not None


def _asks_for_desk(event: Event, ctx: Context) -> bool:
    """A coordinator's 要対応 (for anyone else it is just words, answered as such)."""
    return (
        ctx.member is not None
        and ctx.member.is_coordinator
        and _is_text(event, ctx)
        and coordination.is_desk_word(_text_of(event))
    )


def _location(event: Event, ctx: Context) -> None:
    assert isinstance(event, MessageEvent) and isinstance(event.message, LocationMessageContent)
    message = event.message
    place = place_from_location(message.latitude, message.longitude, message.address, message.title)
    found = registry.current(ctx)
    if found is not None and found[1].on_location is not None:
        found[1].on_location(ctx, found[0], place)
    elif found is None and place is not None and community_places.any_near(ctx, place):
        community_places.show(ctx, place, PlaceQuery((), today=False))
    else:
        ctx.reply(ui.text(texts.FALLBACK, main_menu(ctx)))


# Buttons that work whatever flow is in progress (a flow's own buttons are declared by the flow).
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
    "thx": thanks.on_thanks,
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
    "clch": class_changes.on_change,
    "clst": class_changes.on_stop,
}
# The same, for buttons whose answer comes in LINE's params (a date picker's value).
PICKER_ACTIONS: dict[str, Callable[[Context, dict[str, str], dict[str, str]], None]] = {
    "chg": request_changes.on_postback,  # 自分の依頼: change the day, place or details
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
    _run_postback(ctx, event.postback.data, dict(event.postback.params or {}))


def _run_postback(ctx: Context, data: str, params: dict[str, str]) -> None:
    """A button's postback data (tapped, or the button a typed answer stands for)."""
    fields = postback.decode(data)
    if fields is None:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
        return
    action = fields["a"]
    if safety.asks_before_sending(ctx, fields):
        return  # 依頼する on a card from before the emergency answer: asked first, never sent by it
    # A button of the flow the safety question or the emergency answer holds: that flow takes it.
    safety.resume_for_button(ctx, fields)
    found = registry.current(ctx)
    state, flow = (None, None) if found is None else found
    if action == "cancel" and _from_another_flow(state, fields):
        ctx.reply(ui.text(texts.STALE_CANCEL, [cancel_button()]))
    elif action == "cancel":
        commands.cancel_flow(ctx)
    elif action in PICKER_ACTIONS:
        PICKER_ACTIONS[action](ctx, fields, params)
    elif action in POSTBACK_ACTIONS:
        POSTBACK_ACTIONS[action](ctx, fields)
    elif state is not None and flow is not None and action in flow.postback_codes and flow.on_postback:
        flow.on_postback(ctx, state, fields, params)
    elif state is not None and flow is not None and flow.reprompt is not None:
        # A button of an earlier card: the menu would end the flow in progress, so go on with it.
        ctx.reply(ui.text(texts.OLD_BUTTON_MID_FLOW))
        flow.reprompt(ctx, state)
    elif (owner := registry.FLOWS.owning(action)) is not None and owner.on_old_postback is not None:
        owner.on_old_postback(ctx, fields)
    else:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))


def _other_message(event: Event, ctx: Context) -> None:
    """Stickers, images, audio, files, or a message type LINE adds later: never silence, one answer."""
    assert isinstance(event, MessageEvent)
    found = registry.current(ctx)
    thanked = thanks.asked_for(ctx.asked)
    if found is not None and found[1].on_media is not None:
        found[1].on_media(ctx, found[0])
    elif thanked is not None and isinstance(event.message, StickerMessageContent):
        thanks.in_sticker(ctx, thanked, event.message)  # under 「お礼を伝えませんか？」: the thank-you
    elif relay.active_requests_of(ctx.session, ctx.sender):
        ctx.reply(ui.text(texts.MEDIA_MATCHED, [ui.say(texts.RELAY_BUTTON), *main_menu(ctx)]))
    elif isinstance(event.message, StickerMessageContent):
        ctx.reply(ui.text(texts.STICKER_REPLY, main_menu(ctx)))
    else:
        ctx.reply(ui.text(texts.FALLBACK_MEDIA, main_menu(ctx)))


def _blocked(event: Event, ctx: Context) -> bool:
    """A member coordinators blocked gets one polite answer, except to see or erase their own data."""
    if ctx.member is None or not ctx.member.blocked or ctx.reply_token is None:
        return False
    return not _asks_about_own_data(event, ctx)


def _asks_about_own_data(event: Event, ctx: Context) -> bool:
    if isinstance(event, PostbackEvent):
        fields = postback.decode(event.postback.data)
        return fields is not None and fields["a"] == "leave"
    command = _command_of(event, ctx)
    return command is not None and command.name in ("my_data", "leave")


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
    Route("question", _answers_question, _answer_question),
    Route("thanks-words", _thanks_in_words, _pass_thanks_on),
    Route("desk", _asks_for_desk, lambda e, c: coordination.show(c)),
    Route("relay", _taken_by_flow, _give_to_flow),
    Route("command", lambda e, c: c.member is not None and _is_command(e, c), _run_command),
    Route("stop-supporting", _says_stop_supporting, lambda e, c: supporter_quit.ask(c)),
    Route("said-command", _said_command, _run_said_command),
    Route("find-master", _asks_for_a_master, _find_masters),
    Route("find-place", _asks_for_a_place, _find_places),
    Route("food-offer", _offers_food, _take_food_offer),
    Route("foreign", _in_another_language, _answer_in_their_language),
    Route("typed-time", _says_time_taken, lambda e, c: completion.typed_time(c, _text_of(e))),
    Route("after-send", _about_what_was_sent, lambda e, c: after_send.handle(c, _text_of(e))),
    Route("text", lambda e, c: c.member is not None and _is_text(e, c), _free_text),
    Route("location", lambda e, c: c.member is not None and _is_location(e, c), _location),
    Route("other-message", lambda e, c: c.member is not None and isinstance(e, MessageEvent), _other_message),
    # The fallback: events nobody answers (a beacon, a video watched, an event without a user) are
    # only logged by their route's name.
    Route("ignored", lambda e, c: True, lambda e, c: None),
]
