"""The desk's request pages: today's list, one request's story and candidates, and what a coordinator
can do with it (ask more, assign by hand, change time or place, cancel, close), each one audited."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from bot.desk import blueprint, texts
from bot.desk.access import Access
from bot.desk.auth import access, current_account, now, require_acting, unit_of_work
from bot.desk.context import deliver, desk_context
from bot.desk.places import locate_place
from db import desk as desk_repo
from db import first_visits, lifecycle
from db import followups as followup_repo
from db import members as member_repo
from db import requests as request_repo
from db.models import (
    DeskAccount,
    FollowUpKind,
    FollowUpState,
    HelpRequest,
    Member,
    Proposal,
    ProposalStatus,
    RequestStatus,
)
from db.outbox import PRIORITY_NORMAL, PRIORITY_URGENT
from handlers import first_visit, postback, relay, ui
from handlers import texts as bot_texts
from handlers.candidates import find_candidates
from handlers.common import format_when, label_of
from handlers.completion import DURATIONS
from handlers.context import Context
from handlers.followups import reopen, schedule_after_accept, schedule_after_open
from handlers.my_requests import withdraw
from handlers.notify import ask_one, notify_supporters
from matching import RequestQuery, haversine_km

ACTIVE = request_repo.ACTIVE_STATUSES
TODAY_LIMIT = 500


# --- who sees what -----------------------------------------------------------------------------------


def visible(who: DeskAccount | Access, lat: float | None, lon: float | None) -> bool:
    """In one of the account's areas (any role); an unplaced request or person is everyone's to look at."""
    return (who if isinstance(who, Access) else Access.of(who)).sees(lat, lon)


def place_of(db: Session, member: Member) -> tuple[float | None, float | None]:
    """Where a person is, for areas: their registered home, else the place of their latest request
    (residents seldom register a home; their requests say where they live)."""
    if member.home_lat is not None and member.home_lon is not None:
        return member.home_lat, member.home_lon
    return request_repo.latest_place(db, member.id)


def _request_or_404(db: Session, account: DeskAccount, request_id: int) -> HelpRequest:
    found = db.get(HelpRequest, request_id)
    if found is None or found.status == RequestStatus.DRAFT or not visible(account, found.lat, found.lon):
        abort(404)
    return found


# --- today ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    id: int
    category: str
    area: str
    when: str
    age: str
    state: str
    status: str
    reason: str | None
    resident: str
    supporter: str | None
    proxy: bool


@blueprint.get("/")
def today() -> ResponseReturnValue:
    with unit_of_work() as db:
        account = current_account(db)
        moment = now()
        found = [
            r
            for r in request_repo.for_desk(
                db, statuses=ACTIVE, flagged_only=False, limit=TODAY_LIMIT, oldest_first=True
            )
            if visible(account, r.lat, r.lon)
        ]
        asked = request_repo.proposals_by_request(db, [r.id for r in found])
        proxied = desk_repo.proxied_among(db, [r.id for r in found])
        ctx = desk_context(db, moment)
        rows = [_row(ctx, r, asked[r.id], r.id in proxied) for r in found]
        notices = [
            (n.id, ctx.local(n.created_at).strftime("%m/%d %H:%M"), n.text)
            for n in desk_repo.open_notices(db)
        ]
    return render_template(
        "desk/today.html",
        notices=notices,
        needs=[r for r in rows if r.reason],
        open_rows=[r for r in rows if not r.reason and r.status == RequestStatus.OPEN],
        matched_rows=[r for r in rows if not r.reason and r.status == RequestStatus.MATCHED],
    )


def _row(ctx: Context, found: HelpRequest, proposals: Sequence[Proposal], proxy: bool) -> Row:
    return Row(
        id=found.id,
        category=label_of(found.category),
        area=found.area or found.address or "場所未定",
        when=format_when(ctx, found.wanted_at),
        age=age_of(ctx.now - (found.opened_at or found.created_at)),
        state=_state(found, proposals),
        status=found.status.value,
        reason=_reason(ctx, found, proposals),
        resident=found.requester.display_name or "-",
        supporter=found.accepted_by.display_name if found.accepted_by else None,
        proxy=proxy,
    )


def checkin_by_phone(ctx: Context, found: HelpRequest) -> bool:
    """A resident without LINE cannot answer the check-in: once it is due, the coordinator calls them."""
    if found.status != RequestStatus.MATCHED or found.requester.line_user_id:
        return False
    settings = ctx.settings
    if found.wanted_at is not None:
        due = found.wanted_at + timedelta(hours=settings.checkin_after_hours)
    else:
        due = (found.matched_at or ctx.now) + timedelta(days=settings.anytime_checkin_days)
    return due <= ctx.now


def reason_of(found: HelpRequest, proposals: Sequence[Proposal]) -> str:
    """Why a flagged request waits for a person, most pressing first."""
    answers = Counter(p.status for p in proposals)
    if found.lat is None:
        return texts.REASON_NO_PLACE
    if answers[ProposalStatus.NO_SHOW]:
        return texts.REASON_NO_SHOW
    if found.status == RequestStatus.MATCHED:
        return texts.REASON_UNANSWERED
    if not proposals:
        return texts.REASON_NO_SUPPORTER
    return texts.REASON_NOBODY.format(asked=len(proposals))


def _reason(ctx: Context, found: HelpRequest, proposals: Sequence[Proposal]) -> str | None:
    if found.needs_coordinator:
        return reason_of(found, proposals)
    if checkin_by_phone(ctx, found):
        return texts.REASON_CHECKIN_BY_PHONE
    return None


def _state(found: HelpRequest, proposals: Sequence[Proposal]) -> str:
    if found.accepted_by is not None:
        return f"{found.accepted_by.display_name or 'サポーター'}さんが引き受け"
    if not proposals:
        return "まだだれにも連絡していません"
    answers = Counter(p.status for p in proposals)
    waiting = answers[ProposalStatus.ASKED]
    passed = answers[ProposalStatus.PASSED]
    return f"{len(proposals)}人に連絡・返事待ち{waiting}人・見送り{passed}人"


def age_of(elapsed: timedelta) -> str:
    minutes = max(0, int(elapsed.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes}分前"
    if minutes < 48 * 60:
        return f"{minutes // 60}時間前"
    return f"{minutes // (24 * 60)}日前"


# --- one request ---------------------------------------------------------------------------------------

FOLLOWUP_LABELS = {
    FollowUpKind.REMIND_EVE: "前日のリマインダー（サポーターへ）",
    FollowUpKind.REMIND_HOUR: "1時間前のリマインダー（サポーターへ）",
    FollowUpKind.CHECKIN: "終わったかの確認（依頼した方へ）",
    FollowUpKind.CHECKIN_UNANSWERED: "確認に返事がないのでコーディネーターへ",
    FollowUpKind.REASK: "引き受ける人がいないので、もう一度さがす",
    FollowUpKind.EXPIRE: "期限切れで受付を終える",
}


@dataclass(frozen=True)
class Moment:
    at: datetime
    text: str


@blueprint.get("/requests/<int:request_id>")
def request_page(request_id: int) -> ResponseReturnValue:
    with unit_of_work() as db:
        account = current_account(db)
        found = _request_or_404(db, account, request_id)
        ctx = desk_context(db, now())
        proposals = request_repo.proposals_by_request(db, [found.id])[found.id]
        proxy = desk_repo.proxy_of(db, found.id)
        page: dict[str, Any] = {
            "r": found,
            "status": texts.STATUS[found.status.value],
            "category": label_of(found.category),
            "when": format_when(ctx, found.wanted_at),
            "when_value": found.wanted_at.astimezone(ctx.settings.timezone).strftime("%Y-%m-%dT%H:%M")
            if found.wanted_at
            else "",
            "reason": _reason(ctx, found, proposals),
            "is_matched": found.status == RequestStatus.MATCHED,
            "timeline": [(ctx.local(m.at).strftime("%m/%d %H:%M"), m.text) for m in _timeline(db, found)],
            "pending": [
                (ctx.local(f.due_at).strftime("%m/%d %H:%M"), FOLLOWUP_LABELS[f.kind])
                for f in followup_repo.of_request(db, found.id, (FollowUpState.PENDING,))
            ],
            "proposals": [
                (p.supporter.display_name or "-", texts.PROPOSAL[p.status.value], f"{p.distance_km:.1f}")
                for p in proposals
            ],
            "candidates": _candidates(ctx, found, proposals),
            "proxy": proxy,
            "is_open": found.status == RequestStatus.OPEN,
            "is_active": found.status in ACTIVE,
            "may_act": access().acts(found.lat, found.lon),
            **_first_visit(db, found, account),
        }
        return render_template("desk/request.html", **page)


def _first_visit(db: Session, found: HelpRequest, account: DeskAccount) -> dict[str, Any]:
    """顔合わせ: who goes along, who could, and whether the signed-in coordinator is the one going."""
    going = first_visits.companion(db, found.id)
    could = member_repo.coordinators_by_name(db)
    return {
        "companion": going,
        "coordinators": [(m.id, m.display_name or "-") for m in could],
        "me_default": account.member_id,
        "may_write": going is not None
        and going.id == account.member_id
        and found.status == RequestStatus.MATCHED,
        "message_limit": first_visit.MESSAGE_LIMIT,
    }


def _timeline(db: Session, found: HelpRequest) -> list[Moment]:
    # A draft's row can be stamped by the database's clock; it was received no later than it opened.
    received = min(found.created_at, found.opened_at or found.created_at)
    moments = [Moment(received, "受け付けました")]
    if found.opened_at:
        moments.append(Moment(found.opened_at, "サポーターさがしを始めました"))
    for p in request_repo.proposals_of(db, found.id):
        name = p.supporter.display_name or "サポーター"
        moments.append(
            Moment(p.asked_at, f"{name}さんにお願い（{p.match_round}回目・{p.distance_km:.1f}km）")
        )
        if p.answered_at:
            moments.append(Moment(p.answered_at, f"{name}さん：{texts.PROPOSAL[p.status.value]}"))
    for f in followup_repo.of_request(db, found.id, (FollowUpState.DONE, FollowUpState.SKIPPED)):
        done = "" if f.state == FollowUpState.DONE else "（不要になったので送らず）"
        moments.append(Moment(f.done_at or f.due_at, FOLLOWUP_LABELS[f.kind] + done))
    if found.matched_at:
        moments.append(Moment(found.matched_at, "引き受けが決まりました"))
    if found.closed_at:
        moments.append(Moment(found.closed_at, f"終了：{texts.STATUS[found.status.value]}"))
    if found.thanked_at:
        moments.append(Moment(found.thanked_at, "お礼が届きました"))
    for action in desk_repo.actions_on(db, found.id):
        note = f"：{action.note}" if action.note else ""
        label = texts.ACTION.get(action.action, action.action)
        moments.append(Moment(action.at, f"{action.who}さん（コーディネーター）が{label}{note}"))
    return sorted(moments, key=lambda m: m.at)


def _candidates(ctx: Context, found: HelpRequest, proposals: Sequence[Proposal]) -> list[dict[str, Any]]:
    if found.lat is None or found.lon is None or found.status not in ACTIVE:
        return []
    waiting = {
        p.supporter_id for p in proposals if p.status in (ProposalStatus.ASKED, ProposalStatus.ACCEPTED)
    }
    result, members = find_candidates(
        ctx.session,
        RequestQuery(
            text=found.text,
            lat=found.lat,
            lon=found.lon,
            category=found.category,
            exclude_member_ids=frozenset(waiting | {found.requester_id}),
        ),
        limit=10,
        now=ctx.now,
        weekly_cap=ctx.settings.weekly_ask_cap,
    )
    return [
        {
            "member_id": c.supporter.member_id,
            "name": c.supporter.name or "-",
            "km": f"{c.distance_km:.1f}",
            "score": f"{c.score:.2f}",
            "parts": {k: f"{v:.2f}" for k, v in c.parts.items()},
            "line": bool(members[c.supporter.member_id].line_user_id),
        }
        for c in result.candidates
    ]


# --- actions -------------------------------------------------------------------------------------------


def _act(
    request_id: int, action: str, work: Callable[[Context, HelpRequest, DeskAccount], str | None]
) -> ResponseReturnValue:
    """Load, act, audit and commit in one transaction, then deliver what was queued.

    `work` returns the note for the audit log, or None when it changed nothing (and flashed why).
    """
    with unit_of_work() as db:
        account = current_account(db)
        found = _request_or_404(db, account, request_id)
        require_acting(found.lat, found.lon)
        ctx = desk_context(db, now())
        note = work(ctx, found, account)
        if note is not None:
            desk_repo.record(db, account, action, ctx.now, request_id=found.id, note=note)
        db.flush()
        queued = [row.id for row in ctx.queued]
    deliver(queued)
    return redirect(url_for("desk.request_page", request_id=request_id))


@blueprint.post("/requests/<int:request_id>/ask-more")
def ask_more(request_id: int) -> ResponseReturnValue:
    def work(ctx: Context, found: HelpRequest, _account: DeskAccount) -> str | None:
        if found.status != RequestStatus.OPEN:
            flash(texts.NOT_OPEN, "error")
            return None
        boost = ctx.settings.reask_radius_boost_km
        asked = notify_supporters(ctx, found, radius_boost_km=boost)
        if asked == 0:
            flash(texts.ASKED_NOBODY, "error")
            return None
        schedule_after_open(ctx, found)
        flash(texts.ASKED_MORE.format(count=asked), "info")
        return f"{asked}人"

    return _act(request_id, "ask_more", work)


@blueprint.post("/requests/<int:request_id>/assign")
def assign(request_id: int) -> ResponseReturnValue:
    member_id = request.form.get("member_id", type=int)

    def work(ctx: Context, found: HelpRequest, account: DeskAccount) -> str | None:
        supporter = ctx.session.get(Member, member_id) if member_id else None
        if found.status != RequestStatus.OPEN:
            flash(texts.NOT_OPEN, "error")
            return None
        if (
            supporter is None
            or not supporter.is_supporter
            or supporter.blocked
            or found.lat is None
            or found.lon is None
            or supporter.home_lat is None
            or supporter.home_lon is None
        ):
            abort(400)
        if not supporter.line_user_id or not supporter.active:
            flash(texts.ASSIGN_NO_LINE.format(name=supporter.display_name), "error")
            return None
        distance = haversine_km(found.lat, found.lon, supporter.home_lat, supporter.home_lon)
        ask_one(ctx, found, supporter, distance, 0.0)
        flash(texts.ASSIGNED.format(name=supporter.display_name), "info")
        return f"{supporter.display_name}さん"

    return _act(request_id, "assign", work)


@blueprint.post("/requests/<int:request_id>/when")
def change_when(request_id: int) -> ResponseReturnValue:
    anytime = request.form.get("anytime") == "1"
    raw = request.form.get("when", "")

    def work(ctx: Context, found: HelpRequest, _account: DeskAccount) -> str | None:
        if found.status not in ACTIVE:
            flash(texts.NOT_OPEN, "error")
            return None
        moment = None
        if not anytime:
            try:
                moment = datetime.fromisoformat(raw).replace(tzinfo=ctx.settings.timezone)
            except ValueError:
                flash(texts.WHEN_INVALID, "error")
                return None
            if moment <= ctx.now:
                flash(texts.WHEN_PAST, "error")
                return None
        found.wanted_at, found.anytime = moment, anytime
        _reschedule(ctx, found)
        when = format_when(ctx, moment)
        _tell_both(
            ctx, found, bot_texts.DESK_WHEN_CHANGED.format(category=label_of(found.category), when=when)
        )
        flash(texts.CHANGED_WHEN, "info")
        return when

    return _act(request_id, "change_when", work)


@blueprint.post("/requests/<int:request_id>/place")
def change_place(request_id: int) -> ResponseReturnValue:
    address = request.form.get("address", "").strip()[:300]
    lat_text, lon_text = request.form.get("lat", "").strip(), request.form.get("lon", "").strip()

    def work(ctx: Context, found: HelpRequest, _account: DeskAccount) -> str | None:
        if found.status not in ACTIVE:
            flash(texts.NOT_OPEN, "error")
            return None
        located = locate_place(address, lat_text, lon_text, _near(ctx, found))
        if located.place is None:
            flash(located.note, "error")
            return None
        new = located.place
        found.lat, found.lon = new.lat, new.lon
        found.address, found.area = new.address or found.address, new.area or found.area
        place = found.address or found.area or f"{found.lat:.4f}, {found.lon:.4f}"
        flash(located.note, "info")
        if found.status == RequestStatus.OPEN and not request_repo.proposals_of(ctx.session, found.id):
            # A request that waited only for its place: now the supporters can be asked.
            if notify_supporters(ctx, found):
                lifecycle.take_off_desk(ctx.session, found)
            schedule_after_open(ctx, found)
        elif found.status == RequestStatus.MATCHED and found.accepted_by is not None:
            ctx.push(
                [found.accepted_by.line_user_id],
                [
                    ui.text(
                        bot_texts.DESK_PLACE_CHANGED.format(category=label_of(found.category), place=place)
                    )
                ],
                priority=PRIORITY_NORMAL,
            )
        flash(texts.CHANGED_PLACE, "info")
        return place

    return _act(request_id, "change_place", work)


@blueprint.post("/requests/<int:request_id>/cancel")
def cancel(request_id: int) -> ResponseReturnValue:
    note = request.form.get("note", "").strip()[:500]

    def work(ctx: Context, found: HelpRequest, _account: DeskAccount) -> str | None:
        category = label_of(found.category)
        if not withdraw(ctx, found, bot_texts.WITHDRAWN_SUPPORTER, bot_texts.CANCELLED_ACCEPTED_SUPPORTER):
            flash(texts.NOT_OPEN, "error")
            return None
        found.needs_coordinator = False
        resident = found.requester.line_user_id
        ctx.push(
            [resident],
            [ui.text(bot_texts.DESK_CANCELLED_RESIDENT.format(category=category))],
            priority=PRIORITY_URGENT,
        )
        flash(texts.CANCELLED, "info")
        return note

    return _act(request_id, "cancel", work)


@blueprint.post("/requests/<int:request_id>/close")
def close(request_id: int) -> ResponseReturnValue:
    note = request.form.get("note", "").strip()[:500]

    def work(ctx: Context, found: HelpRequest, _account: DeskAccount) -> str | None:
        if not note:
            flash(texts.NOTE_NEEDED, "error")
            return None
        lifecycle.take_off_desk(ctx.session, found)
        flash(texts.CLOSED, "info")
        return note

    return _act(request_id, "close", work)


def _near(ctx: Context, found: HelpRequest) -> tuple[float, float] | None:
    """Where the resident probably is, to choose between towns of one name: their registered place."""
    home = found.requester
    if home.home_lat is None or home.home_lon is None:
        return None
    return (home.home_lat, home.home_lon)


def _reschedule(ctx: Context, found: HelpRequest) -> None:
    if found.status == RequestStatus.OPEN:
        schedule_after_open(ctx, found)
    elif found.accepted_by_id is not None:
        schedule_after_accept(ctx, found)


def _tell_both(ctx: Context, found: HelpRequest, notice: str) -> None:
    recipients = [found.requester.line_user_id]
    if found.accepted_by is not None:
        recipients.append(found.accepted_by.line_user_id)
    ctx.push(recipients, [ui.text(notice)], priority=PRIORITY_URGENT)


@blueprint.post("/requests/<int:request_id>/done")
def mark_done(request_id: int) -> ResponseReturnValue:
    """The resident said (by phone) it was done: as their 完了した, and the supporter records the time."""

    def work(ctx: Context, found: HelpRequest, _account: DeskAccount) -> str | None:
        supporter = found.accepted_by
        if supporter is None or not lifecycle.complete(ctx.session, found, supporter.id, ctx.now):
            flash(texts.NOT_MATCHED, "error")
            return None
        followup_repo.cancel_pending(ctx.session, found.id, ctx.now)
        relay.end_relays(ctx.session, found.id)
        found.needs_coordinator = False
        durations = [
            ui.postback(label, postback.encode("min", r=found.id, m=minutes), label)
            for minutes, label in DURATIONS.items()
        ]
        notice = bot_texts.DONE_SUPPORTER.format(category=label_of(found.category))
        ctx.push([supporter.line_user_id], [ui.text(notice, durations)], priority=PRIORITY_NORMAL)
        flash(texts.MARKED_DONE, "info")
        return f"{supporter.display_name}さん"

    return _act(request_id, "done", work)


@blueprint.post("/requests/<int:request_id>/no-show")
def mark_no_show(request_id: int) -> ResponseReturnValue:
    """The resident said (by phone) nobody came: the match is undone and the request offered again."""

    def work(ctx: Context, found: HelpRequest, _account: DeskAccount) -> str | None:
        supporter = found.accepted_by
        outcome = (
            None
            if supporter is None
            else reopen(ctx, found, supporter, ProposalStatus.NO_SHOW, tell_coordinators_if_nobody=False)
        )
        if supporter is None or outcome is None:
            flash(texts.NOT_MATCHED, "error")
            return None
        notice = bot_texts.NO_SHOW_SUPPORTER.format(category=label_of(found.category))
        ctx.push([supporter.line_user_id], [ui.text(notice)], priority=PRIORITY_NORMAL)
        asked, _ = outcome
        flash(texts.MARKED_NO_SHOW.format(count=asked), "info")
        return f"{supporter.display_name}さん"

    return _act(request_id, "no_show", work)


@blueprint.post("/requests/<int:request_id>/first-visit")
def mark_first_visit(request_id: int) -> ResponseReturnValue:
    """顔合わせ: a coordinator goes along the first time, or stops (`otagai requests first-visit`)."""
    off = request.form.get("off") == "1"
    member_id = request.form.get("member_id", type=int)

    def work(ctx: Context, found: HelpRequest, _account: DeskAccount) -> str | None:
        if off:
            going = first_visits.companion(ctx.session, found.id)
            if going is None or not first_visit.unmark(ctx, found):
                flash(texts.FIRST_VISIT_NONE, "error")
                return None
            flash(texts.FIRST_VISIT_OFF.format(name=going.display_name), "info")
            return f"{going.display_name}さん"
        person = ctx.session.get(Member, member_id) if member_id else None
        if person is None:
            abort(400)
        try:
            first_visit.mark(ctx, found, person)
        except first_visit.NotCoordinator:
            abort(400)
        except first_visit.NoVisit:
            flash(texts.NOT_OPEN, "error")
            return None
        flash(texts.FIRST_VISIT_ON.format(name=person.display_name), "info")
        return f"{person.display_name}さん"

    return _act(request_id, "first_visit_off" if off else "first_visit", work)


@blueprint.post("/requests/<int:request_id>/first-visit/message")
def first_visit_message(request_id: int) -> ResponseReturnValue:
    """The coordinator going along writes to the resident and the supporter through the relay."""
    body = request.form.get("message", "").strip()

    def work(ctx: Context, found: HelpRequest, account: DeskAccount) -> str | None:
        if not body or len(body) > first_visit.MESSAGE_LIMIT:
            flash(texts.FIRST_VISIT_MESSAGE_LENGTH.format(limit=first_visit.MESSAGE_LIMIT), "error")
            return None
        me = account.member
        sent = 0 if me is None else first_visit.write(ctx, found, me, body)
        if sent == 0:
            flash(texts.FIRST_VISIT_NOT_SENT, "error")
            return None
        flash(texts.FIRST_VISIT_SENT.format(count=sent), "info")
        # Who was written to, never what: the words live in the outbox for its 7 days only.
        return f"{sent}人へ"

    return _act(request_id, "first_visit_message", work)


@blueprint.post("/notices/<int:notice_id>/done")
def notice_done(notice_id: int) -> ResponseReturnValue:
    """A LINE notice seen to on the desk: it leaves everyone's list (one coordinator wins a race)."""
    with unit_of_work() as db:
        account = current_account(db)
        moment = now()
        if desk_repo.handle_notice(db, notice_id, account, moment):
            desk_repo.record(db, account, "notice_done", moment, note=f"お知らせ{notice_id}")
            flash(texts.NOTICE_DONE, "info")
        else:
            flash(texts.NOTICE_ALREADY, "error")
    return redirect(url_for("desk.today"))
