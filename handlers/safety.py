"""Answers for what must not be matched: emergencies, harassment, what volunteers may not do, harm.

No supporter ever hears of a text answered here. A real emergency gets one line of what to do now
and tap-to-call buttons; coordinators are told afterwards, so a person checks back (never instead
of 119). A maybe-urgent text (「たすけて」 alone, 倒れた without detail) is asked about at once; after a
refusal or a referral, a typed follow-up (「じゃあどうしたらいい」「コーディネーターさんにつないで」) is
read against it for a while:

stateDiagram-v2
    [*] --> ASK: maybe-urgent text (the numbers and 今すぐ命にかかわりますか？)
    ASK --> [*]: はい, ようわからん, もうだめ, はい、ガスです, an alarming text (emergency; the kind named)
    ASK --> [*]: いいえ, いらん, ﾁｶﾞｳ, ガスじゃない (text goes on as a 困りごと; いや、電球だけ: both texts)
    ASK --> [*]: a no and what it is (ちがう、テレビがたおれただけ, いのちはだいじょうぶやけど…: both texts)
    ASK --> ASK: だめ (no, or no good?), いや、わからん, words read as nothing (asked once more, numbers on)
    ASK --> [*]: no answer a second time (unsure: the emergency answer, coordinators told)
    ASK --> [*]: anything else, or after ANSWER_WINDOW (read as a new message)

A flow the question interrupted (a request's time step, registration) is kept in the question's data and
goes on afterwards: いいえ asks its step again. Relay chat is not kept: after いいえ the text is passed on
to the other side, as written.
    [*] --> AFTER: refused or referred, no other flow in progress
    AFTER --> [*]: a person asked for (coordinators told) / what now asked (the next step again)
    AFTER --> [*]: anything else, or after ANSWER_WINDOW (read as a new message)

After the emergency answer (relay chat and the お礼 excepted, which take every message), what is typed
next is read against it, and a flow in progress waits unsent in its data (a 「はい」 at a request's card
never sends it):
    [*] --> TOLD: the emergency answer given
    TOLD --> TOLD: もう救急車よんだ, だいじょうぶになりました (thanks, the numbers; coordinators told)
    TOLD --> TOLD: ありがとう, はい (kind words, the numbers again; a flow held: 続ける / やめる)
    TOLD --> TOLD: まだくるしい, たすけて (the emergency answer again, at once, never asked about)
    TOLD --> [*]: 続ける, or the held flow's own button, location or step's words (that flow goes on)
    TOLD --> TOLD: 依頼する on the held card, from before the answer (asked: send it now? 送る / やめる)
    TOLD --> [*]: 送る, or a yes typed to that question (the held draft is sent; いらん cancels it)
    TOLD --> [*]: a new 困りごと (read as new), やめる or ANSWER_WINDOW idle (a held draft cancelled)
A held draft dropped by the idle limit or another flow starting is said before the next answer (さきほどの
依頼は、送っていません), with もう一度依頼する, which writes it out again (kind, place, time) to its card.
"""

from __future__ import annotations

import enum
import re
from datetime import timedelta
from typing import Any

from db import conversations
from db import desk as desk_repo
from db import requests as request_repo
from db.models import Conversation, HelpRequest, RequestStatus
from handlers import postback, relay, request_flow, texts, ui
from handlers.common import cancel_button, main_menu, request_named, understood
from handlers.context import Context
from handlers.flow import Flow
from handlers.notify import push_to_coordinators
from handlers.places import Place
from matching import Understanding, understand
from matching.phrases import answer_of
from matching.safety import CLEAR_CATEGORY
from matching.words import (
    asks_for_a_person,
    asks_what_now,
    command_key,
    denies_a_danger,
    emergency_news,
    hints_a_request,
    is_either,
    is_no,
    is_pleasantry,
    is_unclear,
    is_unsure,
    is_yes,
    offers_to_do,
    sounds_desperate,
)

FLOW = "safety"
ANSWER_WINDOW = timedelta(minutes=30)  # a はい much later is about something else: the question ends
NOTICE_TEXT_LIMIT = 300
SAVED_TEXT_LIMIT = 2000
RESUME = "resume"  # the question's data: the flow it interrupted (flow, step, data)
SEND_ASKED = "send_asked"  # TOLD's data: asked whether to send the held draft (a yes now sends it)


class Step(enum.StrEnum):
    ASK = "ask"
    AFTER = "after"  # just refused or referred: a typed follow-up is read against it
    TOLD = "told"  # the emergency answer given: what is typed next is read as news of it


