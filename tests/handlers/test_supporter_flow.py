"""Supporter registration in chat, seeing and changing it, and お休み (pause) / 再開 (resume)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Member, SupporterRecord, SupporterStatus
from tests.handlers.cycle import make_coordinator
from tests.handlers.dialogue import NEAR, last, register_supporter, submit_request, tap_label
from tests.support import Chat, actions_in


def _member(session: Session, user_id: str) -> Member:
    session.expire_all()  # what the bot stored since this session last looked
    member = session.scalar(select(Member).where(Member.line_user_id == user_id))
    assert member is not None
    return member


def test_registration_step_by_step(chat: Chat, db_session: Session) -> None:
    user = chat.user("sato", "佐藤一郎")
    chat.follow(user)
    assert chat.say(user, "サポーターになる") == [
        "どんなことを手伝えますか？\n自由に書くか、下から選んでください。"
    ]
    assert chat.say(user, "電球の交換と、スマホの使い方なら教えられます")[0].startswith(
        "今のところ：電球・修理、スマホ・パソコン"
    )
    assert tap_label(chat, user, "ゴミ出し")[0].startswith(
        "今のところ：電球・修理、ゴミ出し、スマホ・パソコン"
    )
    assert "どのあたりで手伝えますか" in tap_label(chat, user, "次へ")[0]
    assert chat.location(user, *NEAR, address="東京都世田谷区世田谷1丁目2-3") == [
        "どのくらいの距離まで行けますか？"
    ]
    assert tap_label(chat, user, "5km") == ["この内容で登録しますか？"]
    rules = tap_label(chat, user, "登録する")
    assert rules[0].startswith("【活動のきまり】") and "守秘義務" in rules[0]
    assert rules[1].startswith("上の「活動のきまり」を読んで")
    assert tap_label(chat, user, "同意する")[0].startswith("サポーターに登録しました。")
    member = _member(db_session, user)
    assert member.is_supporter and not member.paused and member.radius_km == 5.0
    assert sorted(s.category for s in member.skills) == ["digital", "repair", "rubbish"]
    assert member.home_area == "東京都世田谷区世田谷"


def test_skills_that_mean_nothing_are_asked_again(chat: Chat) -> None:
    user = chat.user("sato")
    chat.say(user, "サポーターになる")
    assert chat.say(user, "ふつう")[0].startswith("ごめんなさい。分かりませんでした。")


def test_settings_pause_and_resume(chat: Chat, db_session: Session) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    settings = chat.say(sato, "サポーター設定")[0]
    assert "できること：電球・修理" in settings and "距離：3km" in settings and "状態：受付中" in settings
    assert chat.say(sato, "お休みする")[0].startswith("お休みにしました。")
    assert _member(db_session, sato).paused
    resident = chat.user("yamada", "山田花子")
    chat.new_texts(sato)
    submit_request(chat, resident, "電球が切れた")
    assert chat.new_texts(sato) == []  # paused supporters are not asked
    assert "状態：お休み中" in chat.say(sato, "サポーター設定")[0]
    assert chat.say(sato, "再開する")[0].startswith("再開しました。")
    db_session.expire_all()
    assert not _member(db_session, sato).paused


def test_changing_registration_replaces_skills(chat: Chat, db_session: Session) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    chat.say(sato, "サポーター設定")
    chat.say(sato, "変更する")
    chat.say(sato, "犬の散歩")
    tap_label(chat, sato, "次へ")
    chat.location(sato, *NEAR)
    tap_label(chat, sato, "10km")
    tap_label(chat, sato, "登録する")
    member = _member(db_session, sato)
    assert [s.category for s in member.skills] == ["pets"] and member.radius_km == 10.0


def test_not_registered_yet(chat: Chat) -> None:
    user = chat.user("alice")
    assert chat.say(user, "お休みする")[0].startswith("まだサポーターに登録していません。")


def test_every_category_can_be_tapped(chat: Chat, db_session: Session) -> None:
    user = chat.user("sato")
    chat.say(user, "サポーターになる")
    assert "子ども食堂・拠点の手伝い" not in [a["label"] for a in chat.actions_received(user)]
    tap_label(chat, user, "ほかの種類")
    tap_label(chat, user, "子ども食堂・拠点の手伝い")
    quick = [i["action"]["label"] for i in chat.stub.messages_for(user)[-1]["quickReply"]["items"]]
    assert quick[0] == "次へ" and "子ども食堂・拠点の手伝い" not in quick and len(quick) <= 13
    tap_label(chat, user, "ほかの種類")
    tap_label(chat, user, "教える・やってみたい")
    tap_label(chat, user, "次へ")
    chat.location(user, *NEAR)
    tap_label(chat, user, "1km")
    tap_label(chat, user, "登録する")
    tap_label(chat, user, "同意する")
    assert sorted(s.category for s in _member(db_session, user).skills) == ["cafeteria", "teaching"]


def test_the_distance_can_be_typed_instead_of_tapped(chat: Chat, db_session: Session) -> None:
    user = chat.user("sato")
    chat.say(user, "サポーターになる")
    chat.say(user, "電球の交換")
    tap_label(chat, user, "次へ")
    chat.location(user, *NEAR)
    assert chat.say(user, "５ｋｍ") == ["この内容で登録しますか？"]
    assert "5km" in str(chat.stub.messages_for(user)[-1])
    chat.say(user, "やめる")
    for typed, km in (("３キロ", 3.0), ("10キロまで", 10.0), ("1", 1.0), ("2km", 2.0)):
        chat.say(user, "サポーターになる")
        chat.say(user, "電球の交換")
        tap_label(chat, user, "次へ")
        chat.location(user, *NEAR)
        assert chat.say(user, typed) == ["この内容で登録しますか？"], typed
        if tap_label(chat, user, "登録する")[0].startswith("【活動のきまり】"):
            tap_label(chat, user, "同意する")  # the first time only: agreed to once per version
        db_session.expire_all()
        assert _member(db_session, user).radius_km == km, typed
    chat.say(user, "変更する")
    chat.say(user, "電球の交換")
    tap_label(chat, user, "次へ")
    chat.location(user, *NEAR)
    # Over the limit is answered with the limit; what is no distance gets one line and the buttons.
    assert chat.say(user, "50km") == ["ごめんなさい。10kmまでです。\n下から選んでください。"]
    for unclear in ("0", "たくさん"):
        assert chat.say(user, unclear) == ["「3km」のように書くか、下から選んでください。"], unclear


def test_with_vetting_off_registering_is_enough(chat: Chat, db_session: Session) -> None:
    """OTAGAI_VETTING=off (as in these tests): a small trusted group's supporters are asked at once."""
    coordinator = make_coordinator(chat, db_session)
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR, approve=False)
    assert chat.new_texts(coordinator) == []
    member = _member(db_session, sato)
    record = db_session.get(SupporterRecord, member.id)
    assert member.is_supporter and record is not None and record.status == SupporterStatus.APPROVED
    submit_request(chat, chat.user("yamada", "山田花子"), "電球が切れて替えられない")
    assert chat.new_texts(sato)[-1] == "お手伝いのお願い：電球・修理（東京都世田谷区世田谷）"


