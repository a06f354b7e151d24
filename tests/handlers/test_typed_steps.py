"""Whole dialogues where people type instead of tapping: times, places, 郵便番号, distances, changes."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import HelpRequest, Member, RequestStatus
from tests.handlers.cycle import run_due
from tests.handlers.dialogue import NEAR, RESIDENT_HOME, last, register_supporter, tap_label
from tests.support import Chat, FakeClock, actions_in

# The clock reads Wednesday 25 November 2026, 10:00 in Tokyo.
CONFIRM = "この内容で依頼しますか？"
SENT_TO_ONE = (
    "依頼しました。\n近くのサポーター1人に、お知らせしました。\n引き受ける人が決まったら、お知らせします。"
)


def _request(session: Session) -> HelpRequest:
    session.expire_all()
    found = session.scalars(select(HelpRequest).order_by(HelpRequest.id.desc())).first()
    assert found is not None
    return found


def _member(session: Session, user: str) -> Member:
    session.expire_all()
    found = session.scalar(select(Member).where(Member.line_user_id == user))
    assert found is not None
    return found


def test_a_typed_time_is_read_and_shown_back_on_the_card(chat: Chat, db_session: Session) -> None:
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    chat.location(user, *RESIDENT_HOME)
    assert chat.say(user, "あしたの１０じ") == [CONFIRM]
    assert "11月26日(木) 10:00" in str(last(chat, user))
    assert _request(db_session).wanted_at is not None
    assert _request(db_session).wanted_at.isoformat() == "2026-11-26T01:00:00+00:00"  # type: ignore[union-attr]
    assert chat.say(user, "はい それでお願いします") == [SENT_TO_ONE]


def test_a_day_alone_asks_the_time_of_day_then_takes_a_word(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    chat.location(user, *RESIDENT_HOME)
    answer = chat.say(user, "来週の火曜")
    assert answer == [
        "12月1日(火)ですね。何時ごろがいいですか？\n「10時」「午後」のように書くか、下から選んでください。"
    ]
    labels = [a["label"] for a in actions_in(last(chat, user))]
    assert labels[:3] == ["午前", "午後", "夕方"]
    assert chat.say(user, "午後") == [CONFIRM]
    assert "12月1日(火) 14:00" in str(last(chat, user))


def test_what_is_not_a_time_gets_one_line_with_the_buttons(chat: Chat) -> None:
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    chat.location(user, *RESIDENT_HOME)
    assert chat.say(user, "えーと") == [
        "「あした10時」「あさっての午後」「いつでも」のように書くか、下のボタンを押してください。"
    ]
    assert any(a["type"] == "datetimepicker" for a in actions_in(last(chat, user)))
    assert chat.say(user, "いつでもいいです") == [CONFIRM]
    assert "いつでも" in str(last(chat, user))


def test_a_time_in_the_first_message_skips_the_time_step(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    chat.say(user, "あさっての午後2時に電球を替えてほしい")
    assert chat.location(user, *RESIDENT_HOME) == [CONFIRM]
    assert "11月27日(金) 14:00" in str(last(chat, user))
    chat.say(user, "電球が切れた")  # a new 困りごと with no time still asks it
    chat.say(user, "やめる")


def test_a_typed_town_is_placed_shown_back_and_matched(
    app: Flask, clock: FakeClock, chat: Chat, db_session: Session
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    chat.new_texts(sato)
    user = chat.user("alice", "田中花子")
    chat.say(user, "電球が切れて替えられない")
    assert chat.say(user, "三軒茶屋です") == [
        "世田谷区三軒茶屋のあたりですね。",
        "いつ手伝ってほしいですか？",
    ]
    tap_label(chat, user, "いつでも")
    assert tap_label(chat, user, "依頼する") == [SENT_TO_ONE]
    stored = _request(db_session)
    assert stored.area == "世田谷区三軒茶屋" and stored.lat is not None and not stored.needs_coordinator
    run_due(app, clock)  # the worker sends what a busy webhook left to it
    card = str(chat.stub.messages_for(sato)[-1])
    assert "世田谷区三軒茶屋" in card and "三軒茶屋です" not in card


def test_a_postal_code_is_placed_at_its_town(chat: Chat, db_session: Session) -> None:
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    assert chat.say(user, "〒１５４－０００４")[0] == "世田谷区太子堂のあたりですね。"
    assert chat.say(user, "いつでも") == [CONFIRM]
    assert chat.say(user, "大丈夫です") == [SENT_TO_ONE]
    stored = _request(db_session)
    assert stored.area == "世田谷区太子堂" and abs((stored.lat or 0) - 35.6467) < 0.01


def test_a_supporter_types_their_place_and_distance(chat: Chat, db_session: Session) -> None:
    user = chat.user("sato", "佐藤一郎")
    chat.say(user, "サポーターになりたいです")
    chat.say(user, "電球の交換と草むしり")
    assert chat.say(user, "以上です")[0].startswith("どのあたりで手伝えますか？")
    assert chat.say(user, "せたがやく たいしどう") == [
        "世田谷区太子堂のあたりですね。",
        "どのくらいの距離まで行けますか？",
    ]
    assert chat.say(user, "15km") == ["ごめんなさい。10kmまでです。\n下から選んでください。"]
    assert chat.say(user, "５キロ") == ["この内容で登録しますか？"]
    assert "世田谷区太子堂" in str(last(chat, user))
    assert chat.say(user, "はい")[-1].startswith("上の「活動のきまり」を読んで")  # the rules first
    assert chat.say(user, "はい")[0].startswith("サポーターに登録しました")
    member = _member(db_session, user)
    assert member.is_supporter and member.radius_km == 5 and member.home_area == "世田谷区太子堂"
    assert chat.say(user, "しばらくお休みします")[0].startswith("お休みにしました")
    assert _member(db_session, user).paused
    assert chat.say(user, "再開します")[0].startswith("再開しました")
    assert not _member(db_session, user).paused


def test_day_place_and_details_change_at_the_confirmation_card(chat: Chat, db_session: Session) -> None:
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    chat.location(user, *RESIDENT_HOME)
    chat.say(user, "あした10時")
    assert chat.say(user, "日にちを変えたい") == ["いつ手伝ってほしいですか？"]
    assert chat.say(user, "あさっての10時") == [CONFIRM]
    assert "11月27日(金) 10:00" in str(last(chat, user))
    chat.say(user, "あさってにして")  # said again in place: the card comes back unchanged
    assert chat.say(user, "金曜の夕方にして") == [CONFIRM]
    assert "11月27日(金) 16:00" in str(last(chat, user))
    assert chat.say(user, "場所をかえます")[0].startswith("どこで手伝ってほしいですか？")
    assert chat.say(user, "154-0004") == ["世田谷区太子堂のあたりですね。", CONFIRM]
    assert "11月27日(金) 16:00" in str(last(chat, user))  # the time is kept
    assert tap_label(chat, user, "書き足す")[0].startswith("付け足すことを書いて送ってください。")
    assert chat.say(user, "脚立はうちにあります") == ["書き足しました。", CONFIRM]
    assert chat.say(user, "ちがいます") == ["どこを直しますか？ 下から選んでください。"]
    assert chat.say(user, "それでいいです") == [SENT_TO_ONE]
    stored = _request(db_session)
    assert stored.status == RequestStatus.OPEN and stored.area == "世田谷区太子堂"
    assert stored.text == "電球が切れた\n脚立はうちにあります"


def test_two_needs_in_one_message_become_two_requests(
    app: Flask, clock: FakeClock, chat: Chat, db_session: Session
) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    suzuki = register_supporter(chat, "suzuki", "鈴木次郎", "草むしり", NEAR)
    chat.new_texts(sato), chat.new_texts(suzuki)
    user = chat.user("alice")
    assert chat.say(user, "電球と、あと庭の草も")[0] == (
        "「電球と、あと庭の草も」ですね。\n【電球・修理・庭・草むしり】の2つのお手伝いをさがします。"
    )
    chat.location(user, *RESIDENT_HOME)
    chat.say(user, "いつでも")
    assert "2件の依頼として出します。" in str(last(chat, user))
    answer = chat.say(user, "お願いします")
    assert answer == [SENT_TO_ONE + "\n【庭・草むしり】の依頼も出しました。"]
    db_session.expire_all()
    opened = db_session.scalars(select(HelpRequest).where(HelpRequest.status == RequestStatus.OPEN)).all()
    assert sorted(r.category or "" for r in opened) == ["garden", "repair"]
    run_due(app, clock)  # the worker sends what a busy webhook left to it
    assert "電球・修理" in str(chat.stub.messages_for(sato)[-1])
    assert "庭・草むしり" in str(chat.stub.messages_for(suzuki)[-1])


def test_english_chinese_and_romaji_get_an_answer_in_their_language(chat: Chat, db_session: Session) -> None:
    user = chat.user("alice")
    english = chat.say(user, "Hello, can someone help me change a light bulb?")
    assert english == [
        "Thank you for your message. This service is in Japanese only.\n"
        "Please ask someone to help you write in Japanese,\n"
        "or contact a coordinator at your local community hub."
    ]
    assert "quickReply" in last(chat, user)
    assert chat.say(user, "我需要帮助换灯泡")[0].startswith("感谢您的留言")
    assert chat.say(user, "denkyuu ga kirete komatte imasu")[0].startswith("Messeeji arigatou")
    assert db_session.scalar(select(HelpRequest)) is None


def test_home_in_words_and_commands_in_words_while_writing_an_offer(chat: Chat, db_session: Session) -> None:
    register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    user = chat.user("alice")
    chat.say(user, "電球が切れた")
    assert chat.say(user, "うちです")[0].startswith("登録した場所がまだありません。")
    chat.location(user, *RESIDENT_HOME)
    chat.say(user, "やめる")
    chat.say(user, "電球が切れた")
    assert chat.say(user, "自宅でお願いします") == ["いつ手伝ってほしいですか？"]  # the place sent last time
    chat.say(user, "やめる")
    chat.say(user, "やってみたい")
    assert chat.say(user, "サポーターになりたいです")[0].startswith("どんなことを手伝えますか？")