# Numbers as LINE `uri` actions: tapping one opens the phone's dialler. "#" is written %23 (a bare
# "#" would start a URI fragment).
_CALLS = {
    "119": (texts.CALL_119, "tel:119"),
    "110": (texts.CALL_110, "tel:110"),
    "7119": (texts.CALL_7119, "tel:%237119"),
    "9110": (texts.CALL_9110, "tel:%239110"),
    "188": (texts.CALL_188, "tel:188"),
    "189": (texts.CALL_189, "tel:189"),
    "8008": (texts.CALL_8008, "tel:%238008"),
    "inochi": (texts.CALL_INOCHI, "tel:0570783556"),
    "yorisoi": (texts.CALL_YORISOI, "tel:0120279338"),
}
_MEDICAL = ("119", "7119", "110")
# Which numbers each kind gets, most useful first (a bubble shows them all; keep it short).
_NUMBERS = {
    "unconscious": _MEDICAL,
    "chest_pain": _MEDICAL,
    "stroke": _MEDICAL,
    "bleeding": _MEDICAL,
    "fall": _MEDICAL,
    "choking": _MEDICAL,
    "burn": _MEDICAL,
    "fire": ("119", "110"),
    "gas": ("119", "110"),
    "crime": ("110", "119"),
    "missing": ("110", "119"),
    "welfare_check": ("110", "119", "7119"),
    "suicide": ("yorisoi", "inochi", "119"),
    "abuse": ("110", "189", "8008"),
    "uncertain": ("119", "110", "7119"),
}
_REFERRAL_NUMBERS = ("110", "9110", "188")


def answer_flag(ctx: Context, understanding: Understanding, text: str) -> None:
    """Reply for a flagged text; nothing is queued for supporters."""
    told = _told(ctx)
    if told is not None and understanding.flag == "emergency":
        _after_emergency_alarm(ctx, told, understanding, text)
        return
    waiting = _waiting(ctx)
    if waiting is not None and is_no(text) and not is_yes(text):
        # 「きゅうきゅうしゃはいらん」: alarming words, but a plain no to the question.
        _answer(ctx, waiting[0], waiting[1], urgent=False)
        return
    if waiting is not None and _no_with_a_maybe(text):
        # 「いのちはだいじょうぶやけど、うごけんのよ」: the question answered no, and what is wrong said with
        # it; it was answered as an emergency. Both texts go on as the 困りごと.
        _answer(ctx, waiting[0], waiting[1], urgent=False, detail=text)
        return
    if understanding.flag == "emergency" and waiting is not None:
        # Alarming words instead of はい/いいえ (「はよ来て」「救急車よんだほうがええかね」) answer the
        # question: never asked twice, never dropped. Coordinators read both texts.
        state, first = waiting
        # The kind the second text names decides (「ころんでしもうた」 after 「うごけない」: a fall), even
        # when it alone would only be asked about; a text that names none keeps the question's kind.
        named = understanding.flag_reason
        kind = named if named and named != "uncertain" else state.data.get("kind")
        _answer(ctx, state, first, urgent=True, kind=kind, also=text)
        return
    if will_ask(ctx, understanding):
        _ask_if_urgent(ctx, text, understanding.flag_reason or "uncertain")
        return
    # An emergency or refusal answers the question in progress, if any (the flow it interrupted goes on).
    _leave_question(ctx)
    if understanding.flag == "emergency":
        emergency(ctx, understanding.flag_reason or "uncertain", text)
    elif understanding.flag == "not_allowed":
        refuse(ctx, understanding.flag_reason or "", text)
    elif understanding.referral is not None:
        refer(ctx, text)
    else:
        ctx.reply(ui.text(texts.HARMFUL, main_menu(ctx)))


def will_ask(ctx: Context, understanding: Understanding) -> bool:
    """Maybe urgent, with no question already waiting."""
    return understanding.flag == "emergency" and understanding.urgency == "maybe" and _waiting(ctx) is None


def is_flagged(understanding: Understanding) -> bool:
    return understanding.flag is not None or understanding.referral is not None


def emergency(ctx: Context, kind: str, text: str) -> None:
    """What to do now and tap-to-call buttons; then a 【緊急の可能性】 notice to coordinators."""
    do_now = texts.EMERGENCY_DO_NOW.get(kind, texts.EMERGENCY_DO_NOW["uncertain"])
    numbers = _NUMBERS.get(kind, _NUMBERS["uncertain"])
    ctx.reply(
        ui.text(f"{texts.EMERGENCY_HEAD}\n{do_now}\n{texts.EMERGENCY_NOT_HERE}"),
        _call_buttons(numbers, do_now),
    )
    notice = texts.COORDINATOR_EMERGENCY.format(
        name=_name(ctx),
        text=ui.clip(text, NOTICE_TEXT_LIMIT),
        kind=texts.EMERGENCY_KIND_LABELS.get(kind, kind),
    )
    push_to_coordinators(ctx, notice)
    _await_news(ctx, kind)


def refuse(ctx: Context, kind: str, text: str) -> None:
    """Not for volunteers: the real reason, the right service, and a coordinator one tap away."""
    reason = texts.NOT_ALLOWED_REASONS.get(kind, texts.NOT_ALLOWED_DEFAULT_REASON)
    # The desk lists every refusal so a person can follow up; LINE is not pushed for it (the resident
    # reaches a coordinator with one tap, and every push costs the month's quota).
    notice = texts.DESK_REFUSAL.format(name=_name(ctx), reason=reason, text=ui.clip(text, NOTICE_TEXT_LIMIT))
    desk_repo.add_notice(ctx.session, notice, ctx.now)
    next_step = texts.NOT_ALLOWED_NEXT.get(kind, texts.NOT_ALLOWED_DEFAULT_NEXT)
    ask = ui.postback(
        texts.ASK_COORDINATOR, postback.encode("coord", k=kind or "other"), texts.ASK_COORDINATOR
    )
    ctx.reply(ui.text(texts.NOT_ALLOWED.format(reason=reason, next=next_step), [ask, *main_menu(ctx)]))
    _await_follow_up(ctx, kind or "other")