def test_a_typed_yes_registers_a_supporter(chat: Chat, db_session: Session) -> None:
    user = chat.user("sato", "佐藤一郎")
    chat.follow(user)
    chat.say(user, "サポーターになる")
    chat.say(user, "電球の交換")
    tap_label(chat, user, "次へ")
    chat.location(user, *NEAR, address="東京都世田谷区")
    tap_label(chat, user, "3km")
    assert chat.say(user, "はい")[-1].startswith("上の「活動のきまり」を読んで")  # 登録する
    assert any("サポーターに登録しました" in t for t in chat.say(user, "はい"))  # 同意する
    member = db_session.scalar(select(Member).where(Member.line_user_id == user))
    assert member is not None and member.is_supporter


def test_a_town_name_in_several_places_is_asked_about_at_registration(
    chat: Chat, db_session: Session
) -> None:
    """「自由が丘」 alone got 「場所が分かりませんでした」: four places have that name. The 区 or 市 is asked
    for, and 「目黒区」 alone answers."""
    user = chat.user("sato", "佐藤一郎")
    chat.say(user, "サポーターになりたいです")
    chat.say(user, "電球の交換")
    chat.say(user, "以上です")
    assert chat.say(user, "自由が丘") == [
        "「自由が丘」という町は、いくつかの場所にあります。\nどこの区か市か、教えてください。\n"
        "例：「帯広市の自由が丘」"  # no community yet: the first in the list (north to south)
    ]
    assert chat.say(user, "目黒区です") == [
        "目黒区自由が丘のあたりですね。",
        "どのくらいの距離まで行けますか？",
    ]
    assert chat.say(user, "3キロ") == ["この内容で登録しますか？"]
    assert "目黒区自由が丘" in str(last(chat, user))


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


