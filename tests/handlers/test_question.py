"""handlers/question.py: a yes-or-no question answered in words, as its buttons would answer it."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from db.models import HelpRequest, Member, RequestStatus
from tests.handlers.cycle import conversation_of, matched
from tests.handlers.dialogue import NEAR, register_supporter
from tests.support import Chat, actions_in

ASK_CANCEL = ["【電球・修理】の依頼を、取り消しますか？\n佐藤一郎さんが、引き受けてくれています。"]
CANCELLED = ["依頼を取り消しました。"]
KEPT = ["わかりました。依頼は、そのままにします。"]


def _status(db_session: Session, request_id: int) -> RequestStatus:
    db_session.expire_all()
    request = db_session.get(HelpRequest, request_id)
    assert request is not None
    return request.status


@pytest.mark.parametrize(
    ("answer", "said", "status"),
    [
        ("はい", CANCELLED, RequestStatus.CANCELLED),
        ("うん", CANCELLED, RequestStatus.CANCELLED),
        ("はい、取り消してください🙇", CANCELLED, RequestStatus.CANCELLED),
        ("取り消す", CANCELLED, RequestStatus.CANCELLED),
        # The yes button's own verb, asked for (it got 取り消しますか？ once more).
        ("取り消してください", CANCELLED, RequestStatus.CANCELLED),
        ("とりけしてください", CANCELLED, RequestStatus.CANCELLED),
        ("取り消しでお願いします", CANCELLED, RequestStatus.CANCELLED),
        # Wanting it stopped, said in words, is the yes (they got 取り消しますか？ once more).
        ("取り消したいです", CANCELLED, RequestStatus.CANCELLED),
        ("やめたいです", CANCELLED, RequestStatus.CANCELLED),
        ("はい取り消して", CANCELLED, RequestStatus.CANCELLED),
        ("キャンセルで", CANCELLED, RequestStatus.CANCELLED),
        ("ｷｬﾝｾﾙでお願いします", CANCELLED, RequestStatus.CANCELLED),
        ("とりけしたいんですけど", CANCELLED, RequestStatus.CANCELLED),
        ("中止してください", CANCELLED, RequestStatus.CANCELLED),
        ("そうじゃ", CANCELLED, RequestStatus.CANCELLED),
        ("はい、お願いいたします。よろしくね", CANCELLED, RequestStatus.CANCELLED),
        ("だめ", KEPT, RequestStatus.MATCHED),
        ("ちがう", KEPT, RequestStatus.MATCHED),
        ("取り消さないで", KEPT, RequestStatus.MATCHED),
        ("やめんといて", KEPT, RequestStatus.MATCHED),
        ("いいえ", KEPT, RequestStatus.MATCHED),
        ("いいえ、大丈夫です", KEPT, RequestStatus.MATCHED),
        ("ちがいます", KEPT, RequestStatus.MATCHED),
    ],
)
def test_a_typed_answer_to_cancel_this_request(
    chat: Chat, db_session: Session, answer: str, said: list[str], status: RequestStatus
) -> None:
    match = matched(chat)
    assert chat.say(match.resident, "やっぱりやめときます") == ASK_CANCEL
    assert chat.say(match.resident, answer) == said
    assert _status(db_session, match.request_id) == status
    told = chat.new_texts(match.supporter)
    assert bool(told) == (status == RequestStatus.CANCELLED)


def test_please_cancel_alone_asks_first_then_is_the_yes(chat: Chat, db_session: Session) -> None:
    """With nothing asked, 「取り消してください」 asks (as the cancel flow does); asked, it is the yes."""
    match = matched(chat)
    assert chat.say(match.resident, "取り消してください") == ASK_CANCEL
    assert _status(db_session, match.request_id) == RequestStatus.MATCHED
    assert chat.say(match.resident, "取り消してください") == CANCELLED
    assert _status(db_session, match.request_id) == RequestStatus.CANCELLED


def test_not_cancelling_asked_for_is_not_the_yes(chat: Chat, db_session: Session) -> None:
    match = matched(chat)
    chat.say(match.resident, "やっぱりやめときます")
    assert chat.say(match.resident, "取り消さないでください") != CANCELLED
    assert _status(db_session, match.request_id) == RequestStatus.MATCHED


def test_words_that_may_mean_either_get_the_question_once_more(chat: Chat, db_session: Session) -> None:
    match = matched(chat)
    chat.say(match.resident, "やっぱりやめときます")
    assert chat.say(match.resident, "大丈夫です") == [
        "ごめんなさい。どちらか分かりませんでした。\n「取り消す」か「取り消さない」を押してください。"
    ]
    labels = [a["label"] for a in actions_in(chat.stub.messages_for(match.resident)[-1])]
    assert labels == ["取り消す", "取り消さない"]
    assert _status(db_session, match.request_id) == RequestStatus.MATCHED
    assert chat.say(match.resident, "はい") == CANCELLED


@pytest.mark.parametrize("typed", ["いらん", "もういらんです", "やめときます", "取り消さないで"])
def test_no_need_or_holding_back_is_never_the_cancel(chat: Chat, db_session: Session, typed: str) -> None:
    """「いらん」 may mean "no need to cancel" as well as "I need it no more": asked once more, kept; never
    written on the request as a detail for the supporter (「いらん」 was passed on as one)."""
    match = matched(chat)
    chat.say(match.resident, "やっぱりやめときます")
    answer = chat.say(match.resident, typed)
    assert answer and answer != CANCELLED
    assert not any("書き加えました" in line for line in answer)
    assert _status(db_session, match.request_id) == RequestStatus.MATCHED
    assert chat.new_texts(match.supporter) == []


def test_a_supporter_who_wants_to_stop_says_so_in_words(chat: Chat, db_session: Session) -> None:
    """To 引き受けを、やめますか？ 「やめたいです」 is the yes, as to サポーターを、やめますか？."""
    match = matched(chat)
    chat.say(match.supporter, "行けなくなりました")
    assert chat.say(match.supporter, "やめたいです")[0].startswith("わかりました。依頼した方に伝えました。")
    assert _status(db_session, match.request_id) == RequestStatus.OPEN


def test_anything_else_is_read_as_usual_and_the_question_is_over(chat: Chat, db_session: Session) -> None:
    match = matched(chat)
    chat.say(match.resident, "やっぱりやめときます")
    assert chat.say(match.resident, "はい、でも待ってください") != CANCELLED
    assert chat.say(match.resident, "はい") != CANCELLED  # the question was over
    assert _status(db_session, match.request_id) == RequestStatus.MATCHED
    assert conversation_of(db_session, match.resident) is None


def test_a_supporter_says_yes_to_giving_back_a_job(chat: Chat, db_session: Session) -> None:
    match = matched(chat)
    assert chat.say(match.supporter, "すみません急に熱がでて行けなくなりました")[0].startswith(
        "【電球・修理】（11月26日(木) 14:00）の引き受けを、やめますか？"
    )
    assert chat.say(match.supporter, "はい") == [
        "わかりました。依頼した方に伝えました。\n知らせてくださって、ありがとうございます。"
    ]
    assert chat.new_texts(match.resident)[0].startswith("佐藤一郎さんが、都合で行けなくなりました。")
    assert _status(db_session, match.request_id) == RequestStatus.OPEN


def test_stopping_as_a_supporter_typed_as_the_button_says(chat: Chat, db_session: Session) -> None:
    """The button says やめる, which is also the word for leaving a step: here it answers the question."""
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    chat.new_texts(sato)
    assert chat.say(sato, "サポーターやめたいんですけど")[0].startswith("サポーターを、やめますか？")
    assert chat.say(sato, "やめる")[0].startswith("サポーターをやめました。")
    db_session.expire_all()
    member = db_session.query(Member).filter_by(line_user_id=sato).one()
    assert not member.is_supporter


def test_leaving_answered_in_words(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice", "有田")
    chat.follow(user)
    assert chat.say(user, "退会したいです")[-1].endswith("本当に退会しますか？")
    assert chat.say(user, "はい、おねがいします")[0].startswith("退会しました。")
    db_session.expire_all()
    assert db_session.query(Member).filter_by(line_user_id=user).one_or_none() is None
