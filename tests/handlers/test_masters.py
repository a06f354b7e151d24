"""名人・達人 and their classes: whole dialogues through signed webhooks, the clock moved, seats raced."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dev.line_stub import events as ev
from db.models import ClassSeat, CoordinatorNotice, MasterClass
from handlers.masters import teaching_skill
from tests.handlers.cycle import at, jst
from tests.handlers.dialogue import MID, NEAR, RESIDENT_HOME, tap_label
from tests.handlers.places_town import seed_town
from tests.support import Chat, FakeClock, action_data

ADDRESS = "東京都世田谷区世田谷4丁目21-27"


def register_master(chat: Chat, name: str = "matsu", display: str = "松本") -> str:
    master = chat.user(name, display)
    chat.follow(master)
    assert chat.say(master, "名人登録")[0].startswith("教えたり、見せたりできることを、登録します。")
    assert chat.say(master, "しめ縄づくり")[0].startswith("「しめ縄づくり」ですね。")
    assert chat.say(master, "公民館・集会所") == ["どのくらいの間隔で、教えられますか？"]
    assert chat.say(master, "季節のときだけ")[0].startswith("お住まいのあたりを教えてください。")
    assert chat.location(master, *NEAR, address=ADDRESS) == ["名人・達人の登録：しめ縄づくり"]
    assert tap_label(chat, master, "登録する")[0].startswith(
        "ありがとうございます！「しめ縄づくり」の名人として"
    )
    return master


def open_class(chat: Chat, master: str, when: str, capacity: str) -> None:
    assert chat.say(master, "教室をひらく")[0].startswith("「しめ縄づくり」の教室ですね。")
    assert tap_label(chat, master, "日時をえらぶ", {"datetime": when}) == [
        "どこでひらきますか？ 下から選ぶか、場所を書いてください。"
    ]
    assert tap_label(chat, master, "みんなのおうち せたがや")[0].startswith("何人まで参加できますか？")
    assert chat.say(master, capacity) == ["教室をひらく：しめ縄づくりの教室"]
    assert tap_label(chat, master, "ひらく")[0].startswith("「しめ縄づくりの教室」をひらきました！")


def test_a_resident_finds_a_master_without_seeing_who_until_they_agree(
    chat: Chat, db_session: Session
) -> None:
    seed_town(db_session)
    master = register_master(chat)
    resident = chat.user("hana", "花子")
    chat.follow(resident)
    chat.say(resident, "近くのこども食堂")  # her place is asked once and kept, so distances show
    chat.location(resident, *RESIDENT_HOME, address=ADDRESS)
    answer = chat.say(resident, "しめなわを教えてくれる人はいますか？")
    assert answer == [
        "「しめなわ」を教えてくれる、名人・達人です。\n「話を聞きたい」を押すと、名人にお知らせします。",
        "名人・達人：しめ縄づくり",
    ]
    card = json.dumps(chat.stub.messages_for(resident)[-1], ensure_ascii=False)
    for shown in ("しめ縄づくり", "世田谷区", "公民館・集会所", "季節のときだけ", "約"):
        assert shown in card, shown
    for hidden in ("松本", "21-27", "35.65"):
        assert hidden not in card, hidden
    chat.new_texts(master)
    assert tap_label(chat, resident, "話を聞きたい") == [
        "名人に、お知らせしました。\nお返事があったら、ここでお知らせします。"
    ]
    assert tap_label(chat, resident, "話を聞きたい") == ["もう、お知らせしています。お返事をお待ちください。"]
    asked = chat.new_texts(master)
    assert len(asked) == 1 and asked[0].startswith("【名人へのお問い合わせ】\n東京都世田谷区世田谷の方が")
    assert "花子" not in asked[0]
    assert tap_label(chat, master, "受ける")[0].startswith(
        "ありがとうございます！花子さんに、お名前をお伝えしました。"
    )
    told = chat.new_texts(resident)
    assert told[-1].startswith("「しめ縄づくり」の名人、松本さんが、お話を受けてくださいました！")
    assert tap_label(chat, master, "受ける") == ["このお問い合わせには、もうお返事しています。"]
    notices = [n.text for n in db_session.scalars(select(CoordinatorNotice))]
    assert "【おつなぎ】「しめ縄づくり」の名人松本さんと、花子さんをつないでください。" in notices
    # Nothing of the kind yet: the bot offers to keep it as a やってみたい.
    assert chat.say(resident, "竹細工の名人")[0].startswith(
        "「竹細工」を教えてくれる名人は、まだ登録されていません。"
    )
    assert chat.say(resident, "しめ縄を習ってみたい")[0].startswith("「しめ縄を習ってみたい」")
    # Wanting to learn something no master teaches stays a 困りごと (a neighbour may help).
    assert "名人" not in chat.say(resident, "スマホの使い方を習いたい")[0]


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


def test_offers_to_learn_are_invited_to_a_class_and_offers_to_teach_become_masters(
    app: Flask, chat: Chat, db_session: Session, clock: FakeClock
) -> None:
    seed_town(db_session)
    master = register_master(chat)
    learner = chat.user("kei", "恵")
    chat.follow(learner)
    chat.say(learner, "近くのサロン")
    chat.location(learner, *MID, address="東京都世田谷区")
    answer = chat.say(learner, "しめ縄づくりを習ってみたい")
    assert "この名人・達人がいます：\n・しめ縄づくり（東京都世田谷区世田谷）" in answer[0]
    open_class(chat, master, "2026-11-28T10:00", "5")
    assert at(app, clock, jst(25, 11)).classes == 1
    assert chat.new_texts(learner) == ["教室のお知らせ：しめ縄づくりの教室 11月28日（土） 10:00〜12:00"]
    assert tap_label(chat, learner, "参加する")[0].startswith("ありがとうございます！")
    assert at(app, clock, jst(25, 12)).classes == 0  # invited once
    teacher = chat.user("take", "竹田")
    chat.follow(teacher)
    chat.say(teacher, "竹細工を教えたい")
    assert tap_label(chat, teacher, "名人として登録")[0].startswith("「竹細工」ですね。")


def test_a_master_search_in_the_middle_of_another_flow(chat: Chat, db_session: Session) -> None:
    """Asked in so many words, a search answers mid-flow; a flow that can ask its step again goes on."""
    seed_town(db_session)
    register_master(chat)
    resident = chat.user("hana", "花子")
    chat.follow(resident)
    assert "【電球・修理】" in chat.say(resident, "電球が切れて替えられない")[0]  # asked where
    chat.location(resident, *RESIDENT_HOME, address=ADDRESS)  # now asked when

    answer = chat.say(resident, "しめ縄を教えてくれる人はいますか？")

    assert answer[:2] == [
        "「しめ縄」を教えてくれる、名人・達人です。\n「話を聞きたい」を押すと、名人にお知らせします。",
        "名人・達人：しめ縄づくり",
    ]
    assert answer[2].startswith("続けるときは、下のボタンを押してください。")
    assert tap_label(chat, resident, "いつでも")  # the request goes on where it was
    assert tap_label(chat, resident, "依頼する")[0].startswith("依頼を受け付けました")

    # While asked where to look for a place (a flow without a step to ask again), it is left.
    newcomer = chat.user("ken", "健")
    assert chat.say(newcomer, "近くのサロンを教えて")[0].startswith("どのあたりで探しますか？")
    answer = chat.say(newcomer, "竹細工の名人はいますか")
    assert answer[0].startswith("「竹細工」を教えてくれる名人は、まだ登録されていません。")
    assert chat.say(newcomer, "やめる") == ["今、進めている手続きはありません。"]


def test_skills_named_in_the_teaching_flows_stay_answers_to_their_step(
    chat: Chat, db_session: Session
) -> None:
    seed_town(db_session)
    supporter = chat.user("sato", "佐藤")
    chat.follow(supporter)
    chat.say(supporter, "サポーターになる")
    # 「料理の名人です」 says what one can do; it is no search.
    assert not chat.say(supporter, "料理の名人です")[0].startswith("「料理」を教えてくれる")
    master = chat.user("matsu", "松本")
    chat.follow(master)
    chat.say(master, "名人登録")
    assert chat.say(master, "しめ縄の名人はいますか")[0].startswith("「しめ縄の名人はいますか」ですね。")


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("しめ縄づくりを教えたい", "しめ縄づくり"),
        ("将棋の指し方を教えてみたい", "将棋の指し方"),
        ("  編み物をおしえたい。", "編み物"),
        ("郷土料理を伝えたい", "郷土料理"),
        ("手品を見せたい", "手品"),
        ("書道教えます", "書道"),
        ("しめ縄づくりを習ってみたい", None),  # to learn, not to teach
        ("子ども食堂を手伝ってみたい", None),
        ("教えたい", None),  # teaching what?
    ],
)
def test_an_offer_to_teach_names_what(text: str, skill: str | None) -> None:
    assert teaching_skill(text) == skill