AGREE_HINT = (
    "きまりを守っていただけるときは「同意する」を押してください。\n"
    "登録しないときは「やめる」を押してください。"
)


def test_registration_typed_as_an_older_neighbour_types_it(chat: Chat, db_session: Session) -> None:
    """「そんくらいかな」 or 「はい」 ends the list of skills; 「わかりました、同意します」 agrees to the
    rules; other words there get one line and the buttons, not the whole rules again."""
    user = chat.user("tanaka", "田中")
    chat.say(user, "サポーターになりたいんやけど")
    chat.say(user, "草むしりと買い物ならできます")
    assert chat.say(user, "そんくらいかな") == [
        "どのあたりで手伝えますか？\n「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。"
    ]
    chat.say(user, "世田谷区世田谷4丁目")
    chat.say(user, "自転車で行けるくらい")
    chat.say(user, "はい、おねがいします")
    assert chat.say(user, "なんのこと？") == [AGREE_HINT]
    assert [a["label"] for a in actions_in(last(chat, user))] == ["同意する", "やめる"]
    assert chat.say(user, "同意できません") == [AGREE_HINT]
    assert chat.say(user, "わかりました、同意します")[0].startswith("サポーターに登録しました")
    member = _member(db_session, user)
    assert member.is_supporter and member.radius_km == 3
    assert sorted(s.category for s in member.skills) == ["errands", "garden"]


def test_a_plain_yes_ends_the_list_of_skills_only_once_one_is_chosen(chat: Chat) -> None:
    user = chat.user("tanaka", "田中")
    chat.say(user, "サポーターになる")
    assert chat.say(user, "はい")[0].startswith("ごめんなさい。分かりませんでした。")
    chat.say(user, "電球の交換")
    assert chat.say(user, "ええよ")[0].startswith("どのあたりで手伝えますか？")


@pytest.mark.parametrize(
    "typed", ["もういっぺん", "もう一回言って", "聞こえんかった", "わからん", "ようわからんです"]
)
def test_asked_to_say_it_again_each_registration_step_is_asked_again(chat: Chat, typed: str) -> None:
    """Typed, not tapped: the step's question and its buttons again, never a skill nor a place read."""
    user = chat.user("sato", "佐藤一郎")
    chat.follow(user)
    asked = chat.say(user, "サポーターになる")
    assert chat.say(user, typed) == asked
    so_far = chat.say(user, "電球の交換")
    buttons = actions_in(last(chat, user))
    assert chat.say(user, typed) == so_far
    assert actions_in(last(chat, user)) == buttons
    place = chat.say(user, "以上です")
    assert chat.say(user, typed) == place
    radius = chat.location(user, *NEAR, address="東京都世田谷区世田谷1丁目2-3")
    assert chat.say(user, typed) == radius
    confirm = chat.say(user, "3キロ")
    assert chat.say(user, typed) == confirm == ["この内容で登録しますか？"]
    assert chat.say(user, "はい")[0].startswith("【活動のきまり】")


