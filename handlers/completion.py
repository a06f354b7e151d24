"""The check-in answers (完了した / まだ / 来なかった) and time credits (or fees); お礼: handlers/thanks.py

stateDiagram-v2
    MATCHED --> DONE: 完了した (both thanked; resident may send お礼; supporter records time)
    MATCHED --> MATCHED: まだ (asked again later)
    MATCHED --> OPEN: 来なかった after the time (no-show recorded, coordinators told once, offered again)
    MATCHED --> MATCHED: 来なかった before the time (asked to tell us after it)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import timedelta

from ja_timex.number_normalizer import kansuji2number

from db import credits, lifecycle
from db import followups as followup_repo
from db import requests as request_repo
from db.models import (
    CreditEntry,
    HelpRequest,
    ProposalStatus,
    RequestStatus,
)
from db.outbox import PRIORITY_NORMAL
from handlers import fees, followups, postback, question, relay, texts, ui
from handlers.common import label_of, main_menu, name_of, request_named
from handlers.context import Context
from handlers.notify import push_to_coordinators
from handlers.picker import which_request
from matching.normalize import to_hiragana

ANSWERS = {"done": texts.CHECKIN_DONE, "later": texts.CHECKIN_NOT_YET, "noshow": texts.CHECKIN_NO_SHOW}
DURATIONS = dict([*texts.DURATION_CHOICES, texts.DURATION_MORE])


# --- the check-in answers ---------------------------------------------------------------------------


def answer(ctx: Context, value: str) -> None:
    """A typed or tapped 完了した / まだ / 来なかった: about the one matched request, or the one chosen."""
    waiting = _matched_requests_of(ctx)
    if waiting and value == "noshow":
        # Only a request whose time has come can be a no-show: the others are not offered.
        waiting = [r for r in waiting if time_has_come(ctx, r)]
        if not waiting:
            _too_early(ctx)
            return
    if not waiting:
        ctx.reply(ui.text(texts.CHECKIN_NONE, main_menu(ctx)))
    elif len(waiting) == 1:
        _apply(ctx, waiting[0], value)
    else:
        ctx.reply(
            which_request(
                ctx, texts.CHECKIN_CHOOSE, waiting, lambda r: postback.encode("ci", r=r.id, v=value)
            )
        )


def on_checkin(ctx: Context, fields: dict[str, str]) -> None:
    """A check-in button: without a request id (the shared notice) it means the sender's matched one."""
    value = fields.get("v", "")
    if "r" not in fields and value in ANSWERS:
        answer(ctx, value)
        return
    request = _own_request(ctx, fields)
    if request is None or value not in ANSWERS:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
    elif request.status != RequestStatus.MATCHED:
        ctx.reply(ui.text(texts.NOT_OPEN, main_menu(ctx)))
    else:
        _apply(ctx, request, value)


def _matched_requests_of(ctx: Context) -> Sequence[HelpRequest]:
    return request_repo.matched_of(ctx.session, ctx.sender.id)


def _own_request(ctx: Context, fields: dict[str, str]) -> HelpRequest | None:
    request = request_named(ctx, fields)
    return request if request is not None and request.requester_id == ctx.sender.id else None


def _apply(ctx: Context, request: HelpRequest, value: str) -> None:
    # 完了 before the time is allowed: they may well have met early.
    if value == "done":
        _done(ctx, request)
    elif value == "later":
        followups.schedule_checkin_again(ctx, request)
        ctx.reply(ui.text(texts.CHECKIN_LATER, main_menu(ctx)))
    elif not time_has_come(ctx, request):
        _too_early(ctx)
    else:
        _no_show(ctx, request)


def _too_early(ctx: Context) -> None:
    ctx.reply(ui.text(texts.NO_SHOW_TOO_EARLY, [ui.say(texts.RELAY_BUTTON), *main_menu(ctx)]))


def time_has_come(ctx: Context, request: HelpRequest) -> bool:
    """Someone can only have failed to come after the appointment (いつでも: once we asked how it went)."""
    if request.wanted_at is not None:
        return request.wanted_at <= ctx.now
    supporter_id, since = request.accepted_by_id, request.matched_at
    if supporter_id is None or since is None:
        return False
    return followup_repo.checkin_answered_since(ctx.session, request.id, supporter_id, since)


def _done(ctx: Context, request: HelpRequest) -> None:
    supporter = request.accepted_by
    if supporter is None or not lifecycle.complete(ctx.session, request, supporter.id, ctx.now):
        ctx.reply(ui.text(texts.NOT_OPEN, main_menu(ctx)))
        return
    followup_repo.cancel_pending(ctx.session, request.id, ctx.now)
    relay.end_relays(ctx.session, request.id)
    thanks = [
        ui.postback(texts.THANKS_QUICK, postback.encode("thx", r=request.id, p=1), texts.THANKS_QUICK),
        ui.postback(texts.THANKS_WRITE, postback.encode("thx", r=request.id, w=1), texts.THANKS_WRITE),
        ui.postback(texts.THANKS_SKIP, postback.encode("thx", r=request.id, n=1), texts.THANKS_SKIP),
    ]
    ctx.reply(ui.text(texts.DONE_RESIDENT.format(name=name_of(request, supporter)), thanks))
    # 「はい」 sends the ready thank-you; 「自分で書く」 typed is its button; thanks in words: thanks.py.
    question.ask(ctx, thanks[0], thanks[2], thanks[1])
    durations = [
        ui.postback(label, postback.encode("min", r=request.id, m=minutes), label)
        for minutes, label in DURATIONS.items()
    ]
    ctx.push(
        [supporter.line_user_id],
        [ui.text(texts.DONE_SUPPORTER.format(category=label_of(request.category)), durations)],
        priority=PRIORITY_NORMAL,
    )