def refer(ctx: Context, text: str) -> None:
    """Harassed, stalked or defrauded: the right numbers, and a coordinator is told."""
    ctx.reply(ui.text(texts.REFERRAL), _call_buttons(_REFERRAL_NUMBERS, texts.REFERRAL))
    notice = texts.COORDINATOR_REFERRAL.format(name=_name(ctx), text=ui.clip(text, NOTICE_TEXT_LIMIT))
    push_to_coordinators(ctx, notice)
    _await_follow_up(ctx, REFERRED)


def on_ask_coordinator(ctx: Context, fields: dict[str, str]) -> None:
    """The コーディネーターに相談 button under a refusal (or the same asked in words)."""
    _leave_question(ctx)
    reason = texts.NOT_ALLOWED_REASONS.get(fields.get("k", ""), texts.NOT_ALLOWED_DEFAULT_REASON)
    told = push_to_coordinators(ctx, texts.COORDINATOR_ASKED.format(name=_name(ctx), reason=reason))
    ctx.reply(ui.text(texts.ASKED_COORDINATOR if told else texts.NO_COORDINATOR, main_menu(ctx)))


# --- maybe urgent -------------------------------------------------------------------------------


def _ask_if_urgent(ctx: Context, text: str, kind: str) -> None:
    # The kind, when the text named one (息がぜいぜい: unconscious), gives はい its own do-now line.
    saved: dict[str, object] = {"text": text[:SAVED_TEXT_LIMIT], "kind": kind}
    interrupted = conversations.get_state(ctx.session, ctx.sender.id)
    if interrupted is not None and interrupted.flow != FLOW:
        saved[RESUME] = {"flow": interrupted.flow, "step": interrupted.step, "data": dict(interrupted.data)}
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.ASK, saved, now=ctx.now)
    ctx.reply(ui.text(texts.MAYBE_URGENT, _question_buttons()))


def _question_buttons() -> list[ui.Action]:
    yes = ui.postback(texts.MAYBE_YES, postback.encode("sos", v="yes"), texts.MAYBE_YES)
    no = ui.postback(texts.MAYBE_NO, postback.encode("sos", v="no"), texts.MAYBE_NO)
    calls = [ui.uri(label, uri) for label, uri in (_CALLS["119"], _CALLS["110"], _CALLS["7119"])]
    return [yes, no, *calls]


def on_answer(ctx: Context, fields: dict[str, str]) -> None:
    """はい / いいえ tapped under 今すぐ命にかかわりますか？ (or 続ける, under a flow held by an emergency)"""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    if fields.get("v") == "go":
        _go_on(ctx, state)
        return
    if fields.get("v") == "send":
        _send_held(ctx, state, fields)
        return
    if fields.get("v") == "again":
        _write_again(ctx, fields)
        return
    text = _waiting_text(ctx, state)
    if text is None:
        # An old question: a はい still gets the numbers (better twice than never); いいえ, the menu.
        if fields.get("v") == "yes":
            emergency(ctx, "uncertain", texts.YES_TAPPED_LATE)
        else:
            ctx.reply(ui.text(texts.MAYBE_NOT_URGENT), ui.text(texts.REQUEST_PROMPT, main_menu(ctx)))
        return
    _answer(ctx, state, text, urgent=fields.get("v") == "yes")