@pytest.mark.parametrize(
    ("typed", "km"), [("車でいける", "10km"), ("さんきろ", "3km"), ("２キロくらいかのう", "2km")]
)
def test_the_distance_in_an_elders_words(chat: Chat, typed: str, km: str) -> None:
    """「車でいける」 got the referral for driving people (what volunteers may not do) and left the step;
    「さんきろ」「２キロくらいかのう」 got 「「3km」のように書くか…」."""
    user = chat.user("sato", "佐藤一郎")
    chat.follow(user)
    chat.say(user, "サポーターになる")
    chat.say(user, "電球の交換")
    chat.say(user, "以上です")
    chat.location(user, *NEAR, address="東京都世田谷区世田谷1丁目2-3")
    assert chat.say(user, typed) == ["この内容で登録しますか？"]
    assert km in str(last(chat, user))
    assert chat.say(user, "はい")[0].startswith("【活動のきまり】")


def test_an_emergency_still_interrupts_registration(chat: Chat) -> None:
    user = chat.user("sato", "佐藤一郎")
    chat.follow(user)
    chat.say(user, "サポーターになる")
    assert chat.say(user, "火事です！煙が出ている")[0].startswith("【急いでください】")


@pytest.mark.parametrize("typed", ["なんでもやります", "なんでもええよ", "できることなら何でも"])
def test_anything_at_the_skills_step_is_every_common_kind_shown_back(
    chat: Chat, db_session: Session, typed: str
) -> None:
    """Each got 「ごめんなさい。分かりませんでした。」; now every quick category, to confirm or redo."""
    user = chat.user("sato", "佐藤一郎")
    chat.follow(user)
    chat.say(user, "サポーターになる")
    answer = chat.say(user, typed)
    assert answer[0].startswith(
        "ありがとうございます！\nよくあるお手伝いを、ぜんぶ入れました：\n電球・修理、"
    )
    assert [a["label"] for a in actions_in(last(chat, user))][:2] == ["次へ", "えらびなおす"]
    assert "どのあたりで手伝えますか" in chat.say(user, "以上です")[0]
    chat.location(user, *NEAR, address="東京都世田谷区世田谷1丁目2-3")
    tap_label(chat, user, "3km")
    tap_label(chat, user, "登録する")
    tap_label(chat, user, "同意する")
    assert len(_member(db_session, user).skills) >= 10


def test_after_anything_the_skills_can_be_chosen_again(chat: Chat, db_session: Session) -> None:
    user = chat.user("sato", "佐藤一郎")
    chat.follow(user)
    chat.say(user, "サポーターになる")
    chat.say(user, "なんでもやります")
    assert chat.say(user, "えらびなおす") == [
        "どんなことを手伝えますか？\n自由に書くか、下から選んでください。"
    ]
    assert chat.say(user, "ゴミ出しならできる")[0].startswith("今のところ：ゴミ出し\n")


@pytest.mark.parametrize(
    "typed",
    [
        "しばらくやすませてもらうけん",
        "しばらくおやすみさせてくれんね",
        "こんげつはいけん",
        "つうちとめて",
        "おしらせはいらん",
    ],
)
def test_pausing_and_resuming_in_an_elders_words(chat: Chat, db_session: Session, typed: str) -> None:
    """Each got 「ごめんなさい。よく分かりませんでした。」."""
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    assert chat.say(sato, typed)[0].startswith("お休みにしました。")
    assert _member(db_session, sato).paused
    assert chat.say(sato, "さいかいしてちょうだい")[0].startswith("再開しました。")
    assert chat.say(sato, "しばらくやすむ")[0].startswith("お休みにしました。")
    assert chat.say(sato, "やすみおわり")[0].startswith("再開しました。")
    assert not _member(db_session, sato).paused


