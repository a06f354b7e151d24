"""Follow and unfollow: roster members are greeted in their role; one who leaves gets nothing more."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dev.line_stub import events as ev
from db.models import HelpRequest, Member, RequestStatus
from tests.handlers.cycle import matched
from tests.handlers.dialogue import (
    MID,
    NEAR,
    last,
    register_supporter,
    submit_request,
    tap_label,
)
from tests.support import Chat


def test_unfollow_withdraws_requests_and_tells_supporters(chat: Chat, db_session: Session) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れた")
    chat.new_texts(sato)
    chat.new_texts(resident)
    chat.send(ev.unfollow_event(resident))
    assert chat.new_texts(sato) == [
        "【電球・修理】の依頼は、依頼した方の都合で取り消されました。\nありがとうございました。"
    ]
    assert chat.new_texts(resident) == []
    member = db_session.scalar(select(Member).where(Member.line_user_id == resident))
    assert member is not None and not member.active
    request = db_session.scalar(select(HelpRequest))
    assert request is not None and request.status == RequestStatus.CANCELLED


def test_supporter_leaving_reopens_their_request(chat: Chat, db_session: Session) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    resident = chat.user("yamada", "山田花子")
    submit_request(chat, resident, "電球が切れた")
    tap_label(chat, sato, "引き受ける")
    suzuki = register_supporter(chat, "suzuki", "鈴木次郎", "電球の交換", MID)
    chat.new_texts(resident)
    chat.send(ev.unfollow_event(sato))
    assert chat.new_texts(resident) == [
        "佐藤一郎さんは、サポーターをやめました。\n【電球・修理】の依頼を、もう一度さがします。\n"
        "近くのサポーター1人に、お知らせしました。\n決まったら、お知らせします。"
    ]
    assert chat.new_texts(suzuki)[-1] == "お手伝いのお願い：電球・修理（東京都世田谷区世田谷）"
    request = db_session.scalar(select(HelpRequest))
    assert request is not None and request.status == RequestStatus.OPEN and request.accepted_by_id is None


def test_unfollowed_supporter_is_never_notified(chat: Chat) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    chat.send(ev.unfollow_event(sato))
    chat.new_texts(sato)
    submit_request(chat, chat.user("yamada", "山田花子"), "電球が切れた")
    assert chat.new_texts(sato) == []


def test_coming_back_is_welcomed(chat: Chat) -> None:
    user = chat.user("alice", "山田花子")
    chat.follow(user)
    chat.send(ev.unfollow_event(user))
    chat.send(ev.follow_event(user, chat.token(user), unblocked=True))
    assert chat.new_texts(user)[-1].startswith("山田花子さん、おかえりなさい。")


def test_a_returning_member_hears_what_became_of_their_requests_and_jobs(chat: Chat) -> None:
    match = matched(chat, when=None)
    chat.send(ev.unfollow_event(match.resident))
    chat.send(ev.follow_event(match.resident, chat.token(match.resident), unblocked=True))
    back = chat.new_texts(match.resident)[-1]
    assert back.startswith("山田花子さん、おかえりなさい。")
    assert "お休みの間に、出していた【電球・修理】の依頼は、取り消しました。" in back

    again = matched(chat, when=None, supporter=("suzuki", "鈴木次郎"), resident=("ito", "伊藤"))
    chat.send(ev.unfollow_event(again.supporter))
    back = chat.follow(again.supporter)[-1]
    assert "引き受けていた【電球・修理】の依頼は、ほかの方にお願いしました。" in back


def test_follow_greets_with_main_quick_replies(chat: Chat) -> None:
    alice = chat.user("alice", "山田花子")
    assert chat.follow(alice) == [
        "山田花子さん、はじめまして。「お互いさま」です。\n"
        "ちょっとした困りごとを、近くのサポーターにつなぎます。\n"
        "「電球が切れた」など、そのまま書いて送ってください。"
    ]
    labels = [item["action"]["label"] for item in last(chat, alice)["quickReply"]["items"]]
    assert labels[:4] == ["困りごとを相談", "やってみたい", "サポーターになる", "自分の依頼"]
    assert "使い方" in labels


def _registered(db_session: Session, chat: Chat, key: str, name: str, **role: bool) -> str:
    user_id = chat.user(key, name)
    db_session.add(Member(line_user_id=user_id, display_name=name, **role))
    db_session.commit()
    return user_id


def test_a_roster_supporter_is_greeted_as_a_supporter(chat: Chat, db_session: Session) -> None:
    supporter = _registered(db_session, chat, "sato", "佐藤健一", is_supporter=True)

    greeting = chat.follow(supporter)

    assert greeting[0].startswith("佐藤健一さん、はじめまして。")
    assert "サポーターとして登録されています" in greeting[0]
    assert "困りごと" not in greeting[0]


def test_a_coordinator_is_greeted_as_a_coordinator(chat: Chat, db_session: Session) -> None:
    coordinator = _registered(db_session, chat, "ito", "伊藤和子", is_coordinator=True, is_supporter=True)

    greeting = chat.follow(coordinator)

    assert "コーディネーターとして登録されています" in greeting[0]
    assert "要対応の一覧" in greeting[0]


def test_a_new_resident_is_still_asked_for_a_trouble(chat: Chat) -> None:
    resident = chat.user("yamada", "山田花子")

    assert "困りごと" in chat.follow(resident)[0]