def on_text(ctx: Context, state: Conversation, typed: str) -> bool:
    """A typed answer to the question or follow-up; False when it is something else (read as new)."""
    if state.step == Step.AFTER:
        return _on_follow_up(ctx, state, typed)
    if state.step == Step.TOLD:
        return _on_news(ctx, state, typed)
    text = _waiting_text(ctx, state)
    if text is None:
        return False
    if is_yes(typed) or is_unsure(typed) or sounds_desperate(typed):
        # Not knowing whether it is life-threatening is answered like はい (#7119 is for that). What was
        # typed before, if it was asked again, is for the coordinators too.
        _answer(ctx, state, text, urgent=True, also="\n".join(_unanswered(state)) or None)
        return True
    head, rest = _head_and_rest(typed)
    if rest and is_yes(head) and not _holds_back(rest):
        # 「はい、ガスです」「ええ、くさいです」: a yes and what it is (it was asked again); both are told.
        _answer(ctx, state, text, urgent=True, also=typed)
        return True
    if is_no(typed) or denies_a_danger(typed) or (rest and is_no(head) and denies_a_danger(rest)):
        # 「だいじょうぶ、ガスじゃない」 was asked again, and typed twice it was answered as an emergency.
        _answer(ctx, state, text, urgent=False)
        return True
    if _explained_no(typed) is not None:
        # 「いや、電球が切れとるだけ」「ちがうちがう、テレビがたおれただけ」「いやいや電球が…」 (by voice): a
        # no and what it is. The first was read as a new message (the first text dropped), the others were
        # asked again; both texts now go on as the 困りごと.
        _answer(ctx, state, text, urgent=False, detail=typed)
        return True
    if is_unclear(typed) or _means_nothing(typed) or _no_then_unsure(typed):
        unanswered = [*_unanswered(state), typed[:NOTICE_TEXT_LIMIT]]
        if state.data.get("asked_again"):
            # No answer twice (「だめ」 again, 「えっ？」 then 「？」): unsure, so the numbers and a person.
            _answer(ctx, state, text, urgent=True, also="\n".join(unanswered))
            return True
        # 「だめ」 (no, or no good?), 「えっ？」「いのちって？」: asked once more, the numbers on screen.
        data = {**state.data, "asked_again": True, "unanswered": unanswered}
        conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.ASK, data, now=ctx.now)
        ctx.reply(ui.text(texts.MAYBE_AGAIN, _question_buttons()))
        return True
    resumed = _end_question(ctx, state)
    if resumed is not None and resumed.flow != relay.FLOW:
        # Not an answer: the interrupted flow reads it as it would have (handlers.registry lists this flow).
        flow = _flow(resumed.flow)
        return flow.on_text is not None and flow.on_text(ctx, resumed, typed) is not False
    return False


_FIRST_WORD = re.compile(r"[\s、,，。.!！]+")
# After a yes, what takes it back or holds it (「はい、でも待って」「はい、大丈夫です」): not a plain yes.
_HOLDING_BACK = re.compile(r"^(?:でも|だけど|けど|けれど|しかし|ただ)")


def _head_and_rest(typed: str) -> tuple[str, str]:
    """「いや、電球が切れとるだけ」 -> (いや, 電球が切れとるだけ): the first word typed, and the rest."""
    parts = _FIRST_WORD.split(typed.strip(), maxsplit=1)
    return parts[0], (parts[1].strip() if len(parts) > 1 else "")


# A no said first with the rest run on, as voice input writes it (「いやいや電球がきれたんよ」). Not いや
# before kana: いやな におい, いやだ are other words.
_NO_RUN_ON = re.compile(
    r"^(?:いいえ|いいや|いんや|いやいや|ううん|ちがうちがう|ちがいます|ちがう|違います|違う|ちゃうちゃう|ちゃいます|ちゃう"
    r"|ちごうちごう|ちごう"
    r"|いや(?=[\u3400-\u9fff\u30a0-\u30ff]))"
)
# 「いのちはだいじょうぶやけど、うごけん」: a no, then "but" and what it is.
_BUT = re.compile(r"(?:けれども|けれど|けども|けんど|けど|ばってん)[\s、,]*")


def _explained_no(typed: str) -> tuple[str, str] | None:
    """A no to the question and what follows it (「ちがう、テレビがたおれただけ」: ちがう, テレビが…), when
    the rest says what it is rather than taking the no back or not knowing (「いや、わからん」)."""
    head, rest = _head_and_rest(typed)
    said_no = bool(rest) and _says_no(head)
    if not said_no and (but := _BUT.search(typed)) is not None and but.start() > 0:
        head, rest = typed[: but.start()], typed[but.end() :].strip()
        said_no = bool(rest) and _says_no(head)
    if not said_no and (run_on := _NO_RUN_ON.match(typed.strip())) is not None:
        head, rest = run_on.group(), typed.strip()[run_on.end() :].strip(" 、,。")
        said_no = bool(rest)
    if not said_no:
        return None
    parts = [p for p in _FIRST_WORD.split(rest) if p]
    taken_back = any(is_yes(p) or is_unsure(p) or is_unclear(p) or sounds_desperate(p) for p in parts)
    return None if taken_back or is_unsure(rest) or sounds_desperate(rest) else (head, rest)


# いや, ちがう, ううん before words of pain may be distress or "not that" (「いや、くるしい」), not a no to
# 今すぐ命にかかわりますか？, unless the pain is made small (「ちごうちごう、ひざがいたいだけじゃ」); and help
# asked for again (「だいじょうぶ、たすけて」) takes the no back.
_WEAK_NO = re.compile(r"^(?:(?:いや|ちがう|違う|ちゃう|ちごう)+|ううん)[よねっ]*$")
_MADE_SMALL = re.compile(r"だけ|ぐらい|くらい|程度")
_PLEA = re.compile(r"助け|たすけ|タスケ")


def _no_with_a_maybe(typed: str) -> bool:
    """A plain no to the question, then words that alone would only be asked about (never a real emergency,
    nothing volunteers may not do, no harassment)."""
    explained = _explained_no(typed)
    if explained is None:
        return False
    head, rest = explained
    weak = _WEAK_NO.match(_BUT.sub("", head.strip())) and not _MADE_SMALL.search(rest)
    if weak or _PLEA.search(rest):
        return False
    read = understood(rest)
    maybe = read.flag == "emergency" and read.urgency == "maybe"
    return read.referral is None and (read.flag is None or maybe)