def test_settings_asked_for_in_kana(chat: Chat) -> None:
    sato = register_supporter(chat, "sato", "佐藤一郎", "電球の交換", NEAR)
    assert chat.say(sato, "とうろくないようをかえたい")[0].startswith("サポーターの登録内容です。")


@pytest.mark.parametrize(
    ("typed", "km"),
    [
        ("世田谷区太子堂で2キロくらいまで", 2),
        ("世田谷区太子堂、あるいていけるくらい", 1),
        ("世田谷区太子堂 三キロまで", 3),
    ],
)
def test_the_place_and_the_distance_in_one_answer_are_both_kept(
    chat: Chat, db_session: Session, typed: str, km: int
) -> None:
    """「世田谷区太子堂で2キロくらいまで」 got the place said back and 「どのくらいの距離まで行けますか？」:
    the distance already written was asked again."""
    user = chat.user("suzuki", "鈴木")
    chat.say(user, "サポーターになる")
    chat.say(user, "草むしり")
    tap_label(chat, user, "次へ")
    assert chat.say(user, typed) == ["世田谷区太子堂のあたりですね。", "この内容で登録しますか？"]
    assert f"{km}km" in str(last(chat, user))


def test_the_distance_said_before_the_place_is_kept_and_the_place_asked_again(chat: Chat) -> None:
    """「あるいていけるくらい」 at the place step got 「場所が分かりませんでした。」 and was lost."""
    user = chat.user("suzuki", "鈴木")
    chat.say(user, "サポーターになる")
    chat.say(user, "草むしり")
    tap_label(chat, user, "次へ")
    assert chat.say(user, "あるいていけるくらい") == [
        "行ける距離は「1km」ですね。",
        "どのあたりで手伝えますか？\n「位置情報を送る」を押すか、町の名前か郵便番号を書いてください。",
    ]
    assert chat.say(user, "世田谷区太子堂") == ["世田谷区太子堂のあたりですね。", "この内容で登録しますか？"]
    assert "1km" in str(last(chat, user))


SUP_EXPLAINED = [
    "近所の人のために、手伝えることをうかがっています。\n例：「電球の交換」「買い物」「草むしり」",
    "手伝いに行けるところ（お住まいのあたりなど）をうかがっています。\n"
    "町の名前か郵便番号を書くだけで大丈夫です。例：「世田谷区太子堂」",
    "そこから、どのくらい遠くまで手伝いに行けるかをうかがっています。\n例：「歩いて行けるところ」「3km」",
    "この内容でサポーターに登録してよいか、うかがっています。\nよければ「はい」と書くか、「登録する」を押してください。",
]


@pytest.mark.parametrize("typed", ["それはなんですか", "どうすればいいの", "なにをかけばええんじゃ"])
def test_asked_what_a_registration_step_means_it_is_explained_then_asked(chat: Chat, typed: str) -> None:
    """「それはなんですか」 at the skills step got 「ごめんなさい。分かりませんでした。下のボタンから
    選んでください。」, at the place step 「場所が分かりませんでした。」."""
    user = chat.user("sato", "佐藤一郎")
    chat.follow(user)
    asked = chat.say(user, "サポーターになる")
    assert chat.say(user, typed) == [SUP_EXPLAINED[0], *asked]
    chat.say(user, "電球の交換")
    place = chat.say(user, "以上です")
    assert chat.say(user, typed) == [SUP_EXPLAINED[1], *place]
    radius = chat.location(user, *NEAR, address="東京都世田谷区世田谷1丁目2-3")
    assert chat.say(user, typed) == [SUP_EXPLAINED[2], *radius]
    confirm = chat.say(user, "3キロ")
    assert chat.say(user, typed) == [SUP_EXPLAINED[3], *confirm]
    assert chat.say(user, "はい")[0].startswith("【活動のきまり】")
