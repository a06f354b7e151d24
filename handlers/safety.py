"""Answers for what must not be matched: emergencies, harassment, what volunteers may not do, harm.

No supporter ever hears of a text answered here. A real emergency gets one line of what to do now
and tap-to-call buttons; coordinators are told afterwards, so a person checks back (never instead
of 119). A maybe-urgent text (「たすけて」 alone, 倒れた without detail) is asked about at once:

stateDiagram-v2
    [*] --> ASK: maybe-urgent text (the numbers and 今すぐ命にかかわりますか？)
    ASK --> [*]: はい, tapped or typed (the emergency answer, coordinators told)
    ASK --> [*]: いいえ, tapped or typed (the text goes on as a 困りごと, as written)
    ASK --> [*]: anything else, or after ANSWER_WINDOW (read as a new message)
"""

from __future__ import annotations

import enum
from datetime import timedelta

from db import conversations
from db import desk as desk_repo
from db.models import Conversation
from handlers import postback, request_flow, texts, ui
from handlers.common import main_menu
from handlers.context import Context
from handlers.flow import Flow
from handlers.notify import push_to_coordinators
from matching import Understanding, understand
from matching.words import is_no, is_yes

FLOW = "safety"
ANSWER_WINDOW = timedelta(minutes=30)  # a はい much later is about something else: the question ends
NOTICE_TEXT_LIMIT = 300
SAVED_TEXT_LIMIT = 2000


class Step(enum.StrEnum):
    ASK = "ask"


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
    if understanding.flag == "emergency" and understanding.urgency == "maybe":
        _ask_if_urgent(ctx, text, understanding.flag_reason or "uncertain")
        return
    _leave_question(ctx)
    if understanding.flag == "emergency":
        emergency(ctx, understanding.flag_reason or "uncertain", text)
    elif understanding.flag == "not_allowed":
        refuse(ctx, understanding.flag_reason or "", text)
    elif understanding.referral is not None:
        refer(ctx, text)
    else:
        ctx.reply(ui.text(texts.HARMFUL, main_menu(ctx)))


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


def refer(ctx: Context, text: str) -> None:
    """Harassed, stalked or defrauded: the right numbers, and a coordinator is told."""
    ctx.reply(ui.text(texts.REFERRAL), _call_buttons(_REFERRAL_NUMBERS, texts.REFERRAL))
    notice = texts.COORDINATOR_REFERRAL.format(name=_name(ctx), text=ui.clip(text, NOTICE_TEXT_LIMIT))
    push_to_coordinators(ctx, notice)


def on_ask_coordinator(ctx: Context, fields: dict[str, str]) -> None:
    """The コーディネーターに相談 button under a refusal."""
    reason = texts.NOT_ALLOWED_REASONS.get(fields.get("k", ""), texts.NOT_ALLOWED_DEFAULT_REASON)
    told = push_to_coordinators(ctx, texts.COORDINATOR_ASKED.format(name=_name(ctx), reason=reason))
    ctx.reply(ui.text(texts.ASKED_COORDINATOR if told else texts.NO_COORDINATOR, main_menu(ctx)))


# --- maybe urgent -------------------------------------------------------------------------------


def _ask_if_urgent(ctx: Context, text: str, kind: str) -> None:
    # The kind, when the text named one (息がぜいぜい: unconscious), gives はい its own do-now line.
    saved = {"text": text[:SAVED_TEXT_LIMIT], "kind": kind}
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, Step.ASK, saved, now=ctx.now)
    yes = ui.postback(texts.MAYBE_YES, postback.encode("sos", v="yes"), texts.MAYBE_YES)
    no = ui.postback(texts.MAYBE_NO, postback.encode("sos", v="no"), texts.MAYBE_NO)
    calls = [ui.uri(label, uri) for label, uri in (_CALLS["119"], _CALLS["110"], _CALLS["7119"])]
    ctx.reply(ui.text(texts.MAYBE_URGENT, [yes, no, *calls]))


def on_answer(ctx: Context, fields: dict[str, str]) -> None:
    """はい / いいえ tapped under 今すぐ命にかかわりますか？"""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    text = _waiting_text(ctx, state)
    if text is None:
        # An old question: a はい still gets the numbers (better twice than never); いいえ, the menu.
        if fields.get("v") == "yes":
            emergency(ctx, "uncertain", "")
        else:
            ctx.reply(ui.text(texts.MAYBE_NOT_URGENT), ui.text(texts.REQUEST_PROMPT, main_menu(ctx)))
        return
    _answer(ctx, state, text, urgent=fields.get("v") == "yes")


def on_text(ctx: Context, state: Conversation, typed: str) -> bool:
    """A typed answer to the question; False when it is something else (read it as a new message)."""
    text = _waiting_text(ctx, state)
    if text is None:
        return False
    if is_yes(typed):
        _answer(ctx, state, text, urgent=True)
        return True
    if is_no(typed):
        _answer(ctx, state, text, urgent=False)
        return True
    conversations.clear_state(ctx.session, ctx.sender.id)
    return False


def _answer(ctx: Context, state: Conversation | None, text: str, *, urgent: bool) -> None:
    kind = state.data.get("kind") if state is not None else None
    conversations.clear_state(ctx.session, ctx.sender.id)
    if urgent:
        emergency(ctx, kind if isinstance(kind, str) and kind in _NUMBERS else "uncertain", text)
        return
    # Not urgent: the text goes on as a 困りごと exactly as written (its category asked if unclear).
    ctx.reply(ui.text(texts.MAYBE_NOT_URGENT))
    request_flow.start(ctx, text, understand(text))


def _waiting_text(ctx: Context, state: Conversation | None) -> str | None:
    if state is None or state.flow != FLOW:
        return None
    text = state.data.get("text")
    return text if isinstance(text, str) and text else None


def _leave_question(ctx: Context) -> None:
    """A new emergency or refusal answers the question in progress, if any."""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    if state is not None and state.flow == FLOW:
        conversations.clear_state(ctx.session, ctx.sender.id)


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


CONVERSATION = Flow(FLOW, idle_limit=ANSWER_WINDOW, on_text=on_text)
