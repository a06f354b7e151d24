"""A check-in nobody answers: asked once more, gently, then coordinators told; nothing completed meanwhile."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import FollowUp, HelpRequest, Member, RequestStatus, TimeCredit
from tests.handlers.cycle import JST, Match, at, jst, make_coordinator, matched, pending_kinds, tap_newest
from tests.support import Chat, FakeClock

CHECKIN = "【電球・修理】のお手伝いは、どうでしたか？\n下のボタンで教えてください。"
CHECKIN_AGAIN = (
    "もう一度、うかがいます。\n【電球・修理】のお手伝いは、どうでしたか？\n"
    "お時間のあるときに、下のボタンで教えてください。"
)
CHECKINS = ["checkin", "checkin", "checkin_unanswered"]


def dec(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in December 2026, Tokyo time (the coordinators' notice can fall there)."""
    return datetime(2026, 12, day, hour, minute, tzinfo=JST)


def unanswered_notice(request_id: int, when: str = "11月26日(木) 14:00") -> str:
    return (
        f"【要対応】依頼番号{request_id}（電球・修理・東京都世田谷区世田谷・{when}）："
        "サポーターの佐藤一郎さんが引き受けましたが、依頼した方から、終わったかどうかの返事がありません。"
        "まだ完了にはしていません。依頼した方に確認してください。"
    )


def _checked_in(app: Flask, chat: Chat, clock: FakeClock, db_session: Session) -> tuple[Match, str]:
    """A request for 26 Nov 14:00 with a coordinator, checked in at 16:00 and not answered."""
    match = matched(chat, when="2026-11-26T14:00")
    coordinator = make_coordinator(chat, db_session)
    at(app, clock, jst(26, 16))
    assert chat.new_texts(match.resident) == [CHECKIN]
    chat.new_texts(match.supporter)
    return match, coordinator


def _says(chat: Chat, user: str, text: str) -> bool:
    return any(text in said for said in chat.new_texts(user))


