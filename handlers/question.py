"""A yes-or-no question on screen (取り消しますか？ 退会しますか？): 「はい」 or 「いいえ」 typed answers
it as its buttons would.

The two buttons are kept as the sender's state for half an hour, unless a step-by-step flow is in progress.
Every event takes the question off first (handlers/routes.py): the very next text answers it, or it is
read as usual and the question is over. 「大丈夫です」, which may mean either, gets the question once more.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from db import conversations
from handlers import texts, ui
from handlers.context import Context
from handlers.flow import Flow
from matching.phrases import answer_of, reading_key
from matching.words import (
    asks_it_done,
    command_key,
    command_words,
    is_either,
    is_not_now,
    is_verb_form,
    wants_it_kept,
    wants_it_stopped,
)

FLOW = "question"
IDLE_LIMIT = timedelta(minutes=30)


def ask(ctx: Context, yes: ui.Action, no: ui.Action, *others: ui.Action, again: bool = False) -> None:
    """Remember the question just asked by its two postback buttons, and any other button under it whose
    label, typed, should work as the tap (「自分で書く」); a flow in progress keeps its step."""
    state = conversations.get_state(ctx.session, ctx.sender.id)
    if state is not None and state.flow != FLOW:
        return
    data = {"yes": _kept(yes), "no": _kept(no), "others": [_kept(b) for b in others], "again": again}
    conversations.set_state(ctx.session, ctx.sender.id, FLOW, "ask", data, now=ctx.now)


def _kept(button: ui.Action) -> dict[str, str]:
    shown = str(button.get("displayText", ""))
    return {"label": str(button["label"]), "data": str(button["data"]), "shown": shown}


def take(ctx: Context) -> dict[str, Any] | None:
    """The question waiting for this event's answer, taken off (asked over half an hour ago: none)."""
    if ctx.member is None:
        return None
    state = conversations.get_state(ctx.session, ctx.member.id)
    if state is None or state.flow != FLOW:
        return None
    conversations.clear_state(ctx.session, ctx.member.id)
    if state.updated_at < ctx.now - IDLE_LIMIT:
        return None
    return dict(state.data)


def typed_button(asked: dict[str, Any], text: str) -> str | None:
    """The postback data of the button under the question whose label the text is (typed, not tapped)."""
    said = command_key(text)
    buttons = [asked["yes"], asked["no"], *asked.get("others", [])]
    found = next((b for b in buttons if said == command_key(b["label"])), None)
    found = found or next((b for b in buttons if _says_label(str(b["label"]), text)), None)
    return None if found is None else str(found["data"])


def _says_label(label: str, text: str) -> bool:
    """The label's verb in another form or script: 「自分で書きます」「じぶんでかく」 for 自分で書く."""
    stem = _VERB_END.sub("", reading_key(label))
    said = reading_key(text)
    if len(stem) < 3 or stem == reading_key(label) or not said.startswith(stem):
        return False
    return is_verb_form(said[len(stem) :])


def reading(asked: dict[str, Any], text: str) -> str | None:
    """ "yes", "no", "either" (words that may mean both), or None when the text answers nothing.

    A button's label typed counts as the tap; beside a plain はい or いいえ, 「大丈夫です」 adds nothing
    (「いいえ、大丈夫です」 is no); 「はい、取り消してください」 is yes, 「はい、でも待って」 nothing.
    When the yes button stops something (取り消す, やめる), wanting it stopped is yes
    (「取り消したいです」「キャンセルで」), and not wanting it is no (「取り消さないで」「やめんといて」).
    """
    said = command_key(text)
    for button in ("yes", "no"):
        if said == command_key(asked[button]["label"]):
            return button
    if _yes_stops(asked) and said in {command_key(w) for w in command_words("cancel")}:
        # 「やめる」「キャンセル」 alone: leaving, or the cancel? Asked once; said again, it leaves.
        return None if asked.get("again") else "either"
    if _yes_stops(asked) and wants_it_stopped(text):
        return "yes"
    if _yes_stops(asked) and wants_it_kept(text):
        return "no"
    if is_not_now(text):
        return "no"  # 「あとで」「また今度」: not now
    if is_either(text):
        return "either"
    parts = [part for part in _PARTS.split(text) if part and not is_either(part)]
    if not parts:
        return None
    answer = answer_of(" ".join(parts), ("yes", "no"))
    if answer is None and len(parts) > 1 and answer_of(parts[0], ("yes",)) == "yes":
        # 「はい、取り消してください」: a yes, then the thing asked for, asked for again.
        return "yes" if asks_it_done("".join(parts[1:])) else None
    if answer is None and _asks_for(asked["yes"]["label"], "".join(parts)):
        return "yes"  # 「取り消してください」 to 取り消しますか？: the yes button's own verb, asked for
    return answer


def _yes_stops(asked: dict[str, Any]) -> bool:
    """The yes button is a stop: 取り消す, やめる, 引き受けをやめる (its verb, after any を)."""
    return wants_it_stopped(str(asked["yes"]["label"]).rsplit("を", 1)[-1])


# A verb's dictionary ending, as read: 取り消す -> とりけ, 退会する -> たいかい, やめる -> や.
_VERB_END = re.compile(r"(?:する|[うくぐすつぬぶむる])$")


def _asks_for(label: str, text: str) -> bool:
    """The text is the button's verb asked to be done (「取り消して」「取り消しでお願いします」), compared as
    read so kana and kanji meet; not held back (「取り消さないでください」)."""
    stem = _VERB_END.sub("", reading_key(label))
    said = reading_key(text)
    if len(stem) < 2 or stem == reading_key(label) or not said.startswith(stem):
        return False
    return asks_it_done(said[len(stem) :])


_PARTS = re.compile(r"[\s、,。.!！?？]+")


def postback_of(asked: dict[str, Any], answer: str) -> str:
    return str(asked[answer]["data"])


def ask_again(ctx: Context, asked: dict[str, Any]) -> None:
    """「大丈夫です」: the same two buttons once more, with one line saying which to press."""
    yes, no, *others = (
        ui.postback(b["label"], b["data"], b["shown"] or None)
        for b in (asked["yes"], asked["no"], *asked.get("others", []))
    )
    ctx.reply(ui.text(texts.QUESTION_AGAIN.format(yes=yes["label"], no=no["label"]), [yes, no]))
    ask(ctx, yes, no, *others, again=True)


# Registered so that a stored question is a known flow; the dispatcher takes it off before routing.
CONVERSATION = Flow(FLOW, idle_limit=IDLE_LIMIT)
