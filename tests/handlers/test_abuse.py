"""Protection from abuse: per-member limits, blocking, reporting a visit, and not being asked again."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import CoordinatorNotice, HelpRequest, MatchExclusion, Member, ProblemReport
from handlers.settings import Settings
from tests.handlers.cycle import make_coordinator, matched, run_due, submit
from tests.handlers.dialogue import MID, register_supporter, submit_request, tap_label
from tests.privacy_scan import leftovers
from tests.support import Chat, FakeClock

LIMIT_REACHED = (
    "ごめんなさい。1日に出せる依頼は2件までです。\n"
    "また明日、送ってください。\n急ぐときは、コーディネーターにご連絡ください。"
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(requests_per_day=2, relay_per_minute=3)


def _block(db_session: Session, user: str, blocked: bool = True) -> None:
    member = db_session.scalar(select(Member).where(Member.line_user_id == user))
    assert member is not None
    member.blocked = blocked
    db_session.commit()


def test_requests_per_day_are_limited_kindly(chat: Chat, clock: FakeClock, db_session: Session) -> None:
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    submit_request(chat, resident, "電球が切れて替えられない")
    submit_request(chat, resident, "庭の草むしりをお願いしたい")
    assert chat.say(resident, "犬の散歩をお願いしたい") == [LIMIT_REACHED]
    assert len(db_session.scalars(select(HelpRequest)).all()) == 2  # no draft was started
    clock.advance(hours=24, minutes=1)
    assert chat.say(resident, "犬の散歩をお願いしたい")[0].startswith("「犬の散歩をお願いしたい」ですね。")


def test_relay_messages_per_minute_are_limited(app: Flask, chat: Chat, clock: FakeClock) -> None:
    match = matched(chat)
    chat.say(match.resident, "メッセージを送る")
    for word in ("こんにちは", "明日", "よろしく"):
        assert chat.say(match.resident, word) == ["佐藤一郎さんに送りました。"]
    assert chat.say(match.resident, "まだですか") == [
        "ごめんなさい。短い時間に、たくさんのメッセージが届きました。\n"
        "1分ほど待ってから、もう一度送ってください。\nこのメッセージは送っていません。"
    ]
    run_due(app, clock)
    assert len(chat.new_texts(match.supporter)) == 3
    clock.advance(minutes=1)
    assert chat.say(match.resident, "まだですか") == ["佐藤一郎さんに送りました。"]


def test_a_blocked_member_gets_a_polite_answer_and_is_never_matched(chat: Chat, db_session: Session) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", MID)
    _block(db_session, sato)
    blocked = "ごめんなさい。今はこのサービスをお使いいただけません。\nコーディネーターにご連絡ください。"
    assert chat.say(sato, "電球が切れた") == [blocked]
    # They may still see and erase their own data.
    assert chat.say(sato, "登録情報")[0].startswith("「お互いさま」が記録している、あなたの情報です。")
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れて替えられない")
    assert chat.new_texts(sato) == []
    _block(db_session, sato, blocked=False)
    assert chat.say(sato, "使い方")[0].startswith("使い方です。")


def test_a_blocked_members_offer_is_not_shown_to_others(chat: Chat, db_session: Session) -> None:
    alice = chat.user("alice", "伊藤")
    chat.follow(alice)
    chat.say(alice, "子ども食堂で料理を手伝ってみたい")
    bob = chat.user("bob", "加藤")
    chat.follow(bob)
    assert "手伝ってみたい" in "\n".join(chat.say(bob, "子ども食堂で料理を作ってみたい"))
    _block(db_session, alice)
    assert "手伝ってみたい" not in "\n".join(chat.say(bob, "子ども食堂で料理を作ってみたい"))


def test_the_resident_reports_a_problem_and_coordinators_get_it_with_the_request(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    coordinator = make_coordinator(chat, db_session)
    match = matched(chat)
    chat.new_texts(coordinator)
    assert chat.say(match.resident, "困ったことを報告") == ["どの依頼のことですか？\n下から選んでください。"]
    assert tap_label(chat, match.resident, "電球・修理 11月26日(木)") == [
        "コーディネーターに伝えました。\n担当の人から、連絡することがあります。\n相手の方には、伝えていません。"
    ]
    run_due(app, clock)
    assert chat.new_texts(coordinator) == [
        f"【要対応】依頼番号{match.request_id}（電球・修理・東京都世田谷区世田谷・11月26日(木) 14:00）"
        "について、"
        "依頼した方から「困ったこと」の報告がありました。\n"
        "依頼した方：山田花子さん\nサポーター：佐藤一郎さん\n話を聞いてください。"
    ]
    assert chat.new_texts(match.supporter) == []  # the other side is not told
    listed = chat.say(coordinator, "要対応")[0]
    assert f"依頼番号{match.request_id}" in listed
    assert db_session.scalar(select(ProblemReport)) is not None
    # The notice kept for the web desk loses her name (and the request's words) when she leaves.
    chat.say(match.resident, "退会")
    tap_label(chat, match.resident, "退会する")
    notice = db_session.scalar(select(CoordinatorNotice).order_by(CoordinatorNotice.id.desc()))
    assert notice is not None and notice.text.startswith(f"【要対応】依頼番号{match.request_id}")
    assert "依頼した方：＊＊＊さん\nサポーター：佐藤一郎さん" in notice.text
    assert leftovers(db_session, ["山田花子", match.resident, "電球が切れて替えられない"]) == []


def test_nothing_to_report_without_a_visit(chat: Chat) -> None:
    user = chat.user("alice", "山田花子")
    chat.follow(user)
    assert chat.say(user, "困ったことを報告")[0].startswith("報告できる依頼が見つかりませんでした。")


def test_a_supporter_is_never_asked_by_that_resident_again_and_she_is_not_told(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat)
    chat.say(match.supporter, "困ったことを報告")
    answer = tap_label(chat, match.supporter, "電球・修理 11月26日(木)")
    assert answer[0].endswith("この方からの依頼を、もう受けたくないときは、下のボタンを押してください。")
    assert tap_label(chat, match.supporter, "この方からの依頼はもう受けない") == [
        "わかりました。この方からの依頼は、もうお知らせしません。\nこのことは、相手の方には伝わりません。"
    ]
    assert db_session.scalar(select(MatchExclusion)) is not None
    chat.new_texts(match.resident)
    # Her next request reaches nobody else's card but never his; she hears nothing of it.
    submit(chat, match.resident, "電球が切れて替えられない", None)
    assert chat.new_texts(match.supporter) == []
    # Another resident's request still reaches him.
    other = chat.user("ito", "伊藤")
    submit_request(chat, other, "電球が切れて替えられない")
    run_due(app, clock)
    assert chat.new_texts(match.supporter)[-1].startswith("お手伝いのお願い：電球・修理")


def test_the_typed_command_lists_his_visits(chat: Chat, clock: FakeClock) -> None:
    match = matched(chat)
    clock.advance(days=40)
    assert chat.say(match.supporter, "この方からの依頼はもう受けない") == [
        "どの依頼の方ですか？\n下から選んでください。"
    ]
    assert chat.say(match.resident, "この方からの依頼はもう受けない") == [
        "引き受けた依頼が見つかりませんでした。"
    ]


def test_a_coordinator_blocks_and_unblocks_from_the_report_notice(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    coordinator = make_coordinator(chat, db_session)
    match = matched(chat)
    chat.say(match.supporter, "困ったことを報告")
    tap_label(chat, match.supporter, "電球・修理 11月26日(木)")
    run_due(app, clock)
    assert chat.new_texts(coordinator)[-1].startswith("【要対応】")
    # Nobody but a coordinator can use the button.
    block_data = next(
        a["data"] for a in chat.actions_received(coordinator) if a.get("label") == "依頼した方をブロック"
    )
    assert chat.tap(match.supporter, block_data)[0].startswith("ごめんなさい")
    assert tap_label(chat, coordinator, "依頼した方をブロック")[0].startswith(
        "山田花子さんをブロックしました。"
    )
    assert chat.say(match.resident, "使い方") == [
        "ごめんなさい。今はこのサービスをお使いいただけません。\nコーディネーターにご連絡ください。"
    ]
    assert tap_label(chat, coordinator, "ブロックを解除") == ["山田花子さんのブロックを解除しました。"]
    assert chat.say(match.resident, "使い方")[0].startswith("使い方です。")