def test_an_unanswered_checkin_is_asked_again_then_coordinators_hear(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match, coordinator = _checked_in(app, chat, clock, db_session)
    everyone = (match.resident, match.supporter, coordinator)
    timeline: list[tuple[datetime, dict[str, list[str]]]] = [
        (jst(28, 9, 59), {}),
        (jst(28, 10), {match.resident: [CHECKIN_AGAIN]}),  # two days on, in the morning
        (jst(28, 10, 5), {}),
        (dec(1, 9, 59), {}),
        (dec(1, 10), {coordinator: [unanswered_notice(match.request_id)]}),  # three more days
        (dec(5, 10), {}),
    ]
    for moment, heard in timeline:
        at(app, clock, moment)
        for user in everyone:
            # The supporter in particular hears nothing: nothing alarming, nothing at all.
            assert chat.new_texts(user) == heard.get(user, []), (moment, user)
    # The second check-in carries the same three answers as the first.
    assert [a["label"] for a in chat.actions_received(match.resident)[-3:]] == [
        "完了した",
        "まだ",
        "来なかった",
    ]
    # Nothing was decided for the resident: still matched, no hours credited, nothing more waiting.
    db_session.expire_all()
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.status == RequestStatus.MATCHED
    assert request.accepted_by_id is not None and request.needs_coordinator
    assert db_session.scalars(select(TimeCredit)).all() == []
    assert pending_kinds(db_session, match.request_id) == []
    # A late answer still works as usual.
    assert tap_newest(chat, match.resident, "完了した")[0].startswith("完了ですね。")


@pytest.mark.parametrize(
    ("when", "dues"),
    [
        # A set time: checked in two hours after it; again two mornings later; coordinators three after.
        ("2026-11-26T14:00", [jst(26, 16), jst(28, 10), dec(1, 10)]),
        # Checked in at night: it goes out at 08:00, and the days count from then.
        ("2026-11-26T20:00", [jst(26, 22), jst(29, 10), dec(2, 10)]),
        # いつでも: three days after the accept (25 Nov, 10:00).
        (None, [jst(28, 10), jst(30, 10), dec(3, 10)]),
    ],
)
def test_when_the_second_checkin_and_the_notice_fall_due(
    chat: Chat, db_session: Session, when: str | None, dues: list[datetime]
) -> None:
    match = matched(chat, when=when)
    rows = db_session.scalars(
        select(FollowUp)
        .where(FollowUp.request_id == match.request_id, FollowUp.kind.in_(["checkin", "checkin_unanswered"]))
        .order_by(FollowUp.due_at)
    ).all()
    assert [(f.kind.value, f.round, f.due_at) for f in rows] == [
        ("checkin", 1, dues[0]),
        ("checkin", 2, dues[1]),
        ("checkin_unanswered", 1, dues[2]),
    ]


def test_a_notice_found_at_night_waits_for_the_morning(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match, coordinator = _checked_in(app, chat, clock, db_session)
    at(app, clock, jst(28, 10))
    chat.new_texts(match.resident)
    at(app, clock, dec(1, 22))  # the worker was down all day: coordinators are not woken up
    assert chat.new_texts(coordinator) == []
    # Not even decided at night, so an answer before the morning would still stop it.
    assert pending_kinds(db_session, match.request_id) == ["checkin_unanswered"]
    at(app, clock, dec(2, 8))
    assert chat.new_texts(coordinator) == [unanswered_notice(match.request_id)]


@pytest.mark.parametrize("answer", ["完了した", "来なかった"])
def test_an_answer_to_the_second_checkin_ends_the_wait(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session, answer: str
) -> None:
    match, coordinator = _checked_in(app, chat, clock, db_session)
    at(app, clock, jst(28, 10))
    assert chat.new_texts(match.resident) == [CHECKIN_AGAIN]
    tap_newest(chat, match.resident, answer)
    chat.new_texts(coordinator)  # a no-show is reported at once, as usual
    assert not {"checkin", "checkin_unanswered"} & set(pending_kinds(db_session, match.request_id))
    at(app, clock, dec(1, 10))
    at(app, clock, dec(5, 10))
    assert not _says(chat, coordinator, "返事がありません")
    assert not _says(chat, match.resident, "もう一度、うかがいます。")


def test_not_yet_starts_the_wait_again(app: Flask, chat: Chat, clock: FakeClock, db_session: Session) -> None:
    match, coordinator = _checked_in(app, chat, clock, db_session)
    assert tap_newest(chat, match.resident, "まだ") == ["わかりました。\nまた、あとでうかがいます。"]
    assert pending_kinds(db_session, match.request_id) == CHECKINS  # the new chain, the old one cancelled
    at(app, clock, jst(27, 16))  # the next day
    assert chat.new_texts(match.resident) == [CHECKIN]
    at(app, clock, jst(28, 10))  # the first chain's second check-in is gone
    assert chat.new_texts(match.resident) == []
    at(app, clock, jst(29, 10))
    assert chat.new_texts(match.resident) == [CHECKIN_AGAIN]
    at(app, clock, dec(1, 10))  # the first chain's notice is gone too
    assert chat.new_texts(coordinator) == []
    at(app, clock, dec(2, 10))
    assert chat.new_texts(coordinator) == [unanswered_notice(match.request_id)]
    assert chat.new_texts(match.supporter) == []


@pytest.mark.parametrize("closed_by", ["resident cancels", "supporter gives it back"])
def test_a_request_closed_another_way_asks_nothing_more(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session, closed_by: str
) -> None:
    match, coordinator = _checked_in(app, chat, clock, db_session)
    if closed_by == "resident cancels":
        chat.tap(match.resident, f"a=mycancel&r={match.request_id}&ok=1")
    else:
        chat.tap(match.supporter, f"a=drop&r={match.request_id}&ok=1")
    assert not {"checkin", "checkin_unanswered"} & set(pending_kinds(db_session, match.request_id))
    for moment in (jst(28, 10), dec(1, 10), dec(5, 10)):
        at(app, clock, moment)
    assert not _says(chat, match.resident, "もう一度、うかがいます。")
    assert not _says(chat, coordinator, "返事がありません")


def test_a_resident_the_bot_cannot_reach_still_reaches_a_coordinator(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    """As for someone a coordinator entered by phone: no check-in can be sent, a person follows up."""
    match = matched(chat, when=None)
    coordinator = make_coordinator(chat, db_session)
    resident = db_session.scalar(select(Member).where(Member.line_user_id == match.resident))
    assert resident is not None
    resident.line_user_id = None
    db_session.commit()
    for moment in (jst(28, 10), jst(30, 10)):
        at(app, clock, moment)
    assert chat.new_texts(match.resident) == []
    at(app, clock, dec(3, 10))
    assert chat.new_texts(coordinator) == [unanswered_notice(match.request_id, when="いつでも")]
    assert chat.new_texts(match.supporter) == []
