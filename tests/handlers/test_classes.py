"""Classes of the 名人・達人: seats taken and given up, the waiting list, reminders, and the last seat raced;
whole dialogues through signed webhooks, the clock moved."""

from __future__ import annotations

import json

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dev.line_stub import events as ev
from db.models import ClassSeat, MasterClass
from tests.handlers.cycle import at, jst
from tests.handlers.dialogue import open_class, register_master, tap_label
from tests.handlers.places_town import seed_town
from tests.support import Chat, FakeClock, action_data


def test_a_class_fills_up_the_waiting_list_gets_a_freed_seat_and_reminders_go_out(
    app: Flask, chat: Chat, db_session: Session, clock: FakeClock
) -> None:
    seed_town(db_session)
    master = register_master(chat)
    open_class(chat, master, "2026-11-28T10:00", "2")
    aki, ben, chie = (chat.user(n, d) for n, d in (("aki", "亜紀"), ("ben", "勉"), ("chie", "千恵")))
    for person in (aki, ben):
        clock.advance(minutes=1)
        assert chat.say(person, "教室")[0].startswith("名人・達人の教室です。")
        assert tap_label(chat, person, "参加する")[0].startswith(
            "ありがとうございます！「しめ縄づくりの教室」"
        )
    assert tap_label(chat, aki, "参加をやめる") == ["「しめ縄づくりの教室」を、取り消しました。"]
    clock.advance(minutes=1)
    assert chat.say(aki, "教室")[0].startswith("名人・達人の教室です。")
    tap_label(chat, aki, "参加する")  # back again: now after 勉
    chat.say(chie, "きょうしつ")
    card = json.dumps(chat.stub.messages_for(chie)[-1], ensure_ascii=False)
    assert "満席（キャンセル待ち 0人）" in card
    assert tap_label(chat, chie, "キャンセル待ちする")[0].startswith(
        "キャンセル待ちに登録しました（1番目）。"
    )
    # The master sees who is coming.
    chat.say(master, "教室")
    assert "勉、亜紀" in json.dumps(chat.stub.messages_for(master)[-1], ensure_ascii=False)
    chat.new_texts(master)

    assert tap_label(chat, ben, "参加をやめる") == ["「しめ縄づくりの教室」を、取り消しました。"]
    freed = chat.new_texts(chie)
    assert freed[-1].startswith("【キャンセル待ちの方へ】\n「しめ縄づくりの教室」に席があきました！")
    seats = {s.member_id: s.status for s in db_session.scalars(select(ClassSeat))}
    assert sorted(seats.values()) == ["cancelled", "seat", "seat"]
    lesson = db_session.scalar(select(MasterClass))
    assert lesson is not None and lesson.taken == 2

    assert at(app, clock, jst(27, 17)).classes == 0
    assert at(app, clock, jst(27, 18)).classes == 2
    evening = (
        "【明日の教室】\n「しめ縄づくりの教室」\n日時：11月28日（土） 10:00〜12:00\n"
        "場所：みんなのおうち せたがや\nお待ちしています！"
    )
    assert chat.new_texts(aki) == [evening] and chat.new_texts(chie) == [evening]
    assert chat.new_texts(master) == [
        "【明日の教室】\n「しめ縄づくりの教室」（11月28日（土） 10:00〜12:00）に、"
        "2人が申し込んでいます：亜紀、千恵"
    ]
    assert chat.new_texts(ben) == []
    assert at(app, clock, jst(28, 9)).classes == 2
    assert chat.new_texts(aki) == [
        "【まもなく教室です】\n「しめ縄づくりの教室」は10:00からです。\n場所：みんなのおうち せたがや"
    ]
    assert at(app, clock, jst(28, 9, 30)).classes == 0  # once each
    clock.now = jst(28, 13)
    assert tap_label(chat, aki, "参加をやめる") == [
        "ごめんなさい。この教室は、もう終わったか、取りやめになりました。"
    ]


def test_two_taps_at_once_on_the_last_seat_one_gets_it(app: Flask, chat: Chat, db_session: Session) -> None:
    seed_town(db_session)
    master = register_master(chat)
    open_class(chat, master, "2026-11-28T10:00", "1")
    people = [chat.user(f"p{i}", f"人{i}") for i in range(4)]
    chat.say(people[0], "教室")
    data = action_data(chat.stub.messages_for(people[0])[-1], "参加する")
    bodies = [ev.body(ev.postback_event(p, chat.token(p), data)) for p in people]
    assert chat.post_at_once(bodies) == [200] * len(bodies)
    answers = [chat.new_texts(p) for p in people]
    won = [a for a in answers if a and a[0].startswith("ありがとうございます！")]
    full = [a for a in answers if a and a[0].startswith("ごめんなさい。「しめ縄づくりの教室」は満席です。")]
    assert (len(won), len(full)) == (1, 3), answers
    db_session.expire_all()
    lesson = db_session.scalar(select(MasterClass))
    assert lesson is not None and lesson.taken == 1
    assert [s.status for s in db_session.scalars(select(ClassSeat))] == ["seat"]
