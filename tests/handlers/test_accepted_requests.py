"""引き受けた依頼 and 行けなくなった: a supporter gives a job back; the resident is told; matched again."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import HelpRequest, Proposal, ProposalStatus, RequestStatus
from tests.handlers.cycle import at, jst, matched, pending_kinds
from tests.handlers.dialogue import card_request_id, last, register_supporter, tap_label
from tests.support import Chat, FakeClock

SUZUKI_HOME = (35.6480, 139.6550)


def test_supporter_cancels_resident_is_told_and_it_goes_back_to_matching(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    suzuki = register_supporter(chat, "suzuki", "鈴木次郎", "電球の交換", SUZUKI_HOME)

    assert chat.say(match.supporter, "行けなくなった") == [
        "【電球・修理】（11月26日(木) 14:00）の引き受けを、やめますか？\n"
        "依頼した方に伝えて、ほかのサポーターをさがします。"
    ]
    assert tap_label(chat, match.supporter, "引き受けをやめる") == [
        "わかりました。依頼した方に伝えました。\n知らせてくださって、ありがとうございます。"
    ]
    assert chat.new_texts(match.resident) == [
        "佐藤一郎さんが、都合で行けなくなりました。\nごめんなさい。もう一度、サポーターをさがします。\n"
        "近くのサポーター1人に、お知らせしました。\n決まったら、お知らせします。"
    ]
    assert chat.new_texts(suzuki) == ["お手伝いのお願い：電球・修理（東京都世田谷区世田谷）"]
    db_session.expire_all()
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.status == RequestStatus.OPEN and request.accepted_by_id is None
    assert not request.anytime  # the time is still ahead: it stays
    dropped = db_session.scalar(select(Proposal).where(Proposal.status == ProposalStatus.DROPPED))
    assert dropped is not None and dropped.request_id == match.request_id
    assert pending_kinds(db_session, match.request_id) == ["reask", "expire"]
    # The reminders for Sato are cancelled: the evening passes in silence.
    at(app, clock, jst(25, 18))
    assert chat.new_texts(match.supporter) == []

    # Suzuki takes it; reminders now go to Suzuki.
    assert card_request_id(last(chat, suzuki)) == match.request_id
    tap_label(chat, suzuki, "引き受ける")
    chat.new_texts(suzuki)
    at(app, clock, jst(26, 13))
    assert chat.new_texts(suzuki)[0].startswith("まもなく（14:00から）")
    assert chat.new_texts(match.supporter) == []


def test_supporter_can_think_again(chat: Chat, db_session: Session) -> None:
    match = matched(chat)
    chat.say(match.supporter, "行けなくなった")
    assert tap_label(chat, match.supporter, "続ける") == ["わかりました。引き続き、よろしくお願いします。"]
    assert chat.new_texts(match.resident) == []
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.status == RequestStatus.MATCHED


def test_cancelling_shortly_before_the_time_makes_it_anytime(
    chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-25T10:30")
    chat.tap(match.supporter, f"a=drop&r={match.request_id}&ok=1")
    message = chat.new_texts(match.resident)[0]
    assert "日時は「いつでも」にしました。" in message
    assert "今は、近くに合うサポーターが見つかりませんでした。\nコーディネーターに伝えました。" in message
    db_session.expire_all()
    request = db_session.get(HelpRequest, match.request_id)
    assert request is not None and request.anytime and request.wanted_at is None
    assert request.needs_coordinator


def test_only_the_supporter_who_holds_it_can_give_it_back(chat: Chat) -> None:
    match = matched(chat)
    assert chat.tap(match.resident, f"a=drop&r={match.request_id}&ok=1") == [
        "ごめんなさい。この依頼は、今あなたが引き受けている依頼ではありません。"
    ]
    other = chat.user("other", "ほかの人")
    chat.follow(other)
    assert chat.say(other, "行けなくなった")[0] == "今、引き受けている依頼はありません。"


def test_a_card_waiting_for_the_morning_is_not_sent_once_taken(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    ito = register_supporter(chat, "ito", "伊藤三郎", "電球の交換", SUZUKI_HOME)
    match = matched(chat, when=None)  # 佐藤 took it; 伊藤 still holds a card from the day
    suzuki = register_supporter(chat, "suzuki", "鈴木次郎", "電球の交換", SUZUKI_HOME)
    clock.now = jst(25, 22)
    chat.say(match.supporter, "引き受けた依頼")
    tap_label(chat, match.supporter, "行けなくなった")
    tap_label(chat, match.supporter, "引き受けをやめる")  # 鈴木's card waits for the morning
    clock.now = jst(25, 23)
    chat.new_texts(ito)
    assert tap_label(chat, ito, "引き受ける")[0].startswith("ありがとうございます！")
    at(app, clock, jst(26, 8))
    # Neither a card for a request already taken nor 「ほかの方が引き受けました」 about a card never seen.
    assert chat.new_texts(suzuki) == []
