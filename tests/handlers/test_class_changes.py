"""A master changes or calls off a class in chat: whole dialogues through signed webhooks, the clock moved;
those with a seat and those waiting are told, the waiting list moves up, the reminders follow the class."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ClassSeat, HelpRequest, MasterClass, RequestStatus
from tests.handlers.cycle import at, jst
from tests.handlers.dialogue import (
    class_with_two_seats_and_one_waiting,
    tap_label,
)
from tests.handlers.places_town import seed_town
from tests.support import Chat, FakeClock, action_data


def test_a_new_day_is_told_to_everyone_in_the_class_and_the_reminders_follow_it(
    app: Flask, chat: Chat, db_session: Session, clock: FakeClock
) -> None:
    seed_town(db_session)
    master, aki, ben, chie = class_with_two_seats_and_one_waiting(chat, clock)

    assert chat.say(master, "自分の教室")[0].startswith("あなたの教室です。")
    assert tap_label(chat, master, "変更する") == [
        "「しめ縄づくりの教室」（11月28日（土） 10:00〜12:00）の、何を変えますか？"
    ]
    assert tap_label(chat, master, "日時")[0].startswith("新しい日時を教えてください。")
    assert chat.say(master, "今日の8時")[0].startswith("その日時は、もう過ぎています。")
    answer = tap_label(chat, master, "日時をえらぶ", {"datetime": "2026-11-29T13:00"})

    assert answer == [
        "「しめ縄づくりの教室」を変更しました。\n日時：11月29日（日） 13:00〜15:00\n"
        "場所：みんなのおうち せたがや\n定員：2人\n申し込んだ3人に、お知らせしました。"
    ]
    told = (
        "【教室の日時が変わりました】\n「しめ縄づくりの教室」\n日時：11月29日（日） 13:00〜15:00\n"
        "場所：みんなのおうち せたがや\n都合が悪くなったら、下のボタンで取り消せます。"
    )
    assert chat.new_texts(aki) == [told] and chat.new_texts(ben) == [told] and chat.new_texts(chie) == [told]
    assert action_data(chat.stub.messages_for(chie)[-1], "待つのをやめる")
    assert action_data(chat.stub.messages_for(aki)[-1], "参加をやめる")
    assert chat.say(master, "やめる") == ["今、進めている手続きはありません。"]  # the change flow is over

    # The old evening passes quietly; the new one reminds those with a seat.
    assert at(app, clock, jst(27, 18)).classes == 0
    assert chat.new_texts(aki) == []
    assert at(app, clock, jst(28, 18)).classes == 2
    assert chat.new_texts(aki)[0].startswith(
        "【明日の教室】\n「しめ縄づくりの教室」\n日時：11月29日（日） 13:00"
    )
    assert chat.new_texts(chie) == []  # still waiting


def test_more_seats_go_to_those_waiting_and_fewer_than_taken_is_refused_kindly(
    chat: Chat, db_session: Session, clock: FakeClock
) -> None:
    seed_town(db_session)
    master, aki, ben, chie = class_with_two_seats_and_one_waiting(chat, clock)
    chat.say(master, "教室")  # the master's own card in the usual list carries the buttons too
    tap_label(chat, master, "変更する")
    assert tap_label(chat, master, "定員")[0].startswith("何人までにしますか？")
    assert chat.say(master, "1人") == [
        "すでに2人が申し込んでいます。2人より少なくは、できません。",
        "何人までにしますか？ 数字で書くか、下から選んでください。",
    ]
    answer = chat.say(master, "４人")
    assert answer[0].startswith("「しめ縄づくりの教室」を変更しました。") and "定員：4人" in answer[0]
    assert "お知らせしました" not in answer[0]  # a bigger class is news only to those waiting
    assert chat.new_texts(chie)[-1].startswith(
        "【キャンセル待ちの方へ】\n「しめ縄づくりの教室」に席があきました！"
    )
    assert chat.new_texts(aki) == [] and chat.new_texts(ben) == []
    lesson = db_session.scalar(select(MasterClass))
    assert lesson is not None and (lesson.capacity, lesson.taken) == (4, 3)
    assert sorted(s.status for s in db_session.scalars(select(ClassSeat))) == ["seat", "seat", "seat"]


def test_a_new_place_typed_is_told(chat: Chat, db_session: Session, clock: FakeClock) -> None:
    seed_town(db_session)
    master, aki, _ben, _chie = class_with_two_seats_and_one_waiting(chat, clock)
    chat.say(master, "教室の変更")
    tap_label(chat, master, "変更する")
    assert tap_label(chat, master, "場所")[0] == "新しい場所を、下から選ぶか、書いてください。"
    answer = chat.say(master, "上町の集会所")
    assert "場所：上町の集会所" in answer[0]
    assert chat.new_texts(aki)[0].startswith("【教室の場所が変わりました】")


def test_a_class_called_off_is_told_to_all_and_never_reminded(
    app: Flask, chat: Chat, db_session: Session, clock: FakeClock
) -> None:
    seed_town(db_session)
    master, aki, ben, chie = class_with_two_seats_and_one_waiting(chat, clock)
    chat.say(master, "自分の教室")
    assert tap_label(chat, master, "中止する") == [
        "「しめ縄づくりの教室」（11月28日（土） 10:00〜12:00）を中止しますか？\n"
        "申し込んだ3人に、お知らせします。"
    ]
    assert tap_label(chat, master, "中止しない") == ["わかりました。教室は、そのままです。"]
    assert chat.new_texts(aki) == []
    chat.say(master, "自分の教室")
    tap_label(chat, master, "中止する")
    assert tap_label(chat, master, "中止する") == [
        "「しめ縄づくりの教室」を中止しました。\n申し込んだ3人に、お知らせしました。"
    ]
    called_off = (
        "【教室の中止】\n「しめ縄づくりの教室」（11月28日（土） 10:00〜12:00）は、中止になりました。\n"
        "ごめんなさい。\nほかの教室は、「教室」で見られます。"
    )
    for person in (aki, ben, chie):
        assert chat.new_texts(person) == [called_off]
    assert tap_label(chat, master, "中止する") == [
        "ごめんなさい。この教室は、もう終わったか、取りやめになりました。"
    ]
    assert chat.say(aki, "教室")[0].startswith("いまひらく予定の教室は、ありません。")
    assert tap_label(chat, aki, "参加をやめる") == [
        "ごめんなさい。この教室は、もう終わったか、取りやめになりました。"
    ]
    assert at(app, clock, jst(27, 18)).classes == 0
    assert at(app, clock, jst(28, 9)).classes == 0
    assert chat.new_texts(aki) == [] and chat.new_texts(master) == []


def test_only_the_master_can_change_their_class(chat: Chat, db_session: Session, clock: FakeClock) -> None:
    seed_town(db_session)
    _master, aki, _ben, _chie = class_with_two_seats_and_one_waiting(chat, clock)
    lesson = db_session.scalar(select(MasterClass))
    assert lesson is not None
    assert chat.tap(aki, f"a=clch&c={lesson.id}") == ["ごめんなさい。この教室は、変更できません。"]
    assert chat.tap(aki, f"a=clst&c={lesson.id}&ok=1") == ["ごめんなさい。この教室は、変更できません。"]
    assert chat.say(aki, "自分の教室")[0].startswith("これからひらく教室は、ありません。")
    db_session.expire_all()
    assert db_session.get(MasterClass, lesson.id).cancelled_at is None  # type: ignore[union-attr]


def test_changing_a_class_leaves_a_half_written_request_properly(
    chat: Chat, db_session: Session, clock: FakeClock
) -> None:
    seed_town(db_session)
    master, _aki, _ben, _chie = class_with_two_seats_and_one_waiting(chat, clock)
    chat.say(master, "自分の教室")
    assert "【電球・修理】" in chat.say(master, "電球が切れて替えられない")[0]
    tap_label(chat, master, "変更する")
    draft = db_session.scalar(select(HelpRequest).where(HelpRequest.requester_id.is_not(None)))
    assert draft is not None and draft.status == RequestStatus.CANCELLED
