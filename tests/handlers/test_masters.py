"""名人・達人: found without seeing who until they agree, registered in chat, and offers to learn or teach
that fit; whole dialogues through signed webhooks (their classes: test_classes.py)."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import CoordinatorNotice
from handlers.masters import teaching_skill
from tests.handlers.cycle import at, jst
from tests.handlers.dialogue import MID, RESIDENT_HOME, open_class, register_master, tap_label
from tests.handlers.places_town import seed_town
from tests.support import Chat, FakeClock

ADDRESS = "東京都世田谷区世田谷4丁目21-27"


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
    # Offering to teach without saying what: the registration asks what.
    other = chat.user("ume", "梅田")
    chat.follow(other)
    chat.say(other, "教えられますよ")
    assert tap_label(chat, other, "名人として登録")[0].startswith(
        "教えたり、見せたりできることを、登録します。"
    )


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
        ("スマホの基本操作、教えられます📱 困ってる方いたら気軽にどうぞ", "スマホの基本操作"),
        (
            "パソコンのエクセル、ワードならオシエラレマス。カイシャでツカッテいました",
            "パソコンのエクセル、ワード",
        ),
        ("前に救命講習の補助してました、AEDの使い方なら教えられます", "AEDの使い方"),
        ("この浦の盆踊りの踊り方ば教えちゃるけん、覚えたか人おいで", "この浦の盆踊りの踊り方"),
        ("スマホの使いかた　教えらます　高齢者のかたにでも", "スマホの使いかた"),
        ("編み物なら教えてあげられるよ", "編み物"),
        ("将棋を教えます", "将棋"),
        ("ｽﾏﾎの使い方ｵｼｴﾗﾚﾏｽ", "スマホの使い方"),
        ("ワタシ、ギターおしえられマス。コドモたちにオシエタイ", "ギター"),
        ("あやとりや おてだまを こどもに おしえられます", "あやとりや おてだま"),
        ("えーと 将棋をね 子どもたちに 教えたいなと 思ってて", "将棋"),
        ("スマホの操作、よろしければ教えられますのでお声がけください", "スマホの操作"),
        ("大阪のおばちゃん直伝の出汁の取り方、教えたるで", "大阪のおばちゃん直伝の出汁の取り方"),
        ("元看護師だけど、健康体操なら教えられるよ", "健康体操"),
        ("子どもたちや初心者の方にお教えできます", None),  # to whom, not what
        ("俳句をやっとるけえ、始めたい人がおったら一緒にやろうや。教えるけえ", None),
        ("スマホ教えられる人いませんか", None),  # a search for a teacher
    ],
)
def test_an_offer_to_teach_names_what(text: str, skill: str | None) -> None:
    assert teaching_skill(text) == skill
