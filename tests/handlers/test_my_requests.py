"""自分の依頼: residents see their open requests and can cancel one; supporters are told."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import HelpRequest, Proposal, ProposalStatus, RequestStatus
from tests.handlers.dialogue import NEAR, register_supporter, submit_request, tap_label
from tests.support import Chat


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
