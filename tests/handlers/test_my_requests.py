"""自分の依頼: residents see their open requests and can cancel one; supporters are told, follow-ups stop."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import HelpRequest, Proposal, ProposalStatus, RequestStatus
from tests.handlers.cycle import at, followups_of, jst, matched, submit
from tests.handlers.dialogue import NEAR, register_supporter, submit_request, tap_label
from tests.support import Chat, FakeClock


def test_list_and_cancel_tells_the_asked_supporters(chat: Chat, db_session: Session) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    assert chat.say(resident, "自分の依頼") == ["今、出している依頼はありません。"]
    submit_request(chat, resident, "電球が切れた")
    chat.new_texts(sato)
    listing = chat.say(resident, "自分の依頼")
    assert listing == ["出している依頼です。", "出している依頼です。"]
    assert "さがしています" in str(chat.stub.messages_for(resident)[-1])
    # Asked first: one stray tap does not cancel.
    assert tap_label(chat, resident, "取り消す") == ["【電球・修理】の依頼を、取り消しますか？"]
    assert tap_label(chat, resident, "取り消さない") == ["わかりました。依頼は、そのままにします。"]
    assert chat.new_texts(sato) == []
    chat.say(resident, "自分の依頼")
    tap_label(chat, resident, "取り消す")
    assert tap_label(chat, resident, "取り消す")[0] == "依頼を取り消しました。"
    assert chat.new_texts(sato) == [
        "【電球・修理】の依頼は、取り消されました。\nお知らせしたカードは使えません。"
    ]
    request = db_session.scalar(select(HelpRequest))
    assert request is not None and request.status == RequestStatus.CANCELLED
    proposal = db_session.scalar(select(Proposal))
    assert proposal is not None and proposal.status == ProposalStatus.WITHDRAWN
    # The card no longer works.
    assert tap_label(chat, sato, "引き受ける")[0].startswith("この依頼は、もう受付が終わりました。")


def test_cancel_after_accept_tells_the_supporter(chat: Chat) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れた")
    tap_label(chat, sato, "引き受ける")
    chat.new_texts(sato)
    chat.say(resident, "自分の依頼")
    assert "サポーターが決まりました" in str(chat.stub.messages_for(resident)[-1])
    tap_label(chat, resident, "取り消す")  # asks to confirm: someone is coming
    tap_label(chat, resident, "取り消す")
    assert chat.new_texts(sato) == [
        "引き受けていただいた【電球・修理】の依頼は、取り消されました。\nありがとうございました。"
    ]


def test_someone_elses_request_cannot_be_cancelled(chat: Chat, db_session: Session) -> None:
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れた")
    request = db_session.scalar(select(HelpRequest))
    assert request is not None
    other = chat.user("other")
    assert chat.tap(other, f"a=mycancel&r={request.id}")[0] == "ごめんなさい。その依頼は取り消せません。"
    db_session.expire_all()
    assert db_session.get(HelpRequest, request.id).status == RequestStatus.OPEN  # type: ignore[union-attr]


def test_resident_cancels_the_supporter_is_told_and_follow_ups_stop(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    match = matched(chat, when="2026-11-26T14:00")
    chat.say(match.resident, "自分の依頼")
    assert tap_label(chat, match.resident, "取り消す") == [
        "【電球・修理】の依頼を、取り消しますか？\n佐藤一郎さんが、引き受けてくれています。"
    ]
    assert chat.new_texts(match.supporter) == []  # nothing happens before the second tap
    assert tap_label(chat, match.resident, "取り消す") == ["依頼を取り消しました。"]
    assert chat.new_texts(match.supporter) == [
        "引き受けていただいた【電球・修理】の依頼は、取り消されました。\nありがとうございました。"
    ]
    assert [state for _, state in followups_of(db_session, match.request_id)] == ["cancelled"] * 7
    for moment in (jst(25, 18), jst(26, 13), jst(26, 16)):
        at(app, clock, moment)
        assert chat.new_texts(match.supporter) == [] and chat.new_texts(match.resident) == []


def test_a_request_cancelled_at_night_never_sends_its_waiting_cards(
    app: Flask, chat: Chat, clock: FakeClock, db_session: Session
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    chat.follow(resident)
    clock.now = jst(25, 22, 30)
    submit(chat, resident, "電球が切れて替えられない", None)  # the card waits for the morning
    clock.now = jst(25, 23)
    chat.say(resident, "自分の依頼")
    assert tap_label(chat, resident, "取り消す") == ["【電球・修理】の依頼を、取り消しますか？"]
    assert tap_label(chat, resident, "取り消す") == ["依頼を取り消しました。"]
    at(app, clock, jst(26, 8))
    # Neither a card for a request that no longer exists nor news about a card never seen.
    assert chat.new_texts(sato) == []
