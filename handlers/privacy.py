"""A member's own data (登録情報, 退会) and problems with a visit (困ったことを報告, もう受けない).

stateDiagram-v2
    [*] --> SHOWN: 登録情報 → what is kept, and for how long
    [*] --> CONFIRM: 退会 → what will happen to open requests and accepted visits
    CONFIRM --> ERASED: 退会する → the other side told kindly, then everything personal erased
    CONFIRM --> [*]: 退会しない
    [*] --> CHOOSE: 困ったことを報告 → one button per recent visit
    CHOOSE --> REPORTED: a visit → 【要対応】 to coordinators (the other side is not told)
    REPORTED --> DECLINED: (supporter) この方からの依頼はもう受けない → never asked by that resident again
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from db import conversations, disclosure, erasure
from db import members as member_repo
from db import requests as request_repo
from db.models import (
    CreditEntry,
    HelpRequest,
    Member,
    ProblemReport,
    ProposalStatus,
)
from db.outbox import PRIORITY_URGENT
from handlers import class_changes, classes, postback, question, shifts, texts, ui
from handlers.common import format_when, label_of, main_menu, name_of, request_named
from handlers.completion import reopen_text
from handlers.context import Context
from handlers.followups import reopen
from handlers.my_requests import withdraw
from handlers.notify import push_to_coordinators

# Visits one can report: matched, or done in the last weeks (a problem is told soon, or not at all).
REPORTABLE_FOR = timedelta(days=30)
SHOWN_REQUESTS = 3
SHOWN_OFFERS = 3


def privacy_buttons() -> list[ui.Action]:
    return [ui.say(texts.MENU_MY_DATA), ui.say(texts.MENU_REPORT), ui.say(texts.MENU_LEAVE)]


def privacy_link(ctx: Context) -> str | None:
    """The privacy notice the web process serves, when it has a public address."""
    url = ctx.settings.public_url
    return None if url is None else texts.PRIVACY_LINK.format(url=f"{url}/privacy")


# --- 登録情報 ------------------------------------------------------------------------------------


def show_my_data(ctx: Context) -> None:
    member = ctx.sender
    lines = [texts.MY_DATA_HEAD, texts.MY_DATA_NAME.format(name=member.display_name or "-")]
    lines.append(texts.MY_DATA_ROLES.format(roles=texts.KIND_SEPARATOR.join(_roles(member))))
    if member.is_supporter:
        radius = f"{member.radius_km:g}"
        lines.append(texts.MY_DATA_HOME.format(area=member.home_area or texts.UNKNOWN_AREA, radius=radius))
        lines.append(texts.MY_DATA_SKILLS.format(skills=_skills(member)))
    own = disclosure.own_requests(ctx.session, member.id)
    active = [r for r in own if disclosure.is_active(r)]
    lines.append(texts.MY_DATA_REQUESTS.format(active=len(active), past=len(own) - len(active)))
    lines += [_request_line(ctx, r) for r in own[-SHOWN_REQUESTS:]]
    accepted = disclosure.accepted_requests(ctx.session, member.id)
    if accepted:
        lines.append(texts.MY_DATA_ACCEPTED.format(count=len(accepted)))
    offers = disclosure.active_offers(ctx.session, member.id)
    lines.append(texts.MY_DATA_OFFERS.format(count=len(offers)))
    lines += [texts.MY_DATA_OFFER_LINE.format(text=ui.clip(o.text, 30)) for o in offers[-SHOWN_OFFERS:]]
    spent = disclosure.minutes(ctx.session, member.id)
    lines.append(
        texts.MY_DATA_CREDITS.format(
            given=texts.duration_text(spent.get(CreditEntry.GIVEN, 0)),
            received=texts.duration_text(spent.get(CreditEntry.RECEIVED, 0)),
        )
    )
    keep = texts.MY_DATA_KEEP.format(
        anonymise_days=ctx.settings.anonymise_after_days, erase_days=ctx.settings.erase_after_unfollow_days
    )
    link = privacy_link(ctx)
    ctx.reply(
        ui.text("\n".join(lines)),
        ui.text(keep if link is None else f"{keep}\n{link}", [ui.say(texts.MENU_LEAVE), *main_menu(ctx)]),
    )


def _roles(member: Member) -> list[str]:
    roles = [texts.ROLE_RESIDENT]
    if member.is_supporter:
        roles.append(texts.ROLE_SUPPORTER + (texts.ROLE_PAUSED if member.paused else ""))
    if member.is_coordinator:
        roles.append(texts.ROLE_COORDINATOR)
    return roles


def _skills(member: Member) -> str:
    labels = [label_of(s.category) for s in member.skills]
    return texts.LIST_SEPARATOR.join(labels) or member.skill_text or "-"


def _request_line(ctx: Context, request: HelpRequest) -> str:
    date = format_when(ctx, request.opened_at or request.created_at).split(" ")[0]
    status = texts.MY_DATA_STATUS.get(request.status.value, request.status.value)
    return texts.MY_DATA_REQUEST_LINE.format(date=date, category=label_of(request.category), status=status)


# --- 退会 --------------------------------------------------------------------------------------


def leave_prompt(ctx: Context) -> None:
    """Say what erasure will do to requests and visits in progress, and ask once more."""
    own = request_repo.active_of(ctx.session, ctx.sender.id)
    taken = _taken_by(ctx, ctx.sender)
    lines = [texts.LEAVE_CONFIRM]
    if own:
        lines.append(texts.LEAVE_CONFIRM_REQUESTS.format(count=len(own)))
    if taken:
        lines.append(texts.LEAVE_CONFIRM_ACCEPTED.format(count=len(taken)))
    lines.append(texts.LEAVE_CONFIRM_QUESTION)
    yes = ui.postback(texts.LEAVE_YES, postback.encode("leave", ok=1), texts.LEAVE_YES)
    no = ui.postback(texts.LEAVE_NO, postback.encode("leave", ok=0), texts.LEAVE_NO)
    ctx.reply(ui.text("\n".join(lines), [no, yes]))
    question.ask(ctx, yes, no)


def on_leave(ctx: Context, fields: dict[str, str]) -> None:
    if fields.get("ok") != "1":
        ctx.reply(ui.text(texts.LEAVE_KEPT, main_menu(ctx)))
        return
    leave_and_erase(ctx, ctx.sender)
    # The answer goes by reply token; the outbox row must not keep their LINE id as its recipient.
    ctx.user_id = None
    ctx.reply(ui.text(texts.LEFT))


def leave_and_erase(ctx: Context, member: Member) -> erasure.Erasure:
    """退会 and `otagai members erase`: the other side of open help is told kindly, then the data goes."""
    conversations.clear_state(ctx.session, member.id)
    for request in request_repo.active_of(ctx.session, member.id):
        withdraw(ctx, request, texts.REQUESTER_ERASED, texts.REQUESTER_ERASED)
    for request in _taken_by(ctx, member):
        outcome = reopen(ctx, request, member, ProposalStatus.WITHDRAWN)
        if outcome is not None:
            opening = texts.SUPPORTER_ERASED.format(category=label_of(request.category))
            ctx.push(
                [request.requester.line_user_id],
                [ui.text(reopen_text(opening, *outcome))],
                priority=PRIORITY_URGENT,
            )
    release_community(ctx, member)
    return erasure.erase_member(ctx.session, member, ctx.now)


def release_community(ctx: Context, member: Member) -> None:
    """Before erasure: a master's coming classes are called off, a seat in a class goes to the first one
    waiting and a seat on a shift is free again; whoever that concerns is told."""
    class_changes.call_off_all(ctx, member)
    classes.give_up_all(ctx, member)
    shifts.give_up_all(ctx, member)


def _taken_by(ctx: Context, member: Member) -> Sequence[HelpRequest]:
    return request_repo.accepted_by(ctx.session, member.id)


# --- 困ったことを報告 -----------------------------------------------------------------------------


def _visits(ctx: Context, *, as_supporter_only: bool = False) -> Sequence[HelpRequest]:
    """Recent visits the sender took part in (matched now, or done lately), newest first."""
    return request_repo.recent_visits(
        ctx.session,
        ctx.sender.id,
        ctx.now - REPORTABLE_FOR,
        as_supporter_only=as_supporter_only,
        limit=ui.QUICK_REPLY_LIMIT - 1,
    )


def _visit_label(ctx: Context, request: HelpRequest) -> str:
    when = format_when(ctx, request.wanted_at).split(" ")[0]
    return ui.clip(f"{label_of(request.category)} {when}", ui.LABEL_LIMIT, "")


def _visit_button(ctx: Context, action: str, request: HelpRequest) -> ui.Action:
    label = _visit_label(ctx, request)
    return ui.postback(label, postback.encode(action, r=request.id), label)


def report_prompt(ctx: Context) -> None:
    visits = _visits(ctx)
    if not visits:
        ctx.reply(ui.text(texts.REPORT_NONE, main_menu(ctx)))
        return
    choices = [_visit_button(ctx, "report", r) for r in visits]
    ctx.reply(ui.text(texts.REPORT_CHOOSE, [*choices, ui.say(texts.MENU_HELP)]))


def on_report(ctx: Context, fields: dict[str, str]) -> None:
    """One visit reported: a 【要対応】 for every coordinator, with the request in it."""
    request = _visit_of_sender(ctx, fields)
    if request is None:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
        return
    ctx.session.add(ProblemReport(request_id=request.id, reporter_id=ctx.sender.id, created_at=ctx.now))
    request.needs_coordinator = True
    as_resident = request.requester_id == ctx.sender.id
    supporter = request.accepted_by
    notice = texts.COORDINATOR_REPORT.format(
        id=request.id,
        category=label_of(request.category),
        area=request.area or texts.UNKNOWN_AREA,
        when=format_when(ctx, request.wanted_at),
        side=texts.REPORT_SIDE_RESIDENT if as_resident else texts.REPORT_SIDE_SUPPORTER,
        resident=name_of(request, request.requester),
        supporter=texts.SOMEONE_SUPPORTER if supporter is None else name_of(request, supporter),
    )
    buttons = [_block_button(request.requester, texts.BLOCK_RESIDENT)]
    if supporter is not None:
        buttons.append(_block_button(supporter, texts.BLOCK_SUPPORTER))
    push_to_coordinators(ctx, notice, buttons)
    if as_resident:
        ctx.reply(ui.text(texts.REPORT_SENT, main_menu(ctx)))
        return
    decline = ui.postback(texts.DECLINE_BUTTON, postback.encode("nomore", r=request.id), texts.DECLINE_BUTTON)
    ctx.reply(ui.text(f"{texts.REPORT_SENT}\n{texts.REPORT_DECLINE_HINT}", [decline, *main_menu(ctx)]))


def _block_button(member: Member, label: str, *, block: bool = True) -> ui.Action:
    return ui.postback(label, postback.encode("block", m=member.id, b=int(block)), label)


def on_block(ctx: Context, fields: dict[str, str]) -> None:
    """A coordinator blocks (or unblocks) one side of a reported visit, from the 【要対応】 notice."""
    member_id = postback.int_field(fields, "m")
    member = None if member_id is None else ctx.session.get(Member, member_id)
    if not ctx.sender.is_coordinator or member is None or member.erased_at is not None:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
        return
    member.blocked = fields.get("b") == "1"
    name = member.display_name or texts.SOMEONE_RESIDENT
    if member.blocked:
        undo = _block_button(member, texts.UNBLOCK, block=False)
        ctx.reply(ui.text(texts.BLOCKED_BY_COORDINATOR.format(name=name), [undo, *main_menu(ctx)]))
    else:
        ctx.reply(ui.text(texts.UNBLOCKED_BY_COORDINATOR.format(name=name), main_menu(ctx)))


def _visit_of_sender(ctx: Context, fields: dict[str, str]) -> HelpRequest | None:
    request = request_named(ctx, fields)
    if request is None or ctx.sender.id not in (request.requester_id, request.accepted_by_id):
        return None
    return request


# --- この方からの依頼はもう受けない ------------------------------------------------------------------


def decline_prompt(ctx: Context) -> None:
    visits = _visits(ctx, as_supporter_only=True)
    if not visits:
        ctx.reply(ui.text(texts.DECLINE_NONE, main_menu(ctx)))
        return
    choices = [_visit_button(ctx, "nomore", r) for r in visits]
    ctx.reply(ui.text(texts.DECLINE_CHOOSE, [*choices, ui.say(texts.MENU_HELP)]))


def on_decline(ctx: Context, fields: dict[str, str]) -> None:
    """The supporter is never asked by this resident again; the resident is not told."""
    request = _visit_of_sender(ctx, fields)
    if request is None or request.accepted_by_id != ctx.sender.id:
        ctx.reply(ui.text(texts.UNKNOWN_BUTTON, main_menu(ctx)))
        return
    member_repo.exclude(ctx.session, ctx.sender.id, request.requester_id, ctx.now)
    ctx.reply(ui.text(texts.DECLINE_DONE, main_menu(ctx)))


# --- abuse limits --------------------------------------------------------------------------------


def over_request_limit(ctx: Context) -> bool:
    """Too many requests sent in the last 24 hours: answered kindly, and no new draft is started."""
    # Sent in the last day (a request offered again after a drop counts once more: rare, and kind).
    sent = request_repo.sent_since(ctx.session, ctx.sender.id, ctx.now - timedelta(days=1))
    if sent < ctx.settings.requests_per_day:
        return False
    ctx.reply(ui.text(texts.REQUEST_LIMIT.format(limit=ctx.settings.requests_per_day), main_menu(ctx)))
    return True