def _no_then_unsure(typed: str) -> bool:
    """「いや、わからん」「ちがう…だめ」: a no taken back by not knowing (read as a スマホ question)."""
    head, rest = _head_and_rest(typed)
    return bool(rest) and _says_no(head) and (is_unsure(rest) or is_unclear(rest))


def _says_no(head: str) -> bool:
    """A no or a danger denied, a trailing "but" aside (「だいじょうぶやけど」)."""
    plain = _BUT.sub("", head.strip())
    return not is_yes(plain) and (is_no(plain) or denies_a_danger(plain))


def _holds_back(rest: str) -> bool:
    parts = [p for p in _FIRST_WORD.split(rest) if p]
    return bool(_HOLDING_BACK.match(rest)) or any(is_no(p) or is_either(p) or is_unclear(p) for p in parts)


def _unanswered(state: Conversation) -> list[str]:
    """What was typed instead of an answer, kept for the coordinators' notice."""
    kept = state.data.get("unanswered")
    return [t for t in kept if isinstance(t, str)] if isinstance(kept, list) else []


def _means_nothing(typed: str) -> bool:
    """Words that would get the bot's 「よく分かりませんでした」: no kind of help, no request, no offer."""
    understanding = understood(typed)
    return understanding.category is None and not hints_a_request(typed) and not offers_to_do(typed)


def _answer(
    ctx: Context,
    state: Conversation | None,
    text: str,
    *,
    urgent: bool,
    kind: object = None,
    also: str | None = None,
    detail: str | None = None,
) -> None:
    """The question answered: the emergency answer, or (not urgent) the text passed on in relay chat, the
    interrupted flow asked again, or a 困りごと started from the text (and `detail`, typed with the no)."""
    kind = kind or (state.data.get("kind") if state is not None else None)
    chat_request = _relay_request(ctx, state)
    resumed = _end_question(ctx, state)
    if urgent:
        told = text if also is None else f"{text}\n{also}"
        emergency(ctx, kind if isinstance(kind, str) and kind in _NUMBERS else "uncertain", told)
        return
    if chat_request is not None:
        # Written in relay chat: not urgent, so it is for the other side, as written.
        relay.pass_on_text(ctx, chat_request, text)
        return
    if resumed is not None:
        flow = _flow(resumed.flow)
        if flow.reprompt is not None:
            ctx.reply(ui.text(texts.MAYBE_GO_ON))
            flow.reprompt(ctx, resumed)
            return
        conversations.clear_state(ctx.session, ctx.sender.id)  # nothing to ask again: a new 困りごと
    # Not urgent: the text goes on as a 困りごと exactly as written (its category asked if unclear).
    told = text if detail is None else f"{text}\n{detail}"[:SAVED_TEXT_LIMIT]
    ctx.reply(ui.text(texts.MAYBE_NOT_URGENT))
    request_flow.start(ctx, told, understand(told))


def _waiting(ctx: Context) -> tuple[Conversation, str] | None:
    """The question still waiting for an answer, and the text it is about."""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    text = _waiting_text(ctx, state)
    return None if state is None or text is None else (state, text)


def _waiting_text(ctx: Context, state: Conversation | None) -> str | None:
    if state is None or state.flow != FLOW or state.step != Step.ASK:
        return None
    text = state.data.get("text")
    return text if isinstance(text, str) and text else None


def _leave_question(ctx: Context) -> None:
    """A new emergency or refusal answers the question in progress, if any."""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    if state is not None and state.flow == FLOW:
        _end_question(ctx, state)


def _interrupted(state: Conversation | None) -> dict[str, Any] | None:
    """The flow the question interrupted, as saved in its data (flow, step, data), if any."""
    resume = state.data.get(RESUME) if state is not None else None
    return resume if isinstance(resume, dict) else None


def _flow(name: str) -> Flow:
    from handlers import registry  # registry lists this flow: imported when used, not at import

    return registry.FLOWS[name]


def _end_question(ctx: Context, state: Conversation | None) -> Conversation | None:
    """The question is over: the flow it interrupted is back in progress (returned), else no flow is."""
    resume = _interrupted(state)
    if resume is None or resume.get("flow") == relay.FLOW:
        conversations.clear_state(ctx.session, ctx.sender.id)
        return None
    conversations.set_state(
        ctx.session, ctx.sender.id, resume["flow"], resume["step"], resume["data"], now=ctx.now
    )
    return conversations.get_state(ctx.session, ctx.sender.id)


def _relay_request(ctx: Context, state: Conversation | None) -> HelpRequest | None:
    """The request whose relay chat the question interrupted, if it did."""
    resume = _interrupted(state)
    if resume is None or resume.get("flow") != relay.FLOW:
        return None
    request_id = resume.get("data", {}).get("request_id")
    return ctx.session.get(HelpRequest, request_id) if isinstance(request_id, int) else None


def keeps(ctx: Context, flow: str) -> bool:
    """The question waiting holds this flow, to go on with afterwards (so it is not left yet)."""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    resume = _interrupted(state) if state is not None and state.flow == FLOW else None
    return resume is not None and resume.get("flow") == flow


