"""Follow-ups fire once, at the right time, never at night: reminders, check-ins (re-asked), expiry; a
request given back (行けなくなった, 来なかった, blocking the bot) is reopened to everyone who fits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dev.line_stub import events as ev
from bot.jobs.followups import BatchContext, FollowUpRunner
from db.engine import make_engine
from db.models import FollowUp, HelpRequest, Member, Proposal, ProposalStatus, RequestStatus, TimeCredit
from tests.handlers.cycle import (
    JST,
    Match,
    at,
    carded,
    followups_of,
    jst,
    make_coordinator,
    matched,
    pending_kinds,
    run_due,
    submit,
    tap_newest,
)
from tests.handlers.dialogue import FAR, MID, NEAR, last, register_supporter, tap_label
from tests.support import Chat, FakeClock, action_data, postgres_url

EVE_REMINDER = (
    "明日 14:00から、【電球・修理】のお手伝いです。\n"
    "よろしくお願いします。\n"
    "場所や内容は「引き受けた依頼」で見られます。"
)
HOUR_REMINDER = (
    "まもなく（14:00から）、【電球・修理】のお手伝いです。\n"
    "よろしくお願いします。\n"
    "場所は「引き受けた依頼」で見られます。"
)
CHECKIN = "【電球・修理】のお手伝いは、どうでしたか？\n下のボタンで教えてください。"
REMINDERS = ["remind_eve", "remind_hour"]
# The check-in, and what waits in case it goes unanswered (a second check-in, then coordinators).
CHECKINS = ["checkin", "checkin", "checkin_unanswered"]


def test_each_follow_up_fires_once_at_its_time(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    assert pending_kinds(db_session, match.request_id) == [*REMINDERS, *CHECKINS]

    timeline = [
        (jst(25, 17, 59), match.supporter, []),
        (jst(25, 18, 0), match.supporter, [EVE_REMINDER]),
        (jst(25, 18, 1), match.supporter, []),
        (jst(26, 12, 59), match.supporter, []),
        (jst(26, 13, 0), match.supporter, [HOUR_REMINDER]),
        (jst(26, 13, 30), match.supporter, []),
        (jst(26, 15, 59), match.resident, []),
        (jst(26, 16, 0), match.resident, [CHECKIN]),
        (jst(27, 9, 0), match.resident, []),
    ]
    for moment, who, expected in timeline:
        at(app, clock, moment)
        assert chat.new_texts(who) == expected, moment
        # Nobody else hears anything.
        other = match.resident if who == match.supporter else match.supporter
        assert chat.new_texts(other) == [], moment
    assert followups_of(db_session, match.request_id) == [
        ("reask", "cancelled"),
        ("remind_eve", "done"),
        ("remind_hour", "done"),
        ("expire", "cancelled"),
        ("checkin", "done"),
        ("checkin", "pending"),
        ("checkin_unanswered", "pending"),
    ]


def test_identical_reminders_share_one_multicast_and_their_buttons_carry_no_ids(
    app: Flask, chat: Chat, clock: FakeClock
) -> None:
    first = matched(chat, when="2026-11-26T14:00")
    second = matched(
        chat, when="2026-11-26T14:00", supporter=("suzuki", "鈴木次郎"), resident=("ito", "伊藤")
    )
    chat.new_texts(first.supporter)
    calls = len(chat.stub.requests)
    at(app, clock, jst(25, 18))
    assert chat.new_texts(first.supporter) == [EVE_REMINDER]
    assert chat.new_texts(second.supporter) == [EVE_REMINDER]
    sends = [r for r in chat.stub.requests[calls:] if r.path.startswith("/v2/bot/message/")]
    assert [(r.path, sorted(r.json["to"])) for r in sends if "quota" not in r.path] == [
        ("/v2/bot/message/multicast", sorted([first.supporter, second.supporter]))
    ]
    reminder = last(chat, first.supporter)
    data = [item["action"]["data"] for item in reminder["quickReply"]["items"]]
    assert data == ["a=mine", "a=relay", "a=drop"]
    # 引き受けた依頼 answers with the job and its address, as a (free) reply.
    assert chat.tap(first.supporter, "a=mine") == ["引き受けている依頼です。"]
    assert "世田谷区世田谷4丁目21-27" in str(last(chat, first.supporter))


def test_a_late_accept_skips_reminders_that_have_passed(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    clock.now = jst(26, 9)
    match = matched(chat, when="2026-11-26T09:30")
    # The evening before is gone and an hour before is already past: only the check-ins are left.
    assert pending_kinds(db_session, match.request_id) == CHECKINS
    at(app, clock, jst(26, 11, 30))
    assert chat.new_texts(match.resident) == [CHECKIN]
    assert chat.new_texts(match.supporter) == []


def test_anytime_checkin_comes_after_the_agreed_days(app: Flask, chat: Chat, clock: FakeClock) -> None:
    match = matched(chat, when=None)
    at(app, clock, clock.now + timedelta(days=3) - timedelta(minutes=1))
    assert chat.new_texts(match.resident) == []
    at(app, clock, clock.now + timedelta(minutes=1))
    assert chat.new_texts(match.resident) == [CHECKIN]
    assert chat.new_texts(match.supporter) == []


def test_a_checkin_due_at_night_waits_for_the_morning(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T20:00")  # check-in due 22:00, in quiet hours
    at(app, clock, jst(26, 22))
    assert chat.new_texts(match.resident) == []
    at(app, clock, jst(27, 7, 59))
    assert chat.new_texts(match.resident) == []
    at(app, clock, jst(27, 8))
    assert chat.new_texts(match.resident) == [CHECKIN]
    at(app, clock, jst(27, 8, 5))
    assert chat.new_texts(match.resident) == []
    checkin = db_session.scalar(select(FollowUp).where(FollowUp.kind == "checkin", FollowUp.round == 1))
    assert checkin is not None and checkin.state == "done" and checkin.due_at == jst(27, 8)


def test_pushes_caused_at_night_wait_but_replies_do_not(app: Flask, chat: Chat, clock: FakeClock) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    clock.now = jst(25, 22, 30)
    answer = submit(chat, resident, "電球が切れて替えられない", None)
    # The reply comes at once, and says honestly that the supporters hear in the morning.
    assert answer == [
        "依頼を受け付けました。\n夜なので、近くのサポーター1人には、朝8時ごろにお知らせします。\n"
        "引き受ける人が決まったら、お知らせします。"
    ]
    assert chat.new_texts(sato) == []  # the card waits for the morning
    at(app, clock, jst(26, 7, 59))
    assert chat.new_texts(sato) == []
    at(app, clock, jst(26, 8))
    assert chat.new_texts(sato) == ["お手伝いのお願い：電球・修理（東京都世田谷区世田谷）"]


def test_nobody_accepts_ask_wider_then_coordinators_and_the_resident_hear(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    near = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    far = register_supporter(chat, "endo", "遠藤四郎", "電球の交換", FAR, km=5)  # ~7.8 km away
    coordinator = make_coordinator(chat, db_session)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit(chat, resident, "電球が切れて替えられない", None)
    chat.new_texts(resident)
    assert len(chat.new_texts(near)) == 1
    assert chat.new_texts(far) == []

    at(app, clock, jst(25, 11, 59))
    assert chat.new_texts(far) == []
    at(app, clock, jst(25, 12))  # two daytime hours: the next candidates, with a wider radius
    assert chat.new_texts(far) == ["お手伝いのお願い：電球・修理（東京都世田谷区世田谷）"]
    assert chat.new_texts(near) == []  # never asked twice
    assert chat.new_texts(resident) == [] and chat.new_texts(coordinator) == []

    at(app, clock, jst(25, 14))  # a second round with no answer: coordinators, and the truth
    assert chat.new_texts(resident) == [
        "【電球・修理】の依頼は、まだ引き受ける人が見つかっていません。\n"
        "ごめんなさい。コーディネーターに伝えました。\n"
        "コーディネーターから、ご連絡することがあります。"
    ]
    notice = chat.new_texts(coordinator)
    assert len(notice) == 1 and notice[0].startswith("【要対応】依頼番号")
    request = db_session.scalar(select(HelpRequest))
    assert request is not None and request.needs_coordinator and request.status == RequestStatus.OPEN

    at(app, clock, jst(26, 14))
    assert chat.new_texts(resident) == [] and chat.new_texts(coordinator) == []
    # A late accept is still welcome.
    assert tap_label(chat, far, "引き受ける")[0].startswith("ありがとうございます！ 引き受けました。")


def test_the_wait_counts_daytime_only(app: Flask, chat: Chat, clock: FakeClock, db_session: Session) -> None:
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    far = register_supporter(chat, "endo", "遠藤四郎", "電球の交換", FAR, km=5)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    clock.now = jst(25, 20, 30)  # half an hour before quiet hours: 1.5 hours left for the morning
    submit(chat, resident, "電球が切れて替えられない", None)
    reask = db_session.scalar(select(FollowUp).where(FollowUp.kind == "reask"))
    assert reask is not None and reask.due_at == jst(26, 9, 30)
    at(app, clock, jst(26, 9, 29))
    assert chat.new_texts(far) == []
    at(app, clock, jst(26, 9, 30))
    assert chat.new_texts(far) == ["お手伝いのお願い：電球・修理（東京都世田谷区世田谷）"]


def test_a_request_whose_time_passed_expires_and_the_resident_is_told(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    card = carded(chat, "2026-11-25T16:00")
    resident, sato, request_id = card.resident, card.supporter, card.request_id

    at(app, clock, jst(25, 12))  # nobody more to ask at noon: coordinators, and the resident is told
    assert chat.new_texts(resident)[0].startswith(
        "【電球・修理】の依頼は、まだ引き受ける人が見つかっていません。"
    )
    at(app, clock, jst(25, 15, 59))
    assert chat.new_texts(resident) == []
    assert db_session.get(HelpRequest, request_id).status == RequestStatus.OPEN  # type: ignore[union-attr]
    at(app, clock, jst(25, 16))
    assert chat.new_texts(resident) == [
        "【電球・修理】の依頼は、日時が過ぎたので、受付を終わりました。\n"
        "引き受ける人が見つからず、ごめんなさい。\n"
        "また困ったときは、いつでも送ってください。"
    ]
    db_session.expire_all()
    request = db_session.get(HelpRequest, request_id)
    assert request is not None and request.status == RequestStatus.EXPIRED
    proposal = db_session.scalar(select(Proposal).where(Proposal.request_id == request_id))
    assert proposal is not None and proposal.status == ProposalStatus.WITHDRAWN
    at(app, clock, jst(25, 17))
    assert chat.new_texts(resident) == []
    # The old card now says, kindly, that it is closed.
    assert tap_label(chat, sato, "引き受ける") == [
        "この依頼は、もう受付が終わりました。\nありがとうございました。"
    ]


def test_a_card_whose_time_has_passed_cannot_be_accepted_before_the_worker_expires_it(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    card = carded(chat, "2026-11-25T16:00")
    resident, sato, request_id = card.resident, card.supporter, card.request_id
    at(app, clock, jst(25, 12))  # nobody more to ask: coordinators
    for user in (sato, resident):
        chat.new_texts(user)
    clock.now = jst(25, 16, 30)  # the worker is behind: the request is still open
    assert tap_label(chat, sato, "引き受ける") == [
        "この依頼は、もう受付が終わりました。\nありがとうございました。"
    ]
    assert chat.new_texts(resident) == []  # no 「引き受けてくれました」 for a time gone by
    at(app, clock, jst(25, 16, 31))
    assert chat.new_texts(resident)[0].startswith("【電球・修理】の依頼は、日時が過ぎたので")
    request = db_session.get(HelpRequest, request_id)
    assert request is not None and request.status == RequestStatus.EXPIRED


def test_after_an_outage_a_request_whose_time_passed_only_expires(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    far = register_supporter(chat, "endo", "遠藤四郎", "電球の交換", FAR, km=5)
    coordinator = make_coordinator(chat, db_session)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit(chat, resident, "電球が切れて替えられない", "2026-11-25T16:00")
    chat.new_texts(resident)
    at(app, clock, jst(25, 16, 30))  # the worker was down all day: the re-ask is as late as the expiry
    # No card for a time gone by, no 「まだ見つかっていません」 just before 「受付を終わりました」.
    assert chat.new_texts(far) == []
    assert chat.new_texts(coordinator) == []
    assert chat.new_texts(resident) == [
        "【電球・修理】の依頼は、日時が過ぎたので、受付を終わりました。\n"
        "引き受ける人が見つからず、ごめんなさい。\n"
        "また困ったときは、いつでも送ってください。"
    ]


def test_a_card_waiting_for_the_morning_is_not_sent_for_a_request_that_expired_in_the_night(
    app: Flask, chat: Chat, clock: FakeClock
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    clock.now = jst(25, 22, 30)
    submit(chat, resident, "電球が切れて替えられない", "2026-11-26T07:00")  # the card waits for 08:00
    chat.new_texts(resident)
    at(app, clock, jst(26, 7))  # expired in the night
    at(app, clock, jst(26, 8))
    assert chat.new_texts(sato) == []
    assert chat.new_texts(resident)[0].startswith("【電球・修理】の依頼は、日時が過ぎたので")


def test_an_anytime_request_expires_after_the_configured_days(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit(chat, resident, "電球が切れて替えられない", None)
    chat.new_texts(resident)
    at(app, clock, clock.now + timedelta(days=14))
    texts = chat.new_texts(resident)
    assert texts[-1].startswith("【電球・修理】の依頼は、14日たっても引き受ける人が見つからず")
    request = db_session.scalar(select(HelpRequest))
    assert request is not None and request.status == RequestStatus.EXPIRED


def test_after_an_outage_stale_reminders_are_skipped_and_a_second_run_sends_nothing(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    clock.now = jst(26, 16)
    first = run_due(app, clock)
    second = run_due(app, clock)
    assert first.followups == 3 and second.followups == 0
    assert second.delivery.api_calls == 0
    assert chat.new_texts(match.supporter) == []  # the appointment has passed: no reminders now
    assert chat.new_texts(match.resident) == [CHECKIN]
    assert [s for k, s in followups_of(db_session, match.request_id) if k.startswith("remind")] == [
        "skipped",
        "skipped",
    ]


def test_identical_notices_from_different_batches_still_share_a_multicast(
    app: Flask, chat: Chat, clock: FakeClock
) -> None:
    first = matched(chat, when="2026-11-26T14:00")
    second = matched(
        chat, when="2026-11-26T14:00", supporter=("suzuki", "鈴木次郎"), resident=("ito", "伊藤")
    )
    chat.new_texts(first.supporter)
    processor = app.extensions["otagai.processor"]
    one_at_a_time = FollowUpRunner(
        processor.settings, processor.session_factory, processor.deliverer, batch=1
    )
    calls = len(chat.stub.requests)
    clock.now = jst(25, 18)
    report = one_at_a_time.run_due(clock())
    assert report.followups == 2 and report.delivery.api_calls == 1
    assert [r.path for r in chat.stub.requests[calls:] if "quota" not in r.path] == [
        "/v2/bot/message/multicast"
    ]
    assert chat.new_texts(first.supporter) == [EVE_REMINDER] and chat.new_texts(second.supporter) == [
        EVE_REMINDER
    ]


def test_a_worker_dying_mid_batch_loses_no_follow_up(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    match = matched(chat, when="2026-11-26T14:00")

    def dies(self: BatchContext) -> None:
        raise SystemExit("killed while queueing")

    monkeypatch.setattr(BatchContext, "flush", dies)
    clock.now = jst(25, 18)
    with pytest.raises(SystemExit):
        run_due(app, clock)
    monkeypatch.undo()
    assert chat.new_texts(match.supporter) == []
    assert pending_kinds(db_session, match.request_id) == [*REMINDERS, *CHECKINS]
    run_due(app, clock)
    run_due(app, clock)
    assert chat.new_texts(match.supporter) == [EVE_REMINDER]


@pytest.mark.skipif(postgres_url() is None, reason="needs PostgreSQL (set TEST_DATABASE_URL)")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_reminder_skips_a_request_a_webhook_holds_and_then_reads_its_change(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session, database_url: str
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(25, 18))
    assert chat.new_texts(match.supporter) == [EVE_REMINDER]
    engine = make_engine(database_url)
    try:
        with Session(engine) as webhook:
            # The supporter's cancellation is under way: it holds the request (as an accept would).
            request = webhook.get(HelpRequest, match.request_id, with_for_update=True)
            assert request is not None
            report = at(app, clock, jst(26, 13))
            # The worker neither waits for the request (an accept then waiting for the worker's
            # follow-ups would deadlock) nor decides from what the webhook is about to change.
            assert report.followups == 0
            assert chat.new_texts(match.supporter) == []
            request.status, request.accepted_by_id = RequestStatus.OPEN, None
            webhook.commit()
    finally:
        engine.dispose()
    at(app, clock, jst(26, 13, 1))
    assert chat.new_texts(match.supporter) == []  # no 「まもなく」 after cancelling
    assert dict(followups_of(db_session, match.request_id))["remind_hour"] == "skipped"


def test_after_an_outage_over_the_evening_only_the_hour_before_reminder_goes(
    app: Flask, chat: Chat, clock: FakeClock
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    at(app, clock, jst(26, 13, 5))  # the worker's first run since the day before
    texts = chat.new_texts(match.supporter)
    assert len(texts) == 1, texts
    assert texts[0].startswith("まもなく（14:00から）、【電球・修理】のお手伝いです。")
    at(app, clock, jst(26, 13, 30))
    assert chat.new_texts(match.supporter) == []


CHECKIN_AGAIN = (
    "もう一度、うかがいます。\n【電球・修理】のお手伝いは、どうでしたか？\n"
    "お時間のあるときに、下のボタンで教えてください。"
)


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


# --- reopened: a request given back goes back to everyone who fits ------------------------------------

GIVEN_BACK_CARD = "お手伝いのお願い：電球・修理（東京都世田谷区世田谷）"


@dataclass(frozen=True)
class Round:
    resident: str
    taker: str
    other: str
    passer: str
    old_card: str  # the taker's 引き受ける, as it stays in his chat


def _first_round(chat: Chat, when: str | None = "2026-11-26T14:00") -> Round:
    """Three supporters get the card: one passes, one accepts, the third is told it was taken."""
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    suzuki = register_supporter(chat, "suzuki", "鈴木次郎", "電球の交換", MID)
    kato = register_supporter(chat, "kato", "加藤三郎", "電球の交換", (35.6480, 139.6550))
    register_supporter(chat, "endo", "遠藤四郎", "電球の交換", FAR, km=1)  # too far: never asked
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    assert "サポーター3人" in submit(chat, resident, "電球が切れて替えられない", when)[0]
    tap_label(chat, kato, "見送る")
    old_card = action_data(last(chat, sato), "引き受ける")
    tap_label(chat, sato, "引き受ける")
    assert chat.new_texts(suzuki)[-1].startswith("この依頼は、ほかの方が引き受けました。")
    for user in (resident, sato, suzuki, kato):
        chat.new_texts(user)
    return Round(resident, sato, suzuki, kato, old_card)


@pytest.mark.swept  # pushes the worker would send within seconds are read as sent
def test_given_back_the_first_rounds_other_supporter_gets_a_fresh_card(chat: Chat) -> None:
    first = _first_round(chat)
    chat.say(first.taker, "行けなくなった")
    assert tap_label(chat, first.taker, "引き受けをやめる")[0].startswith(
        "わかりました。依頼した方に伝えました。"
    )

    assert chat.new_texts(first.other) == [GIVEN_BACK_CARD]
    assert chat.new_texts(first.passer) == []  # he said no: not asked again
    told = chat.new_texts(first.resident)
    assert told == [
        "佐藤一郎さんが、都合で行けなくなりました。\nごめんなさい。もう一度、サポーターをさがします。\n"
        "近くのサポーター1人に、お知らせしました。\n決まったら、お知らせします。"
    ]
    # The one who gave it back is not asked again; his old card says why, kindly.
    assert chat.new_texts(first.taker) == []
    assert chat.tap(first.taker, first.old_card) == [
        "この依頼は、お返しいただいたので、ほかの方にお願いしています。\n知らせてくださって、ありがとうございました。"
    ]
    # The fresh card works, and only he is told it was taken this time.
    accepted = tap_label(chat, first.other, "引き受ける")
    assert accepted[0].startswith("ありがとうございます！ 引き受けました。")
    assert chat.new_texts(first.taker) == [] and chat.new_texts(first.passer) == []
    assert chat.new_texts(first.resident)[0].startswith("鈴木次郎さんが、引き受けてくれました。")


@pytest.mark.swept  # pushes the worker would send within seconds are read as sent
def test_a_no_show_goes_back_to_the_others_but_not_to_who_did_not_come(
    app: Flask, chat: Chat, clock: FakeClock
) -> None:
    first = _first_round(chat)
    at(app, clock, jst(26, 16))
    chat.new_texts(first.resident)
    reply = chat.say(first.resident, "来なかった")
    assert "近くのサポーター1人に、お知らせしました。" in reply[0]
    assert chat.new_texts(first.other) == [GIVEN_BACK_CARD]
    assert chat.new_texts(first.passer) == []
    assert chat.new_texts(first.taker)[0].startswith(
        "【電球・修理】の依頼について、依頼した方から「来なかった」"
    )
    assert chat.tap(first.taker, first.old_card)[0].startswith("この依頼は、お返しいただいたので")


@pytest.mark.swept  # pushes the worker would send within seconds are read as sent
def test_a_supporter_who_blocks_the_bot_gives_the_request_back_to_the_others(chat: Chat) -> None:
    first = _first_round(chat, when=None)
    chat.send(ev.unfollow_event(first.taker))
    assert chat.new_texts(first.other) == [GIVEN_BACK_CARD]
    assert chat.new_texts(first.passer) == []
    told = chat.new_texts(first.resident)
    assert told[0].startswith("佐藤一郎さんは、サポーターをやめました。")
    assert "近くのサポーター1人に、お知らせしました。" in told[0]
