"""Coordinators in LINE: the 要対応 list, taking a request in hand, and what others may not do."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dev.line_stub import events as ev
from db.models import HelpRequest
from tests.handlers.cycle import make_coordinator, tap_newest
from tests.handlers.dialogue import submit_request, tap_label
from tests.support import Chat, actions_in

EMPTY = "今、要対応の依頼はありません。"


def _unmatched(
    chat: Chat, db_session: Session, text: str = "犬の散歩をお願いしたい", resident_name: str = "yamada"
) -> int:
    """A resident's request nobody near can take: flagged for coordinators."""
    resident = chat.user(resident_name, "山田花子")
    submit_request(chat, resident, text)
    request = db_session.scalars(select(HelpRequest).order_by(HelpRequest.id.desc())).first()
    assert request is not None and request.needs_coordinator
    return request.id


def test_from_the_notice_to_the_list_to_taking_one_in_hand(chat: Chat, db_session: Session) -> None:
    coordinator = make_coordinator(chat, db_session)
    request_id = _unmatched(chat, db_session)
    notice = chat.new_texts(coordinator)
    assert len(notice) == 1 and notice[0].startswith(f"【要対応】依頼番号{request_id}")

    listed = tap_newest(chat, coordinator, "要対応の一覧")
    assert len(listed) == 1 and listed[0].startswith("要対応の依頼です（古い順）。")
    assert f"依頼番号{request_id}【ペットの世話】" in listed[0] and "合うサポーターがいません。" in listed[0]
    assert "山田花子" not in listed[0]  # names only once a coordinator takes it in hand

    taken = tap_label(chat, coordinator, f"{request_id}番を対応する")
    assert taken[0].startswith(f"依頼番号{request_id}を、あなたの対応にしました。")
    assert "依頼した方：山田花子さん" in taken[0] and "犬の散歩をお願いしたい" in taken[0]
    assert "東京都世田谷区" in taken[0]
    db_session.expire_all()
    request = db_session.get(HelpRequest, request_id)
    assert request is not None and not request.needs_coordinator
    assert chat.say(coordinator, "要対応") == [EMPTY]


def test_a_second_coordinator_finds_it_taken_and_a_closed_one_says_so(
    chat: Chat, db_session: Session
) -> None:
    first = make_coordinator(chat, db_session, "coord1")
    second = make_coordinator(chat, db_session, "coord2")
    request_id = _unmatched(chat, db_session)
    chat.say(first, "要対応の一覧")
    chat.say(second, "要対応の一覧")
    tap_label(chat, first, f"{request_id}番を対応する")
    assert tap_label(chat, second, f"{request_id}番を対応する") == [
        f"依頼番号{request_id}は、ほかのコーディネーターが対応しています。"
    ]

    other_id = _unmatched(chat, db_session, "猫にえさをあげてほしい")
    chat.say(second, "要対応の一覧")
    resident = chat.user("yamada", "山田花子")
    chat.say(resident, "自分の依頼")
    buttons = actions_in(chat.stub.messages_for(resident)[-1])
    chat.tap(resident, next(b["data"] for b in buttons if b.get("data") == f"a=mycancel&r={other_id}"))
    tap_label(chat, resident, "取り消す")  # confirmed
    db_session.expire_all()
    other = db_session.get(HelpRequest, other_id)
    assert other is not None and other.status.value == "cancelled"
    closed = tap_label(chat, second, f"{other_id}番を対応する")
    assert closed == [f"依頼番号{other_id}は、もう終わっています。"]


def test_for_everyone_else_it_is_just_words_and_the_button_does_nothing(
    chat: Chat, db_session: Session
) -> None:
    make_coordinator(chat, db_session)
    request_id = _unmatched(chat, db_session)
    resident = chat.user("yamada", "山田花子")
    answer = chat.say(resident, "要対応")
    assert answer and not answer[0].startswith("要対応の依頼です") and answer != [EMPTY]
    assert chat.tap(resident, f"a=desk&r={request_id}") == [
        "ごめんなさい。このボタンは使えなくなりました。\nもう一度、メニューから選んでください。"
    ]
    db_session.expire_all()
    request = db_session.get(HelpRequest, request_id)
    assert request is not None and request.needs_coordinator
    items = chat.stub.messages_for(resident)[-1]["quickReply"]["items"]
    assert "要対応の一覧" not in [item["action"]["label"] for item in items]


def test_a_coordinators_menu_has_the_list(chat: Chat, db_session: Session) -> None:
    coordinator = make_coordinator(chat, db_session)
    chat.say(coordinator, "メニュー")
    items = chat.stub.messages_for(coordinator)[-1]["quickReply"]["items"]
    assert "要対応の一覧" in [item["action"]["label"] for item in items]
    assert chat.say(coordinator, "要対応の一覧") == [EMPTY]


def test_with_more_than_ten_waiting_the_longest_waiting_are_shown(chat: Chat, db_session: Session) -> None:
    coordinator = make_coordinator(chat, db_session)
    # Eleven residents: one alone may send only OTAGAI_REQUESTS_PER_DAY requests a day.
    ids = [_unmatched(chat, db_session, resident_name=f"resident{i}") for i in range(11)]
    chat.new_texts(coordinator)  # the eleven notices
    listed = chat.say(coordinator, "要対応")
    assert f"依頼番号{ids[0]}【" in listed[0] and f"依頼番号{ids[-1]}【" not in listed[0]
    assert listed[0].endswith("もう一度「要対応の一覧」を送ってください。")
    labels = [
        item["action"]["label"] for item in chat.stub.messages_for(coordinator)[-1]["quickReply"]["items"]
    ]
    assert labels == [f"{i}番を対応する" for i in ids[:10]]


def test_coordinators_taking_the_same_request_at_once_exactly_one_has_it(
    app: Flask, chat: Chat, db_session: Session
) -> None:
    coordinators = [make_coordinator(chat, db_session, f"coord{i}") for i in range(3)]
    request_id = _unmatched(chat, db_session)
    bodies = [ev.body(ev.postback_event(c, chat.token(c), f"a=desk&r={request_id}")) for c in coordinators]
    assert chat.post_at_once(bodies) == [200] * len(bodies)
    answers = [chat.stub.texts_for(c)[-1] for c in coordinators]
    assert sum(a.startswith(f"依頼番号{request_id}を、あなたの対応にしました。") for a in answers) == 1
    assert answers.count(f"依頼番号{request_id}は、ほかのコーディネーターが対応しています。") == 2