def _cancel(ctx: Context, state: Conversation) -> None:
    """Idle or another flow starting: the interrupted flow, if any, is ended its own way (a draft held
    since an emergency is never sent by a 「はい」 long after). A draft dropped so is said before the next
    answer, with what was written and one tap to write it again: it was dropped without a word."""
    dropped = _drop(ctx, state)
    if dropped is not None:
        ctx.reply_first(_dropped_notice(*dropped))


def _stop(ctx: Context, state: Conversation) -> None:
    """やめる (or いらん to 送りますか？): the resident's own choice, answered 「やめました」 alone."""
    _drop(ctx, state)


def _drop(ctx: Context, state: Conversation) -> tuple[HelpRequest, list[str]] | None:
    """The interrupted flow, if any, ended its own way; a request draft it cancelled, with its other kinds."""
    resumed = _end_question(ctx, state)
    if resumed is None:
        return None
    request_id = resumed.data.get("request_id") if resumed.flow == request_flow.FLOW else None
    draft = ctx.session.get(HelpRequest, request_id) if isinstance(request_id, int) else None
    was_draft = draft is not None and draft.status == RequestStatus.DRAFT
    also = resumed.data.get("also")
    _flow(resumed.flow).cancel(ctx, resumed)
    if draft is None or not was_draft or draft.status != RequestStatus.CANCELLED:
        return None
    return draft, [c for c in also if isinstance(c, str)] if isinstance(also, list) else []


def _dropped_notice(draft: HelpRequest, also: list[str]) -> ui.Message:
    again = postback.encode("sos", v="again", r=draft.id, k=",".join(also))
    button = ui.postback(texts.HELD_SEND_AGAIN, again, texts.HELD_SEND_AGAIN, flex=True)
    bubble = ui.card(
        texts.HELD_DROPPED,
        [(texts.CARD_TEXT, ui.clip(draft.text, 300))],
        [button],
        note=texts.HELD_DROPPED_NOTE,
    )
    return ui.flex(f"{texts.HELD_DROPPED}\n{texts.HELD_DROPPED_NOTE}", bubble)


def _write_again(ctx: Context, fields: dict[str, str]) -> None:
    """もう一度依頼する under a dropped draft: what the resident wrote comes back as a draft (never twice)."""
    earlier = request_named(ctx, fields)
    if earlier is None or earlier.requester_id != ctx.sender.id or earlier.status != RequestStatus.CANCELLED:
        request_flow.on_old_button(ctx, fields)
        return
    from handlers import registry  # registry lists this flow: imported when used, not at import

    found = registry.current(ctx)
    if found is not None and found[1].reprompt is not None:
        # A new 困りごと written since (or another step-by-step flow): it goes on, nothing dropped for a tap.
        ctx.reply(ui.text(texts.OLD_BUTTON_MID_FLOW))
        found[1].reprompt(ctx, found[0])
        return
    again = request_repo.written_again(ctx.session, earlier)
    if again is not None and again.status != RequestStatus.DRAFT:
        ctx.reply(ui.text(texts.REQUEST_ALREADY_SENT, main_menu(ctx)))
        return
    registry.leave(ctx)
    request_flow.start_again(ctx, earlier, [c for c in fields.get("k", "").split(",") if c])


# --- after the emergency answer ------------------------------------------------------------------


def _await_news(ctx: Context, kind: str) -> None:
    """What is typed next is read against the emergency answer (「もう救急車よんだ」 was asked again
    今すぐ命にかかわりますか？, 「だいじょうぶになりました」 got 「よく分かりませんでした」). A flow in
    progress waits in the state's data, unsent: a 「はい」 typed just after the answer sent a draft at its
    card to supporters."""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    held: dict[str, Any] | None = None
    if state is not None and state.flow == FLOW:
        held = _interrupted(state)
    elif state is not None:
        if _flow(state.flow).on_message is not None:
            return  # relay chat and the お礼 take every message: left as they are
        held = {"flow": state.flow, "step": state.step, "data": dict(state.data)}
    data: dict[str, object] = {"kind": kind}
    if held is not None and held.get("flow") != relay.FLOW:
        data[RESUME] = held
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.TOLD, data, now=ctx.now)


def _told(ctx: Context) -> Conversation | None:
    state = conversations.get_state(ctx.session, ctx.sender.id)
    return state if state is not None and state.flow == FLOW and state.step == Step.TOLD else None


def _after_emergency_alarm(ctx: Context, state: Conversation, read: Understanding, text: str) -> None:
    """Alarming words just after the emergency answer: news of it (「救急車よんだ」「110番した」), or a new
    alarm, answered at once and never asked about (「まだくるしい」)."""
    rest = emergency_news(text)
    if rest is not None and (not rest or understood(rest).urgency != "now"):
        _answer_news(ctx, state, text, news=True)
        return
    named = read.flag_reason
    kind = named if named and named != "uncertain" else state.data.get("kind")
    _end_question(ctx, state)  # the flow it held is in progress again, and held again by the answer
    emergency(ctx, kind if isinstance(kind, str) and kind in _NUMBERS else "uncertain", text)