def _no_show(ctx: Context, request: HelpRequest) -> None:
    supporter = request.accepted_by
    outcome = (
        None
        if supporter is None
        else followups.reopen(
            ctx, request, supporter, ProposalStatus.NO_SHOW, tell_coordinators_if_nobody=False
        )
    )
    if supporter is None or outcome is None:
        ctx.reply(ui.text(texts.NOT_OPEN, main_menu(ctx)))
        return
    asked, time_cleared = outcome
    category = label_of(request.category)
    ctx.reply(ui.text(reopen_text(texts.NO_SHOW_RESIDENT, asked, time_cleared), main_menu(ctx)))
    ctx.push(
        [supporter.line_user_id],
        [ui.text(texts.NO_SHOW_SUPPORTER.format(category=category))],
        priority=PRIORITY_NORMAL,
    )
    # One notice for coordinators, saying both what happened and whether anyone else was asked.
    notice = (texts.NO_SHOW_COORDINATOR if asked else texts.NO_SHOW_COORDINATOR_NOBODY).format(
        id=request.id,
        category=category,
        area=request.area or texts.UNKNOWN_AREA,
        name=supporter.display_name or texts.SOMEONE_SUPPORTER,
    )
    push_to_coordinators(ctx, notice)


def reopen_text(opening: str, asked: int, time_cleared: bool) -> str:
    """What the resident reads when their request is offered again."""
    parts = [opening]
    if time_cleared:
        parts.append(texts.REOPEN_ANYTIME_NOTE)
    parts.append(texts.REOPEN_SEARCHING.format(count=asked) if asked else texts.REOPEN_NOBODY)
    return "\n".join(parts)


# --- time credits --------------------------------------------------------------------------


def on_minutes(ctx: Context, fields: dict[str, str]) -> None:
    """The supporter records how long it took: the ledger gets their minutes given (and the resident's)."""
    request = request_named(ctx, fields)
    minutes = postback.int_field(fields, "m")
    if (
        request is None
        or request.status != RequestStatus.DONE
        or request.accepted_by_id != ctx.sender.id
        or minutes not in DURATIONS
    ):
        ctx.reply(ui.text(texts.HOURS_NOT_YOURS, main_menu(ctx)))
        return
    _record_minutes(ctx, request, minutes)


# How long it took, typed instead of tapped: 「１時間くらい」「30分」「一時間半」「2時間ちょっと」.
_TYPED_TIME = re.compile(r"(?:(\d{1,2}(?:\.\d)?)(?:時間|じかん))?(半)?(?:(\d{1,3})(?:分|ふん|ぷん))?")
_TIME_FILLER = re.compile(
    r"[^\w.]|くらい|ぐらい|位|ほど|程度|ちょっと|ちょい|ちょうど|だいたい|大体|約|およそ|ほぼ|弱|強|です|でした"
    r"|かかりました|かかった|かかったよ|やった|でしょうか|かな|ね|よ|わ"
)
_TYPED_TIME_MAX = 8 * 60
RECENT_VISIT = timedelta(days=2)


def typed_minutes(text: str) -> int | None:
    """Minutes said in words (to the nearest 5, 5 to 480), or None when the text says anything else."""
    words = _TIME_FILLER.sub("", to_hiragana(unicodedata.normalize("NFKC", text)))
    words = re.sub(r"[〇一二三四五六七八九十百]+", lambda m: str(kansuji2number(m.group())), words)
    found = _TYPED_TIME.fullmatch(words)
    if found is None or not (found.group(1) or found.group(3)):
        return None
    hours = float(found.group(1) or 0) + (0.5 if found.group(2) else 0)
    minutes = round((hours * 60 + int(found.group(3) or 0)) / 5) * 5
    return minutes if 5 <= minutes <= _TYPED_TIME_MAX else None


def visit_to_time(ctx: Context) -> HelpRequest | None:
    """The help this supporter completed lately (two days), whose time may still be given or corrected as
    the buttons would (not once a fee was charged for it)."""
    for request in request_repo.done_by_since(ctx.session, ctx.sender.id, ctx.now - RECENT_VISIT):
        if not (ctx.settings.fees and fees.fee_of(ctx, request) is not None):
            return request
    return None


def typed_time(ctx: Context, text: str) -> None:
    """「１時間くらい」 typed after かかった時間を教えてください: recorded (or corrected) as a tap would."""
    request, minutes = visit_to_time(ctx), typed_minutes(text)
    assert request is not None and minutes is not None
    _record_minutes(ctx, request, minutes)


def _record_minutes(ctx: Context, request: HelpRequest, minutes: int) -> None:
    recorded = texts.HOURS_RECORDED_PLAIN.format(duration=texts.duration_text(minutes))
    if ctx.settings.time_credits:
        credits.record(ctx.session, request.id, ctx.sender.id, CreditEntry.GIVEN, minutes, ctx.now)
        credits.record(ctx.session, request.id, request.requester_id, CreditEntry.RECEIVED, minutes, ctx.now)
        total = credits.minutes_of(ctx.session, ctx.sender.id)
        recorded = texts.HOURS_RECORDED.format(
            duration=texts.duration_text(minutes),
            total=texts.duration_text(total),
            credits=f"{credits.credits(total):g}",
        )
    if ctx.settings.fees and fees.fee_of(ctx, request) is None:
        fees.ask_extras(ctx, request, minutes, recorded)  # travel and materials, then the visit is charged
        return
    ctx.reply(ui.text(recorded, main_menu(ctx)))