def _on_news(ctx: Context, state: Conversation, typed: str) -> bool:
    """A text just after the emergency answer: a kind answer (never a card, never 「よく分かりませんでした」);
    the answer to a flow's step it held, which goes on; or a new 困りごと, read as new (False)."""
    held = _interrupted(state)
    answer = answer_of(typed, ("yes", "no", "decline")) if state.data.get(SEND_ASKED) else None
    if answer == "yes":
        _send_held(ctx, state, {})  # 「はい」「おくってください」 to 送りますか？, asked after 依頼する
    elif answer == "decline":
        _stop(ctx, state)  # 「いらん」 to the same question: the held draft is not sent after all
        ctx.reply(ui.text(texts.CANCELLED_FLOW, main_menu(ctx)))
    elif emergency_news(typed) is not None:
        _answer_news(ctx, state, typed, news=True)
    elif is_pleasantry(typed) or is_yes(typed) or is_no(typed) or is_either(typed):
        # 「ありがとう」「はい」: heard, not news; a held card's 「はい」 never sends it.
        _answer_news(ctx, state, typed, news=False)
    elif is_unsure(typed) or is_unclear(typed):
        _answer_news(ctx, state, typed, news=True)
    elif held is not None and _GO_ON.match(command_key(typed)):
        _go_on(ctx, state)  # 「つづける」 typed for the button
    elif _means_nothing(typed):
        # 「むすめがきてくれた」「もうけした」: news for the coordinators, not a step's answer (a place step
        # answered 「場所が分かりませんでした」); 続ける, under the answer, goes on with a flow held.
        _answer_news(ctx, state, typed, news=True)
    elif held is not None:
        # 「電球の交換」 in supporter registration: the step it held reads it (a card needs its own yes).
        resumed = _end_question(ctx, state)
        on_text = _flow(resumed.flow).on_text if resumed is not None else None
        return resumed is not None and on_text is not None and on_text(ctx, resumed, typed) is not False
    else:
        conversations.clear_state(ctx.session, ctx.sender.id)
        return False  # a new 困りごと or offer: the ordinary flow, whose card needs its own yes
    return True


_GO_ON = re.compile(r"^(?:続|つづ)(?:け|き)")


def _answer_news(ctx: Context, state: Conversation, typed: str, *, news: bool) -> None:
    """Thanks for the news (the coordinators told what was typed) or for the words, the numbers again, and
    a flow held shown as waiting, unsent, with 続ける."""
    told = 0
    if news:
        told = push_to_coordinators(
            ctx,
            texts.COORDINATOR_EMERGENCY_NEWS.format(name=_name(ctx), text=ui.clip(typed, NOTICE_TEXT_LIMIT)),
        )
    head = texts.EMERGENCY_NEWS if news else texts.EMERGENCY_THANKS
    said = "\n".join([head + (texts.EMERGENCY_NEWS_TOLD if told else ""), texts.EMERGENCY_CALL_AGAIN])
    kind = state.data.get("kind")
    numbers = _NUMBERS[kind] if isinstance(kind, str) and kind in _NUMBERS else _NUMBERS["uncertain"]
    messages = [ui.text(said), _call_buttons(numbers, texts.EMERGENCY_CALL_AGAIN)]
    if _interrupted(state) is not None:
        go_on = ui.postback(texts.EMERGENCY_GO_ON, postback.encode("sos", v="go"), texts.EMERGENCY_GO_ON)
        messages.append(ui.text(texts.EMERGENCY_HELD, [go_on, cancel_button()]))
    ctx.reply(*messages)
    # Still read as news for a while after each message.
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.TOLD, dict(state.data), now=ctx.now)


def _go_on(ctx: Context, state: Conversation | None) -> None:
    """続ける: the flow held since the emergency answer asks its step again (tapped late: the step in
    progress, if any)."""
    held = state is not None and state.flow == FLOW and state.step == Step.TOLD and bool(_interrupted(state))
    resumed = _end_question(ctx, state) if held else state
    flow = _flow(resumed.flow) if resumed is not None else None
    ask = None if flow is None else (flow.ask_step or flow.reprompt)
    if resumed is None or ask is None:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
        return
    if held:
        ctx.reply(ui.text(texts.MAYBE_GO_ON))
    ask(ctx, resumed)


def asks_before_sending(ctx: Context, fields: dict[str, str]) -> bool:
    """依頼する tapped on the card of a draft held since the emergency answer (a card from before it): the
    resident is asked kindly whether to send it now (it went to supporters at once); True when asked."""
    state = _told(ctx)
    held = _interrupted(state)
    if state is None or held is None or held.get("flow") != request_flow.FLOW:
        return False
    request_id = held.get("data", {}).get("request_id")
    if held.get("step") != request_flow.Step.CONFIRM or not request_flow.is_send_button(fields, request_id):
        return False
    send = ui.postback(texts.HELD_SEND, postback.encode("sos", v="send", r=request_id), texts.HELD_SEND)
    call = ui.uri(*_CALLS["119"])
    ctx.reply(ui.text(texts.HELD_SEND_ASK, [send, cancel_button(), call]))
    conversations.set_state(
        ctx.session, ctx.sender.id, FLOW, Step.TOLD, {**state.data, SEND_ASKED: True}, now=ctx.now
    )
    return True


def _send_held(ctx: Context, state: Conversation | None, fields: dict[str, str]) -> None:
    """送る (or a yes typed) under the question asked after 依頼する: the held draft goes out now, by the
    resident's own choice. Tapped late, the draft in progress is sent if it is that one."""
    if state is not None and state.flow == FLOW and state.step == Step.TOLD and state.data.get(SEND_ASKED):
        state = _end_question(ctx, state)
    if state is not None and state.flow == request_flow.FLOW:
        request_flow.send_draft(ctx, state)
    else:
        request_flow.on_old_button(ctx, fields)


def resume_for_button(ctx: Context, fields: dict[str, str]) -> bool:
    """A button of the flow the question or the emergency answer holds (いつでも, 依頼する, its やめる): that
    flow is in progress again to take it (the button was answered 「このボタンは使えません」)."""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    held = _interrupted(state) if state is not None and state.flow == FLOW else None
    if held is None or held.get("flow") == relay.FLOW:
        return False
    owner = _flow(str(held["flow"]))
    its_cancel = fields["a"] == "cancel" and fields.get("f") == owner.name
    if fields["a"] not in owner.postback_codes and not its_cancel:
        return False
    _end_question(ctx, state)
    return True


def _on_location(ctx: Context, state: Conversation, place: Place | None) -> None:
    """A location sent while the question or the emergency answer holds a flow's place step: that flow
    takes it (it was answered 「よく分かりませんでした」)."""
    held = _interrupted(state)
    owner = _flow(str(held["flow"])) if held is not None and held.get("flow") != relay.FLOW else None
    if owner is None or owner.on_location is None:
        ctx.reply(ui.text(texts.FALLBACK, main_menu(ctx)))
        return
    resumed = _end_question(ctx, state)
    if resumed is not None:
        owner.on_location(ctx, resumed, place)


# --- after a refusal or a referral --------------------------------------------------------------

REFERRED = "referred"  # the AFTER step's kind for a referral (a refusal keeps its own kind)


def _await_follow_up(ctx: Context, kind: str) -> None:
    """Typed words next are read against this answer, unless another flow is in progress."""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    if state is None or state.flow == FLOW:
        conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.AFTER, {"kind": kind}, now=ctx.now)


def _on_follow_up(ctx: Context, state: Conversation, typed: str) -> bool:
    kind = str(state.data.get("kind", ""))
    scores = understood(typed).scores
    # 「じゃあ買い物はお願いできますか」「誰か電球を替えて」: a new 困りごと, read as one.
    new_request = bool(scores) and scores[0][1] >= CLEAR_CATEGORY
    person = asks_for_a_person(typed)
    what_now = asks_what_now(typed) or (_means_nothing(typed) and not is_pleasantry(typed))
    if new_request or not (person or what_now):
        conversations.clear_state(ctx.session, ctx.sender.id)
        return False
    if kind == REFERRED:
        # Coordinators were told with the referral: the numbers again, not a second notice.
        conversations.clear_state(ctx.session, ctx.sender.id)
        ctx.reply(ui.text(texts.REFERRAL_AGAIN), _call_buttons(_REFERRAL_NUMBERS, texts.REFERRAL_AGAIN))
    elif person:
        on_ask_coordinator(ctx, {"k": kind})
    else:
        conversations.clear_state(ctx.session, ctx.sender.id)
        next_step = texts.NOT_ALLOWED_NEXT.get(kind, texts.NOT_ALLOWED_DEFAULT_NEXT)
        ask = ui.postback(texts.ASK_COORDINATOR, postback.encode("coord", k=kind), texts.ASK_COORDINATOR)
        ctx.reply(ui.text(texts.NOT_ALLOWED_WHAT_NOW.format(next=next_step), [ask, *main_menu(ctx)]))
    return True


# --- pieces -------------------------------------------------------------------------------------


def _call_buttons(numbers: tuple[str, ...], alt: str) -> ui.Message:
    """A bubble of big tap-to-call buttons, read aloud and shown in notifications as `alt`."""
    buttons = [ui.uri(label, uri, flex=True) for label, uri in (_CALLS[n] for n in numbers)]
    bubble = ui.card(texts.EMERGENCY_BUTTONS_TITLE, [], buttons)
    return ui.flex(f"{alt}\n" + "\n".join(label for label, _ in (_CALLS[n] for n in numbers)), bubble)


def _name(ctx: Context) -> str:
    name = ctx.sender.display_name
    return texts.SAFETY_NAME.format(name=name) if name else texts.SAFETY_NO_NAME


def answer_blocked(ctx: Context) -> None:
    ctx.reply(ui.text(texts.BLOCKED))


CONVERSATION = Flow(
    FLOW, idle_limit=ANSWER_WINDOW, cancel=_cancel, stop=_stop, on_text=on_text, on_location=_on_location
)
